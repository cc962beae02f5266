"""Each member's statement of what they brought to the joint work (sse_trainer-24): written through
the block after the pair has submitted, shown back to its author only, read by trainers in the
pair's detail, refused with a clear 4xx when it cannot be kept."""

from __future__ import annotations

from devisus_xblocks.pair_review.models import SubmissionMember
from devisus_xblocks.pair_review.pairing.contribution import MAX_LENGTH

from .block_support import ENGLISH, SMALL, Block, bench, scenarios  # noqa: F401 - fixtures
from .test_block_handlers import refused


def statements() -> dict:
    return dict(SubmissionMember.objects.values_list("anonymous_id", "contribution"))


def test_a_member_states_their_contribution_and_only_trainers_read_both(bench):
    block = Block(bench, SMALL)
    pair_id = block.pair("ana", "bob")
    assert refused(block, "save_contribution", "ana", {"text": "Too early."}, status=409) == (
        "Your pair has not submitted its work yet."
    )
    block.write_and_submit("ana", "Plan of ana and bob.")
    assert 'data-form="contribution"' in block.page("ana")
    reply = block.ok("save_contribution", "ana", {"text": "  I wrote the diagnosis <b>and</b> the indicators.  "})
    assert reply["message"] == "Your statement is saved. Only the teaching team reads it."
    assert reply["state"]["submission"]["contribution"] == "I wrote the diagnosis <b>and</b> the indicators."
    assert "I wrote the diagnosis &lt;b&gt;and&lt;/b&gt; the indicators." in reply["html"]
    # the partner sees their own (empty) statement, never ana's
    assert block.state("bob")["submission"]["contribution"] == ""
    assert "I wrote the diagnosis" not in block.page("bob")
    block.ok("save_contribution", "bob", {"text": "I led the interviews."})
    detail = block.ok("staff_pair", "staff", {"pair_id": pair_id})["detail"]
    assert "What each member says they contributed" in detail
    assert (
        "I wrote the diagnosis &lt;b&gt;and&lt;/b&gt; the indicators." in detail and "I led the interviews." in detail
    )
    assert "<b>and</b>" not in detail
    # changed, then emptied: an empty statement is not shown
    block.ok("save_contribution", "bob", {"text": ""})
    detail = block.ok("staff_pair", "staff", {"pair_id": pair_id})["detail"]
    assert "I led the interviews." not in detail and "I wrote the diagnosis" in detail


def test_bad_statements_are_refused_and_change_nothing(bench):
    block = Block(bench, ENGLISH)
    block.pair("ana", "bob")
    block.write_and_submit("ana", "Plan of ana and bob.")
    block.ok("save_contribution", "ana", {"text": "Kept."})
    too_long = refused(block, "save_contribution", "ana", {"text": "x" * (MAX_LENGTH + 1)})
    assert too_long == f"Your statement is too long: {MAX_LENGTH} characters at most."
    refused(block, "save_contribution", "ana", {"text": 42})
    refused(block, "save_contribution", "ana", {})
    refused(block, "save_contribution", "zed", {"text": "Not in a pair."}, status=409)
    assert sorted(statements().values()) == ["", "Kept."]  # ana's kept, bob wrote none


def test_the_statement_closes_with_the_review_period(activity):
    import pytest

    from devisus_xblocks.common.errors import ServiceError
    from devisus_xblocks.pair_review.activity import ActivitySettings
    from devisus_xblocks.pair_review.pairing import contribution

    from .conftest import at, learner, submitted_pair

    rules = ActivitySettings(review_due=at(days=7))
    submitted_pair(activity, rules, "t0", "p0")
    assert contribution.save_contribution(activity, rules, learner("t0"), " Mine. ", now=at(days=6)) == "Mine."
    with pytest.raises(ServiceError) as error:
        contribution.save_contribution(activity, rules, learner("t0"), "Later.", now=at(days=7, minutes=1))
    assert error.value.status == 409 and statements()["anon-t0"] == "Mine."
