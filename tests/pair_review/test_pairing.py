"""Forming pairs: profiles, automatic matching, invitation codes, trainer CSV, leftovers and moves."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Draft, Membership, Pair, Participant
from devisus_xblocks.pair_review.pairing import formation

from .conftest import PRAC, STAFF, THEO, at, learner, make_pair, submitted_pair

AUTO = ActivitySettings(pairing_mode="automatic")
INVITE = ActivitySettings(pairing_mode="invitation")
TRAINER = ActivitySettings(pairing_mode="trainer")


def arrive(activity, name, profile, minutes=0, settings=AUTO):
    formation.declare_profile(activity, settings, learner(name), profile)
    return formation.join_automatic(activity, settings, learner(name), now=at(minutes))


def groups(activity):
    result = {}
    for pair_id, anonymous_id in Membership.objects.filter(activity=activity).values_list("pair_id", "anonymous_id"):
        result.setdefault(pair_id, set()).add(anonymous_id.removeprefix("anon-"))
    return sorted(sorted(g) for g in result.values())


def assert_counts_match(activity):
    for pair in Pair.objects.filter(activity=activity):
        assert pair.member_count == Membership.objects.filter(pair=pair).count()


# --- profiles --------------------------------------------------------------------------------


def test_profile_must_be_one_of_two(activity):
    with pytest.raises(ServiceError) as error:
        formation.declare_profile(activity, AUTO, learner("ana"), "manager")
    assert error.value.status == 400
    assert not Participant.objects.exists()


def test_profile_can_change_until_paired(activity):
    formation.declare_profile(activity, AUTO, learner("ana"), THEO)
    state = formation.declare_profile(activity, AUTO, learner("ana"), PRAC)
    assert state.profile == PRAC and state.status == "unpaired"
    make_pair(activity, AUTO, "bob", "cy")
    with pytest.raises(ServiceError) as error:
        formation.declare_profile(activity, AUTO, learner("bob"), PRAC)
    assert error.value.status == 409
    assert formation.declare_profile(activity, AUTO, learner("bob"), THEO).status == "paired"  # same profile: fine


def test_join_needs_a_profile_and_the_automatic_mode(activity):
    with pytest.raises(ServiceError) as error:
        formation.join_automatic(activity, AUTO, learner("ana"), now=at())
    assert error.value.status == 409 and "profile" in error.value.message
    formation.declare_profile(activity, INVITE, learner("ana"), THEO)
    with pytest.raises(ServiceError) as error:
        formation.join_automatic(activity, INVITE, learner("ana"), now=at())
    assert error.value.status == 409


# --- automatic pairing -----------------------------------------------------------------------


def test_complementary_learners_are_matched_first_come_first_matched(activity):
    assert arrive(activity, "t1", THEO, 0).status == "waiting"
    assert arrive(activity, "t2", THEO, 1).status == "waiting"
    state = arrive(activity, "p1", PRAC, 2)
    assert state.status == "paired" and state.member_count == 2
    assert state.partners == (formation.Partner("t1", THEO),)  # the longest waiting
    assert formation.pairing_state(activity, learner("t2")).status == "waiting"
    assert arrive(activity, "p2", PRAC, 3).partners[0].username == "t2"
    assert groups(activity) == [["p1", "t1"], ["p2", "t2"]]
    assert Participant.objects.filter(waiting_since__isnull=False).count() == 0
    assert Draft.objects.count() == 0  # a pair's draft is created by its first save, per activity


def test_joining_again_is_idempotent_and_keeps_the_place_in_the_queue(activity):
    arrive(activity, "t1", THEO, 0)
    arrive(activity, "t2", THEO, 1)
    arrive(activity, "t1", THEO, 5)  # comes back later: still first
    assert arrive(activity, "p1", PRAC, 6).partners[0].username == "t1"
    again = formation.join_automatic(activity, AUTO, learner("p1"), now=at(7))
    assert again.status == "paired" and Pair.objects.count() == 1


def test_odd_count_and_same_profiles_leave_learners_waiting(activity):
    for i in range(3):
        arrive(activity, f"t{i}", THEO, i)
    arrive(activity, "p0", PRAC, 5)
    assert groups(activity) == [["p0", "t0"]]
    waiting = Participant.objects.filter(waiting_since__isnull=False).values_list("username", flat=True)
    assert sorted(waiting) == ["t1", "t2"]


def test_leftovers_same_profile_pair(activity):
    for i in range(3):
        arrive(activity, f"t{i}", THEO, i)
    result = formation.resolve_leftovers(activity, AUTO, STAFF, "same_profile", now=at(60))
    # t0 and t1 form a same-profile pair; t2, the odd one out, joins it as a trio.
    assert len(result.new_pairs) == 1 and result.extended_pairs == result.new_pairs
    assert groups(activity) == [["t0", "t1", "t2"]]
    assert result.still_waiting == ()
    assert_counts_match(activity)


def test_leftovers_trio(activity):
    make_pair(activity, AUTO, "a", "b")
    arrive(activity, "t9", THEO, 1)
    result = formation.resolve_leftovers(activity, AUTO, STAFF, "trio", now=at(60))
    assert groups(activity) == [["a", "b", "t9"]]
    assert Pair.objects.get().capacity == 3 and result.still_waiting == ()
    assert_counts_match(activity)


def test_leftovers_with_nowhere_to_go_stay_waiting(activity):
    arrive(activity, "t1", THEO, 0)
    result = formation.resolve_leftovers(activity, AUTO, STAFF, "trio", now=at(60))
    assert result.still_waiting == ("anon-t1",)


def test_leftovers_include_learners_alone_in_an_invitation_pair(activity):
    for name in ("x", "y"):
        formation.declare_profile(activity, INVITE, learner(name), THEO)
        formation.create_invitation(activity, INVITE, learner(name), now=at())
    result = formation.resolve_leftovers(activity, INVITE, STAFF, "same_profile", now=at(60))
    assert groups(activity) == [["x", "y"]] and Pair.objects.count() == 1
    assert result.extended_pairs


def test_resolve_leftovers_is_staff_only_and_checks_strategy(activity):
    with pytest.raises(ServiceError) as error:
        formation.resolve_leftovers(activity, AUTO, learner("ana"), "trio")
    assert error.value.status == 403
    with pytest.raises(ServiceError) as error:
        formation.resolve_leftovers(activity, AUTO, STAFF, "random")
    assert error.value.status == 400


# --- invitation codes ------------------------------------------------------------------------


def invite(activity, name, profile=THEO):
    formation.declare_profile(activity, INVITE, learner(name), profile)
    return formation.create_invitation(activity, INVITE, learner(name), now=at())


def test_invitation_code_pairs_two_learners(activity):
    code = invite(activity, "ana").invite_code
    assert code and len(code) == formation.CODE_LENGTH
    assert invite(activity, "ana").invite_code == code  # idempotent
    formation.declare_profile(activity, INVITE, learner("bob"), PRAC)
    state = formation.join_with_code(
        activity, INVITE, learner("bob"), f" {code.lower()[:4]}-{code.lower()[4:]} ", now=at(1)
    )
    assert state.status == "paired" and state.partners == (formation.Partner("ana", THEO),)
    assert state.invite_code is None
    assert formation.pairing_state(activity, learner("ana")).status == "paired"


@pytest.mark.parametrize("code, status", [("", 400), ("NOPE1234", 404)])
def test_wrong_code(activity, code, status):
    invite(activity, "ana")
    formation.declare_profile(activity, INVITE, learner("bob"), PRAC)
    with pytest.raises(ServiceError) as error:
        formation.join_with_code(activity, INVITE, learner("bob"), code)
    assert error.value.status == status
    assert Membership.objects.count() == 1


def test_own_code(activity):
    code = invite(activity, "ana").invite_code
    with pytest.raises(ServiceError) as error:
        formation.join_with_code(activity, INVITE, learner("ana"), code)
    assert error.value.status == 409 and "own" in error.value.message


def test_full_pair_and_already_paired(activity):
    code = invite(activity, "ana").invite_code
    for name in ("bob", "cy"):
        formation.declare_profile(activity, INVITE, learner(name), PRAC)
    formation.join_with_code(activity, INVITE, learner("bob"), code)
    with pytest.raises(ServiceError) as error:
        formation.join_with_code(activity, INVITE, learner("cy"), code)
    assert error.value.status == 409 and "complete" in error.value.message
    other = invite(activity, "dee").invite_code
    with pytest.raises(ServiceError) as error:
        formation.join_with_code(activity, INVITE, learner("bob"), other)
    assert error.value.status == 409 and "already in a pair" in error.value.message
    with pytest.raises(ServiceError):
        formation.create_invitation(activity, INVITE, learner("bob"))
    assert Pair.objects.get(invite_code=code).member_count == 2


def test_leave_pair_while_alone(activity):
    invite(activity, "ana")
    assert formation.leave_pair(activity, INVITE, learner("ana")).status == "unpaired"
    assert not Pair.objects.exists()
    code = invite(activity, "ana").invite_code
    formation.declare_profile(activity, INVITE, learner("bob"), PRAC)
    formation.join_with_code(activity, INVITE, learner("bob"), code)
    with pytest.raises(ServiceError) as error:
        formation.leave_pair(activity, INVITE, learner("ana"))
    assert error.value.status == 409


# --- trainer-assigned pairs -----------------------------------------------------------------


def known(activity, *names):
    for name in names:
        formation.declare_profile(activity, TRAINER, learner(name), THEO)


def test_csv_assignment_with_header_and_trio(activity):
    known(activity, "ana", "bob", "cy", "dee", "eve")
    created = formation.assign_pairs_from_csv(
        activity, TRAINER, STAFF, "username1,username2\nana,bob\n\n# a trio\ncy, dee ,eve\n", now=at()
    )
    assert len(created) == 2
    assert groups(activity) == [["ana", "bob"], ["cy", "dee", "eve"]]
    assert Pair.objects.get(id=created[1]).capacity == 3
    assert formation.pairing_state(activity, learner("eve")).status == "paired"


def test_csv_assignment_with_a_resolver_creates_participants(activity):
    created = formation.assign_pairs_from_csv(
        activity, TRAINER, STAFF, "ana,bob\n", resolve_username=lambda name: f"anon-{name}", now=at()
    )
    assert groups(activity) == [["ana", "bob"]] and len(created) == 1
    assert Participant.objects.get(anonymous_id="anon-ana").username == "ana"


@pytest.mark.parametrize(
    "text, status, fragment",
    [
        ("ana,bob\nzed,cy\n", 400, "Line %(line)s: %(username)s is not a learner of this course."),
        ("ana,bob\nbob,cy\n", 400, "Line %(line)s: %(username)s is already listed on line %(other)s."),
        ("ana\n", 400, "Line %(line)s: a pair needs two usernames (three for a trio)."),
        ("ana,bob,cy,dee\n", 400, "Line %(line)s: a pair needs two usernames (three for a trio)."),
        ("\n# nothing\n", 400, "The file lists no pairs."),
    ],
)
def test_csv_assignment_errors_change_nothing(activity, text, status, fragment):
    known(activity, "ana", "bob", "cy", "dee")
    with pytest.raises(ServiceError) as error:
        formation.assign_pairs_from_csv(activity, TRAINER, STAFF, text)
    assert (error.value.status, error.value.message) == (status, fragment)
    assert not Pair.objects.exists()


def test_csv_assignment_refuses_learners_already_paired(activity):
    known(activity, "ana", "bob", "cy", "dee")
    formation.assign_pairs_from_csv(activity, TRAINER, STAFF, "ana,bob\n")
    with pytest.raises(ServiceError) as error:
        formation.assign_pairs_from_csv(
            activity, TRAINER, STAFF, "cy,dee\nbob,zed\n", resolve_username=lambda n: f"anon-{n}"
        )
    assert error.value.status == 409 and error.value.params == {"line": 2, "username": "bob"}
    assert Pair.objects.count() == 1  # all or nothing


def test_csv_assignment_is_staff_only(activity):
    with pytest.raises(ServiceError) as error:
        formation.assign_pairs_from_csv(activity, TRAINER, learner("ana"), "ana,bob\n")
    assert error.value.status == 403


# --- moves ----------------------------------------------------------------------------------


def test_move_learner(activity):
    first = make_pair(activity, AUTO, "a", "b")
    second = make_pair(activity, AUTO, "c", "d")
    formation.move_learner(activity, AUTO, STAFF, "anon-a", second, now=at(5))
    assert groups(activity) == [["a", "c", "d"], ["b"]]
    assert formation.pairing_state(activity, learner("b")).status == "waiting"
    with pytest.raises(ServiceError) as error:
        formation.move_learner(activity, AUTO, STAFF, "anon-b", second, now=at(6))
    assert error.value.status == 409  # at most three
    formation.move_learner(activity, AUTO, STAFF, "anon-b", None, now=at(7))
    assert not Pair.objects.filter(id=first).exists()  # left empty: deleted
    assert formation.pairing_state(activity, learner("b")).status == "waiting"  # back in the queue
    assert Participant.objects.get(anonymous_id="anon-b").waiting_since == at(7)
    assert_counts_match(activity)


def test_move_learner_refusals(activity):
    submitted, _sub = submitted_pair(activity, AUTO, "a", "b")
    other = make_pair(activity, AUTO, "c", "d")
    for anonymous_id, target, status in [
        ("anon-a", other, 409),
        ("anon-c", submitted, 409),
        ("anon-zed", other, 404),
        ("anon-c", 999999, 404),
    ]:
        with pytest.raises(ServiceError) as error:
            formation.move_learner(activity, AUTO, STAFF, anonymous_id, target)
        assert error.value.status == status
    with pytest.raises(ServiceError) as error:
        formation.move_learner(activity, AUTO, learner("c"), "anon-c", None)
    assert error.value.status == 403
    assert groups(activity) == [["a", "b"], ["c", "d"]]
