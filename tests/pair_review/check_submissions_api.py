"""Run only by test_gradebook.py, with settings that install edx-submissions (not collected by default).

Grades published by the domain reach edx-submissions for both members, with the trainer's
override recorded as a score annotation, and the ``score_set`` signal the LMS listens to fires.
"""
from __future__ import annotations

import pytest
from submissions import api
from submissions.models import ScoreAnnotation
from submissions.models import score_set

from devisus_xblocks.pair_review import allocation, gradebook, grading, reviews
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Submission

from .conftest import STAFF, assessment, at, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1)


def item(activity, anonymous_id):
    return {"student_id": anonymous_id, "course_id": activity.course_key, "item_id": activity.block_key,
            "item_type": gradebook.ITEM_TYPE}


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
        reviews.submit_review(activity, S, learner("cy"), lease.task.assignment_id, *assessment(S, "exemplary"), now=at(3))
        for anonymous_id in ("anon-ana", "anon-bob"):
            assert api.get_score(item(activity, anonymous_id))["points_earned"] == 100
        grading.override_grade(activity, S, STAFF, target, 0.42, "Plagiarism in section 3", now=at(4))
        for anonymous_id in ("anon-ana", "anon-bob"):
            score = api.get_score(item(activity, anonymous_id))
            assert (score["points_earned"], score["points_possible"]) == (42, 100)
            assert len(api.get_submissions(item(activity, anonymous_id))) == 1  # one edx submission per learner
        annotation = ScoreAnnotation.objects.order_by("-id").first()
        assert (annotation.annotation_type, annotation.reason, annotation.creator) == (
            "staff_override", "Plagiarism in section 3", "anon-trainer")
    finally:
        score_set.disconnect(listen)
    assert sorted(signals) == [("anon-ana", 42, 100), ("anon-ana", 100, 100), ("anon-bob", 42, 100), ("anon-bob", 100, 100)]


@pytest.mark.django_db
def test_nothing_published_before_a_grade(activity):
    submitted_pair(activity, S, "ana", "bob", now=at(0))
    assert api.get_score(item(activity, "anon-ana")) is None
