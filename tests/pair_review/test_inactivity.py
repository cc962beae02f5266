"""Nobody stranded: inactive partners are seen, the active member re-pairs, trainers split pairs;
submitted work and grades stay with whoever they were submitted for."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
from devisus_xblocks.pair_review.grading import grades
from devisus_xblocks.pair_review.models import Draft, Membership, Pair, Participant, SubmissionMember
from devisus_xblocks.pair_review.pairing import drafts, formation, inactivity
from devisus_xblocks.pair_review.reviewing import allocation
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import PRAC, STAFF, THEO, at, learner, make_pair, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1, inactive_after_days=10)
COURSE = "course-v1:DEVISUS+PR+2026"


@pytest.fixture
def blocks(db):
    """Two activities of one pairing: the stakeholder map (module 4) and the plan (module 7)."""
    return get_activity(COURSE, "block-v1:map", "devisus-pairs"), get_activity(COURSE, "block-v1:plan", "devisus-pairs")


def error_of(call, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call(*args, **kwargs)
    return caught.value


def last_active(activity, name):
    return Membership.objects.get(activity=activity.scope, anonymous_id=f"anon-{name}").last_active_at


def test_requests_mark_the_learner_active_at_most_hourly_and_masquerade_does_not_count(blocks):
    first, second = blocks
    make_pair(first, S, "ana", "bob", now=at(0))
    assert last_active(first, "ana") == at(0)  # joining counts
    inactivity.touch(second, learner("ana"), now=at(30))
    assert last_active(first, "ana") == at(0)  # within the hour: no write
    inactivity.touch(second, learner("ana"), now=at(61))
    assert last_active(first, "ana") == at(61)  # any block of the pairing counts
    inactivity.touch(second, replace(learner("bob"), masquerading=True), now=at(days=30))
    assert last_active(first, "bob") == at(0)  # staff viewing as bob are not bob


def test_an_active_partner_cannot_be_left(blocks):
    first, _second = blocks
    make_pair(first, S, "ana", "bob", now=at(0))
    inactivity.touch(first, learner("bob"), now=at(days=5))
    error = error_of(inactivity.leave_inactive_partner, first, S, learner("ana"), now=at(days=12))
    assert error.status == 409 and error.params == {"days": 10}
    never = replace(S, inactive_after_days=0)
    assert error_of(inactivity.leave_inactive_partner, first, never, learner("ana"), now=at(days=300)).status == 409
    assert error_of(inactivity.leave_inactive_partner, first, S, learner("zed"), now=at(days=300)).status == 409
    assert Membership.objects.filter(pair__member_count=2).count() == 2  # nothing changed


def test_leaving_an_inactive_partner_re_pairs_and_keeps_the_submitted_work_and_grade(blocks, publisher):
    first, second = blocks
    old_pair, map_work = submitted_pair(first, S, "ana", "bob", now=at(0))  # module 4, with bob
    formation.declare_profile(second, S, learner("cleo"), PRAC)
    formation.join_automatic(second, S, learner("cleo"), now=at(days=1))  # cleo waits in module 7
    inactivity.touch(first, learner("ana"), now=at(days=20))

    state = inactivity.leave_inactive_partner(second, S, learner("ana"), now=at(days=20))
    assert state.status == "paired" and [p.username for p in state.partners] == ["cleo"]
    assert Membership.objects.get(anonymous_id="anon-bob").pair_id == old_pair  # bob keeps the old pair
    assert Pair.objects.get(id=old_pair).member_count == 1

    mine = drafts.get_submission(first, learner("ana"))
    assert mine.submission_id == map_work and mine.pair_id == old_pair  # module 4's work is still hers
    grades.override_grade(first, S, STAFF, map_work, 0.8, "Checked", now=at(days=21), publisher=publisher)
    key = (first.course_key, first.block_key)
    assert publisher.score_of(*key, "anon-ana") == 0.8 and publisher.score_of(*key, "anon-bob") == 0.8

    # module 7 goes on with the new partner
    assert drafts.get_draft(second, S, learner("cleo")).pair_id == state.pair_id
    submitted = drafts.save_draft(second, S, learner("ana"), state.pair_id, "Plan of ana and cleo", 0)
    drafts.submit_pair(second, S, learner("cleo"), state.pair_id, expected_version=submitted.version)
    assert drafts.get_submission(second, learner("ana")).pair_id == state.pair_id


def test_a_learner_gets_one_submission_per_activity_across_re_pairing(blocks):
    first, _second = blocks
    _one, _work = submitted_pair(first, S, "ana", "bob", now=at(0))
    two, _other = submitted_pair(first, S, "cleo", "dan", now=at(1))
    inactivity.split_pair(first, S, STAFF, two, now=at(days=2))  # cleo and dan wait again
    assert not Membership.objects.filter(anonymous_id__in=["anon-cleo", "anon-dan"]).exists()
    by_name = {"cleo": "anon-cleo", "dan": "anon-dan", "eve": "anon-eve"}
    # a pair of two learners who both submitted this activity with former partners cannot submit it again
    [both] = formation.assign_pairs_from_csv(first, S, STAFF, "cleo,dan", by_name.get, now=at(days=3))
    saved = drafts.save_draft(first, S, learner("cleo"), both, "Again", 0)
    error = error_of(drafts.submit_pair, first, S, learner("dan"), both, expected_version=saved.version)
    assert error.status == 409 and "former partner" in error.message
    # with a newcomer, the work is submitted for the newcomer only: one grade per learner and activity
    inactivity.split_pair(first, S, STAFF, both, now=at(days=4))
    [mixed] = formation.assign_pairs_from_csv(first, S, STAFF, "cleo,eve", by_name.get, now=at(days=4))
    saved = drafts.save_draft(first, S, learner("eve"), mixed, "Eve's plan with cleo", 0)
    view = drafts.submit_pair(first, S, learner("eve"), mixed, expected_version=saved.version)
    assert list(
        SubmissionMember.objects.filter(submission_id=view.submission_id).values_list("anonymous_id", flat=True)
    ) == ["anon-eve"]
    assert SubmissionMember.objects.filter(activity=first, anonymous_id="anon-cleo").count() == 1


def test_a_re_paired_learner_never_reviews_their_former_pairs_work(blocks):
    first, second = blocks
    _old, map_work = submitted_pair(first, S, "ana", "bob", now=at(0))
    inactivity.touch(first, learner("ana"), now=at(days=20))
    formation.declare_profile(first, S, learner("cleo"), PRAC)
    formation.join_automatic(first, S, learner("cleo"), now=at(days=20))
    state = inactivity.leave_inactive_partner(first, S, learner("ana"), now=at(days=20))
    assert [p.username for p in state.partners] == ["cleo"]
    lease = allocation.get_next_review(first, S, learner("ana"), now=at(days=20))
    assert lease.task is None and lease.reason == "none_available"  # the only work is her own


def test_no_re_pairing_while_a_review_of_the_pairs_work_is_under_way(blocks):
    first, _second = blocks
    old_pair, _work = submitted_pair(first, S, "ana", "bob", now=at(0))
    submitted_pair(first, S, "cy", "dee", now=at(1))
    assert allocation.get_next_review(first, S, learner("cy"), now=at(days=11)).task is not None  # cy reviews ana+bob
    error = error_of(inactivity.leave_inactive_partner, first, S, learner("ana"), now=at(days=11))
    assert error.status == 409 and "reviewing" in error.message
    assert error_of(inactivity.split_pair, first, S, STAFF, old_pair, now=at(days=11)).status == 409
    assert Membership.objects.filter(pair_id=old_pair).count() == 2


def test_trainers_see_inactivity_and_split_pairs(blocks):
    first, second = blocks
    empty = make_pair(first, S, "ana", "bob", now=at(0))
    written = make_pair(first, S, "cy", "dee", now=at(0))
    drafts.save_draft(second, S, learner("cy"), written, "Started", 0)
    inactivity.touch(first, learner("ana"), now=at(days=11))
    members = {m.username: m for p in oversight.overview(first, S, STAFF, now=at(days=11)).pairs for m in p.members}
    assert (members["ana"].inactive, members["bob"].inactive) == (False, True)
    assert members["bob"].last_active_at == at(0)

    assert sorted(inactivity.split_pair(second, S, STAFF, empty, now=at(days=11))) == ["anon-ana", "anon-bob"]
    assert not Pair.objects.filter(id=empty).exists()  # nothing written: nothing to keep
    inactivity.split_pair(first, S, STAFF, written, now=at(days=11))
    assert Pair.objects.filter(id=written, member_count=0).exists() and Draft.objects.filter(pair_id=written).exists()
    waiting = Participant.objects.filter(waiting_since=at(days=11)).values_list("username", flat=True)
    assert sorted(waiting) == ["ana", "bob", "cy", "dee"]
    assert [w.username for w in oversight.overview(second, S, STAFF, now=at(days=11)).waiting] == [
        "ana",
        "bob",
        "cy",
        "dee",
    ]
    assert error_of(inactivity.split_pair, first, S, learner("ana"), written).status == 403
    assert error_of(inactivity.split_pair, first, S, STAFF, 999999).status == 404
    assert THEO != PRAC
