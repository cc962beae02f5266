"""Keys of the pair-review tables under MySQL's collations (issue 10): what SQLite keeps apart,
MariaDB compares case- and accent-blind, with trailing spaces and control characters ignored.
Every test here passes on both databases with the same answer; on MariaDB, without the fixes, each
one ends in a silent match with another learner's (or block's) rows or an IntegrityError."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.common.identity import Caller
from devisus_xblocks.common.keys import learner_key
from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
from devisus_xblocks.pair_review.grading import grades
from devisus_xblocks.pair_review.models import Activity, GradeOverride, Membership, Pair, Participant
from devisus_xblocks.pair_review.pairing import formation
from devisus_xblocks.pair_review.retirement import retire_learner, retire_username

from .block_support import INVITATION, TRAINER, Block, bench, scenarios  # noqa: F401 - fixtures
from .conftest import STAFF, THEO, at, learner, submitted_pair
from .test_block_handlers import refused

COURSE = "course-v1:DEVISUS+PR+2026"
BLOCK = "block-v1:DEVISUS+PR+2026+type@devisus_pair_review+block@"
TRAINER_MODE = ActivitySettings(pairing_mode="trainer")


# ---- invitation codes: ASCII, upper-cased; a letter the database would fold is refused ----------


@pytest.mark.django_db(transaction=True)
def test_an_invitation_code_finds_its_pair_only_as_typed_in_ascii(bench):
    block = Block(bench, INVITATION)
    for name, profile in (("ana", "theoretician"), ("bob", "practitioner")):
        block.ok("declare_profile", name, {"profile": profile})
    block.ok("create_invitation", "ana")
    Pair.objects.update(invite_code="ABCDEFGE")  # a known code with an E
    message = "An invitation code has only the letters A to Z and digits."
    # MariaDB takes É for E, a full-width letter for the ASCII one, and ignores NUL and
    # zero-width spaces: each would join ana's pair there, and find nothing on SQLite.
    for typed in ("abcdefgé", "ＡＢＣＤＥＦＧＥ", "ABCDEFGE\x00", "ABCD\u200bEFGE", "ABCDEFGE\x07"):
        assert refused(block, "join_with_code", "bob", {"code": typed}) == message, typed
    assert not Membership.objects.filter(anonymous_id="anon-bob").exists()
    joined = block.ok("join_with_code", "bob", {"code": " abcd-efge "})  # case and separators ignored
    assert joined["state"]["pairing"]["status"] == "paired"


# ---- anonymous ids: one row per learner, whatever the workbench id ------------------------------


@pytest.mark.django_db(transaction=True)
def test_learners_whose_ids_differ_only_in_case_are_two_learners(bench):
    block = Block(bench, TRAINER)
    block.ok("declare_profile", "alice", {"profile": "theoretician"})
    block.ok("declare_profile", "Alice", {"profile": "practitioner"})  # MariaDB: alice's row, changed
    assert block.state("alice")["profile_label"] == "Theoretician"
    assert block.state("Alice")["profile_label"] == "Field practitioner"
    assert Participant.objects.count() == 2
    assert sorted(Participant.objects.values_list("username", flat=True)) == ["Alice", "alice"]


@pytest.mark.django_db(transaction=True)
def test_a_trainer_moves_only_the_learner_named_exactly(bench):
    block = Block(bench, TRAINER)
    for name, profile in (("ana", "theoretician"), ("bob", "practitioner"), ("cy", "theoretician")):
        block.ok("declare_profile", name, {"profile": profile})
    block.ok("assign_pairs", "staff", {"csv": "ana,bob"})
    pair_id = Pair.objects.get().id
    for anonymous_id in ("ANON-CY", "anon-cy ", "anon-cy\x00", "anon-çy"):
        error = refused(block, "move_learner", "staff", {"anonymous_id": anonymous_id, "to_pair_id": pair_id}, 404)
        assert error == "This learner has not taken part in the activity yet.", anonymous_id
    block.ok("move_learner", "staff", {"anonymous_id": "anon-cy", "to_pair_id": pair_id})
    assert Pair.objects.get().member_count == 3


# ---- the CSV list: exact usernames, and one learner listed once however their name is written --


@pytest.mark.django_db(transaction=True)
def test_a_username_finds_only_the_learner_with_exactly_that_name(bench):
    block = Block(bench, TRAINER)
    for name, profile in (("ana", "theoretician"), ("bob", "practitioner")):
        block.ok("declare_profile", name, {"profile": profile})
    for text, shown in (("ANA,bob", "ANA"), ("ana,bób", "bób")):  # MariaDB: ana and bob, paired
        assert refused(block, "assign_pairs", "staff", {"csv": text}) == (
            f"Line 1: {shown} is not a learner of this course."
        )
    assert not Pair.objects.exists()


def test_two_names_of_one_learner_are_refused_with_both_lines(activity):
    # The LMS finds a learner by username or email (``get_user_by_username_or_email``), case-blind
    # on MySQL: two lines may name one learner. Before: an IntegrityError turned into "already in
    # a pair", or two Participant rows for one key.
    same = {"ana": "5f0c0a", "ana@example.org": "5f0c0a", "bob": "77ab12", "cy": "0c1d2e"}
    with pytest.raises(ServiceError) as error:
        formation.assign_pairs_from_csv(
            activity, TRAINER_MODE, STAFF, "ana,bob\ncy,ana@example.org\n", resolve_username=same.get, now=at()
        )
    assert (error.value.status, error.value.params) == (
        400,
        {"line": 2, "username": "ana@example.org", "other_username": "ana", "other": 1},
    )
    assert not Pair.objects.exists() and not Participant.objects.exists()


def test_ids_from_the_resolver_are_stored_as_the_learners_own_key(activity):
    # A resolver's id is stored under the key ``caller_of`` gives the same learner, so the learner
    # finds the pair the trainer made.
    formation.assign_pairs_from_csv(
        activity, TRAINER_MODE, STAFF, "ana,bob\n", resolve_username=lambda name: f"ID-{name}", now=at()
    )
    ana = Caller(learner_key("ID-ana"), "ana", False)
    assert formation.pairing_state(activity, ana).status == "paired"
    assert Participant.objects.filter(anonymous_id=learner_key("ID-ana")).exists()


# ---- activities: one per block, never shared by two blocks --------------------------------------


def test_two_blocks_whose_ids_differ_in_case_never_share_an_activity(db):
    first = get_activity(COURSE, BLOCK + "capstone")
    assert get_activity(COURSE, BLOCK + "capstone") == first
    for clash in ("Capstone", "CAPSTONE", "capstone "):  # MariaDB: the same row as "capstone"
        with pytest.raises(ServiceError) as error:
            get_activity(COURSE, BLOCK + clash)
        assert error.value.status == 409 and "same id apart from capital letters" in error.value.message
    assert Activity.objects.count() == 1
    assert get_activity(COURSE, BLOCK + "capstone2") != first


def test_a_block_id_longer_than_the_column_is_refused_not_cut(db):
    # Before, both were cut to the same 255 characters: one activity for two blocks.
    for suffix in ("a", "b"):
        with pytest.raises(ServiceError) as error:
            get_activity(COURSE, BLOCK + "x" * 250 + suffix)
        assert error.value.status == 409 and "too long" in error.value.message
    assert not Activity.objects.exists()


def test_existing_activities_of_such_blocks_keep_working(db):
    first = Activity.objects.create(course_key=COURSE, block_key=BLOCK + "capstone")
    if connection.vendor == "sqlite":  # a database made before the check may hold both rows
        second = Activity.objects.create(course_key=COURSE, block_key=BLOCK + "Capstone")
        assert get_activity(COURSE, BLOCK + "Capstone") == second
    else:  # MySQL's collation makes them one key: the database itself refuses the second row
        with pytest.raises(IntegrityError), transaction.atomic():
            Activity.objects.create(course_key=COURSE, block_key=BLOCK + "Capstone")
    assert get_activity(COURSE, BLOCK + "capstone") == first


# ---- retirement: only the exact learner ---------------------------------------------------------


def test_retirement_by_username_spares_people_whose_name_differs_in_case_or_accents(activity, publisher):
    for anonymous_id, username in (("anon-ana", "ana"), ("anon-ana2", "Ana"), ("anon-ana3", "anà")):
        formation.declare_profile(activity, TRAINER_MODE, Caller(anonymous_id, username, False), THEO)
    _pair, submission = submitted_pair(activity, TRAINER_MODE, "cy", "dee")
    for staff in (Caller("anon-t1", "trainer", True), Caller("anon-t2", "Trainer", True)):
        grades.override_grade(
            activity, TRAINER_MODE, staff, submission, 0.5, "Moderated", now=at(), publisher=publisher
        )
    assert retire_username("ana") > 0
    assert sorted(Participant.objects.values_list("username", flat=True)) == ["", "Ana", "anà", "cy", "dee"]
    assert Participant.objects.get(username="").anonymous_id.startswith("retired-")
    retire_username("trainer")
    assert sorted(GradeOverride.objects.values_list("by_username", flat=True)) == ["", "Trainer"]


def test_retirement_by_id_needs_a_stored_key(activity):
    formation.declare_profile(activity, TRAINER_MODE, learner("ana"), THEO)
    for other in ("ANON-ANA", "anon-ana\x00", "anon-ana "):  # MariaDB: ana's rows
        assert retire_learner(other) == 0
    assert Participant.objects.get().anonymous_id == "anon-ana"
    assert retire_learner("anon-ana") > 0
