"""Allocation of peer reviews: own work, repeats, fairness, cross-role priority, leases, quotas."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Assignment, Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import STAFF, assessment, at, counters_consistent, learner, make_pair, submitted_pair

S = ActivitySettings()


def pool(activity, count, settings=S, start=0):
    """``count`` submitted pairs t<i> (theoretician) + p<i> (practitioner), the i-th submitted at minute i."""
    return [submitted_pair(activity, settings, f"t{i}", f"p{i}", now=at(i)) for i in range(start, start + count)]


def sub_of(allocation_result) -> int:
    return Assignment.objects.get(id=allocation_result.task.assignment_id).submission_id


def review(activity, name, settings=S, now=None):
    result = allocation.get_next_review(activity, settings, learner(name), now=now or at(100))
    sub = sub_of(result)
    reviews.submit_review(
        activity, settings, learner(name), result.task.assignment_id, *assessment(settings), now=now or at(100)
    )
    return sub


def test_reviewer_must_be_in_a_submitted_pair(activity):
    with pytest.raises(ServiceError) as error:
        allocation.get_next_review(activity, S, learner("zed"))
    assert error.value.status == 409
    make_pair(activity, S, "a", "b")
    with pytest.raises(ServiceError) as error:
        allocation.get_next_review(activity, S, learner("a"))
    assert error.value.status == 409 and "Submit" in error.value.message


def test_never_own_pair_and_never_twice(activity):
    subs = pool(activity, 3)
    own = subs[0][1]
    got = set()
    for _ in range(2):
        sub = review(activity, "t0")
        assert sub != own and sub not in got
        got.add(sub)
    assert got == {subs[1][1], subs[2][1]}
    done = allocation.get_next_review(activity, S, learner("t0"), now=at(101))
    assert done.task is None and done.reason == "done" and (done.done, done.required) == (2, 2)
    # a reviewer with more quota than the pool offers runs out of work, never gets repeats
    greedy = ActivitySettings(reviews_per_reviewer=5)
    result = [allocation.get_next_review(activity, greedy, learner("p0"), now=at(102))]
    for _ in range(2):
        reviews.submit_review(
            activity, greedy, learner("p0"), result[-1].task.assignment_id, *assessment(greedy), now=at(102)
        )
        result.append(allocation.get_next_review(activity, greedy, learner("p0"), now=at(102)))
    assert result[-1].task is None and result[-1].reason == "none_available"
    assert len({sub_of(r) for r in result[:2]}) == 2 and own not in {sub_of(r) for r in result[:2]}


def test_fewest_reviews_first_then_oldest(activity):
    subs = [s for _p, s in pool(activity, 4)]
    # reviewers from a late pair (submitted after the pool) take the oldest first, then spread
    reviewers_pair = pool(activity, 2, start=10)
    order = [
        sub_of(allocation.get_next_review(activity, S, learner(name), now=at(100))) for name in ("t10", "t11", "p10")
    ]
    assert order[0] == subs[0]  # all at 0: the oldest
    assert order[1] == subs[1]  # subs[0] has a lease now: next oldest among the least loaded
    # p10 is a practitioner: cross-role first (all lack a practitioner), then fewest: subs[2]
    assert order[2] == subs[2]
    for sub in subs + [s for _p, s in reviewers_pair]:
        counters_consistent(sub)


def test_fewest_reviews_beats_age(activity):
    subs = [s for _p, s in pool(activity, 3)]
    Submission.objects.filter(id=subs[0]).update(review_count=3, theoretician_reviews=3, load=3, has_theoretician=True)
    Submission.objects.filter(id=subs[1]).update(review_count=1, theoretician_reviews=1, load=1, has_theoretician=True)
    # a theoretician: every submission already has a theoretician review, so load decides: subs[2]
    assert sub_of(allocation.get_next_review(activity, S, learner("t0"), now=at(50))) == subs[2]


def test_cross_role_priority(activity):
    subs = [s for _p, s in pool(activity, 3)]
    # the oldest has two theoretician reviews; the others one practitioner review each
    Submission.objects.filter(id=subs[0]).update(review_count=2, theoretician_reviews=2, load=2, has_theoretician=True)
    for sub in subs[1:]:
        Submission.objects.filter(id=sub).update(review_count=1, practitioner_reviews=1, load=1, has_practitioner=True)
    pool(activity, 1, start=5)  # the reviewers' own pair (excluded for them)
    # a practitioner first gets the submission lacking a practitioner review, although it has more reviews
    assert sub_of(allocation.get_next_review(activity, S, learner("p5"), now=at(50))) == subs[0]
    # a theoretician gets one lacking a theoretician review: the oldest of those
    assert sub_of(allocation.get_next_review(activity, S, learner("t5"), now=at(50))) == subs[1]
    # without a profile (pair reviewers) only load and age count
    assert Submission.objects.get(id=subs[0]).has_practitioner


def test_lease_is_idempotent_and_expiry_returns_the_work_to_the_pool(activity):
    subs = [s for _p, s in pool(activity, 3)]
    first = allocation.get_next_review(activity, S, learner("t1"), now=at(100))
    again = allocation.get_next_review(activity, S, learner("t1"), now=at(110))
    assert again.task.assignment_id == first.task.assignment_id
    leased = sub_of(first)
    assert leased == subs[0]
    assert Submission.objects.get(id=leased).lease_count == 1
    assert first.task.expires_at == at(100) + timedelta(hours=8)
    # 8 h later the lease has expired: when someone else asks, it is reclaimed and the oldest is free again
    later = at(100) + timedelta(hours=8, minutes=1)
    other = allocation.get_next_review(activity, S, learner("t2"), now=later)
    assert sub_of(other) == subs[0]
    assert Assignment.objects.get(id=first.task.assignment_id).state == "expired"
    for sub in subs:
        counters_consistent(sub)
    # the first reviewer comes back: a fresh pick; their expired row is reused if the same work comes back
    back = allocation.get_next_review(activity, S, learner("t1"), now=later)
    assert back.task is not None
    for sub in subs:
        counters_consistent(sub)


def test_expired_lease_review_is_still_accepted(activity):
    pool(activity, 3)
    first = allocation.get_next_review(activity, S, learner("t1"), now=at(100))
    later = at(100) + timedelta(hours=9)
    allocation.get_next_review(activity, S, learner("t2"), now=later)  # reclaims t1's lease
    reviews.submit_review(activity, S, learner("t1"), first.task.assignment_id, *assessment(S), now=later)
    sub = sub_of(first)
    counters_consistent(sub)
    assert Submission.objects.get(id=sub).review_count == 1


def test_own_expired_lease_comes_back_to_its_reviewer(activity):
    pool(activity, 2)
    first = allocation.get_next_review(activity, S, learner("t1"), now=at(100))
    later = at(100) + timedelta(hours=9)
    # the reviewer's own request reclaims the expired lease, and the only work left for them is
    # the same submission: the same assignment row is reactivated (no duplicate row)
    again = allocation.get_next_review(activity, S, learner("t1"), now=later)
    assert again.task.assignment_id == first.task.assignment_id
    assert again.task.expires_at == later + timedelta(hours=8)
    assert Assignment.objects.get().state == "active"
    for sub in Submission.objects.values_list("id", flat=True):
        counters_consistent(sub)


def test_review_period_and_removed_work(activity):
    subs = [s for _p, s in pool(activity, 3)]
    closed = ActivitySettings(review_due=at(50))
    with pytest.raises(ServiceError) as error:
        allocation.get_next_review(activity, closed, learner("t0"), now=at(51))
    assert error.value.status == 409
    lease = allocation.get_next_review(activity, S, learner("t1"), now=at(60))
    leased = sub_of(lease)
    oversight.remove_from_review(activity, S, STAFF, leased, "Inappropriate content", now=at(61))
    assert Assignment.objects.get(id=lease.task.assignment_id).state == "cancelled"
    counters_consistent(leased)
    with pytest.raises(ServiceError) as error:
        reviews.submit_review(activity, S, learner("t1"), lease.task.assignment_id, *assessment(S), now=at(62))
    assert error.value.status == 409
    nxt = allocation.get_next_review(activity, S, learner("t1"), now=at(63))
    assert sub_of(nxt) != leased and sub_of(nxt) in subs
    with pytest.raises(ServiceError) as error:
        oversight.remove_from_review(activity, S, STAFF, leased, "again", now=at(64))
    assert error.value.status == 409
    oversight.restore_to_review(activity, S, STAFF, leased)
    assert Submission.objects.get(id=leased).in_pool


def test_pair_mode_reviews_once_per_pair(activity):
    settings = ActivitySettings(review_unit="pair", reviews_per_reviewer=1)
    subs = [s for _p, s in pool(activity, 2, settings)]
    lease = allocation.get_next_review(activity, settings, learner("t0"), now=at(100))
    # the partner sees the same lease and may finish it
    assert allocation.get_next_review(activity, settings, learner("p0"), now=at(100)).task == lease.task
    reviews.submit_review(
        activity, settings, learner("p0"), lease.task.assignment_id, *assessment(settings), now=at(101)
    )
    assert allocation.get_next_review(activity, settings, learner("t0"), now=at(102)).reason == "done"
    assert Assignment.objects.get().reviewer_key == f"pair:{Submission.objects.get(id=subs[0]).pair_id}"
    counters_consistent(subs[1])


def test_current_task_reads_the_lease_without_taking_one(activity):
    pool(activity, 2)
    assert allocation.current_task(activity, S, learner("t0")) is None
    assert allocation.current_task(activity, S, learner("stranger")) is None
    assert not Assignment.objects.exists()  # reading never leases
    lease = allocation.get_next_review(activity, S, learner("t0"), now=at(100))
    task = allocation.current_task(activity, S, learner("t0"))
    assert task == lease.task
    assert task.text == "Plan of t1 and p1."
    reviews.submit_review(activity, S, learner("t0"), task.assignment_id, *assessment(S), now=at(101))
    assert allocation.current_task(activity, S, learner("t0")) is None


def _pair_overlaps(activity) -> int:
    """How many (work, reviewing pair) couples carry more than one lease or review."""
    seen: dict[tuple[int, int], int] = {}
    for key in Assignment.objects.filter(activity=activity).values_list("submission_id", "reviewer_pair_id"):
        seen[key] = seen.get(key, 0) + 1
    return sum(1 for count in seen.values() if count > 1)


@pytest.mark.parametrize("first", ["t", "p"])
def test_partners_never_review_the_same_work_when_the_cohort_allows(activity, first):
    # Five pairs, two reviews each: each pair's two members can cover the four other works
    # between them, so no work is ever reviewed twice by one pair, whoever starts.
    pool(activity, 5)
    second = "p" if first == "t" else "t"
    for index in range(5):
        for name in (f"{first}{index}", f"{second}{index}"):
            review(activity, name)
            review(activity, name)
    assert Assignment.objects.filter(activity=activity, state=Assignment.State.DONE).count() == 20
    assert _pair_overlaps(activity) == 0


def test_a_partners_lease_is_avoided_before_it_is_done(activity):
    subs = [s for _p, s in pool(activity, 3)]
    held = sub_of(allocation.get_next_review(activity, S, learner("t0"), now=at(100)))
    assert held == subs[1]
    # The other work now has a practitioner's review, so cross-role order alone would send the
    # practitioner p0 to the work their partner holds.
    assert [review(activity, "p1"), review(activity, "p1")] == [subs[0], subs[2]]
    given = sub_of(allocation.get_next_review(activity, S, learner("p0"), now=at(101)))
    assert given == subs[2]


def test_a_small_cohort_still_gives_every_reviewer_their_quota(activity):
    # Four pairs: a pair's two members owe four reviews over three works, so exactly one work
    # per pair is reviewed by both partners, the fewest possible, and nobody runs short.
    pool(activity, 4)
    for index in range(4):
        for name in (f"t{index}", f"p{index}"):
            review(activity, name)
            review(activity, name)
    done = Assignment.objects.filter(activity=activity, state=Assignment.State.DONE)
    assert done.count() == 16
    assert _pair_overlaps(activity) == 4


def test_partners_wait_for_other_work_before_the_submission_deadline(activity):
    # Pairs submit one after another and each member asks for work straight after: before the
    # deadline, a reviewer is not given the work their partner just took (more will come), so
    # once every pair has submitted, no work has two reviews from one pair.
    rules = ActivitySettings(submission_due=at(days=1))
    early = []
    for index in range(5):
        submitted_pair(activity, rules, f"t{index}", f"p{index}", now=at(index))
        for name in (f"t{index}", f"p{index}"):
            result = allocation.get_next_review(activity, rules, learner(name), now=at(index))
            early.append(result.task is not None or result.reason == "none_available")
    assert all(early) and _pair_overlaps(activity) == 0
    for index in range(5):
        for name in (f"t{index}", f"p{index}"):
            while True:
                result = allocation.get_next_review(activity, rules, learner(name), now=at(100))
                if result.task is None:
                    assert result.reason == "done", (name, result)
                    break
                reviews.submit_review(
                    activity, rules, learner(name), result.task.assignment_id, *assessment(rules), now=at(100)
                )
    assert Assignment.objects.filter(activity=activity, state=Assignment.State.DONE).count() == 20
    assert _pair_overlaps(activity) == 0


def test_after_the_submission_deadline_a_small_cohort_falls_back_on_a_partners_work(activity):
    rules = ActivitySettings(submission_due=at(days=1))
    for index in range(3):
        submitted_pair(activity, rules, f"t{index}", f"p{index}", now=at(index))
    first = sub_of(allocation.get_next_review(activity, rules, learner("t0"), now=at(10)))
    reviews.submit_review(activity, rules, learner("t0"), _lease(activity, "t0"), *assessment(rules), now=at(10))
    second = sub_of(allocation.get_next_review(activity, rules, learner("t0"), now=at(10)))
    reviews.submit_review(activity, rules, learner("t0"), _lease(activity, "t0"), *assessment(rules), now=at(10))
    assert len({first, second}) == 2
    # Both other works are taken by the partner: before the deadline p0 is told to come back.
    waiting = allocation.get_next_review(activity, rules, learner("p0"), now=at(20))
    assert waiting.task is None and waiting.reason == "none_available"
    given = allocation.get_next_review(activity, rules, learner("p0"), now=at(days=1, minutes=1))
    assert given.task is not None and sub_of(given) in {first, second}


def _lease(activity, name) -> int:
    return Assignment.objects.get(activity=activity, reviewer_key=f"anon-{name}", state=Assignment.State.ACTIVE).id
