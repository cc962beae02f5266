"""Every trainer handler through the block (workbench runtime) costs the same SQL queries for a
pairing of 6 pairs as for one of 45, and an action answers only what changed: the dashboard's top
and the pair concerned, never the list of pairs (the page fetches its worklist page again)."""

from __future__ import annotations

import pytest

from devisus_xblocks.pair_review.models import Activity, Submission

from .block_support import ENGLISH, Block, bench, count_queries, scenarios  # noqa: F401 - fixtures
from .test_worklist import _pool, worklist

pytestmark = pytest.mark.django_db(transaction=True)

SMALL, LARGE = 6, 45


def _waiting(block: Block, *names: str) -> list[str]:
    """Learners queued for a partner (all theory-oriented, so none pairs with another); their ids."""
    for name in names:
        assert block.ok("declare_profile", name, {"profile": "theoretician"})["state"]["pairing"]["status"] == "waiting"
    return [f"{name}" for name in names]


def _anonymous_id(block: Block, username: str) -> str:
    activity = Activity.objects.get(block_key=block.usage_id)
    return activity.participants.get(username=username).anonymous_id


def _submissions(block: Block) -> list[int]:
    activity = Activity.objects.get(block_key=block.usage_id)
    return list(Submission.objects.filter(activity=activity).order_by("id").values_list("id", flat=True))


def _drafting(block: Block) -> list[int]:
    return [pair["pair_id"] for pair in worklist(block, status="drafting", page_size=100)["pairs"]]


def _actions(block: Block, round_: int, used: set) -> dict:
    """One call of every trainer handler, on subjects of its own for this round."""
    moving = _waiting(block, f"mover{round_}")[0]
    leftovers = _waiting(block, f"left{round_}a", f"left{round_}b")
    _waiting(block, f"csv{round_}a", f"csv{round_}b")  # known to the activity: a list can pair them
    drafting = [pair for pair in _drafting(block) if pair not in used]
    submitted = [submission for submission in _submissions(block) if submission not in used]
    used.update(drafting[:2] + submitted[:3])
    answers = block.answers("pool-t0")
    return {
        "staff_state": {},
        "staff_worklist": {"status": "drafting", "search": "pool", "page_size": 5},
        "staff_pair": {"pair_id": drafting[0]},
        "staff_targets": {"anonymous_id": _anonymous_id(block, moving), "search": "pool-t"},
        "move_learner": {"anonymous_id": _anonymous_id(block, moving), "to_pair_id": drafting[0]},
        "split_pair": {"pair_id": drafting[1]},
        "override_grade": {"submission_id": submitted[0], "grade": 75, "reason": "Checked with the pair."},
        "trainer_review": {"submission_id": submitted[1], **answers},
        "remove_submission": {"submission_id": submitted[2], "reason": "Off topic."},
        "restore_submission": {"submission_id": submitted[2]},
        "assign_pairs": {"csv": f"csv{round_}a,csv{round_}b"},
        "resolve_leftovers": {"strategy": "same_profile"},
        "_leftovers": leftovers,
    }


def _costs(block: Block, actions: dict) -> dict:
    costs = {}
    for handler, data in actions.items():
        if handler.startswith("_"):
            continue
        queries, reply = count_queries(lambda handler=handler, data=data: block.call(handler, "staff", data))
        assert reply.status == 200, (handler, reply)
        costs[handler] = queries
        if handler not in ("staff_state", "staff_worklist", "staff_targets"):
            assert reply.data["html"] is None, handler  # never the whole dashboard
            assert "devisus-pair-review-pairs" not in str(reply.data), handler  # nor the list of pairs
    return costs


def test_every_trainer_handler_costs_the_same_queries_whatever_the_pool(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, SMALL, submitted_every=2)
    used: set = set()
    small = _costs(block, _actions(block, 1, used))
    _pool(block, SMALL, LARGE - SMALL, submitted_every=2)
    large = _costs(block, _actions(block, 2, used))
    assert worklist(block)["counts"]["all"] >= LARGE
    assert small == large, {name: (small[name], large[name]) for name in small if small[name] != large[name]}


def test_an_action_answers_the_top_of_the_dashboard_and_the_pair_it_changed(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 4)
    mover = _anonymous_id(block, _waiting(block, "mover")[0])
    target = _drafting(block)[0]
    reply = block.ok("move_learner", "staff", {"anonymous_id": mover, "to_pair_id": target})
    assert reply["message"] == "The learner is moved."
    assert reply["pair_id"] == target and "mover (" in reply["detail"]
    assert "Nobody is waiting." in reply["summary"] and "pairs drafting" in reply["summary"]


def test_a_target_pair_is_found_by_a_members_username_or_its_number(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 30)
    mover = _anonymous_id(block, _waiting(block, "mover")[0])
    by_name = block.ok("staff_targets", "staff", {"anonymous_id": mover, "name": "mover", "search": "pool-p17"})
    assert [t["label"] for t in by_name["targets"]] == [f"Pair {by_name['targets'][0]['pair_id']}: pool-t17, pool-p17"]
    assert by_name["message"] == "1 open pair found." and 'data-learner="' + mover + '"' in by_name["html"]
    number = by_name["targets"][0]["pair_id"]
    assert [
        t["pair_id"]
        for t in block.ok("staff_targets", "staff", {"anonymous_id": mover, "search": f"#{number}"})["targets"]
    ] == [number]
    assert [
        t["pair_id"]
        for t in block.ok(
            "staff_targets", "staff", {"anonymous_id": mover, "search": f"#{number}", "exclude_pair_id": number}
        )["targets"]
    ] == []
    some = block.ok("staff_targets", "staff", {"anonymous_id": mover})
    assert len(some["targets"]) == 20  # the oldest open pairs, never all of them
    submitted = {p["pair_id"] for p in worklist(block, status="submitted", page_size=100)["pairs"]}
    assert not submitted & {t["pair_id"] for t in some["targets"]}  # a submitted pair is not open
    nothing = block.ok("staff_targets", "staff", {"anonymous_id": mover, "search": "<b>nobody</b>"})
    assert nothing["targets"] == [] and "&lt;b&gt;nobody&lt;/b&gt;" in nothing["html"]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"anonymous_id": "x", "search": "y" * 151}, 400),
        ({"anonymous_id": "x", "search": "y" * 5000}, 400),
        ({"search": "pool"}, 400),
        ({"anonymous_id": "x", "exclude_pair_id": -1}, 400),
        ({"anonymous_id": ["x"]}, 400),
    ],
)
def test_bad_target_searches_are_refused(bench, data, status):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 2)
    reply = block.call("staff_targets", "staff", data)
    assert reply.status == status and reply.data["error"], reply


def test_learners_cannot_search_target_pairs(bench):
    block = Block(bench, ENGLISH)
    _pool(block, 0, 2)
    assert block.call("staff_targets", "pool-t0", {"anonymous_id": "x"}).status == 403


def test_the_waiting_list_shows_the_longest_waiting_and_counts_the_others(bench):
    block = Block(bench, ENGLISH)
    _waiting(block, *(f"queued{index:02d}" for index in range(23)))
    html = block.ok("staff_state", "staff")["html"]
    assert "queued00 (" in html and "queued19 (" in html and "queued20 (" not in html
    assert "3 more learners are waiting: the buttons below place everyone." in html
