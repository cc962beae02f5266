"""Fixtures of the self-positioning tests: a fresh workbench with this block's scenarios."""
from __future__ import annotations

import pytest

from tests.xblock_client import Workbench

TAG = "devisus_self_positioning"
BEFORE_AFTER = f"{TAG}.0"
COMPETENCES = f"{TAG}.1"
CUSTOM = f"{TAG}.2"


@pytest.fixture
def scenarios(transactional_db):
    """Load this block's workbench scenarios into the (emptied) test database.

    The workbench keeps scenarios per process and their settings in the database, which a
    transactional test empties: reload them for each test, and let whoever comes next reload
    the full set.
    """
    from workbench import scenarios as workbench_scenarios
    from workbench.runtime import ID_MANAGER, WORKBENCH_KVS
    from xblock.core import XBlock

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.add_class_scenarios(TAG, XBlock.load_class(TAG), fail_silently=False)
    workbench_scenarios.get_scenarios.initialized = True
    yield
    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.get_scenarios.initialized = False


@pytest.fixture
def bench(scenarios):
    return Workbench("en")


@pytest.fixture
def bench_fr(scenarios):
    return Workbench("fr")
