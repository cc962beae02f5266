"""Fixtures of the glossary tests: a workbench holding only the glossary's scenarios.

The workbench parses scenarios once per process and keeps their settings in the database,
which pytest-django rolls back after each test; so each test parses the glossary scenarios
afresh inside its own transaction. Only this block's scenarios are loaded, so the tests do
not depend on other blocks' work in progress; afterwards the workbench is left to reload
every scenario on its next use.
"""
from __future__ import annotations

import logging

import pytest

from devisus_xblocks.glossary.block import GlossaryBlock
from tests.xblock_client import Workbench

GRADED = "devisus_glossary.2"      # practice, French, graded, 6 pairs
UNGRADED = "devisus_glossary.3"    # practice, English, not graded, 4 pairs
REFERENCE_FR = "devisus_glossary.0"
REFERENCE_EN = "devisus_glossary.1"
UNIT = "devisus_glossary.4"        # html + reference + practice on one page


def _reset_workbench():
    from workbench import scenarios
    from workbench.runtime import ID_MANAGER

    scenarios.SCENARIOS.clear()
    ID_MANAGER.clear()
    scenarios.get_scenarios.initialized = False


def _load_glossary_scenarios():
    from workbench import scenarios
    from workbench.runtime import WORKBENCH_KVS

    _reset_workbench()
    WORKBENCH_KVS.clear()
    scenarios.add_class_scenarios("devisus_glossary", GlossaryBlock, fail_silently=False)
    scenarios.get_scenarios.initialized = True
    return scenarios.SCENARIOS


@pytest.fixture
def glossary_scenarios(db):
    yield _load_glossary_scenarios()
    _reset_workbench()


@pytest.fixture
def live_glossary(transactional_db, live_server):
    """The glossary scenarios served over HTTP (for the browser), on the test database."""
    _load_glossary_scenarios()
    yield live_server.url
    _reset_workbench()


@pytest.fixture
def wb_fr(glossary_scenarios):
    return Workbench("fr")


@pytest.fixture
def wb_en(glossary_scenarios):
    return Workbench("en")


class PublishedEvents:
    """The events the workbench runtime's ``publish`` really emitted (it logs each one)."""

    def __init__(self, caplog):
        self.caplog = caplog
        caplog.set_level(logging.INFO, logger="workbench.runtime")

    def of_type(self, event_type: str) -> list:
        records = [record for record in self.caplog.records if record.name == "workbench.runtime"]
        found = []
        for record, following in zip(records, records[1:]):
            if isinstance(record.msg, str) and record.msg.startswith("XBlock event") and record.args and record.args[0] == event_type:
                found.append(following.msg)
        return found


@pytest.fixture
def published(caplog):
    return PublishedEvents(caplog)
