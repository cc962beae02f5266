"""The pair through the whole course in a real browser (Debian's Chromium), keyboard only, at 320 px,
in English. One page holds the three activities of one pairing (a stakeholder map, an evaluation plan
outline, a calibrated capstone), as a course holds them in modules 4, 7 and 9.

Two learners form their pair once, in the first activity; the later activities open straight on the
pair's draft, naming the partner; the pair writes and submits both staged pieces and sees their
grades. Before the capstone the partner goes silent: the other learner sees it, leaves the pair and
is paired again with a late arrival, with whom they calibrate, write and review the capstone and see
its accuracy-weighted grade. The trainer then sees the inactive partner, each reviewer's accuracy and
the capstone that waits for them. A second pair and the reviews that do not need a browser go
through the handlers (``test_block_course_journey`` drives the whole journey there). axe-core checks
each state of the page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from devisus_xblocks.pair_review.models import Membership
from tests.browser_support import PageProbe, phone
from tests.xblock_client import Workbench

from .block_support import COURSE, Block, live_pair_review  # noqa: F401 - fixture
from .test_block_calibration import review
from .test_browser_journey import focused, press_on, tab_to, type_into

pytestmark = pytest.mark.django_db(transaction=True)

BLOCK = ".devisus-pair-review"
EXACT = {"plan": "partly", "pair": "apart"}  # the reference levels of the capstone's example


class CoursePage:
    """One person's page of the three activities; ``scope(i)`` selects inside the i-th activity."""

    def __init__(self, page, url: str, student: str):
        self.page, self.url, self.student = page, url, student
        self.open()

    def open(self) -> None:
        self.page.goto(f"{self.url}/scenario/{COURSE}/?student={self.student}")
        self.page.wait_for_load_state("networkidle")
        self.ids = [block.get_attribute("id") for block in self.page.locator(BLOCK).all()]
        assert len(self.ids) == 3

    def scope(self, index: int, selector: str = "") -> str:
        return f"[id='{self.ids[index]}'] {selector}".strip()

    def text(self, index: int) -> str:
        return self.page.locator(self.scope(index)).inner_text()

    def said(self, index: int, expected: str) -> None:
        """Wait for the activity's live region to announce ``expected`` (or a text that holds it)."""
        self.page.wait_for_function(
            "([s, e]) => document.querySelector(s).textContent.includes(e)",
            arg=[self.scope(index, ".devisus-pair-review-live"), expected],
            timeout=10_000,
        )

    def check(self, name: str) -> None:
        """axe-core on the three activities, no overflow at 320 px, a screenshot."""
        assert self.page.probe.axe_violations(BLOCK) == [], name
        for index in range(3):
            assert self.page.evaluate(f"document.querySelector({self.scope(index)!r}).scrollWidth") <= 320, name
        self.page.probe.screenshot(f"pair-review-course-{name}")

    def declare(self, index: int, profile: str) -> None:
        """Choose a profile (the first radio, or the next one with an arrow) and send it."""
        tab_to(self.page, self.scope(index, "input[value=theoretician]"))
        self.page.keyboard.press("Space" if profile == "theoretician" else "ArrowDown")
        assert self.page.locator(self.scope(index, f"input[value={profile}]")).is_checked()
        press_on(self.page, self.scope(index, "[data-action=profile]"))
        self.said(index, "Your profile is saved.")

    def write_and_submit(self, index: int, text: str) -> None:
        type_into(self.page, self.scope(index, "textarea[data-role=draft]"), text)
        press_on(self.page, self.scope(index, "[data-action=save]"))
        self.said(index, "Draft saved (version 1).")
        press_on(self.page, self.scope(index, "[data-action=submit]"))
        assert focused(self.page, self.scope(index, "[data-role=confirm]"))
        press_on(self.page, self.scope(index, "[data-action=confirm-submit]"))
        self.said(index, "Your pair's work is submitted and locked.")

    def choose(self, index: int, form: str, criterion: str, steps: int) -> None:
        """Choose the level ``steps`` arrow presses after the first one, by keyboard."""
        tab_to(self.page, self.scope(index, f"[data-form={form}] [data-criterion={criterion}] input[type=radio]"))
        self.page.keyboard.press("Space")
        for _ in range(steps):
            self.page.keyboard.press("ArrowDown")


def another_phone(first_page):
    """A second person's 320 px page in the same browser, with its own cookies."""
    context = first_page.context.browser.new_context(viewport={"width": 320, "height": 720}, locale="en-US")
    page = context.new_page()
    page.probe = PageProbe(page)
    return page


