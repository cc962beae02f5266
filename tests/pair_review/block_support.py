"""Fixtures and helpers of the pair-review *block* tests (workbench runtime, several learners).

The domain tests (services called directly) use ``conftest.py``; the block's tests import what
they need from here. Only this block's workbench scenarios are loaded afresh for each test
(``tests.xblock_client.load_block_scenarios``).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.xblock_client import Workbench, forget_scenarios, load_block_scenarios

TAG = "devisus_pair_review"
DEFAULT_FR = f"{TAG}.0"  # automatic pairing, capstone rubric, French
ENGLISH = f"{TAG}.1"  # automatic pairing, capstone rubric, English
SMALL = f"{TAG}.2"  # 1 review each, flexible grading at once, own 2-criterion rubric, no self-assessment
INVITATION = f"{TAG}.3"  # invitation codes, French
TRAINER = f"{TAG}.4"  # pairs set by the trainer, one review per pair, English
SMALL_FR = f"{TAG}.5"  # 1 review each, 2 needed for a grade, capstone rubric, French
SHARED = f"{TAG}.6"  # two blocks of one pairing ("course-pairs"), 1 review each, English
CALIBRATED = f"{TAG}.7"  # 2 calibration examples, 2 reviews each and needed, disagreement threshold 40, English
COURSE = f"{TAG}.8"  # three blocks of one pairing: two staged pieces, a calibrated capstone needing 2 reviews

COMMENT = "A clear strength here, and one concrete suggestion to go further."


def load_scenarios():
    load_block_scenarios(TAG)


@pytest.fixture
def scenarios(transactional_db):
    load_scenarios()
    yield
    forget_scenarios()


@pytest.fixture
def live_pair_review(transactional_db, live_server):
    """This block's scenarios served over HTTP for a real browser, on the test database."""
    load_scenarios()
    yield live_server.url
    forget_scenarios()


@pytest.fixture
def bench(scenarios):
    return Workbench("en")


@pytest.fixture
def bench_fr(scenarios):
    return Workbench("fr")


class Block:
    """One block of a scenario, driven as several users through the workbench."""

    def __init__(self, bench: Workbench, scenario: str, index: int = 0):
        self.bench = bench
        self.scenario = scenario
        self.usage_id = bench.usage_ids(scenario, TAG)[index]

    def call(self, handler: str, student: str, data=None, **kwargs):
        return self.bench.call(self.usage_id, handler, student, data, **kwargs)

    def ok(self, handler: str, student: str, data=None):
        reply = self.call(handler, student, data)
        assert reply.status == 200, (handler, student, reply)
        return reply.data

    def page(self, student: str) -> str:
        return self.bench.page(self.scenario, student)

    def state(self, student: str) -> dict:
        return self.ok("state", student)["state"]

    def download(self, handler: str, student: str, query: str = ""):
        return self.bench.client.get(f"/handler/{self.usage_id}/{handler}/?student={student}{query}")

    # ---- journeys ----

    def pair(self, theoretician: str, practitioner: str) -> int:
        """Two learners paired automatically; returns the pair id."""
        self.ok("declare_profile", theoretician, {"profile": "theoretician"})
        state = self.ok("declare_profile", practitioner, {"profile": "practitioner"})["state"]
        assert state["pairing"]["status"] == "paired", state["pairing"]
        return state["pairing"]["pair_id"]

    def write_and_submit(self, student: str, text: str) -> dict:
        draft = self.state(student)["draft"]
        saved = self.ok(
            "save_draft", student, {"pair_id": draft["pair_id"], "text": text, "base_version": draft["version"]}
        )
        version = saved["state"]["draft"]["version"]
        return self.ok("submit", student, {"pair_id": draft["pair_id"], "version": version, "confirm": True})["state"]

    def answers(self, student: str, level_index: int = 2, comment: str = COMMENT) -> dict:
        rubric = self.state(student)["rubric"]
        return {
            "choices": {c["id"]: c["levels"][min(level_index, len(c["levels"]) - 1)]["id"] for c in rubric},
            "comments": {c["id"]: comment for c in rubric},
        }

    def review(self, student: str, level_index: int = 2, comment: str = COMMENT) -> dict:
        """Take the next work to review and review it; returns the reply's state."""
        task = self.ok("next_review", student)["state"]["review"]["task"]
        assert task is not None
        data = {"assignment_id": task["assignment_id"], **self.answers(student, level_index, comment)}
        return self.ok("submit_review", student, data)["state"]


def count_queries(call) -> tuple[int, object]:
    """(number of SQL queries, result) of ``call()``, every query included."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result
