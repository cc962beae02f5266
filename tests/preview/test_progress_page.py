"""The progress page through Django's test client: who sees what, scores read where the blocks
keep them (problem state, pair-review grades, the workshop's score in edx-submissions), and a broken
grading policy."""

from __future__ import annotations

import re
import shutil

import pytest
from django.test import Client
from django.utils import timezone

from devisus_course.preview.blocks import usage_id
from devisus_course.preview.course_tree import read_course

from ..test_build_cli import REPO
from ..xblock_client import forget_scenarios

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client():
    yield Client()
    forget_scenarios()  # the pair-review scenarios were registered in this test's database


def _grade(page: str) -> str:
    return re.search(r'class="devisus-preview-grade" data-percent="([0-9.]+)"', page).group(1)


def test_a_learner_sees_their_own_progress_only(client):
    page = client.get("/course/en/progress/?student=alice&learner=bob").content.decode()
    assert "<h1>Progress: alice</h1>" in page
    assert "Every learner&#39;s grade" not in page and "data-learner=" not in page
    assert _grade(page) == "0.00"
    assert '<caption id="devisus-preview-types-caption">Grade by assignment type</caption>' in page
    assert '<th scope="col">Assignment type</th>' in page


def test_a_trainer_sees_every_learner_and_one_learner_in_detail(client):
    page = client.get("/course/en/progress/?student=staff").content.decode()
    assert re.findall(r'data-learner="(\w+)"', page) == ["alice", "bob", "carol", "dave", "erin"]
    assert "Grade by assignment type" not in page  # no learner chosen yet
    detail = client.get("/course/en/progress/?student=staff&learner=dave").content.decode()
    assert "Details for dave" in detail and _grade(detail) == "0.00"
    french = client.get("/course/fr/progress/?student=staff&learner=dave").content.decode()
    assert "<h1>Progression : dave</h1>" in french or "<h1>Progression: dave</h1>" in french


def test_a_problem_score_and_a_pair_review_grade_count_in_the_grade(client):
    client.post("/course/en/problems/erin/m01_check_q1/problem_check", {"input_m01_check_q1_2_1": "choice_3"})
    # A pair grade as the pair-review block keeps it (its service writes these rows).
    from devisus_xblocks.pair_review.models import Activity, Pair, Submission, SubmissionMember

    course = read_course(REPO / "course" / "en")
    review = next(c for u in course.units for c in u.components if c.category == "devisus_pair_review")
    activity = Activity.objects.create(course_key="workbench", block_key=usage_id("en", review.url_name, review.xml))
    now = timezone.now()
    pair = Pair.objects.create(activity=activity, origin="automatic", created_at=now, member_count=2)
    submission = Submission.objects.create(
        activity=activity, pair=pair, text="x", draft_version=1, submitted_at=now, submitted_by="anon-erin", grade=0.75
    )
    SubmissionMember.objects.create(activity=activity, submission=submission, anonymous_id="anon-erin")
    page = client.get("/course/en/progress/?student=erin").content.decode()
    assert ">75/100<" in page and ">1/1<" in page
    # Quiz: 1/7 = 0.14 in one of nine subsections (one dropped): 0.14 / 8 * 0.35 = 0.006125;
    # pair work: 0.75 in one of four (one dropped): 0.25 * 0.25 = 0.0625; sum 0.068625 -> 7 %.
    assert _grade(page) == "0.07"
    other = client.get("/course/en/progress/?student=alice").content.decode()
    assert _grade(other) == "0.00"


def test_a_broken_grading_policy_is_said_on_the_page(client, settings, tmp_path):
    shutil.copytree(REPO / "course" / "en", tmp_path / "en")
    next((tmp_path / "en").glob("policies/*/grading_policy.json")).write_text("{not json", encoding="utf-8")
    settings.DEVISUS_PREVIEW_COURSE_DIR = tmp_path
    response = client.get("/course/en/progress/?student=alice")
    assert response.status_code == 200
    page = response.content.decode()
    assert "grading policy cannot be read" in page and "grading_policy.json" in page


def test_unknown_course_language_is_404(client):
    assert client.get("/course/de/progress/?student=alice").status_code == 404