def test_the_pair_runs_through_the_course_in_a_browser(live_pair_review, monkeypatch):
    # Playwright's sync API keeps an asyncio loop in this thread, and Django then refuses ORM calls
    # here (SynchronousOnlyOperation). The loop never runs while the handlers below run: they are
    # plain blocking calls between two browser steps, so the check may be lifted for this test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    bench = Workbench("en")
    stakeholders, outline, capstone = (Block(bench, COURSE, index) for index in range(3))

    with phone("en-US") as ana_page:
        bob_page = another_phone(ana_page)
        # ---- module 4: ana and bob form their pair, where the pairing first appears ----
        ana = CoursePage(ana_page, live_pair_review, "ana")
        assert "Your profile" in ana.text(0)
        ana.check("profiles")
        ana.declare(0, "theoretician")
        bob = CoursePage(bob_page, live_pair_review, "bob")
        bob.declare(0, "practitioner")
        assert "Your partner: ana (Theoretician)." in bob.text(0)

        # the later activities open straight on the pair's joint draft, naming the partner
        ana.open()
        for index in (1, 2):
            assert "Your partner: bob (Field practitioner)." in ana.text(index)
            assert ana.page.locator(ana.scope(index, "textarea[data-role=draft]")).count() == 1
        ana.check("one-pair-for-the-course")

        # the other pair forms, writes and reviews through the handlers
        stakeholders.pair("cy", "dee")
        ana.write_and_submit(0, "Map of ana and bob: the food bank, its volunteers, the city.")
        stakeholders.write_and_submit("cy", "Map of cy and dee")
        for name in ("ana", "bob", "cy", "dee"):
            stakeholders.review(name)

        # ---- module 7: the same pair, bob writes this time ----
        bob.open()
        bob.write_and_submit(1, "Outline of ana and bob: three questions chosen with the team.")
        outline.write_and_submit("dee", "Outline of cy and dee")
        for name in ("ana", "bob", "cy", "dee"):
            outline.review(name)
        bob.open()
        assert "Your pair's grade:" in bob.text(0) and "Your pair's grade:" in bob.text(1)
        bob.check("two-staged-pieces-graded")

    # ---- before the capstone bob goes silent; ana leaves him and pairs with eve, who arrives late ----
    Membership.objects.filter(anonymous_id__endswith="bob").update(last_active_at=timezone.now() - timedelta(days=30))
    with phone("en-US") as ana_page:
        eve_page = another_phone(ana_page)
        ana = CoursePage(ana_page, live_pair_review, "ana")
        assert "bob has not been active in the course since" in ana.text(2)
        ana.check("partner-inactive")
        tab_to(ana.page, ana.scope(2, "[data-role=leave-inactive] summary"))
        ana.page.keyboard.press("Enter")
        press_on(ana.page, ana.scope(2, "[data-action=leave-inactive]"))
        ana.said(2, "You have left your pair.")
        eve = CoursePage(eve_page, live_pair_review, "eve")
        eve.declare(2, "practitioner")
        assert "Your partner: ana (Theoretician)." in eve.text(2)
        # the pieces ana submitted with bob stay hers, with their grades
        ana.open()
        assert "Your pair's submitted work" in ana.text(0) and "Your pair's grade:" in ana.text(1)
        assert "Map of ana and bob" in ana.page.locator(ana.scope(0)).text_content()  # (folded away)
        assert "Your partner: eve (Field practitioner)." in ana.text(2)

        # ---- module 9: the capstone with eve, calibration first ----
        eve.open()
        eve.write_and_submit(2, "Capstone of ana and eve: an evaluation plan the food bank chose.")
        capstone.write_and_submit("cy", "Capstone of cy and dee")
        ana.open()
        assert "Calibration: 0 of 1 examples assessed" in ana.text(2)
        assert ana.page.locator(ana.scope(2, "[data-action=next-review]")).count() == 0
        ana.choose(2, "calibrate", "plan", 0)  # "Partly", as the reference
        ana.choose(2, "calibrate", "pair", 0)  # "Side by side", as the reference
        press_on(ana.page, ana.scope(2, "[data-action=send-calibrate]"))
        ana.said(2, "compare it with the reference")
        assert (
            "agreement 100.0%"
            in ana.page.locator(ana.scope(2, ".devisus-pair-review-calibration caption")).first.inner_text()
        )
        ana.check("calibrated")
        press_on(ana.page, ana.scope(2, "[data-action=next-review]"))
        ana.page.wait_for_selector(ana.scope(2, "[data-form=review]"))
        assert "Capstone of cy and dee" in ana.text(2)
        ana.choose(2, "review", "plan", 2)  # "Fully"
        ana.choose(2, "review", "pair", 1)  # "One voice"
        for criterion in ("plan", "pair"):
            type_into(
                ana.page,
                ana.scope(2, f"[data-form=review] [data-criterion={criterion}] textarea"),
                "A clear strength, and one suggestion.",
            )
        press_on(ana.page, ana.scope(2, "[data-action=send-review]"))
        ana.said(2, "Your review is sent.")

        # the others calibrate and review through the handlers; dee is off on one criterion
        for name in ("eve", "cy"):
            capstone.ok("calibrate", name, {"example_id": "funder-plan", "choices": EXACT})
        capstone.ok("calibrate", "dee", {"example_id": "funder-plan", "choices": {"plan": "fully", "pair": "apart"}})
        review(capstone, "cy", {"plan": "fully", "pair": "joined"})  # 100 %, accuracy 100 %
        review(capstone, "dee", {"plan": "mostly", "pair": "joined"})  # 80 %, accuracy 60 %
        review(capstone, "eve", {"plan": "partly", "pair": "apart"})  # 40 % for cy and dee: 60 points apart

        # the accurate reviewer prevails: 100 %, where the plain median would give 90 %
        eve.open()
        assert "Your pair's grade: 100.0%" in eve.text(2)
        eve.check("weighted-grade")
        assert ana.page.probe.errors == [] and eve.page.probe.errors == []

    # ---- the trainer: inactivity, accuracy, the capstone that waits for them ----
    with phone("en-US") as staff_page:
        staff = CoursePage(staff_page, live_pair_review, "staff")
        dashboard = staff.text(2)
        assert "1 pair needs the trainer (the reviews disagree)" in dashboard
        assert "accuracy as a reviewer 60.0%" in dashboard  # dee
        assert "inactive since" in dashboard  # bob, left by ana
        staff.check("trainer")
        press_on(staff.page, staff.scope(2, "[data-status=needs_trainer] [data-action=open-pair]"))
        staff.page.wait_for_selector(staff.scope(2, ".devisus-pair-review-pair-detail"))
        detail = staff.page.locator(staff.scope(2, ".devisus-pair-review-pair-detail")).inner_text()
        assert "This reviewer's accuracy: 100.0%" in detail and "Your review below sets the grade." in detail
        staff.check("trainer-detail")
        assert staff.page.probe.errors == []
