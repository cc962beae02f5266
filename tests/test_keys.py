"""``common.keys``: the stored form of anonymous ids, and the caller's key at the handler edge."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from xblock.reference.user_service import XBlockUser

from devisus_xblocks.common.identity import caller_of
from devisus_xblocks.common.keys import fold, has_control, is_learner_key, learner_key

LMS_ID = "5d41402abc4b2a76b9719d911017c592"  # an md5 hexdigest, as anon_id_for_user makes them


def test_lms_ids_and_safe_ids_are_stored_as_they_are():
    for anonymous_id in (LMS_ID, "anon-ana", "student_1", "retired-0a1b", "a.b@c+d"):
        assert learner_key(anonymous_id) == anonymous_id
        assert is_learner_key(anonymous_id)


@pytest.mark.parametrize(
    "anonymous_id",
    [
        "Alice",  # MariaDB: the same as alice
        "anon-zoé",  # the same as anon-zoe
        "bob\x00",  # the same as bob
        "bob ",  # PAD SPACE: the same as bob
        "b\u200bob",  # a zero-width space, ignored
        "self",  # the self-assessment's reviewer key
        "pair:12",  # a reviewing pair's key
        "x" * 129,  # longer than the column
    ],
)
def test_other_ids_get_a_key_no_other_id_shares_on_any_database(anonymous_id):
    key = learner_key(anonymous_id)
    assert key != anonymous_id and key.startswith("~") and len(key) == 41
    assert is_learner_key(key) and not is_learner_key(anonymous_id)
    assert learner_key(anonymous_id) == key  # stable


def test_keys_of_ids_the_database_would_confuse_are_different():
    confusable = ["alice", "Alice", "ALICE", "alice ", "alice\x00", "alicé", "ａlice"]
    assert len({learner_key(anonymous_id) for anonymous_id in confusable}) == len(confusable)


def test_fold_and_control_characters():
    assert fold("Straße ") == fold("STRASSE") == "strasse"
    assert fold("Zoé") == fold("zoe") and fold("ＡＢ") == "ab" and fold("a\x00b") == "ab"
    assert has_control("bob\x00") and has_control("a\u200bb") and has_control("\ufeffx") and has_control("a\tb")
    assert not has_control("Zoé Dupont-Martin")


def _block(attrs):
    user = XBlockUser(is_current_user=True)
    user.opt_attrs.update(attrs)
    service = SimpleNamespace(get_current_user=lambda: user)
    return SimpleNamespace(runtime=SimpleNamespace(service=lambda block, name: service))


def test_the_caller_gets_the_stored_key_and_keeps_their_username():
    lms = caller_of(_block({"edx-platform.anonymous_user_id": LMS_ID, "edx-platform.username": "Zoé"}))
    assert (lms.anonymous_id, lms.username) == (LMS_ID, "Zoé")
    other = caller_of(_block({"xblock-workbench.user_id": "Alice"}))
    assert (other.anonymous_id, other.username) == (learner_key("Alice"), "Alice")
    assert caller_of(_block({"xblock-workbench.user_id": "alice"})).anonymous_id == "alice"
