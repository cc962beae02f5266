"""Grades: medians, weights, trainer grades, overrides, flexible grading, publishing to both members."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.grading import grades
from devisus_xblocks.pair_review.models import GradeOverride, Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.reviewing.rubric import default_rubric

from .conftest import STAFF, assessment, at, learner, submitted_pair

RUBRIC = default_rubric()
LEVEL = {1: "emerging", 2: "developing", 3: "proficient", 4: "exemplary"}


def choices(*points):
    return {c.id: LEVEL[p] for c, p in zip(RUBRIC.criteria, points)}


# --- pure aggregation ------------------------------------------------------------------------


def test_median_of_an_odd_number_of_reviews():
    medians = grades.criterion_medians(RUBRIC, [choices(1, 2, 3, 4, 4), choices(4, 2, 1, 4, 1), choices(2, 2, 4, 3, 1)])
    assert medians == {"c1": 2.0, "c2": 2.0, "c3": 3.0, "c4": 4.0, "c5": 1.0}


def test_median_of_an_even_number_of_reviews_is_the_mean_of_the_middle_two():
    medians = grades.criterion_medians(RUBRIC, [choices(1, 1, 1, 1, 1), choices(2, 4, 4, 1, 4)])
    assert medians == {"c1": 1.5, "c2": 2.5, "c3": 2.5, "c4": 1.0, "c5": 2.5}


def test_weighted_score():
    assert grades.weighted_score(RUBRIC, {c.id: 4 for c in RUBRIC.criteria}) == 1.0
    assert grades.weighted_score(RUBRIC, {c.id: 1 for c in RUBRIC.criteria}) == 0.25
    # only C3 (weight 25) at top, the rest at 2/4: 0.25 * 1 + 0.75 * 0.5
    points = {"c1": 2, "c2": 2, "c3": 4, "c4": 2, "c5": 2}
    assert grades.weighted_score(RUBRIC, points) == pytest.approx(0.625)
    # C5 weighs 15: top on C5 only vs top on C3 only
    assert grades.weighted_score(RUBRIC, {**{c.id: 2 for c in RUBRIC.criteria}, "c5": 4}) == pytest.approx(0.575)
    assert grades.weighted_score(RUBRIC, {}) is None
    assert grades.weighted_score(RUBRIC, {"c1": 4}) == 1.0  # criteria without data are left out


def test_peer_result_of_medians():
    score, medians = grades.peer_result(
        RUBRIC, [choices(4, 4, 4, 4, 4), choices(2, 2, 2, 2, 2), choices(3, 3, 3, 3, 3)]
    )
    assert medians == {c.id: 3.0 for c in RUBRIC.criteria} and score == 0.75


# --- through the services --------------------------------------------------------------------


def reviewed(activity, settings, publisher, levels, start=0):
    """Pair a0/b0 submits; each level set in ``levels`` is a review by a reviewer pair's theoretician."""
    _pair, target = submitted_pair(activity, settings, "a0", "b0", now=at(0))
    for i, level in enumerate(levels, start=start + 1):
        _pair, own = submitted_pair(activity, settings, f"t{i}", f"p{i}", now=at(i))
        Submission.objects.filter(id=own).update(in_pool=False)  # keep the target the only work to review
        lease = allocation.get_next_review(activity, settings, learner(f"t{i}"), now=at(50 + i))
        assert lease.task is not None
        reviews.submit_review(
            activity,
            settings,
            learner(f"t{i}"),
            lease.task.assignment_id,
            *assessment(settings, level),
            now=at(50 + i),
            publisher=publisher,
        )
    return target


