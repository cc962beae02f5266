"""The trainer's worklist in a real browser (Debian's Chromium), keyboard only, at 320 px, in English:
a filter by status, a username search with Enter, the next page and back, and a waiting learner
placed in a pair. axe-core checks each state of the block; the dashboard shows one page of pairs,
never all of them."""

from __future__ import annotations

import pytest

from tests.browser_support import phone

from .block_support import ENGLISH, Block, live_pair_review  # noqa: F401 - fixture
from .test_browser_journey import BLOCK, focused, press_on, said, tab_to, type_into
from .test_worklist import _pool

pytestmark = pytest.mark.django_db(transaction=True)


def check(page, name: str):
    assert page.probe.axe_violations(BLOCK) == [], name
    assert page.evaluate(f"document.querySelector({BLOCK!r}).scrollWidth") <= 320, name
    page.probe.screenshot(f"pair-review-worklist-{name}")


def shown_pairs(page) -> list[str]:
    return page.locator(f"{BLOCK} [data-role=worklist-region] .devisus-pair-review-pair").evaluate_all(
        "items => items.map(i => i.getAttribute('data-pair-id'))"
    )


def test_a_trainer_pages_filters_searches_and_places_by_keyboard(live_pair_review, monkeypatch):
    # Handlers run between browser steps, in this thread (see test_browser_course_journey).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from tests.xblock_client import Workbench

    block = Block(Workbench("en"), ENGLISH)
    _pool(block, 0, 30)  # 10 submitted, 20 drafting
    block.ok("declare_profile", "wanda", {"profile": "theoretician"})  # waits: no practitioner left

    with phone("en-US") as page:
        page.goto(f"{live_pair_review}/scenario/{ENGLISH}/?student=staff")
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-role=wl-summary]").inner_text() == "Pairs 1 to 25 of 30."
        first_page = shown_pairs(page)
        assert len(first_page) == 25
        check(page, "first-page")

        press_on(page, "[data-action=worklist-page]:not([disabled])")  # "Next page"
        said(page, "Pairs 26 to 30 of 30.")
        assert focused(page, "[data-role=wl-summary]")
        assert len(shown_pairs(page)) == 5 and not set(shown_pairs(page)) & set(first_page)
        assert "Page 2 of 2" in page.locator(".devisus-pair-review-paging").inner_text()
        check(page, "second-page")

        tab_to(page, "[data-role=wl-status]")
        for _ in range(3):  # All pairs, Waiting for a partner, Drafting, Submitted
            page.keyboard.press("ArrowDown")
        assert page.locator("[data-role=wl-status]").input_value() == "submitted"
        press_on(page, "[data-action=worklist]")
        said(page, "Pairs 1 to 10 of 10.")
        statuses = page.locator("[data-role=worklist-region] .devisus-pair-review-pair").evaluate_all(
            "items => items.map(i => i.getAttribute('data-status'))"
        )
        assert statuses == ["submitted"] * 10
        assert page.locator("[data-role=wl-status] option:checked").inner_text() == "Submitted, no review yet (10)"
        check(page, "filtered")

        type_into(page, "[data-role=wl-search]", "pool-p6")
        page.keyboard.press("Enter")
        said(page, "Pairs 1 to 1 of 1.")
        region = page.locator("[data-role=worklist-region]").inner_text()
        assert "pool-p6" in region and "pool-t6" in region and "pool-p3" not in region
        check(page, "searched")

        type_into(page, "[data-role=wl-search]", "nobody-like-this", replace=True)
        page.keyboard.press("Enter")
        said(page, "No pair matches.")

        # the waiting learner, placed by keyboard in a pair found by a member's username
        tab_to(page, ".devisus-pair-review-waiting [data-role=target-search]")
        page.keyboard.type("pool-p1")
        page.keyboard.press("Enter")  # pool-p1 and pool-p10 ... pool-p19: the open ones
        said(page, "8 open pairs found.")
        assert focused(page, ".devisus-pair-review-waiting select[data-role=target]")
        options = page.locator(".devisus-pair-review-waiting select[data-role=target] option").all_inner_texts()
        assert options[0].endswith(": pool-t1, pool-p1") and len(options) == 8
        check(page, "targets-found")
        page.keyboard.press("ArrowDown")
        chosen = page.locator(".devisus-pair-review-waiting select[data-role=target] option:checked").inner_text()
        press_on(page, ".devisus-pair-review-waiting [data-action=move]")
        page.wait_for_selector(f"{BLOCK} .devisus-pair-review-staff:not(:has(.devisus-pair-review-waiting))")
        said(page, "The learner is moved.")
        assert "Nobody is waiting." in page.locator(BLOCK).inner_text()
        assert page.locator("[data-role=wl-search]").input_value() == "nobody-like-this"  # the list kept its search
        tab_to(page, "[data-role=wl-status]")
        page.keyboard.press("Home")  # All pairs: wanda's pair is drafting, not submitted
        type_into(page, "[data-role=wl-search]", "wanda", replace=True)
        page.keyboard.press("Enter")
        said(page, "Pairs 1 to 1 of 1.")
        members = page.locator("[data-role=worklist-region] .devisus-pair-review-members").inner_text()
        assert chosen.split(": ")[1].split(", ")[0] in members and "wanda" in members
        check(page, "placed")
        assert page.probe.errors == []
