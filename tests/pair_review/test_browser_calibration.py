"""Calibration and the "needs trainer" list in a real browser (Debian's Chromium), keyboard only,
at 320 px, in English: a reviewer assesses both calibration examples, reads the comparison with
the reference, then gets work to review; the trainer finds the disagreeing work, each reviewer's
accuracy, and decides with their own review. axe-core checks each state of the block."""

from __future__ import annotations

import pytest

from tests.browser_support import phone
from tests.xblock_client import Workbench

from .block_support import CALIBRATED, Block, live_pair_review  # noqa: F401 - fixture
from .test_block_calibration import MATCHING, calibrate, review
from .test_browser_journey import BLOCK, press_on, said, tab_to

pytestmark = pytest.mark.django_db(transaction=True)


def open_as(page, url: str, student: str):
    page.goto(f"{url}/scenario/{CALIBRATED}/?student={student}")
    page.wait_for_load_state("networkidle")


def check(page, name: str):
    assert page.probe.axe_violations(BLOCK) == [], name
    assert page.evaluate(f"document.querySelector({BLOCK!r}).scrollWidth") <= 320, name
    page.probe.screenshot(f"pair-review-calibration-{name}")


def choose(page, criterion: str, steps: int) -> None:
    """Choose the level ``steps`` arrow presses after the first one, by keyboard."""
    tab_to(page, f"[data-form=calibrate] [data-criterion={criterion}] input[type=radio]")
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def test_a_reviewer_calibrates_and_the_trainer_settles_a_disagreement(live_pair_review):
    block = Block(Workbench("en"), CALIBRATED)
    block.pair("ana", "bob")
    block.pair("cy", "dee")
    block.write_and_submit("ana", "Plan of ana and bob")
    block.write_and_submit("cy", "Plan of cy and dee")

    with phone("en-US") as page:
        open_as(page, live_pair_review, "ana")
        text = page.locator(BLOCK).inner_text()
        assert "Calibration: 0 of 2 examples assessed" in text and "A plan written for the funder" in text
        assert page.locator("[data-action=next-review]").count() == 0
        check(page, "first-example")

        choose(page, "plan", 2)  # "Fully", where the reference says "Partly"
        choose(page, "pair", 0)  # "Side by side", as the reference
        press_on(page, "[data-action=send-calibrate]")
        said(page, "Your assessment of the example is recorded: compare it with the reference.")
        table = page.locator(".devisus-pair-review-calibration table").first
        assert "agreement 60.0%" in table.locator("caption").inner_text()
        rows = [row.inner_text() for row in table.locator("tbody tr").all()]
        assert "Fully (differs)" in rows[0] and "It answers the funder's question" in rows[0]
        assert "differs" not in rows[1]
        check(page, "compared-with-the-reference")

        choose(page, "plan", 2)
        choose(page, "pair", 1)
        press_on(page, "[data-action=send-calibrate]")
        page.wait_for_selector("h4:has-text('Calibration: 2 of 2 examples assessed')")  # same announcement again
        press_on(page, "[data-action=next-review]")
        page.wait_for_selector("[data-form=review]")
        assert "Plan of cy and dee" in page.locator(BLOCK).inner_text()
        assert page.errors == []

    # the others calibrate and review through the handlers; ana and bob disagree on cy's plan
    comments_ok = "One strength, and one suggestion."
    task = block.ok("next_review", "ana")["state"]["review"]["task"]
    answers = {"plan": "fully", "pair": "joined"}
    block.ok(
        "submit_review",
        "ana",
        {"assignment_id": task["assignment_id"], "choices": answers, "comments": dict.fromkeys(answers, comments_ok)},
    )
    calibrate(
        block, "bob", {"funder-plan": {"plan": "fully", "pair": "joined"}, "shared-plan": MATCHING["shared-plan"]}
    )
    review(block, "bob", {"plan": "partly", "pair": "apart"})

    with phone("en-US") as page:
        open_as(page, live_pair_review, "staff")
        dashboard = page.locator(BLOCK).inner_text()
        assert "1 pair needs the trainer (the reviews disagree)" in dashboard
        assert "Needs the trainer: the peer reviews differ by 60 points (from 40.0% to 100.0%)." in dashboard
        assert "accuracy as a reviewer 70.0%" in dashboard
        check(page, "trainer-needs-trainer")
        press_on(page, "[data-status=needs_trainer] [data-action=open-pair]")
        page.wait_for_selector("[data-status=needs_trainer] .devisus-pair-review-pair-detail")
        detail = page.locator("[data-status=needs_trainer] .devisus-pair-review-pair-detail").inner_text()
        assert (
            "This reviewer's accuracy: 80.0%" in detail
            and "This reviewer's accuracy: 70.0%" in detail
            and "Your review below sets the grade." in detail
        )
        check(page, "trainer-detail")
        assert page.errors == []
