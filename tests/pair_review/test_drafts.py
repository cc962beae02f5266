"""The joint draft: versioned saves, stale-version refusal, membership, submission."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Draft, Pair, Submission
from devisus_xblocks.pair_review.pairing import drafts, formation

from .conftest import THEO, at, learner, make_pair

SETTINGS = ActivitySettings(char_limit=50)


def error_of(call, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        call(*args, **kwargs)
    return error.value


def test_saves_carry_a_version(activity):
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    view = drafts.save_draft(activity, SETTINGS, learner("ana"), pair, "First lines", 0, now=at(1))
    assert (view.version, view.text, view.saved_by_me) == (1, "First lines", True)
    view = drafts.save_draft(activity, SETTINGS, learner("bob"), pair, "First lines, improved", 1, now=at(2))
    assert view.version == 2
    seen_by_ana = drafts.get_draft(activity, SETTINGS, learner("ana"))
    assert (seen_by_ana.text, seen_by_ana.version, seen_by_ana.saved_by_me) == ("First lines, improved", 2, False)


def test_stale_version_is_refused_and_changes_nothing(activity):
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    drafts.save_draft(activity, SETTINGS, learner("ana"), pair, "Ana's text", 0)
    error = error_of(drafts.save_draft, activity, SETTINGS, learner("bob"), pair, "Bob's text", 0)
    assert error.status == 409 and error.params == {"version": 1}
    assert "newer version" in error.message
    assert Draft.objects.get(pair_id=pair).text == "Ana's text"


def test_non_member_is_refused(activity):
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    make_pair(activity, SETTINGS, "cy", "dee")
    assert error_of(drafts.save_draft, activity, SETTINGS, learner("cy"), pair, "Intrusion", 0).status == 403
    assert error_of(drafts.save_draft, activity, SETTINGS, learner("zed"), pair, "Intrusion", 0).status == 403
    assert error_of(drafts.get_draft, activity, SETTINGS, learner("zed")).status == 409
    assert error_of(drafts.submit_pair, activity, SETTINGS, learner("cy"), pair).status == 403
    assert not Draft.objects.filter(pair_id=pair).exists()  # nothing written: no draft row


def test_text_over_the_limit_is_refused(activity):
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    error = error_of(drafts.save_draft, activity, SETTINGS, learner("ana"), pair, "x" * 51, 0)
    assert error.status == 400 and error.params == {"count": 51, "limit": 50}


def test_submit_locks_the_draft(activity):
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    drafts.save_draft(activity, SETTINGS, learner("ana"), pair, "Our plan", 0)
    sub = drafts.submit_pair(activity, SETTINGS, learner("bob"), pair, expected_version=1, now=at(10))
    assert sub.text == "Our plan" and sub.draft_version == 1 and sub.submitted_at == at(10)
    assert Pair.objects.get(id=pair).submitted_at == at(10)
    assert Draft.objects.get(pair_id=pair).locked
    error = error_of(drafts.save_draft, activity, SETTINGS, learner("ana"), pair, "Too late", 1)
    assert error.status == 409 and "already submitted" in error.message
    assert error_of(drafts.submit_pair, activity, SETTINGS, learner("ana"), pair).status == 409
    assert Submission.objects.count() == 1
    mine = drafts.get_submission(activity, learner("ana"))
    assert mine.submission_id == sub.submission_id and not mine.submitted_by_me and mine.in_review


def test_submit_refusals_change_nothing(activity):
    formation.declare_profile(activity, SETTINGS, learner("solo"), THEO)
    alone = formation.create_invitation(activity, ActivitySettings(pairing_mode="invitation"), learner("solo")).pair_id
    assert error_of(drafts.submit_pair, activity, SETTINGS, learner("solo"), alone).status == 409  # no partner yet
    pair = make_pair(activity, SETTINGS, "ana", "bob")
    assert error_of(drafts.submit_pair, activity, SETTINGS, learner("ana"), pair).status == 400  # empty draft
    assert not Draft.objects.filter(pair_id=pair).exists()  # nothing written, nothing locked
    drafts.save_draft(activity, SETTINGS, learner("ana"), pair, "v1", 0)
    drafts.save_draft(activity, SETTINGS, learner("ana"), pair, "v2", 1)
    error = error_of(drafts.submit_pair, activity, SETTINGS, learner("bob"), pair, expected_version=1)
    assert error.status == 409 and error.params == {"version": 2}  # bob confirmed an older text
    due = ActivitySettings(submission_due=at(5))
    assert error_of(drafts.submit_pair, activity, due, learner("bob"), pair, now=at(6)).status == 409
    assert error_of(drafts.save_draft, activity, due, learner("bob"), pair, "late", 2, now=at(6)).status == 409
    assert not Submission.objects.exists()
    drafts.submit_pair(activity, due, learner("bob"), pair, expected_version=2, now=at(5))  # on the deadline: fine
