"""The trainer's worklist through the block's handler (workbench runtime): one page of pairs, filtered
by status, searched by username, sorted, with the count of every status; the same number of SQL
queries for a pool of 6 pairs as for one of 45; bad paging input refused with a 400 and a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from devisus_xblocks.common.identity import Caller
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Activity, Membership
from devisus_xblocks.pair_review.pairing import drafts, formation

from .block_support import ENGLISH, Block, bench, count_queries, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def _pool(block: Block, start: int, size: int, submitted_every: int = 3) -> None:
    """``size`` pairs: one in ``submitted_every`` submitted, the others drafting."""
    block.state("warmup")
    activity = Activity.objects.get(block_key=block.usage_id)
    settings = ActivitySettings()
    for index in range(start, start + size):
        theo = Caller(f"anon-pool-t{index}", f"pool-t{index}", False)
        prac = Caller(f"anon-pool-p{index}", f"pool-p{index}", False)
        formation.declare_profile(activity, settings, theo, "theoretician")
        formation.declare_profile(activity, settings, prac, "practitioner")
        formation.join_automatic(activity, settings, theo)
        pair_id = formation.join_automatic(activity, settings, prac).pair_id
        if index % submitted_every == 0:
            drafts.save_draft(activity, settings, theo, pair_id, f"Pool plan {index}.", 0)
            drafts.submit_pair(activity, settings, prac, pair_id, expected_version=1)


def worklist(block: Block, **data) -> dict:
    return block.ok("staff_worklist", "staff", data)


def test_counts_filters_search_and_paging(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 9)  # pairs 0, 3, 6 submitted; six drafting
    everything = worklist(block, page_size=4)
    assert everything["counts"]["all"] == 9
    assert (everything["counts"]["submitted"], everything["counts"]["drafting"]) == (3, 6)
    assert (everything["total"], everything["pages"], len(everything["pairs"])) == (9, 3, 4)
    last = worklist(block, page_size=4, page=3)
    assert len(last["pairs"]) == 1
    seen = {p["pair_id"] for p in everything["pairs"]} | {
        p["pair_id"] for p in worklist(block, page_size=4, page=2)["pairs"]
    }
    assert last["pairs"][0]["pair_id"] not in seen  # pages do not overlap

    submitted = worklist(block, status="submitted")
    assert [p["status"] for p in submitted["pairs"]] == ["submitted"] * 3
    assert {m["username"] for p in submitted["pairs"] for m in p["members"]} == {
        f"pool-{role}{i}" for role in "tp" for i in (0, 3, 6)
    }
    found = worklist(block, search="  POOL-p6 ")
    assert found["total"] == 1 and found["pairs"][0]["members"][1]["username"] == "pool-p6"
    assert found["counts"]["all"] == 1  # the counts follow the search
    newest = worklist(block, sort="newest", page_size=1)["pairs"][0]["members"][0]["username"]
    assert newest == "pool-t8"


def test_inactive_partners_and_the_longest_waiting_first(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 6)
    Membership.objects.filter(anonymous_id="anon-pool-p4").update(last_active_at=timezone.now() - timedelta(days=40))
    silent = worklist(block, status="inactive_partner")
    assert silent["total"] == 1 and silent["counts"]["inactive_partner"] == 1
    assert [m["inactive"] for m in silent["pairs"][0]["members"]] == [False, True]
    queue = worklist(block, sort="longest_waiting")["pairs"]
    assert [p["status"] for p in queue[:2]] == ["submitted", "submitted"]
    assert queue[0]["submitted_at"] <= queue[1]["submitted_at"]


def test_one_page_costs_the_same_queries_whatever_the_pool(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 6)
    small, reply = count_queries(lambda: block.call("staff_worklist", "staff", {"page_size": 5}))
    assert reply.status == 200
    small_filtered, _ = count_queries(
        lambda: block.call("staff_worklist", "staff", {"search": "pool", "status": "drafting"})
    )
    _pool(block, 6, 39)
    large, reply = count_queries(lambda: block.call("staff_worklist", "staff", {"page_size": 5}))
    assert reply.status == 200 and reply.data["counts"]["all"] == 45 and len(reply.data["pairs"]) == 5
    large_filtered, _ = count_queries(
        lambda: block.call("staff_worklist", "staff", {"search": "pool", "status": "drafting"})
    )
    assert (small, small_filtered) == (large, large_filtered), (small, large, small_filtered, large_filtered)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "everything"}, "Unknown status filter."),
        ({"sort": "random"}, "Unknown sort order."),
        ({"page": 4}, "There is no such page."),
        ({"page": 0}, "page"),
        ({"page_size": -5}, "page_size"),
        ({"page_size": 1000}, "page_size"),
        ({"search": "x" * 400}, "The search is too long."),
        ({"search": "x" * 5000}, "search is too long"),
        ({"page": "2"}, "Wrong type for field: page"),
    ],
)
def test_bad_paging_input_is_refused(bench, data, message):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 3)
    reply = block.call("staff_worklist", "staff", data)
    assert reply.status == 400, reply
    assert message in reply.data["error"], reply.data


def test_learners_cannot_read_the_worklist(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 2)
    assert block.call("staff_worklist", "pool-t0", {}).status == 403


def test_refusals_are_translated(scenarios):
    from tests.xblock_client import Workbench

    from .block_support import DEFAULT_FR

    block = Block(Workbench("fr"), DEFAULT_FR)
    _pool(block, 0, 2)
    reply = block.call("staff_worklist", "staff", {"page": 9})
    assert (reply.status, reply.data["error"]) == (400, "Cette page n'existe pas.")


def test_one_pair_in_detail_costs_the_same_whatever_the_pool(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 6)
    first = worklist(block, status="submitted")["pairs"][0]["pair_id"]
    small, reply = count_queries(lambda: block.call("staff_pair", "staff", {"pair_id": first}))
    assert reply.status == 200 and reply.data["html"] is None and "Pool plan 0." in reply.data["detail"]
    _pool(block, 6, 39)
    large, reply = count_queries(lambda: block.call("staff_pair", "staff", {"pair_id": first}))
    assert reply.status == 200 and "Pool plan 0." in reply.data["detail"]
    assert small == large, (small, large)
