"""Trainer views: every pair's status at a glance, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.pairing import drafts, formation
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import PRAC, STAFF, THEO, assessment, at, learner, make_pair, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=2, flexible_after_days=3)


def test_statuses_through_the_journey(activity, publisher):
    invite = ActivitySettings(pairing_mode="invitation")
    formation.declare_profile(activity, invite, learner("solo"), PRAC)
    formation.create_invitation(activity, invite, learner("solo"), now=at(0))
    drafting = make_pair(activity, S, "d1", "d2")
    _g, graded = submitted_pair(activity, S, "g1", "g2", now=at(1))
    _r, in_review = submitted_pair(activity, S, "r1", "r2", now=at(2))
    _s, removed = submitted_pair(activity, S, "x1", "x2", now=at(3))
    oversight.remove_from_review(activity, S, STAFF, removed, "Copied text", now=at(4))
    lease = allocation.get_next_review(activity, S, learner("g1"), now=at(5))  # takes r's work
    reviews.submit_review(activity, S, learner("g1"), lease.task.assignment_id, *assessment(S), now=at(6))
    reviews.submit_trainer_review(
        activity, S, STAFF, graded, *assessment(S, "exemplary"), now=at(7), publisher=publisher
    )
    formation.declare_profile(activity, S, learner("w"), THEO)
    formation.join_automatic(activity, S, learner("w"), now=at(7))  # waits for a practitioner

    view = oversight.overview(activity, S, STAFF, now=at(8))
    by_status = {p.status: p for p in view.pairs}
    assert view.counts == {
        "waiting_for_partner": 1,
        "drafting": 1,
        "submitted": 0,
        "in_review": 1,
        "needs_trainer": 0,
        "graded": 1,
        "removed": 1,
    }
    assert [w.username for w in view.waiting] == ["w"]
    assert by_status["drafting"].pair_id == drafting
    assert [m.username for m in by_status["waiting_for_partner"].members] == ["solo"]
    review_pair = by_status["in_review"]
    assert (review_pair.submission_id, review_pair.review_count, review_pair.reviews_required) == (in_review, 1, 2)
    assert review_pair.waiting_for_reviews and not review_pair.flexible_ready
    assert by_status["graded"].grade == 1.0 and by_status["graded"].grade_source == "trainer"
    g1 = next(m for m in by_status["graded"].members if m.username == "g1")
    assert (g1.profile, g1.reviews_done) == (THEO, 1)
    # three days later the pair in review can be graded flexibly (1 of 2 reviews >= ceil(0.6))
    later = oversight.overview(activity, S, STAFF, now=at(days=3, minutes=2))
    assert next(p for p in later.pairs if p.submission_id == in_review).flexible_ready
    waiting = oversight.waiting_submissions(activity, S, STAFF, now=at(8))
    assert [p.submission_id for p in waiting] == [in_review, removed]


def test_overview_is_staff_only(activity):
    for call in (oversight.overview, oversight.waiting_submissions):
        with pytest.raises(ServiceError) as error:
            call(activity, S, learner("a"))
        assert error.value.status == 403
    with pytest.raises(ServiceError) as error:
        oversight.remove_from_review(activity, S, learner("a"), 1, "spam")
    assert error.value.status == 403
    with pytest.raises(ServiceError) as error:
        oversight.submission_text(activity, learner("a"), 1)
    assert error.value.status == 403


def test_remove_needs_a_reason_and_a_submission(activity):
    _p, sub = submitted_pair(activity, S, "a", "b")
    with pytest.raises(ServiceError) as error:
        oversight.remove_from_review(activity, S, STAFF, sub, "  ")
    assert error.value.status == 400
    with pytest.raises(ServiceError) as error:
        oversight.remove_from_review(activity, S, STAFF, 999999, "spam")
    assert error.value.status == 404
    assert oversight.submission_text(activity, STAFF, sub) == "Plan of a and b."


def build(activity, count, start=0):
    for i in range(start, start + count):
        if i % 3 == 0:
            make_pair(activity, S, f"m{i}", f"n{i}")
        else:
            _p, sub = submitted_pair(activity, S, f"m{i}", f"n{i}", now=at(i))
            if i % 3 == 2:
                reviews.submit_trainer_review(activity, S, STAFF, sub, *assessment(S), now=at(i))


def overview_queries(activity) -> int:
    with CaptureQueriesContext(connection) as queries:
        view = oversight.overview(activity, S, STAFF, now=at(100))
    assert view.pairs
    return len(queries)


def test_overview_query_count_does_not_grow_with_pairs(activity):
    build(activity, 3)
    few = overview_queries(activity)
    build(activity, 27, start=3)
    assert len(oversight.overview(activity, S, STAFF).pairs) == 30
    assert (
        overview_queries(activity) == few <= 7
    )  # pairs, submissions, people, members, submitted for, reviews, accuracies


def test_hot_calls_have_constant_query_counts(activity, publisher):
    """submit, next review, submit review: the same number of queries with 3 or 30 pairs in the pool."""

    def measure(offset):
        pair = make_pair(activity, S, f"q{offset}", f"r{offset}")
        drafts.save_draft(activity, S, learner(f"q{offset}"), pair, "Text", 0)
        counts = []
        with CaptureQueriesContext(connection) as q:
            drafts.submit_pair(activity, S, learner(f"q{offset}"), pair, expected_version=1, now=at(offset))
        counts.append(len(q))
        with CaptureQueriesContext(connection) as q:
            lease = allocation.get_next_review(activity, S, learner(f"q{offset}"), now=at(offset))
        counts.append(len(q))
        with CaptureQueriesContext(connection) as q:
            reviews.submit_review(
                activity,
                S,
                learner(f"q{offset}"),
                lease.task.assignment_id,
                *assessment(S),
                now=at(offset),
                publisher=publisher,
            )
        counts.append(len(q))
        return counts

    for i in range(3):
        submitted_pair(activity, S, f"a{i}", f"b{i}", now=at(i))
    small = measure(10)
    for i in range(3, 30):
        submitted_pair(activity, S, f"a{i}", f"b{i}", now=at(i))
    large = measure(40)
    assert small == large
    assert max(small) <= 10, small


def test_reclaiming_expired_leases_costs_the_same_few_queries(activity):
    """The slow path of get_next_review (expired leases to give back) is bounded too, whatever their number."""
    from datetime import timedelta

    from devisus_xblocks.pair_review.activity import get_activity

    def expired_then_ask(count, offset):
        for i in range(count):
            _p, _s = submitted_pair(activity, S, f"e{offset + i}", f"f{offset + i}", now=at(offset + i))
        for i in range(count):
            allocation.get_next_review(activity, S, learner(f"e{offset + i}"), now=at(200 + offset))
        later = at(200 + offset) + timedelta(hours=9)
        submitted_pair(activity, S, f"x{offset}", f"y{offset}", now=later)
        with CaptureQueriesContext(connection) as queries:
            get_activity(activity.course_key, activity.block_key)
            result = allocation.get_next_review(activity, S, learner(f"x{offset}"), now=later)
        assert result.task is not None
        return len(queries)

    few = expired_then_ask(2, 0)
    many = expired_then_ask(12, 100)
    assert few == many <= 11, (few, many)


def test_submission_reviews_name_the_reviewers_for_staff_only(activity, publisher):
    _p1, first = submitted_pair(activity, S, "a1", "a2", now=at(1))
    submitted_pair(activity, S, "b1", "b2", now=at(2))
    lease = allocation.get_next_review(activity, S, learner("b2"), now=at(3))
    reviews.submit_review(
        activity,
        S,
        learner("b2"),
        lease.task.assignment_id,
        *assessment(S, "developing", "Peer comment that is long enough."),
        now=at(4),
        publisher=publisher,
    )
    reviews.submit_self_assessment(activity, S, learner("a1"), *assessment(S, "exemplary"), now=at(5))
    reviews.submit_trainer_review(
        activity, S, STAFF, first, *assessment(S, "proficient"), now=at(6), publisher=publisher
    )
    found = oversight.submission_reviews(activity, S, STAFF, first)
    assert [(r.kind, r.reviewer, r.reviewer_username, r.reviewer_profile) for r in found] == [
        ("peer", "anon-b2", "b2", PRAC),
        ("self", "self", "", ""),
        ("staff", "anon-trainer", "", ""),
    ]
    assert [c.level_id for c in found[0].criteria] == ["developing"] * len(S.rubric.criteria)
    assert found[0].criteria[0].comment == "Peer comment that is long enough."
    assert oversight.submission_reviews(activity, S, STAFF, 999_999) == []
    with pytest.raises(ServiceError) as error:
        oversight.submission_reviews(activity, S, learner("a1"), first)
    assert error.value.status == 403
