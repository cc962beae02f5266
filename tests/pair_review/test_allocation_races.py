"""Reviewers racing for work with real threads against the real database (SQLite, or MariaDB when
DEVISUS_DATABASE_URL is set): expired leases, late reviews, withdrawn and restored work, pairs
reviewing together. After every race, the allocation's invariants hold:

- a reviewer's done + active reviews never exceed ``reviews_per_reviewer``;
- nobody reviews their own pair's work, or the same work twice;
- a lease that ended unfinished (expired, or cancelled by a withdrawal) never stops its reviewer:
  everyone can still give all their reviews;
- the submissions' denormalised counters equal what the assignment rows say.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
from devisus_xblocks.pair_review.models import Assignment, Membership, Review, Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import STAFF, assessment, at, counters_consistent, learner, submitted_pair
from .test_concurrency import together

pytestmark = pytest.mark.django_db(transaction=True)

QUOTA = 2
S = ActivitySettings(reviews_per_reviewer=QUOTA, reviews_required=2)
HOURS = timedelta(hours=9)  # longer than a lease


@pytest.fixture
def activity(transactional_db):
    return get_activity("course-v1:DEVISUS+PR+2026", "block-v1:allocation-races")


def cohort(activity, pairs: int, settings=S):
    """``pairs`` submitted pairs t<i>/p<i>; returns {reviewer name: own submission id}."""
    own = {}
    for i in range(pairs):
        _pair, sub = submitted_pair(activity, settings, f"t{i}", f"p{i}", now=at(i))
        own[f"t{i}"] = own[f"p{i}"] = sub
    return own


def lease(activity, name, now, settings=S):
    return lambda: allocation.get_next_review(activity, settings, learner(name), now=now)


def submit(activity, name, assignment_id, now, settings=S):
    return lambda: reviews.submit_review(
        activity, settings, learner(name), assignment_id, *assessment(settings), now=now
    )


def finish(activity, name, now, settings=S):
    """Ask for work and review it until the quota is reached or nothing is left; returns done."""

    def run():
        for _ in range(QUOTA + 3):
            found = allocation.get_next_review(activity, settings, learner(name), now=now)
            if found.task is None:
                return found.done if found.reason == "done" else -1
            reviews.submit_review(
                activity, settings, learner(name), found.task.assignment_id, *assessment(settings), now=now
            )
        return -2

    return run


def check_invariants(activity, own_pair_of_key: dict[str, int], quota: int = QUOTA):
    """The invariants of the module doc, on the rows as they are now."""
    rows = list(Assignment.objects.filter(activity=activity).values_list("submission_id", "reviewer_key", "state"))
    assert len({(sub, key) for sub, key, _state in rows}) == len(rows), "the same work twice"
    held = Counter(key for _sub, key, state in rows if state in ("active", "done"))
    assert max(held.values(), default=0) <= quota, held
    pair_of_sub = dict(Submission.objects.filter(activity=activity).values_list("id", "pair_id"))
    for sub, key, _state in rows:
        assert pair_of_sub[sub] != own_pair_of_key[key], f"{key} was given their own pair's work"
    written = Counter(Review.objects.filter(activity=activity, kind="peer").values_list("reviewer_key", flat=True))
    done = Counter(key for _sub, key, state in rows if state == "done")
    assert written == done
    for sub in pair_of_sub:
        counters_consistent(sub)
    return done


def learner_pairs(activity) -> dict[str, int]:
    return dict(Membership.objects.filter(activity=activity).values_list("anonymous_id", "pair_id"))


def test_reviewers_letting_leases_expire_and_reviewing_late_never_pass_the_quota(activity):
    own = cohort(activity, 6)
    names = sorted(own)
    pairs_of = learner_pairs(activity)
    t1 = at(100)
    first = {name: value.task for name, (_k, value) in zip(names, together([lease(activity, n, t1) for n in names]))}
    assert all(task is not None for task in first.values())
    check_invariants(activity, pairs_of)

    # Every lease expires. Theoreticians come back for other work while practitioners send their
    # first review late, all at once.
    t2 = t1 + HOURS
    theos = [name for name in names if name.startswith("t")]
    pracs = [name for name in names if name.startswith("p")]
    results = together(
        [lease(activity, name, t2) for name in theos]
        + [submit(activity, name, first[name].assignment_id, t2) for name in pracs]
    )
    second = {name: value.task for name, (_kind, value) in zip(theos, results)}
    assert all(kind == "ok" for kind, _ in results)  # late reviews within the quota are accepted
    check_invariants(activity, pairs_of)

    # Theoreticians review what they hold now; then they ask for more work and send their expired
    # first review at the same moment: whatever the order, the late review only counts if it fits.
    t3 = t2 + timedelta(minutes=1)
    assert all(kind == "ok" for kind, _ in together([submit(activity, n, second[n].assignment_id, t3) for n in theos]))
    late = [name for name in theos if first[name].assignment_id != second[name].assignment_id]
    print(f"\n{len(late)} of {len(theos)} reviewers were given other work after their lease expired")
    results = together(
        [lease(activity, name, t3) for name in late] + [submit(activity, n, first[n].assignment_id, t3) for n in late]
    )
    refusals = [value for kind, value in results if kind == "refused"]
    assert all(error.status == 409 for error in refusals), [error.message for error in refusals]
    check_invariants(activity, pairs_of)

    # Everyone finishes their reviews at once.
    results = together([finish(activity, name, t3) for name in names])
    assert [value for _kind, value in results] == [QUOTA] * len(names), results
    done = check_invariants(activity, pairs_of)
    assert set(done.values()) == {QUOTA}


def test_withdrawn_then_restored_work_frees_every_reviewer(activity):
    own = cohort(activity, 6)
    names = sorted(own)
    pairs_of = learner_pairs(activity)
    t1 = at(100)
    first = {name: value.task for name, (_k, value) in zip(names, together([lease(activity, n, t1) for n in names]))}
    subs = sorted(set(own.values()))

    # The trainer withdraws every work while its reviewers send their reviews.
    t2 = t1 + timedelta(minutes=5)
    results = together(
        [lambda sub=sub: oversight.remove_from_review(activity, S, STAFF, sub, "Moderation", now=t2) for sub in subs]
        + [submit(activity, name, first[name].assignment_id, t2) for name in names]
    )
    assert all(error.status == 409 for kind, error in results if kind == "refused")
    check_invariants(activity, pairs_of)
    assert not Assignment.objects.filter(activity=activity, state="active").exists()

    # Everything comes back while the reviewers ask for work: nobody is refused for ever.
    results = together(
        [lambda sub=sub: oversight.restore_to_review(activity, S, STAFF, sub) for sub in subs]
        + [finish(activity, name, t2) for name in names]
    )
    assert all(kind == "ok" for kind, _ in results), results
    results = together([finish(activity, name, t2 + timedelta(minutes=1)) for name in names])
    assert [value for _kind, value in results] == [QUOTA] * len(names), results
    check_invariants(activity, pairs_of)


def test_both_members_of_reviewing_pairs_racing_share_one_quota(activity):
    by_pair = ActivitySettings(review_unit="pair", reviews_per_reviewer=1, reviews_required=1)
    own = cohort(activity, 6, by_pair)
    names = sorted(own)
    pair_keys = {f"pair:{pair}": pair for pair in set(learner_pairs(activity).values())}
    t1 = at(100)
    for round_ in range(3):
        now = t1 + round_ * HOURS  # each round, the last round's leases have expired
        results = together([lease(activity, name, now, by_pair) for name in names])
        tasks = {name: value.task for name, (_kind, value) in zip(names, results)}
        check_invariants(activity, pair_keys, quota=1)
        # both members send the pair's review (the one each was shown) at once: one counts
        results = together(
            [submit(activity, name, task.assignment_id, now, by_pair) for name, task in tasks.items() if task]
        )
        assert all(error.status == 409 for kind, error in results if kind == "refused")
        check_invariants(activity, pair_keys, quota=1)
    done = check_invariants(activity, pair_keys, quota=1)
    assert set(done.values()) == {1} and len(done) == 6