def test_reading_the_scores_costs_the_same_queries_for_one_learner_or_all(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devisus_course.preview.progress import course_progress

    course = read_course(REPO / "course" / "en")
    course_progress(course, ["alice"])  # registers the pair-review scenarios once
    with CaptureQueriesContext(connection) as one:
        course_progress(course, ["alice"])
    with CaptureQueriesContext(connection) as five:
        everyone = course_progress(course, ["alice", "bob", "carol", "dave", "erin"])
    # One query per kind of graded block: problem states, pair-review grades, workshop scores.
    assert len(five.captured_queries) == len(one.captured_queries) <= 3
    assert sorted(everyone) == ["alice", "bob", "carol", "dave", "erin"]


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client):
    page = client.get("/course/en/progress/?student=anonymous").content.decode()
    assert "Sign in to see your progress." in page and "data-percent" not in page


def test_the_workshop_score_counts_in_the_grade_and_costs_one_query_for_everyone(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devisus_course.preview.progress import course_progress

    from .test_workshop import OPTIONS, Learner

    course = read_course(REPO / "course" / "en")
    page = client.get("/course/en/progress/?student=bob").content.decode()
    # Before any response: the workshop counts 0 out of its rubric's best options (3 + 3 + 3).
    assert ">0/9<" in page and "no score in the preview" not in page
    learners = [Learner(client, name) for name in ("alice", "bob", "carol", "dave")]
    for learner in learners:
        learner.submit()
    for _round in range(3):  # must_grade="3"
        for learner in learners:
            learner.assess_next_peer()
    for learner in learners[:2]:  # carol does not assess herself: her workflow is not done
        learner.call("self_assess", {"options_selected": OPTIONS, "criterion_feedback": {}, "overall_feedback": ""})
    page = client.get("/course/en/progress/?student=bob").content.decode()
    assert ">7/9<" in page
    # Workshop: 7/9 = 0.78 in the only one of its type (min_count 1, weight 0.15 in the course's
    # policy): 0.78 * 0.15 = 0.117, + 0.0005 -> 12 %.
    assert _grade(page) == "0.12"
    assert _grade(client.get("/course/en/progress/?student=carol").content.decode()) == "0.00"

    course_progress(course, ["alice"])
    with CaptureQueriesContext(connection) as one:
        course_progress(course, ["alice"])
    with CaptureQueriesContext(connection) as three:
        everyone = course_progress(course, ["alice", "bob", "carol"])
    assert len(three.captured_queries) == len(one.captured_queries)
    workshop = [i for s in everyone["alice"].subsections for i in s.items if i.category == "openassessment"]
    assert [(i.earned, i.possible, i.status) for i in workshop] == [(7.0, 9.0, "scored")]
    assert [
        (i.earned, i.possible, i.status)
        for s in everyone["carol"].subsections
        for i in s.items
        if i.category == "openassessment"
    ] == [(0.0, 9.0, "unanswered")]


def test_a_workshop_weight_sets_the_points_of_no_score_and_leaves_a_published_score_as_it_is(
    client, settings, tmp_path
):
    from submissions import api as submissions_api

    from devisus_course.preview.workshop.block import PREVIEW_COURSE_KEY

    shutil.copytree(REPO / "course" / "en", tmp_path / "en")
    vertical = tmp_path / "en" / "vertical" / "m05_workshop.xml"
    vertical.write_text(
        vertical.read_text(encoding="utf-8").replace("<openassessment ", '<openassessment weight="5" ', 1)
    )
    settings.DEVISUS_PREVIEW_COURSE_DIR = tmp_path
    assert ">0/5<" in client.get("/course/en/progress/?student=alice").content.decode()

    workshop = next(
        c for u in read_course(tmp_path / "en").units for c in u.components if c.category == "openassessment"
    )
    item = {
        "student_id": "anon-alice",
        "course_id": str(PREVIEW_COURSE_KEY),
        "item_id": usage_id("en", workshop.url_name, workshop.xml),
        "item_type": "openassessment",
    }
    # What ORA2 does when a learner's workflow is done (openassessment/workflow/models.py).
    submission = submissions_api.create_submission(item, {"parts": [{"text": "x"}]})
    submissions_api.set_score(submission["uuid"], 6, 9)
    page = client.get("/course/en/progress/?student=alice").content.decode()
    # The LMS takes edx-submissions' score as it is (grades/scores.py): 6/9, not 3.33/5.
    assert ">6/9<" in page and ">0/5<" not in page
    assert _grade(page) == "0.10"  # 0.67 * 0.15 = 0.1005 -> 10 %