def test_peer_grade_when_required_reviews_are_in_and_both_members_get_it(activity, publisher):
    settings = ActivitySettings(reviews_required=3, reviews_per_reviewer=1)
    target = reviewed(activity, settings, publisher, ["exemplary", "developing"])
    sub = Submission.objects.get(id=target)
    assert sub.peer_grade == 0.75 and sub.grade is None  # 2 of 3: not graded yet
    assert publisher.calls == []
    _pair, own = submitted_pair(activity, settings, "t9", "p9", now=at(9))
    Submission.objects.filter(id=own).update(in_pool=False)
    lease = allocation.get_next_review(activity, settings, learner("t9"), now=at(60))
    reviews.submit_review(
        activity,
        settings,
        learner("t9"),
        lease.task.assignment_id,
        *assessment(settings, "emerging"),
        now=at(60),
        publisher=publisher,
    )
    sub.refresh_from_db()
    assert (sub.grade, sub.grade_source, sub.review_count) == (0.5, "peer", 3)  # median 2 of 4 everywhere
    assert sub.peer_details == {c.id: 2.0 for c in settings.rubric.criteria}
    assert {(g.anonymous_id, g.score, g.source) for g in publisher.calls} == {
        ("anon-a0", 0.5, "peer"),
        ("anon-b0", 0.5, "peer"),
    }
    assert publisher.score_of(activity.course_key, activity.block_key, "anon-b0") == 0.5


def test_trainer_grade_replaces_peer_grade_and_override_replaces_both(activity, publisher):
    settings = ActivitySettings(reviews_required=1, reviews_per_reviewer=1)
    target = reviewed(activity, settings, publisher, ["developing"])
    assert Submission.objects.get(id=target).grade == 0.5
    view = reviews.submit_trainer_review(
        activity, settings, STAFF, target, *assessment(settings, "exemplary"), now=at(100), publisher=publisher
    )
    assert (view.grade, view.source, view.peer_grade) == (1.0, "trainer", 0.5)
    view = grades.override_grade(
        activity, settings, STAFF, target, 0.8, "Late but excellent fieldwork annex", now=at(101), publisher=publisher
    )
    assert (view.grade, view.source) == (0.8, "override")
    # a second trainer review does not beat the override
    view = reviews.submit_trainer_review(
        activity, settings, STAFF, target, *assessment(settings, "emerging"), now=at(102), publisher=publisher
    )
    assert (view.grade, view.trainer_grade) == (0.8, 0.25)
    view = grades.override_grade(
        activity, settings, STAFF, target, None, "Override withdrawn after review", now=at(103), publisher=publisher
    )
    assert (view.grade, view.source) == (0.25, "trainer")
    history = grades.override_history(activity, STAFF, target)
    assert [(h.old_grade, h.new_grade, h.reason, h.by, h.by_username, h.at) for h in history] == [
        (1.0, 0.8, "Late but excellent fieldwork annex", "anon-trainer", "trainer", at(101)),
        (0.8, None, "Override withdrawn after review", "anon-trainer", "trainer", at(103)),
    ]
    last = [g for g in publisher.calls if g.anonymous_id == "anon-a0"]
    # the second trainer review sends the unchanged 0.8 again: a trainer's action puts the grade back
    # where a member's score was reset (the edx-submissions publisher skips what the gradebook holds)
    assert [g.score for g in last] == [0.5, 1.0, 0.8, 0.8, 0.25]
    assert last[2].reason == "Late but excellent fieldwork annex" and last[2].by == "anon-trainer"


@pytest.mark.parametrize(
    "grade, reason, status",
    [
        (0.5, "  ", 400),
        (1.5, "reason", 400),
        (-0.1, "reason", 400),
        (True, "reason", 400),
        (0.5, "x" * 2001, 400),
    ],
)
def test_override_refusals(activity, publisher, grade, reason, status):
    settings = ActivitySettings()
    _pair, target = submitted_pair(activity, settings, "a0", "b0")
    with pytest.raises(ServiceError) as error:
        grades.override_grade(activity, settings, STAFF, target, grade, reason, publisher=publisher)
    assert error.value.status == status
    assert not GradeOverride.objects.exists() and publisher.calls == []


