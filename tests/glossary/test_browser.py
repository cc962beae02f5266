"""The glossary's JavaScript in a real browser (Debian's Chromium driven by Playwright).

Search as you type (in the browser, for signed-in and anonymous visitors alike), deep links
(also with two glossaries on one page, and malformed ones), the practice round and "try
again", on a 320 px wide screen, with no console error and no serious axe-core violation
inside the block.
"""

from __future__ import annotations

from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.glossary.search import fold
from devisus_xblocks.glossary.terms import entries_for
from tests.browser_support import phone
from tests.glossary.conftest import GRADED, REFERENCE_FR, TWO_REFERENCES
from tests.glossary.pages import slug_of_definition

ENTRY_SLUGS = "els => els.map(e => e.dataset.slug)"


def axe_violations(page, selector="section.devisus-glossary") -> list[str]:
    return page.probe.axe_violations(selector)


def status(page, block="section.devisus-glossary") -> str:
    return page.locator(f"{block} .devisus-glossary-status").text_content().strip()


def wait_for_status(page, text: str, block="section.devisus-glossary") -> None:
    page.wait_for_function(
        "([block, text]) => document.querySelector(block + ' .devisus-glossary-status').textContent.trim() === text",
        arg=[block, text],
    )


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def expected_hits(language: str, query: str) -> list[str]:
    """The ranking the script must produce: term starts with the query, term holds every word,
    the other language's term does, then all texts together do; alphabetical within a rank."""
    folded = fold(query)
    words = folded.split()
    ranked = []
    for entry in entries_for(language):  # alphabetical
        term, other = fold(entry.term), fold(entry.other_term)
        every = " ".join((term, other, fold(entry.definition)))
        for rank, hit in enumerate(
            (
                term.startswith(folded),
                all(w in term for w in words),
                all(w in other for w in words),
                all(w in every for w in words),
            )
        ):
            if hit:
                ranked.append((rank, entry.slug))
                break
    return [slug for _rank, slug in sorted(ranked, key=lambda item: item[0])]


def test_search_deep_link_and_related_links(live_glossary):
    with phone() as page:
        page.goto(f"{live_glossary}/scenario/{REFERENCE_FR}/?student=alice&term=social-impact")
        page.wait_for_load_state("networkidle")
        assert focused_id(page).endswith("-term-social-impact")
        assert page.locator(".devisus-glossary-highlight").get_attribute("id") == focused_id(page)

        page.fill(".devisus-glossary-search-input", "EVALUATION")
        shown = page.locator(".devisus-glossary-results-list .devisus-glossary-entry").evaluate_all(ENTRY_SLUGS)
        assert shown == expected_hits("fr", "EVALUATION") and shown[0] == "social-utility-evaluation"
        wait_for_status(page, spaced(f"Termes correspondants : {len(shown)}."))
        assert page.locator(".devisus-glossary-sections").is_hidden()

        page.press(".devisus-glossary-search-input", "Escape")
        assert status(page) == spaced("Termes du glossaire : 24.")
        order = page.locator(".devisus-glossary-sections .devisus-glossary-entry").evaluate_all(ENTRY_SLUGS)
        assert len(order) == 24 and order[:2] == ["accessibility", "accompaniment"]

        page.click("[data-slug='social-audit'] a.devisus-glossary-related-link[href$='-term-value']")
        assert focused_id(page).endswith("-term-value")
        assert page.evaluate("window.location.hash") == "#" + focused_id(page)
        assert page.evaluate("document.querySelector('section.devisus-glossary').scrollWidth") <= 320
        assert axe_violations(page) == []
        assert page.errors == []


