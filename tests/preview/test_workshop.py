"""The module 5 workshop (ORA2, the real PyPI block) walked through the preview by four learners.

Every request goes through the preview's unit page and the workshop's handler URLs, as the browser
sends them: ORA2's own handlers, edx-submissions and ORA2's workflow on the test database.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from submissions import api as submissions_api

from devisus_course.preview.workshop.block import PREVIEW_COURSE_KEY

from ..xblock_client import forget_scenarios

pytestmark = pytest.mark.django_db(transaction=True)

UNIT = "m05_workshop"
ORA_USAGE = re.compile(r"data-usage='([^']+)' data-block-type='openassessment'")
PEER_UUID = re.compile(r'data-submission-uuid="([^"]+)"')
LEARNERS = ("alice", "bob", "carol", "dave")
# Proficient/Exemplary options of the course's rubric: 3 + 2 + 2 = 7 points out of 9.
OPTIONS = {"chain": "strong", "balance": "balanced", "feasibility": "realistic"}


@pytest.fixture
def client():
    yield Client()
    forget_scenarios()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class Learner:
    def __init__(self, client: Client, name: str, language: str = "en"):
        self.client, self.name, self.language = client, name, language
        page = client.get(f"/course/{language}/{UNIT}/", {"student": name})
        assert page.status_code == 200
        self.page = page.content.decode()
        self.usage = ORA_USAGE.search(self.page).group(1)

    def url(self, handler: str) -> str:
        return f"/workshop/{self.language}/handler/{self.usage}/{handler}/?student={self.name}"

    def view(self, handler: str) -> str:
        response = self.client.post(self.url(handler), "{}", content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        return response.content.decode()

    def call(self, handler: str, data: dict):
        response = self.client.post(self.url(handler), json.dumps(data), content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        return json.loads(response.content)

    def submit(self) -> None:
        reply = self.call("submit", {"submission": [f"{self.name}'s proposal: context, question, criteria."]})
        assert reply[0] is True, reply

    def assess_next_peer(self) -> str:
        found = PEER_UUID.search(self.view("render_peer_assessment"))
        assert found, f"{self.name} was given no response to assess"
        reply = self.call(
            "peer_assess",
            {
                "submission_uuid": found.group(1),
                "options_selected": OPTIONS,
                "criterion_feedback": {},
                "overall_feedback": "Clear chain; add a macro indicator.",
            },
        )
        assert reply == {"success": True, "msg": ""}
        return found.group(1)


def test_four_learners_submit_assess_each_other_and_get_their_grade(client):
    learners = [Learner(client, name) for name in LEARNERS]
    assert "Your Response" in learners[0].page  # ORA2's own steps, not the summary
    for learner in learners:
        learner.submit()

    own = {
        learner.name: submissions_api.get_submissions(
            {
                "student_id": f"anon-{learner.name}",
                "course_id": str(PREVIEW_COURSE_KEY),
                "item_id": learner.usage,
                "item_type": "openassessment",
            }
        )[0]["uuid"]
        for learner in learners
    }
    # Keyed by the learners' anonymous ids, as in the LMS.
    assert len(set(own.values())) == 4

    # must_grade="3": each learner assesses the three others, never their own response.
    for _round in range(3):
        for learner in learners:
            assert learner.assess_next_peer() != own[learner.name]
    # Each learner's own self-assessment step is still to do: no grade yet.
    assert "7 out of 9" not in _text(learners[0].view("render_grade"))

    for learner in learners:
        assert learner.call(
            "self_assess", {"options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""}
        ) == {
            "success": True,
            "msg": "",
        }
    for learner in learners:
        grade = _text(learner.view("render_grade"))
        assert "Your Grade: 7 out of 9" in grade, grade[:300]
        score = submissions_api.get_score(
            {
                "student_id": f"anon-{learner.name}",
                "course_id": str(PREVIEW_COURSE_KEY),
                "item_id": learner.usage,
                "item_type": "openassessment",
            }
        )
        assert (score["points_earned"], score["points_possible"]) == (7, 9)


def test_the_grade_waits_for_the_peer_step(client):
    alice, bob = Learner(client, "alice"), Learner(client, "bob")
    alice.submit()
    bob.submit()
    alice.call("self_assess", {"options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""})
    assert "7 out of 9" not in _text(alice.view("render_grade"))
    assert (
        submissions_api.get_score(
            {
                "student_id": "anon-alice",
                "course_id": str(PREVIEW_COURSE_KEY),
                "item_id": alice.usage,
                "item_type": "openassessment",
            }
        )
        is None
    )


def _score(learner: Learner):
    return submissions_api.get_score(
        {
            "student_id": f"anon-{learner.name}",
            "course_id": str(PREVIEW_COURSE_KEY),
            "item_id": learner.usage,
            "item_type": "openassessment",
        }
    )


def test_flexible_grading_grades_a_proposal_with_one_assessment_seven_days_after_submission(client):
    """The workshop's enable_flexible_grading: from the seventh calendar day after submission, a
    proposal needs int(2 * 30 %) = 0, so 1, assessment instead of must_be_graded_by="2"
    (openassessment/assessment/api/peer.py, ``required_peer_grades``), once its author has done
    their own three assessments and their self-assessment."""
    from datetime import timedelta

    from django.core.cache import cache
    from submissions.models import Submission

    learners = [Learner(client, name) for name in LEARNERS]
    alice, bob = learners[0], learners[1]
    for learner in learners:
        learner.submit()
    for _round in range(3):
        alice.assess_next_peer()
    alice.call("self_assess", {"options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""})
    assert _score(alice) is None  # no assessment received yet

    mine = Submission.objects.get(student_item__student_id="anon-alice")
    assert bob.assess_next_peer() == str(mine.uuid)  # the proposal with the fewest assessments comes first

    def backdate(days: int) -> None:
        Submission.objects.filter(pk=mine.pk).update(submitted_at=mine.submitted_at - timedelta(days=days))
        cache.clear()  # edx-submissions caches the submission it reads the date from

    backdate(6)
    assert "7 out of 9" not in _text(alice.view("render_grade"))
    assert _score(alice) is None
    backdate(7)
    assert "Your Grade: 7 out of 9" in _text(alice.view("render_grade"))
    assert (_score(alice)["points_earned"], _score(alice)["points_possible"]) == (7, 9)


def test_the_workshop_speaks_the_unit_pages_language(client):
    learner = Learner(client, "dave", language="fr")
    assert "/workshop/fr/handler/" in learner.page
    assert "Son espace équipe pédagogique" in learner.page  # what the preview leaves to Open edX
    assert "Its staff area (staff grading, grade overrides) needs" in Learner(client, "dave").page
    assert "Votre réponse" in _text(learner.view("render_submission"))


def test_a_visitor_who_is_not_signed_in_sees_the_summary(client):
    page = client.get(f"/course/en/{UNIT}/", {"student": "anonymous"}).content.decode()
    assert not ORA_USAGE.search(page)
    assert "Open response assessment (runs in Open edX):" in page


def test_handler_urls_serve_only_the_open_response_block(client):
    learner = Learner(client, "erin")
    assert (
        client.post(
            "/workshop/en/handler/no-such-usage/submit/?student=erin", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(learner.url("submit").replace("/en/", "/de/"), "{}", content_type="application/json").status_code
        == 404
    )
    assert client.get("/workshop/en/handler/").status_code == 404
    other = re.search(r"data-usage='([^']+)' data-block-type='(?!openassessment)", _units_with_custom_blocks(client))
    assert other, "a custom block to try the workshop's handler URL on"
    assert (
        client.post(
            f"/workshop/en/handler/{other.group(1)}/submit/?student=erin", "{}", content_type="application/json"
        ).status_code
        == 404
    )


def _units_with_custom_blocks(client) -> str:
    from devisus_course.preview.course_tree import read_course

    from ..test_build_cli import REPO

    course = read_course(REPO / "course" / "en")
    unit = next(u for u in course.units if any(c.xml and c.category != "openassessment" for c in u.components))
    return client.get(f"/course/en/{unit.url_name}/", {"student": "erin"}).content.decode()


@pytest.mark.parametrize(
    "handler, body",
    [
        ("submit", "not json"),
        ("submit", {"submission": "one string, not a list"}),
        ("peer_assess", {"options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""}),
        (
            "peer_assess",
            {"submission_uuid": 7, "options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""},
        ),
        ("self_assess", {"options_selected": ["strong"], "criterion_feedback": {}, "overall_feedback": ""}),
        ("self_assess", [1, 2]),
        ("no_such_handler", {}),
    ],
)
def test_malformed_requests_get_a_4xx_and_change_nothing(client, handler, body):
    learner = Learner(client, "erin")
    learner.submit()
    Learner(client, "dave").submit()  # a response erin could assess
    payload = body if isinstance(body, str) else json.dumps(body)
    response = client.post(learner.url(handler), payload, content_type="application/json")
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if handler.endswith("_assess"):
        assert "lacks a field" in json.loads(response.content)["error"]
    from openassessment.assessment.models import Assessment

    assert Assessment.objects.count() == 0


def test_ora2_bundles_are_served(client):
    page = Learner(client, "alice").page
    for bundle in re.findall(r"(/static/dist/openassessment-[a-z]+\.[0-9a-f]+\.(?:js|css))", page):
        assert client.get(bundle).status_code == 200, bundle


def test_a_malformed_request_is_answered_in_the_pages_language(client):
    learner = Learner(client, "erin", language="fr")
    response = client.post(learner.url("self_assess"), "[]", content_type="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith("Il manque un champ")