def test_override_is_staff_only_and_needs_a_submission(activity, publisher):
    settings = ActivitySettings()
    _pair, target = submitted_pair(activity, settings, "a0", "b0")
    with pytest.raises(ServiceError) as error:
        grades.override_grade(activity, settings, learner("a0"), target, 1.0, "I deserve it", publisher=publisher)
    assert error.value.status == 403
    with pytest.raises(ServiceError) as error:
        grades.override_grade(activity, settings, STAFF, 999999, 1.0, "reason", publisher=publisher)
    assert error.value.status == 404
    with pytest.raises(ServiceError) as error:
        reviews.submit_trainer_review(activity, settings, learner("a0"), target, *assessment(settings))
    assert error.value.status == 403


@pytest.mark.parametrize(
    "required, reviews_in, graded",
    [
        (3, 1, True),  # ceil(0.9) = 1
        (4, 1, False),  # ceil(1.2) = 2
        (4, 2, True),
        (10, 2, False),  # ceil(3.0) = 3
        (10, 3, True),
    ],
)
def test_flexible_grading_threshold(activity, publisher, required, reviews_in, graded):
    settings = ActivitySettings(reviews_required=required, reviews_per_reviewer=1, flexible_after_days=7)
    target = reviewed(activity, settings, publisher, ["proficient"] * reviews_in)
    before = grades.pair_grade(activity, settings, target, now=at(days=6.9), publisher=publisher)
    assert before.grade is None  # not yet: too early
    after = grades.pair_grade(activity, settings, target, now=at(days=7), publisher=publisher)
    assert (after.grade is not None) == graded
    if graded:
        assert (after.grade, after.source) == (0.75, "flexible")
        assert {g.anonymous_id for g in publisher.calls} == {"anon-a0", "anon-b0"}


def test_flexible_sweep_for_trainers(activity, publisher):
    settings = ActivitySettings(reviews_required=3, reviews_per_reviewer=1, flexible_after_days=2)
    target = reviewed(activity, settings, publisher, ["proficient"])
    assert grades.apply_flexible_grading(activity, settings, STAFF, now=at(days=1), publisher=publisher) == []
    assert grades.apply_flexible_grading(activity, settings, STAFF, now=at(days=2), publisher=publisher) == [target]
    assert Submission.objects.get(id=target).grade_source == "flexible"
    # a later review turns the flexible grade into the peer grade of all reviews
    assert grades.apply_flexible_grading(activity, settings, STAFF, now=at(days=3), publisher=publisher) == []
    with pytest.raises(ServiceError):
        grades.apply_flexible_grading(activity, settings, learner("a0"))


def test_no_review_no_flexible_grade(activity, publisher):
    settings = ActivitySettings(reviews_required=3, flexible_after_days=0)
    _pair, target = submitted_pair(activity, settings, "a0", "b0")
    assert grades.pair_grade(activity, settings, target, now=at(days=30), publisher=publisher).grade is None


def test_a_cleared_override_with_nothing_else_takes_the_grade_out_of_the_gradebook(activity, publisher):
    settings = ActivitySettings(points=40)
    _pair, target = submitted_pair(activity, settings, "a0", "b0")
    grades.override_grade(activity, settings, STAFF, target, 0.5, "Graded on paper", now=at(1), publisher=publisher)
    key = (activity.course_key, activity.block_key)
    assert [publisher.points[(*key, f"anon-{name}")] for name in ("a0", "b0")] == [(20, 40), (20, 40)]
    view = grades.override_grade(
        activity, settings, STAFF, target, None, "Entered on the wrong pair", now=at(2), publisher=publisher
    )
    assert (view.grade, view.source) == (None, "")
    assert sorted(publisher.resets) == [(*key, "anon-a0"), (*key, "anon-b0")]
    assert publisher.score_of(*key, "anon-a0") is None and publisher.score_of(*key, "anon-b0") is None
    assert Submission.objects.get(id=target).grade is None


def due_submissions(activity, settings, count, prefix):
    """``count`` submitted works, each with one review's peer grade of 0.5, submitted at day 0."""
    ids = [submitted_pair(activity, settings, f"{prefix}t{i}", f"{prefix}p{i}", now=at(0))[1] for i in range(count)]
    Submission.objects.filter(id__in=ids).update(peer_grade=0.5, review_count=1, load=1)
    return ids