def test_search_runs_in_the_browser_for_anonymous_visitors_too(live_glossary):
    with phone() as page:
        handler_calls = []
        page.on("request", lambda request: handler_calls.append(request.url) if "/handler/" in request.url else None)
        page.goto(f"{live_glossary}/scenario/{REFERENCE_FR}/?student=anonymous")
        page.wait_for_load_state("networkidle")
        assert page.locator(".devisus-glossary-search-input").is_visible()
        for query in (
            "impact",
            "ÉVALUATION  de l’UTILITÉ",
            "stakeholders",
            "cœur",
            "COEUR DE LEUR",
            "co-construction",
            "parties prenantes",
        ):
            page.fill(".devisus-glossary-search-input", query)
            shown = page.locator(".devisus-glossary-results-list .devisus-glossary-entry").evaluate_all(ENTRY_SLUGS)
            assert shown and shown == expected_hits("fr", query), query
            wait_for_status(page, spaced(f"Termes correspondants : {len(shown)}."))
        # Term matches come first, then the English term, then the definition.
        assert expected_hits("fr", "impact") == ["social-impact", "tool"]
        assert expected_hits("fr", "stakeholders")[0] == "stakeholders"
        assert expected_hits("fr", "cœur") == expected_hits("fr", "COEUR") == ["value"]

        page.fill(".devisus-glossary-search-input", "<b>zzz</b>")
        wait_for_status(page, spaced("Aucun terme ne correspond à « <b>zzz</b> »."))
        assert page.locator(".devisus-glossary-results-list .devisus-glossary-entry").count() == 0
        assert page.locator(".devisus-glossary-status b").count() == 0

        page.fill(".devisus-glossary-search-input", "   ")
        wait_for_status(page, spaced("Termes du glossaire : 24."))
        assert page.locator(".devisus-glossary-sections .devisus-glossary-entry").count() == 24
        assert handler_calls == []
        assert page.errors == []


def test_two_reference_glossaries_on_one_page_resolve_their_own_deep_links(live_glossary):
    first, second = "section.devisus-glossary >> nth=0", "section.devisus-glossary >> nth=1"
    with phone() as page:
        # ?term= (and #devisus-glossary-<slug>) name no block: the first glossary takes them.
        page.goto(f"{live_glossary}/scenario/{TWO_REFERENCES}/?student=anonymous&term=value")
        page.wait_for_load_state("networkidle")
        ids = page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)")
        assert len(ids) == len(set(ids))
        uids = page.locator("section.devisus-glossary h2").evaluate_all(
            "els => els.map(e => e.id.replace(/-title$/, ''))"
        )
        assert len(uids) == 2 and uids[0] != uids[1]
        assert focused_id(page) == f"{uids[0]}-term-value"
        assert page.locator(".devisus-glossary-highlight").count() == 1

        # A block's own entry ids resolve in that block, on load and on hashchange.
        page.goto(f"{live_glossary}/scenario/{TWO_REFERENCES}/?student=anonymous#{uids[1]}-term-tool")
        page.wait_for_load_state("networkidle")
        assert focused_id(page) == f"{uids[1]}-term-tool"
        page.evaluate(f"window.location.hash = '#{uids[1]}-term-stakeholders'")
        page.wait_for_function(f"document.activeElement.id === '{uids[1]}-term-stakeholders'")
        page.evaluate("window.location.hash = '#devisus-glossary-criteria'")
        page.wait_for_function(f"document.activeElement.id === '{uids[0]}-term-criteria'")

        # The HTML unit's plain deep link lands in the first block; related links stay in their block.
        page.focus("a[href='#devisus-glossary-value']")  # (the workbench's fixed banner covers it for a click)
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.activeElement.id === '{uids[0]}-term-value'")
        page.locator(second).locator(
            "[data-slug='social-audit'] a.devisus-glossary-related-link[href$='-term-value']"
        ).click()
        assert focused_id(page) == f"{uids[1]}-term-value"

        # Searching one block leaves the other alone.
        page.locator(second).locator(".devisus-glossary-search-input").fill("impact")
        assert page.locator(second).locator(".devisus-glossary-sections").is_hidden()
        assert page.locator(first).locator(".devisus-glossary-sections").is_visible()
        assert page.locator(first).locator(".devisus-glossary-entry").count() == 24
        assert axe_violations(page, "body") == []
        assert page.errors == []


