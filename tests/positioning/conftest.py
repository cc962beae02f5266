"""Fixtures of the self-positioning tests: a fresh workbench with this block's scenarios."""

from __future__ import annotations

import pytest

from tests.xblock_client import Workbench, forget_scenarios, load_block_scenarios

TAG = "devisus_self_positioning"
BEFORE_AFTER = f"{TAG}.0"
COMPETENCES = f"{TAG}.1"
CUSTOM = f"{TAG}.2"


@pytest.fixture
def scenarios(transactional_db):
    load_block_scenarios(TAG)
    yield
    forget_scenarios()


@pytest.fixture
def live_positioning(transactional_db, live_server):
    """This block's scenarios served over HTTP for a real browser, on the test database."""
    load_block_scenarios(TAG)
    yield live_server.url
    forget_scenarios()


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
        sorted(
            Positioning.objects.values_list(
                "course_key", "learner", "framework_id", "round", "status", "updated_at", "submitted_at"
            )
        ),
        sorted(PositioningRating.objects.values_list("positioning_id", "item_code", "rating", "justification")),
    ]
