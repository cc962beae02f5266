"""The allocation's two invariants, one scenario each (issue 10): a reviewer whose lease was
cancelled (work withdrawn, then restored) can be given work again, that work included; a
reviewer who lets a lease expire and takes other work never exceeds ``reviews_per_reviewer``
done + active reviews. And their cost: constant in the pool size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Assignment, Review, Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import STAFF, assessment, at, counters_consistent, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=2)


def pool(activity, count, start=0):
    """``count`` submitted pairs t<i> (theoretician) + p<i>; the i-th submitted at minute i."""
    return [submitted_pair(activity, S, f"t{i}", f"p{i}", now=at(i))[1] for i in range(start, start + count)]


def sub_of(result) -> int:
    return Assignment.objects.get(id=result.task.assignment_id).submission_id


def review(activity, name, assignment_id, now):
    return reviews.submit_review(activity, S, learner(name), assignment_id, *assessment(S), now=now)


def load_of(name) -> tuple[int, int]:
    """(done, active) assignments of a learner reviewer."""
    states = list(Assignment.objects.filter(reviewer_key=f"anon-{name}").values_list("state", flat=True))
    return states.count("done"), states.count("active")


def test_a_cancelled_lease_does_not_stop_its_reviewer_when_the_work_comes_back(activity):
    subs = pool(activity, 3)
    first = allocation.get_next_review(activity, S, learner("t1"), now=at(100))
    assert sub_of(first) == subs[0]  # the oldest
    oversight.remove_from_review(activity, S, STAFF, subs[0], "Checking for plagiarism", now=at(101))
    oversight.restore_to_review(activity, S, STAFF, subs[0])
    assert Assignment.objects.get(id=first.task.assignment_id).state == "cancelled"
    # The restored work is again the first in line for t1: it is given back on the same row
    # (before the fix: a second row for (submission, reviewer) broke the unique key, a 409 for ever).
    again = allocation.get_next_review(activity, S, learner("t1"), now=at(102))
    assert again.task is not None and again.task.assignment_id == first.task.assignment_id
    assert Assignment.objects.get(id=first.task.assignment_id).state == "active"
    counters_consistent(subs[0])
    review(activity, "t1", again.task.assignment_id, at(103))
    last = allocation.get_next_review(activity, S, learner("t1"), now=at(104))
    assert sub_of(last) == subs[2]
    review(activity, "t1", last.task.assignment_id, at(105))
    assert allocation.get_next_review(activity, S, learner("t1"), now=at(106)).reason == "done"
    assert load_of("t1") == (2, 0)
    for sub in subs:
        counters_consistent(sub)


def test_a_cancelled_lease_frees_its_reviewer_for_other_work_at_once(activity):
    subs = pool(activity, 3)
    first = allocation.get_next_review(activity, S, learner("t1"), now=at(100))
    oversight.remove_from_review(activity, S, STAFF, sub_of(first), "Off topic", now=at(101))
    other = allocation.get_next_review(activity, S, learner("t1"), now=at(102))
    assert sub_of(other) == subs[2]
    oversight.restore_to_review(activity, S, STAFF, subs[0])
    review(activity, "t1", other.task.assignment_id, at(103))
    back = allocation.get_next_review(activity, S, learner("t1"), now=at(104))
    assert back.task.assignment_id == first.task.assignment_id  # the restored work, on its old row
    review(activity, "t1", back.task.assignment_id, at(105))
    assert load_of("t1") == (2, 0)


def _expire_then_take_other_work(activity):
    """t0 leases A and lets it expire; their partner p0 takes A; t0 is given B, reviews it, and holds C."""
    subs = pool(activity, 4)
    a = allocation.get_next_review(activity, S, learner("t0"), now=at(100))
    assert sub_of(a) == subs[1]
    later = at(100) + timedelta(hours=9)
    assert sub_of(allocation.get_next_review(activity, S, learner("p0"), now=later)) == subs[1]  # reclaims t0's
    assert Assignment.objects.get(id=a.task.assignment_id).state == "expired"
    b = allocation.get_next_review(activity, S, learner("t0"), now=later)
    assert sub_of(b) == subs[2]  # A has a lease now, B none: t0 gets other work
    review(activity, "t0", b.task.assignment_id, later)
    c = allocation.get_next_review(activity, S, learner("t0"), now=later)
    assert sub_of(c) == subs[3]
    return subs, a, c, later


def test_a_late_review_that_would_pass_the_quota_is_refused(activity):
    subs, a, c, later = _expire_then_take_other_work(activity)
    assert load_of("t0") == (1, 1)
    with pytest.raises(ServiceError) as error:
        review(activity, "t0", a.task.assignment_id, later)
    assert error.value.status == 409
    assert error.value.message.startswith("The time for this review ran out and you have since taken other work")
    assert load_of("t0") == (1, 1)  # refused: nothing changed
    assert not Review.objects.filter(assignment_id=a.task.assignment_id).exists()
    review(activity, "t0", c.task.assignment_id, later)
    with pytest.raises(ServiceError) as error:
        review(activity, "t0", a.task.assignment_id, later)
    assert error.value.status == 409 and "given all your reviews" in error.value.message
    assert load_of("t0") == (2, 0)
    assert Review.objects.filter(reviewer_key="anon-t0").count() == 2
    for sub in subs:
        counters_consistent(sub)


def test_a_late_review_within_the_quota_is_still_accepted(activity):
    subs, a, c, later = _expire_then_take_other_work(activity)
    roomy = ActivitySettings(reviews_per_reviewer=3)
    reviews.submit_review(activity, roomy, learner("t0"), a.task.assignment_id, *assessment(roomy), now=later)
    assert load_of("t0") == (2, 1)
    for sub in subs:
        counters_consistent(sub)


def test_pair_mode_a_late_review_counts_the_partners_work(activity):
    pairs = ActivitySettings(review_unit="pair", reviews_per_reviewer=1)
    subs = [submitted_pair(activity, pairs, f"t{i}", f"p{i}", now=at(i))[1] for i in range(3)]
    a = allocation.get_next_review(activity, pairs, learner("t0"), now=at(100))
    later = at(100) + timedelta(hours=9)
    assert sub_of(allocation.get_next_review(activity, pairs, learner("t1"), now=later)) == subs[0]  # reclaims a
    assert sub_of(allocation.get_next_review(activity, pairs, learner("t2"), now=later)) == subs[1]
    b = allocation.get_next_review(activity, pairs, learner("p0"), now=later)  # the partner takes other work
    assert sub_of(b) == subs[2] and b.task.assignment_id != a.task.assignment_id
    with pytest.raises(ServiceError) as error:
        reviews.submit_review(activity, pairs, learner("t0"), a.task.assignment_id, *assessment(pairs), now=later)
    assert error.value.status == 409
    key = Assignment.objects.get(id=a.task.assignment_id).reviewer_key
    assert Assignment.objects.filter(reviewer_key=key, state__in=["active", "done"]).count() == 1
    for sub in subs:
        counters_consistent(sub)


def _queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def _measure(activity, start: int) -> dict:
    """Queries of the two paths the fixes touch, for reviewers t<start>/t<start+1> of a fresh pool."""
    mine = pool(activity, 3, start=start)
    counts = {}
    first = allocation.get_next_review(activity, S, learner(f"t{start + 1}"), now=at(200))
    oversight.remove_from_review(activity, S, STAFF, sub_of(first), "Checking", now=at(201))
    oversight.restore_to_review(activity, S, STAFF, sub_of(first))
    # the restored work comes back on its cancelled row
    counts["next_review_reuses_cancelled"], again = _queries(
        lambda: allocation.get_next_review(activity, S, learner(f"t{start + 1}"), now=at(202))
    )
    assert again.task.assignment_id == first.task.assignment_id
    late = allocation.get_next_review(activity, S, learner(f"t{start + 2}"), now=at(203))
    after = at(203) + timedelta(hours=9)
    allocation.get_next_review(activity, S, learner(f"p{start + 2}"), now=after)  # reclaims it
    counts["late_review"], _ = _queries(lambda: review(activity, f"t{start + 2}", late.task.assignment_id, after))
    for sub in mine:
        counters_consistent(sub)
    return counts


def test_the_fixed_paths_cost_the_same_whatever_the_pool(activity):
    small = _measure(activity, 0)
    pool(activity, 40, start=10)
    large = _measure(activity, 100)
    assert small == large, (small, large)
    assert Submission.objects.count() == 46
