"""Fixtures of the self-positioning tests: a fresh workbench with this block's scenarios."""
from __future__ import annotations

import pytest

from tests.xblock_client import Workbench

TAG = "devisus_self_positioning"
BEFORE_AFTER = f"{TAG}.0"
COMPETENCES = f"{TAG}.1"
CUSTOM = f"{TAG}.2"


def _load_scenarios():
    """Load only this block's workbench scenarios into the (emptied) test database.

    The workbench keeps scenarios per process and their settings in the database, which a
    transactional test empties: reload them for each test (only ours, so other blocks' work in
    progress cannot break these tests), and let whoever comes next reload the full set.
    """
    from workbench import scenarios as workbench_scenarios
    from workbench.runtime import ID_MANAGER, WORKBENCH_KVS
    from xblock.core import XBlock

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.add_class_scenarios(TAG, XBlock.load_class(TAG), fail_silently=False)
    workbench_scenarios.get_scenarios.initialized = True


def _forget_scenarios():
    from workbench import scenarios as workbench_scenarios
    from workbench.runtime import ID_MANAGER

    workbench_scenarios.SCENARIOS.clear()
    ID_MANAGER.clear()
    workbench_scenarios.get_scenarios.initialized = False


@pytest.fixture
def scenarios(transactional_db):
    _load_scenarios()
    yield
    _forget_scenarios()


@pytest.fixture
def live_positioning(transactional_db, live_server):
    """This block's scenarios served over HTTP for a real browser, on the test database."""
    _load_scenarios()
    yield live_server.url
    _forget_scenarios()


@pytest.fixture
def bench(scenarios):
    return Workbench("en")


@pytest.fixture
def bench_fr(scenarios):
    return Workbench("fr")


def principle_ratings(shift: int = 0) -> dict[str, int]:
    """A complete set of ratings on the 8 principles (varied by ``shift``)."""
    return {f"Pr{n}": (n + shift) % 5 + 1 for n in range(1, 9)}


def db_snapshot() -> list:
    """Every stored positioning and rating, to show that a refused request changed nothing."""
    from devisus_xblocks.positioning.models import Positioning, PositioningRating

    return [
        sorted(Positioning.objects.values_list("course_key", "learner", "framework_id", "round", "status", "updated_at", "submitted_at")),
        sorted(PositioningRating.objects.values_list("positioning_id", "item_code", "rating", "justification")),
    ]
