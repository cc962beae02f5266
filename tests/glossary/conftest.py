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

from tests.xblock_client import Workbench, forget_scenarios, load_block_scenarios

GRADED = "devisus_glossary.2"  # practice, French, graded, 6 pairs
UNGRADED = "devisus_glossary.3"  # practice, English, not graded, 4 pairs
REFERENCE_FR = "devisus_glossary.0"
REFERENCE_EN = "devisus_glossary.1"
UNIT = "devisus_glossary.4"  # html + reference + practice on one page
TWO_REFERENCES = "devisus_glossary.5"  # html + two reference glossaries (fr, en) on one page


@pytest.fixture
def glossary_scenarios(db):
    yield load_block_scenarios("devisus_glossary")
    forget_scenarios()


@pytest.fixture
def live_glossary(transactional_db, live_server):
    """The glossary scenarios served over HTTP (for the browser), on the test database."""
    load_block_scenarios("devisus_glossary")
    yield live_server.url
    forget_scenarios()


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
            if (
                isinstance(record.msg, str)
                and record.msg.startswith("XBlock event")
                and record.args
                and record.args[0] == event_type
            ):
                found.append(following.msg)
        return found


@pytest.fixture
def published(caplog):
    return PublishedEvents(caplog)
