"""The pair through the whole course, through the blocks' handlers (workbench runtime): three
activities of one pairing (two staged pieces and a calibrated capstone). Four learners pair once
and produce both pieces with the same partner; a partner drops out before the capstone, the other
leaves them and pairs with a learner who arrives late; everyone calibrates and reviews; one
capstone gets an accuracy-weighted grade, the other waits for the trainer, who sees inactivity,
accuracy and the disagreement, and decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from devisus_xblocks.pair_review.models import Membership, Pair, Submission

from .block_support import COURSE, Block, bench, scenarios  # noqa: F401 - fixtures
from .test_block_calibration import review

pytestmark = pytest.mark.django_db(transaction=True)

EXACT = {"plan": "partly", "pair": "apart"}  # the reference levels of the capstone's example


def staged_piece(block, texts: dict) -> None:
    """Both pairs submit, then each of the four learners reviews the other pair's work."""
    for writer, text in texts.items():
        block.write_and_submit(writer, text)
    for name in ("ana", "bob", "cy", "dee"):
        block.review(name)


def test_the_pair_runs_through_the_course(bench):
    stakeholders, outline, capstone = (Block(bench, COURSE, index) for index in range(3))

    # module 4: pairs form once, where the pairing first appears
    stakeholders.pair("ana", "bob")
    stakeholders.pair("cy", "dee")
    staged_piece(stakeholders, {"ana": "Map of ana and bob", "cy": "Map of cy and dee"})
    assert Submission.objects.get(text="Map of ana and bob").grade is not None

    # module 7: the same pairs, straight to their joint draft
    state = outline.state("bob")
    assert state["step"] == "draft" and [p["username"] for p in state["pairing"]["partners"]] == ["ana"]
    staged_piece(outline, {"bob": "Outline of ana and bob", "dee": "Outline of cy and dee"})
    assert Pair.objects.count() == 2 and Membership.objects.count() == 4

    # before the capstone bob drops out; ana sees it, leaves him, and pairs with eve, who arrives late
    Membership.objects.filter(anonymous_id__endswith="bob").update(last_active_at=timezone.now() - timedelta(days=30))
    state = capstone.state("ana")
    assert state["pairing"]["can_leave_inactive"] and state["pairing"]["partners"][0]["inactive_since"]
    assert capstone.ok("leave_inactive_partner", "ana", {"confirm": True})["state"]["pairing"]["status"] == "waiting"
    eve = capstone.ok("declare_profile", "eve", {"profile": "practitioner"})["state"]
    assert [p["username"] for p in eve["pairing"]["partners"]] == ["ana"] and eve["step"] == "draft"
    # the pieces ana wrote with bob stay theirs, with their grades
    assert stakeholders.state("ana")["submission"]["text"] == "Map of ana and bob"
    assert outline.state("ana")["grade"]["percent"]  # (bob, silent, is not asked: asking would wake him)

    capstone.write_and_submit("eve", "Capstone of ana and eve")
    capstone.write_and_submit("cy", "Capstone of cy and dee")

    # calibration before the first capstone review; dee's assessment is off on one criterion
    for name in ("ana", "eve", "cy"):
        capstone.ok("calibrate", name, {"example_id": "funder-plan", "choices": EXACT})
    capstone.ok("calibrate", "dee", {"example_id": "funder-plan", "choices": {"plan": "fully", "pair": "apart"}})

    review(capstone, "cy", {"plan": "fully", "pair": "joined"})  # 100 %, by an accuracy of 100 %
    review(capstone, "dee", {"plan": "mostly", "pair": "joined"})  # 80 %, by an accuracy of 60 %
    review(capstone, "ana", {"plan": "fully", "pair": "joined"})  # 100 %
    review(capstone, "eve", {"plan": "partly", "pair": "apart"})  # 40 %: 60 points apart, threshold 50

    weighted = Submission.objects.get(text="Capstone of ana and eve")
    # the accurate reviewer's 3 points prevail on "plan" (the plain median, 2.5, would give 90 %)
    assert (weighted.peer_details, weighted.grade, weighted.grade_source) == ({"plan": 3.0, "pair": 2.0}, 1.0, "peer")
    assert capstone.state("eve")["grade"]["percent"] == "100.0%"
    disputed = Submission.objects.get(text="Capstone of cy and dee")
    assert (disputed.grade, disputed.needs_trainer_reason) == (None, "60;40;100")

    dashboard = capstone.ok("staff_state", "staff")["html"]
    assert "1 pair needs the trainer (the reviews disagree)" in dashboard
    assert "accuracy as a reviewer 60.0%" in dashboard  # dee
    assert "bob (Field practitioner), <strong" in dashboard and "inactive since" in dashboard

    comments = {"plan": "Chosen with the team, feasible.", "pair": "Both views shape each step."}
    choices = {"plan": "mostly", "pair": "joined"}
    capstone.ok("trainer_review", "staff", {"submission_id": disputed.id, "choices": choices, "comments": comments})
    disputed.refresh_from_db()
    assert (disputed.grade, disputed.grade_source) == (0.8, "trainer")
    assert capstone.state("dee")["grade"]["percent"] == "80.0%"
