"""The block's JavaScript in a real browser (Debian's Chromium driven by Playwright), on a
320 px wide screen, in French: keyboard-reachable form, live-region messages, confirmation,
results with the radar chart, no console error and no serious axe-core violation.
"""

from __future__ import annotations

import pytest

from devisus_course.typography import catalog_spacing as spaced
from tests.browser_support import phone

from .conftest import BEFORE_AFTER

pytestmark = pytest.mark.django_db(transaction=True)

BLOCK = ".devisus-positioning"


def axe_violations(page, selector: str) -> list[str]:
    return page.probe.axe_violations(selector)


def live_text(block) -> str:
    block.page.wait_for_timeout(150)  # the live region is emptied, then filled, so it is re-announced
    return block.locator(".devisus-positioning-live").text_content().strip()


def test_rate_save_confirm_and_see_the_results(live_positioning):
    with phone() as page:
        page.goto(f"{live_positioning}/scenario/{BEFORE_AFTER}/?student=ana")
        page.wait_for_load_state("networkidle")
        before = page.locator(BLOCK).first
        assert axe_violations(page, BLOCK) == []

        before.locator(".devisus-positioning-submit").click()
        assert live_text(before) == (
            spaced(
                "Veuillez noter chaque élément avant de valider. Pas encore notés : Pr1, Pr2, Pr3, Pr4, Pr5, Pr6, Pr7, Pr8."
            )
        )
        assert page.evaluate("document.activeElement.name") == before.locator("input[type=radio]").first.get_attribute(
            "name"
        )

        # Keyboard: from the focused first level, the arrow keys move and check within the group.
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert before.locator("fieldset[data-code=Pr1] input:checked").get_attribute("value") == "3"
        for number in range(2, 9):
            before.locator(f"fieldset[data-code=Pr{number}] label").nth(number % 5).click()
        why = before.locator("fieldset[data-code=Pr1] textarea")
        why.fill("<b>nous</b> choisissons")
        assert before.locator("fieldset[data-code=Pr1] .devisus-positioning-count").text_content() == spaced(
            "23 caractères sur 500"
        )

        before.locator(".devisus-positioning-save").click()
        page.wait_for_function(
            "document.querySelector('.devisus-positioning-live').textContent === 'Brouillon enregistré.'"
        )

        before.locator(".devisus-positioning-submit").click()
        confirm = before.locator(".devisus-positioning-confirm")
        assert confirm.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('devisus-positioning-confirm')")
        before.locator(".devisus-positioning-confirm-no").click()
        assert confirm.is_hidden()
        before.locator(".devisus-positioning-submit").click()
        before.locator(".devisus-positioning-confirm-yes").click()

        page.wait_for_selector(f"{BLOCK} .devisus-positioning-results svg[role=img]")
        assert page.evaluate("document.activeElement.textContent") == "Votre profil"
        assert live_text(before) == "Votre positionnement est validé. Vos résultats suivent."
        assert before.locator("form").count() == 0
        assert before.locator(".devisus-positioning-table tbody tr").count() == 8
        assert page.evaluate(f"document.querySelector({BLOCK!r}).scrollWidth") <= 320
        assert axe_violations(page, BLOCK) == []

        page.reload()
        page.wait_for_load_state("networkidle")
        after = page.locator(BLOCK).nth(1)
        assert (
            after.locator("fieldset[data-code=Pr1] .devisus-positioning-before").text_content().split()
            == (
                "Premier positionnement : 3 – Parfois, en partie de manière autonome "
                "Votre justification d'alors : <b>nous</b> choisissons"
            ).split()
        )
        assert page.errors == []


def test_after_round_shows_both_rounds_on_the_radar(live_positioning):
    with phone() as page:
        page.goto(f"{live_positioning}/scenario/{BEFORE_AFTER}/?student=bea")
        page.wait_for_load_state("networkidle")
        for index, level in ((0, 1), (1, 3)):  # before: low ratings; after: higher ones
            block = page.locator(BLOCK).nth(index)
            for number in range(1, 9):
                block.locator(f"fieldset[data-code=Pr{number}] label").nth(level).click()
            block.locator(".devisus-positioning-submit").click()
            block.locator(".devisus-positioning-confirm-yes").click()
            page.wait_for_selector(f"{BLOCK} >> nth={index} >> .devisus-positioning-results svg[role=img]")
        after = page.locator(BLOCK).nth(1)
        radar = after.locator(".devisus-positioning-results svg[role=img]")
        # One polygon per series (the grid is drawn with paths): this round and the first one;
        # no cohort average with a single respondent.
        assert radar.locator("polygon").count() == 2
        series = radar.evaluate("svg => Array.from(svg.querySelectorAll('[data-series]')).map(g => g.dataset.series)")
        assert len(series) == 2 and len(set(series)) == 2, series
        page.probe.screenshot("positioning-after-radar")
        assert axe_violations(page, BLOCK) == []
        assert page.errors == []
