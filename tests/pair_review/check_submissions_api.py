"""Run only by test_gradebook.py, with settings that install edx-submissions (not collected by default).

Grades published by the domain reach edx-submissions for both members, with the trainer's
override recorded as a score annotation, and the ``score_set`` signal the LMS listens to fires.
"""

from __future__ import annotations

import pytest
from submissions import api
from submissions.models import Score, ScoreAnnotation, score_set

from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.grading import gradebook, grades
from devisus_xblocks.pair_review.models import Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews

from .conftest import STAFF, assessment, at, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1)


def item(activity, anonymous_id):
    return {
        "student_id": anonymous_id,
        "course_id": activity.course_key,
        "item_id": activity.block_key,
        "item_type": gradebook.ITEM_TYPE,
    }


def test_default_publisher_is_edx_submissions():
    assert isinstance(gradebook.default_publisher(), gradebook.SubmissionsPublisher)


@pytest.mark.django_db
def test_both_members_and_overrides_reach_edx_submissions(activity):
    signals = []

    def listen(sender, **kwargs):
        signals.append((kwargs["anonymous_user_id"], kwargs["points_earned"], kwargs["points_possible"]))

    score_set.connect(listen)
    try:
        _p, target = submitted_pair(activity, S, "ana", "bob", now=at(0))
        submitted_pair(activity, S, "cy", "dee", now=at(1))
        Submission.objects.exclude(id=target).update(in_pool=False)
        lease = allocation.get_next_review(activity, S, learner("cy"), now=at(2))
        reviews.submit_review(
            activity, S, learner("cy"), lease.task.assignment_id, *assessment(S, "exemplary"), now=at(3)
        )
        for anonymous_id in ("anon-ana", "anon-bob"):
            assert api.get_score(item(activity, anonymous_id))["points_earned"] == 100
        grades.override_grade(activity, S, STAFF, target, 0.42, "Plagiarism in section 3", now=at(4))
        for anonymous_id in ("anon-ana", "anon-bob"):
            score = api.get_score(item(activity, anonymous_id))
            assert (score["points_earned"], score["points_possible"]) == (42, 100)
            assert len(api.get_submissions(item(activity, anonymous_id))) == 1  # one edx submission per learner
        annotation = ScoreAnnotation.objects.order_by("-id").first()
        assert (annotation.annotation_type, annotation.reason, annotation.creator) == (
            "staff_override",
            "Plagiarism in section 3",
            "anon-trainer",
        )
    finally:
        score_set.disconnect(listen)
    assert sorted(signals) == [
        ("anon-ana", 42, 100),
        ("anon-ana", 100, 100),
        ("anon-bob", 42, 100),
        ("anon-bob", 100, 100),
    ]


@pytest.mark.django_db
def test_nothing_published_before_a_grade(activity):
    submitted_pair(activity, S, "ana", "bob", now=at(0))
    assert api.get_score(item(activity, "anon-ana")) is None


def scores(activity, names=("ana", "bob")):
    found = []
    for name in names:
        score = api.get_score(item(activity, f"anon-{name}"))
        found.append(None if score is None else (score["points_earned"], score["points_possible"]))
    return found


@pytest.mark.django_db
def test_the_points_setting_is_what_the_gradebook_shows(activity):
    """The LMS reads a submissions score as already weighted: the block's points are its points possible."""
    twenty = ActivitySettings(reviews_per_reviewer=1, reviews_required=1, points=20)
    _p, target = submitted_pair(activity, twenty, "ana", "bob", now=at(0))
    grades.override_grade(activity, twenty, STAFF, target, 0.42, "Checked by the trainer", now=at(1))
    assert scores(activity) == [(8, 20), (8, 20)]  # 0.42 * 20 = 8.4, rounded


@pytest.mark.django_db
def test_a_cleared_override_with_no_other_grade_leaves_the_gradebook(activity):
    _p, target = submitted_pair(activity, S, "ana", "bob", now=at(0))
    grades.override_grade(activity, S, STAFF, target, 0.6, "Graded on paper", now=at(1))
    assert scores(activity) == [(60, 100), (60, 100)]
    grades.override_grade(activity, S, STAFF, target, None, "Entered on the wrong pair", now=at(2))
    assert scores(activity) == [None, None]


@pytest.mark.django_db
def test_a_score_reset_from_the_instructor_dashboard_is_seen_by_the_next_trainer_grade(activity):
    """What is published is read from edx-submissions: after the LMS resets one member's score
    (instructor dashboard, "delete learner's state"), the trainer's next grade reaches that member
    again, even unchanged, and adds no score row for the other member, whose gradebook holds it."""
    _p, target = submitted_pair(activity, S, "ana", "bob", now=at(0))
    grades.override_grade(activity, S, STAFF, target, 0.5, "First reading", now=at(1))
    api.reset_score("anon-ana", activity.course_key, activity.block_key, clear_state=True)  # what the LMS calls
    assert scores(activity) == [None, (50, 100)]
    rows = Score.objects.count()
    grades.override_grade(activity, S, STAFF, target, 0.5, "Second reading, same grade", now=at(2))
    assert scores(activity) == [(50, 100), (50, 100)]
    assert Score.objects.count() == rows + 1  # ana's only
    grades.override_grade(activity, S, STAFF, target, 0.7, "Third reading", now=at(3))
    assert scores(activity) == [(70, 100), (70, 100)]
    assert Score.objects.count() == rows + 3