def test_the_flexible_sweep_costs_the_same_queries_whatever_the_number_due(activity, publisher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devisus_xblocks.pair_review.activity import get_activity

    settings = ActivitySettings(reviews_required=3, flexible_after_days=2)
    few = due_submissions(activity, settings, 2, "f")
    other = get_activity(activity.course_key, activity.block_key + "-many")
    many = due_submissions(other, settings, 12, "m")
    counts = []
    for block, ids in ((activity, few), (other, many)):
        with CaptureQueriesContext(connection) as queries:
            graded = grades.apply_flexible_grading(block, settings, STAFF, now=at(days=2), publisher=publisher)
        assert sorted(graded) == sorted(ids)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7, counts  # locking read, two UPDATEs, transaction; publish: two reads
    assert set(Submission.objects.values_list("grade", "grade_source")) == {(0.5, "flexible")}
    assert len(publisher.calls) == 2 * (2 + 12) and {c.source for c in publisher.calls} == {"flexible"}
    # nothing left to do: one query
    with CaptureQueriesContext(connection) as queries:
        assert grades.apply_flexible_grading(other, settings, STAFF, now=at(days=3), publisher=publisher) == []
    assert len(queries) <= 3


def test_the_flexible_sweep_leaves_works_waiting_for_the_trainer(activity, publisher):
    settings = ActivitySettings(reviews_required=3, flexible_after_days=2)
    waiting, overridden, fine = due_submissions(activity, settings, 3, "w")
    Submission.objects.filter(id=waiting).update(needs_trainer_reason="60;40;100")
    Submission.objects.filter(id=overridden).update(trainer_grade=0.9, grade=0.9, grade_source="trainer")
    assert grades.apply_flexible_grading(activity, settings, STAFF, now=at(days=5), publisher=publisher) == [fine]
    assert Submission.objects.get(id=waiting).grade is None
    assert Submission.objects.get(id=overridden).grade_source == "trainer"


def test_the_platforms_workers_publish_the_sweeps_grades_after_the_commit(
    activity, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With ``DEVISUS_PAIR_REVIEW_PUBLISH_IN_WORKERS`` (an LMS with Celery workers) the request grades
    in the same few queries whatever the number due and publishes nothing itself: once its
    transaction commits, one task is queued, and the task (run here eagerly, as Celery's
    ``task_always_eager`` does) publishes every member's grade."""
    from celery import current_app
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devisus_xblocks.pair_review.activity import get_activity
    from devisus_xblocks.pair_review.grading.gradebook import SubmissionsPublisher, default_publisher

    from .published import last_score_id, published_since

    monkeypatch.setitem(current_app.conf, "task_always_eager", True)
    settings.DEVISUS_PAIR_REVIEW_PUBLISH_IN_WORKERS = True
    assert isinstance(default_publisher(), SubmissionsPublisher)  # the LMS's gradebook path
    rules = ActivitySettings(reviews_required=3, flexible_after_days=2)
    counts = []
    for name, size in (("few", 2), ("many", 12)):
        block = get_activity(activity.course_key, f"{activity.block_key}-{name}")
        ids = due_submissions(block, rules, size, name[0])
        before = last_score_id()
        with django_capture_on_commit_callbacks(execute=True) as queued:
            with CaptureQueriesContext(connection) as queries:
                graded = grades.apply_flexible_grading(block, rules, STAFF, now=at(days=2))
            assert published_since(before) == []  # nothing published in the request
        assert sorted(graded) == sorted(ids) and len(queued) == 1
        counts.append(len(queries))
        scores = published_since(before)  # published by the task after the commit
        assert len(scores) == 2 * size and {score.score for score in scores} == {0.5}
    assert counts[0] == counts[1] <= 5, counts  # locking read, two UPDATEs, transaction: no publishing
