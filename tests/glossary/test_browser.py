"""The glossary's JavaScript in a real browser (Debian's Chromium driven by Playwright).

Search as you type, deep links, the practice round and "try again", on a 320 px wide
screen, with no console error and no serious axe-core violation inside the block.
"""
from __future__ import annotations

import pytest

from tests.browser_support import phone
from tests.glossary.conftest import GRADED, REFERENCE_FR


def axe_violations(page) -> list[str]:
    return page.probe.axe_violations("section.devisus-glossary")


def status(page) -> str:
    return page.locator(".devisus-glossary-status").text_content().strip()


def test_search_deep_link_and_related_links(live_glossary):
    with phone() as page:
        page.goto(f"{live_glossary}/scenario/{REFERENCE_FR}/?student=alice&term=social-impact")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.activeElement.id") == "devisus-glossary-social-impact"
        assert page.locator(".devisus-glossary-highlight").get_attribute("id") == "devisus-glossary-social-impact"

        page.fill(".devisus-glossary-search-input", "EVALUATION")
        page.wait_for_function("document.querySelector('.devisus-glossary-status').textContent.startsWith('Termes correspondants')")
        shown = page.locator(".devisus-glossary-results-list .devisus-glossary-entry").evaluate_all("els => els.map(e => e.dataset.slug)")
        assert shown[0] == "social-utility-evaluation"
        assert status(page) == f"Termes correspondants : {len(shown)}."
        assert page.locator(".devisus-glossary-sections").is_hidden()

        page.press(".devisus-glossary-search-input", "Escape")
        assert status(page) == "Termes du glossaire : 24."
        order = page.locator(".devisus-glossary-sections .devisus-glossary-entry").evaluate_all("els => els.map(e => e.dataset.slug)")
        assert len(order) == 24 and order[:2] == ["accessibility", "accompaniment"]

        page.click("#devisus-glossary-social-audit a[href='#devisus-glossary-value']")
        assert page.evaluate("document.activeElement.id") == "devisus-glossary-value"
        assert page.evaluate("document.querySelector('section.devisus-glossary').scrollWidth") <= 320
        assert axe_violations(page) == []
        assert page.errors == []


def test_practice_round_check_and_try_again(live_glossary):
    with phone() as page:
        page.goto(f"{live_glossary}/scenario/{GRADED}/?student=carol")
        page.wait_for_load_state("networkidle")
        page.click(".devisus-glossary-check")
        assert status(page) == "Choisissez une définition pour chaque terme avant de vérifier vos réponses."

        terms = page.locator(".devisus-glossary-select").evaluate_all("els => els.map(e => e.name)")
        for slug in terms:
            page.select_option(f"select[name='{slug}']", slug)
        page.click(".devisus-glossary-check")
        page.wait_for_function("document.querySelector('section.devisus-glossary').dataset.answered === 'true'")
        assert status(page) == "Bonnes réponses : 6 sur 6."
        assert page.locator(".devisus-glossary-feedback").all_text_contents() == ["Correct."] * 6
        assert page.locator(".devisus-glossary-progress").text_content() == "Séries terminées : 1. Meilleur score : 100 %."
        assert page.evaluate("document.activeElement.classList.contains('devisus-glossary-new-round')")

        page.click(".devisus-glossary-new-round")
        page.wait_for_function("document.querySelector('section.devisus-glossary').dataset.round === '1'")
        assert status(page) == "Nouvelle série prête. Termes à associer : 6."
        assert page.locator(".devisus-glossary-select:enabled").count() == 6
        assert page.locator(".devisus-glossary-feedback").all_text_contents() == [""] * 6
        new_terms = page.locator(".devisus-glossary-select").evaluate_all("els => els.map(e => e.name)")
        assert new_terms != terms
        assert page.evaluate("document.activeElement.name") == new_terms[0]
        assert axe_violations(page) == []
        assert page.errors == []

        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("section.devisus-glossary").get_attribute("data-round") == "1"
