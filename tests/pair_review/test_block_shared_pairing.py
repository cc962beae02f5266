"""One pairing for several activities, through the blocks' handlers (workbench runtime).

Two blocks with ``pairing_id="course-pairs"``: pairs formed in either are the pairs of both; each
block keeps its own draft, submission, reviews and grade per pair.
"""

from __future__ import annotations

import pytest

from devisus_xblocks.pair_review.models import Activity, Draft, Membership, Pair, Submission
from tests import studio_editor

from .block_support import SHARED, SMALL, Block, bench, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def blocks(bench):
    return Block(bench, SHARED, 0), Block(bench, SHARED, 1)


def test_a_pair_formed_in_one_activity_works_together_in_the_next(blocks):
    first, second = blocks
    pair_id = first.pair("ana", "bob")
    state = second.state("ana")
    assert state["step"] == "draft"
    assert state["pairing"]["status"] == "paired" and state["pairing"]["pair_id"] == pair_id
    assert [p["username"] for p in state["pairing"]["partners"]] == ["bob"]
    assert (state["draft"]["version"], state["draft"]["text"]) == (0, "")
    assert "bob" in second.page("ana")  # the next activity names the partner

    second.write_and_submit("bob", "Our evaluation plan.")
    assert first.state("ana")["draft"]["text"] == ""  # each activity has its own draft
    first.write_and_submit("ana", "Our stakeholder map.")
    texts = dict(Submission.objects.values_list("activity__block_key", "text"))
    assert sorted(texts.values()) == ["Our evaluation plan.", "Our stakeholder map."]
    assert Pair.objects.count() == 1 and Membership.objects.count() == 2  # one pair for both
    assert Draft.objects.count() == 2


def test_learners_arriving_at_the_second_activity_join_the_same_pairing(blocks):
    first, second = blocks
    second.pair("cy", "dee")  # late arrivals pair where they are
    assert first.state("cy")["pairing"]["partners"][0]["username"] == "dee"
    pairings = Activity.objects.filter(block_key="pairing:course-pairs")
    assert pairings.count() == 1 and Pair.objects.filter(activity=pairings.get()).count() == 1


def test_reviews_and_grades_stay_with_their_activity(blocks):
    first, second = blocks
    first.pair("ana", "bob")
    first.pair("cy", "dee")
    for block in (first, second):
        block.write_and_submit("ana", f"Ana and Bob, {block.usage_id}")
        block.write_and_submit("cy", f"Cy and Dee, {block.usage_id}")
    task = second.ok("next_review", "cy")["state"]["review"]["task"]
    assert task["text"] == f"Ana and Bob, {second.usage_id}"  # the other pair's work of this activity
    second.review("cy")
    grades = {
        (row.activity_id, row.text.split(",")[0]): row.grade for row in Submission.objects.select_related("activity")
    }
    first_id, second_id = (Activity.objects.get(block_key=b.usage_id).id for b in (first, second))
    assert grades[(second_id, "Ana and Bob")] is not None  # reviewed in the second activity
    assert grades[(first_id, "Ana and Bob")] is None  # nothing reviewed in the first one yet
    assert first.ok("next_review", "cy")["state"]["review"]["task"]["text"] == f"Ana and Bob, {first.usage_id}"


def test_the_trainer_of_any_activity_sees_the_pairs_of_the_pairing(blocks):
    first, second = blocks
    first.pair("ana", "bob")
    first.write_and_submit("ana", "Our stakeholder map.")
    html = second.ok("staff_state", "staff")["html"]
    assert html.count('class="devisus-pair-review-pair"') == 1 and "ana" in html and "bob" in html
    assert 'data-status="drafting"' in html  # nothing submitted in this activity
    assert 'data-status="submitted"' in first.ok("staff_state", "staff")["html"]


def test_a_pair_that_submitted_anywhere_keeps_its_members(blocks):
    first, second = blocks
    first.pair("ana", "bob")
    first.pair("cy", "dee")
    first.write_and_submit("ana", "Our stakeholder map.")
    anonymous_id = Membership.objects.get(participant__username="ana").anonymous_id
    target = Membership.objects.get(participant__username="cy").pair_id
    reply = second.call("move_learner", "staff", {"anonymous_id": anonymous_id, "to_pair_id": target})
    assert reply.status == 409 and "already submitted" in reply.error
    assert Membership.objects.get(participant__username="ana").pair_id != target


@pytest.mark.parametrize("value", ["Course-Pairs", "pairs id", "pairs\u00e9", "-pairs", "p" * 65, "pairs\n"])
def test_studio_refuses_a_pairing_id_mysql_could_confuse(bench, value):
    usage = Block(bench, SMALL).usage_id
    reply = studio_editor.save(bench, SMALL, usage, "staff", {"pairing_id": value})
    assert reply.status == 400
    assert [m["text"] for m in reply.error["messages"]] == [
        "The pairing id may hold only lower-case letters, digits, - and _ (at most 64)."
    ]


def test_studio_saves_a_pairing_id(bench):
    block = Block(bench, SMALL)
    assert studio_editor.save(bench, SMALL, block.usage_id, "staff", {"pairing_id": "module-pairs"}).status == 200
    block.pair("ana", "bob")
    assert Pair.objects.get().activity.block_key == "pairing:module-pairs"


def test_an_inactive_partner_is_shown_and_can_be_left_for_a_new_one(blocks):
    from datetime import timedelta

    from django.utils import timezone

    first, second = blocks
    first.pair("ana", "bob")
    first.write_and_submit("ana", "Our stakeholder map.")
    month_ago = timezone.now() - timedelta(days=30)
    Membership.objects.filter(participant__username="bob").update(last_active_at=month_ago)  # bob dropped out
    second.ok("declare_profile", "cleo", {"profile": "practitioner"})  # cleo waits for a theoretician

    state = second.state("ana")
    assert state["pairing"]["can_leave_inactive"] and state["pairing"]["partners"][0]["inactive_since"]
    page = second.page("ana")
    assert "bob has not been active in the course since" in page and 'data-action="leave-inactive"' in page
    assert 'class="devisus-pair-review-inactive"' in second.ok("staff_state", "staff")["html"]

    refused = second.call("leave_inactive_partner", "ana", {"confirm": False})
    assert refused.status == 400
    left = second.ok("leave_inactive_partner", "ana", {"confirm": True})
    assert [p["username"] for p in left["state"]["pairing"]["partners"]] == ["cleo"]
    assert "You have left your pair" in left["message"]
    assert first.state("ana")["submission"]["text"] == "Our stakeholder map."  # module 4's work stays hers
    bob = second.call("leave_inactive_partner", "bob", {"confirm": True})
    assert bob.status == 409  # bob's partner (none now) is not an inactive one to leave


def test_the_trainer_splits_a_pair_through_the_dashboard(blocks):
    first, second = blocks
    pair_id = first.pair("ana", "bob")
    detail = second.ok("staff_pair", "staff", {"pair_id": pair_id})["detail"]
    assert 'data-action="split"' in detail
    assert second.call("split_pair", "ana", {"pair_id": pair_id}).status == 403
    reply = second.ok("split_pair", "staff", {"pair_id": pair_id})
    assert "2 learners wait for a new partner" in reply["message"]
    assert second.state("ana")["pairing"]["status"] == "waiting"
    assert second.call("split_pair", "staff", {"pair_id": pair_id}).status == 404