def test_a_malformed_deep_link_is_ignored(live_glossary):
    with phone() as page:
        page.goto(f"{live_glossary}/scenario/{REFERENCE_FR}/?student=alice#devisus-glossary-%E0")
        page.wait_for_load_state("networkidle")
        assert page.locator(".devisus-glossary-search-input").is_visible()  # the script ran to the end
        uid = page.locator("section.devisus-glossary h2").get_attribute("id").replace("-title", "")
        for hash_ in ("#devisus-glossary-%E0", f"#{uid}-term-%E0%A4", "#devisus-glossary-%"):
            page.evaluate(f"window.location.hash = '{hash_}'")
        page.evaluate("window.location.hash = '#devisus-glossary-value'")
        page.wait_for_function(f"document.activeElement.id === '{uid}-term-value'")
        assert page.locator(".devisus-glossary-highlight").count() == 1
        assert page.errors == []


def test_practice_round_check_and_try_again(live_glossary):
    def correct_letters(page) -> dict[str, str]:
        """What a learner who knows the glossary chooses: the letter of each term's definition."""
        shown = page.locator(".devisus-glossary-definition-item").evaluate_all(
            "els => els.map(e => [e.querySelector('.devisus-glossary-definition-letter').textContent.replace('.', ''),"
            " e.querySelector('.devisus-glossary-definition-text').textContent])"
        )
        return {slug_of_definition()[text]: letter for letter, text in shown}

    def options(page) -> list[tuple[str, list[str]]]:
        return page.locator(".devisus-glossary-select").evaluate_all(
            "els => els.map(e => [e.name, Array.from(e.options, o => o.value).filter(Boolean)])"
        )

    with phone() as page:
        page.goto(f"{live_glossary}/scenario/{GRADED}/?student=carol")
        page.wait_for_load_state("networkidle")
        page.click(".devisus-glossary-check")
        assert status(page) == "Choisissez une définition pour chaque terme avant de vérifier vos réponses."

        terms = page.locator(".devisus-glossary-select").evaluate_all("els => els.map(e => e.name)")
        for name, values in options(page):
            assert values == list("ABCDEF") and name not in values
        letters = correct_letters(page)
        for slug in terms:
            page.select_option(f"select[name='{slug}']", letters[slug])
        page.click(".devisus-glossary-check")
        page.wait_for_function("document.querySelector('section.devisus-glossary').dataset.answered === 'true'")
        assert status(page) == spaced("Bonnes réponses : 6 sur 6.")
        assert page.locator(".devisus-glossary-feedback").all_text_contents() == ["Correct."] * 6
        assert page.locator(".devisus-glossary-progress").text_content() == spaced(
            "Séries terminées : 1. Meilleur score : 100 %."
        )
        assert page.evaluate("document.activeElement.classList.contains('devisus-glossary-new-round')")

        page.click(".devisus-glossary-new-round")
        page.wait_for_function("document.querySelector('section.devisus-glossary').dataset.round === '1'")
        assert status(page) == spaced("Nouvelle série prête. Termes à associer : 6.")
        assert page.locator(".devisus-glossary-select:enabled").count() == 6
        assert page.locator(".devisus-glossary-feedback").all_text_contents() == [""] * 6
        new_terms = page.locator(".devisus-glossary-select").evaluate_all("els => els.map(e => e.name)")
        assert new_terms != terms
        assert page.evaluate("document.activeElement.name") == new_terms[0]
        # The rebuilt form names definitions by letter too, and marks glossary text as French.
        for name, values in options(page):
            assert values == list("ABCDEF") and name not in values
        marked = page.locator(
            ".devisus-glossary-item-term, .devisus-glossary-definition-text, .devisus-glossary-select option[value='A']"
        )
        assert set(marked.evaluate_all("els => els.map(e => e.lang)")) == {"fr"}
        assert set(page.locator(".devisus-glossary-other").evaluate_all("els => els.map(e => e.lang)")) == {"en"}
        assert page.locator("section.devisus-glossary").get_attribute("lang") is None
        assert sorted(correct_letters(page)) == sorted(new_terms)
        assert axe_violations(page) == []
        assert page.errors == []

        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("section.devisus-glossary").get_attribute("data-round") == "1"
