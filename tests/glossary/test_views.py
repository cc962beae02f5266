"""Server-rendered glossary pages: complete without JavaScript, accessible, escaped."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest
from django.utils import translation
from markupsafe import escape

from devisus_course.framework import GlossaryTerm, load_framework
from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.common.rendering import environment, static_text
from devisus_xblocks.glossary import presenter
from devisus_xblocks.glossary.search import search_texts
from devisus_xblocks.glossary.terms import build_entries, entries_for
from tests.glossary.conftest import GRADED, REFERENCE_EN, REFERENCE_FR, TWO_REFERENCES, UNIT
from tests.glossary.pages import block_html, practice_page

pytestmark = pytest.mark.django_db


def entry_html(body: str, slug: str) -> str:
    match = re.search(
        rf'<div class="devisus-glossary-entry[^"]*" id="devisus-glossary-b[0-9a-f]{{8}}-term-{slug}".*?</div>',
        body,
        re.S,
    )
    assert match, f"no entry {slug}"
    return match.group(0)


@pytest.mark.parametrize("scenario, language, other", [(REFERENCE_FR, "fr", "en"), (REFERENCE_EN, "en", "fr")])
def test_reference_page_lists_all_24_terms_with_the_other_language_alongside(wb_fr, scenario, language, other):
    body = block_html(wb_fr.page(scenario, "alice"))
    own = load_framework(language).glossary
    others = {term.slug: term.term for term in load_framework(other).glossary}
    assert len(re.findall(r'class="devisus-glossary-entry"', body)) == 24
    for term in own:
        html = entry_html(body, term.slug)
        assert f'<dfn lang="{language}">{escape(term.term)}</dfn>' in html
        assert f'<span lang="{other}">{escape(others[term.slug])}</span>' in html
        assert str(escape(term.definition)) in html
        assert str(escape(term.source_note)) in html


def test_reference_page_terms_are_in_alphabetical_order_under_index_letters(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    slugs = re.findall(r'class="devisus-glossary-entry" id="devisus-glossary-b[0-9a-f]{8}-term-([a-z0-9-]+)"', body)
    assert slugs[:3] == ["accessibility", "accompaniment", "adaptability"]
    assert slugs.index("ecosystem") < slugs.index("social-utility-evaluation") < slugs.index("social-impact")
    nav = re.search(
        r'<nav class="devisus-glossary-index" aria-label="Index alphabétique">(.*?)</nav>', body, re.S
    ).group(1)
    letters = re.findall(r'href="#([^"]+)">(\w)</a>', nav)
    assert [letter for _target, letter in letters] == ["A", "C", "E", "I", "M", "O", "P", "T", "U", "V"]
    for target, _letter in letters:
        assert f'id="{target}"' in body  # every index link lands on its letter heading


def test_related_terms_link_to_anchors_on_the_page(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    anchors = set(re.findall(r'class="devisus-glossary-entry" id="([^"]+)"', body))
    links = re.findall(r'class="devisus-glossary-related-link" href="#([^"]+)">([^<]+)</a>', body)
    assert len(links) == sum(len(term.related) for term in load_framework("fr").glossary)
    assert {target for target, _text in links} <= anchors
    social_audit = entry_html(body, "social-audit")
    value = re.search(r'id="([^"]+-term-value)"', body).group(1)
    assert f'<a class="devisus-glossary-related-link" href="#{value}">Valeur</a>' in social_audit


def test_reference_page_offers_a_labelled_search_and_a_live_region(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    search_id = re.search(r'<input class="devisus-glossary-search-input" type="search" id="([^"]+)"', body).group(1)
    assert (
        f'<label class="devisus-glossary-search-label" for="{search_id}">Rechercher dans le glossaire</label>' in body
    )
    assert 'role="status" aria-live="polite"' in body
    # Without JavaScript the search box, which could not work, stays hidden; the list is all there.
    assert re.search(r'<div class="devisus-glossary-search" role="search" hidden>', body)


def test_english_interface_strings(wb_en):
    body = block_html(wb_en.page(REFERENCE_FR, "alice"))
    assert "Search the glossary" in body and "In English:" in body and 'aria-label="Alphabetical index"' in body
    assert "Glossaire DEVISUS" in body  # the author's display name is not translated


def repeated_ids(page: str) -> list[str]:
    """Every id value that occurs more than once in the page's HTML (which must have some)."""
    ids = Counter(re.findall(r"""\sid=["']([^"']+)["']""", page))
    assert ids
    return [value for value, count in ids.items() if count > 1]


def test_page_ids_are_unique_with_a_reference_and_a_practice_glossary_on_one_page(wb_fr):
    page = wb_fr.page(UNIT, "alice")
    assert repeated_ids(page) == []
    assert 'href="#devisus-glossary-social-utility"' in page  # the HTML's deep link (resolved by the script)


@pytest.mark.parametrize("student", ["alice", "anonymous"])
def test_page_ids_are_unique_with_two_reference_glossaries_on_one_page(wb_fr, student):
    page = wb_fr.page(TWO_REFERENCES, student)
    assert len(re.findall(r'<section class="devisus-glossary devisus-glossary-reference"', page)) == 2
    assert repeated_ids(page) == []
    # Each block's ids carry its own prefix, and its index and related links stay inside it.
    for body in (block_html(page, 0), block_html(page, 1)):
        uid = re.search(r'<h2 class="devisus-glossary-title" id="([^"]+)-title"', body).group(1)
        ids = set(re.findall(r'\sid="([^"]+)"', body))
        assert all(value.startswith(uid + "-") for value in ids)
        assert f'id="{uid}-term-value"' in body
        assert set(re.findall(r'href="#([^"]+)"', body)) <= ids


def test_learner_text_cannot_inject_markup():
    hostile = GlossaryTerm(
        slug="x",
        term='<script>alert("t")</script>',
        definition="<img src=x onerror=alert(1)>",
        source_note="</dd><script>s()</script>",
        related=(),
    )
    other = GlossaryTerm(slug="x", term='"><script>o()</script>', definition="", source_note="", related=())
    entries = build_entries([hostile], [other])
    context = presenter.reference_context(entries, "fr", "uid")
    html = environment().get_template("glossary/reference.html").render(_=str, gettext=str, title="<b>t</b>", **context)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html


def test_rendered_block_contains_no_script_of_its_own(wb_fr):
    for scenario in (REFERENCE_FR, GRADED):
        assert "<script" not in block_html(wb_fr.page(scenario, "alice"))


def test_practice_page_is_a_labelled_form_with_lettered_definitions(wb_fr):
    body = block_html(wb_fr.page(GRADED, "alice"))
    page = practice_page(wb_fr.page(GRADED, "alice"))
    assert len(page.terms) == 6 and not page.answered
    for slug in page.terms:
        select_id = re.search(rf'<select class="devisus-glossary-select" id="([^"]+)" name="{slug}"', body).group(1)
        assert f'<label class="devisus-glossary-item-label" for="{select_id}">' in body
    letters = re.findall(r'<span class="devisus-glossary-definition-letter">(\w)\.</span>', body)
    assert letters == list("ABCDEF")
    assert '<option value="">Choisir une définition</option>' in body
    assert (
        '<button type="button" class="devisus-glossary-button devisus-glossary-check">Vérifier mes réponses</button>'
        in body
    )
    assert spaced("Cet exercice est noté : votre meilleure série compte.") in body
    assert "<noscript>" in body
    assert page.progress == "Aucune série terminée pour l'instant."


def test_block_title_defaults_to_the_translated_name(glossary_scenarios):
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime("alice")
    runtime.id_generator.set_scenario("default-title")
    block = runtime.get_block(runtime.parse_xml_string("<devisus_glossary/>"))
    with translation.override("fr"):
        assert "Glossaire DEVISUS</h2>" in block.render("student_view").content
    with translation.override("en"):
        assert "DEVISUS glossary</h2>" in block.render("student_view").content


# --- languages, list semantics, headings --------------------------------------------------------


def opening_tags(body: str, class_name: str) -> list[str]:
    return re.findall(rf'<[a-z]+ [^>]*class="(?:[^"]* )?{class_name}(?: [^"]*)?"[^>]*>', body)


@pytest.mark.parametrize("scenario", [REFERENCE_FR, REFERENCE_EN, GRADED])
def test_only_glossary_text_carries_the_glossary_language(wb_en, scenario):
    """An English interface around a French glossary: UI text is not marked French."""
    body = block_html(wb_en.page(scenario, "alice"))
    language = "en" if scenario == REFERENCE_EN else "fr"
    other = "fr" if language == "en" else "en"
    section = re.match(r"<section [^>]*>", body).group(0)
    assert "lang=" not in section
    glossary_text = {
        REFERENCE_FR: ("<dfn ", "devisus-glossary-definition", "devisus-glossary-related-list"),
        REFERENCE_EN: ("<dfn ", "devisus-glossary-definition", "devisus-glossary-related-list"),
        GRADED: ("devisus-glossary-item-term", "devisus-glossary-definition-text"),
    }[scenario]
    for marker in glossary_text:
        tags = re.findall(r"<dfn [^>]*>", body) if marker == "<dfn " else opening_tags(body, marker)
        assert tags and all(f'lang="{language}"' in tag for tag in tags), marker
    assert re.findall(r'lang="([a-z]+)"', body) and set(re.findall(r'lang="([a-z]+)"', body)) == {language, other}
    if scenario == GRADED:
        options = re.findall(r'<option value="[A-Z]"[^>]*>', body)
        assert options and all(f'lang="{language}"' in option for option in options)
        assert '<option value="">Choose a definition</option>' in body
    else:
        sources = re.findall(
            r'<dd class="devisus-glossary-source"><span class="devisus-glossary-label">Source:</span> <span lang="([a-z]+)">',
            body,
        )
        assert len(sources) == 24 and set(sources) == {language}
        assert '<span class="devisus-glossary-label">See also:</span>' in body


def unstyled_list_classes() -> set[str]:
    """Classes the stylesheet strips of list bullets (Safari then drops their list semantics)."""
    css = static_text("css/glossary.css")
    found = set()
    for selectors, declarations in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if re.search(r"list-style:\s*none", declarations):
            found |= set(re.findall(r"\.(devisus-glossary-[\w-]+)", selectors))
    return found


def test_lists_without_bullets_keep_their_list_role(wb_fr):
    classes = unstyled_list_classes()
    assert {"devisus-glossary-definitions", "devisus-glossary-index-list", "devisus-glossary-related-list"} <= classes
    bodies = [block_html(wb_fr.page(scenario, "alice")) for scenario in (REFERENCE_FR, GRADED)]
    seen = 0
    for body in bodies:
        for class_name in classes:
            for tag in opening_tags(body, class_name):
                seen += 1
                assert re.match(r"<(ul|ol) ", tag) and 'role="list"' in tag, tag
    assert seen > 3


@pytest.mark.parametrize("scenario", [REFERENCE_FR, GRADED, UNIT, TWO_REFERENCES])
def test_block_titles_are_h2_and_sections_h3(wb_fr, scenario):
    page = wb_fr.page(scenario, "alice")
    blocks = re.findall(r'<section class="devisus-glossary ', page)
    for index in range(len(blocks)):
        body = block_html(page, index)
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", body)]
        assert levels[0] == 2 and levels.count(2) == 1 and set(levels[1:]) <= {3}
        assert re.search(r'<h2 class="devisus-glossary-title" id="[^"]+-title">', body)


# --- focus outline contrast ------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#e0a100", "#ffffff") == pytest.approx(2.27, abs=0.01)


def test_focus_outline_contrasts_3_to_1_with_white_and_the_highlight():
    css = static_text("css/glossary.css")
    rules = dict((selector.strip(), body) for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css))
    focus = [body for selector, body in rules.items() if ":focus" in selector]
    outlines = [re.search(r"outline:\s*\d+px solid (#[0-9a-fA-F]{6})", body) for body in focus]
    assert focus and all(outlines)
    highlight = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rules[".devisus-glossary-highlight"]).group(1)
    for outline in outlines:
        colour = outline.group(1)
        assert contrast(colour, "#ffffff") >= 3, colour
        assert contrast(colour, highlight) >= 3, colour


# --- search texts for the browser ------------------------------------------------------------


@pytest.mark.parametrize("student", ["alice", "anonymous"])
def test_every_visitor_gets_the_search_box_and_the_folded_search_texts(wb_fr, student):
    body = block_html(wb_fr.page(REFERENCE_FR, student))
    assert re.search(r'<div class="devisus-glossary-search" role="search" hidden>', body)
    assert '<label class="devisus-glossary-search-label"' in body
    entries = {entry.slug: entry for entry in entries_for("fr")}
    found = re.findall(
        r'data-slug="([a-z0-9-]+)" tabindex="-1"\s+data-search-term="([^"]*)" data-search-other="([^"]*)"\s+'
        r'data-search-definition="([^"]*)"',
        body,
    )
    assert len(found) == 24
    for slug, term, other, definition in found:
        assert [unescape(text) for text in (term, other, definition)] == list(search_texts(entries[slug]).values())
    evaluation = dict((slug, unescape(term)) for slug, term, _o, _d in found)["social-utility-evaluation"]
    assert evaluation == "evaluation de l'utilite sociale"


def test_the_search_handler_is_gone(glossary_scenarios):
    from devisus_xblocks.glossary.block import GlossaryBlock

    assert not hasattr(GlossaryBlock, "search")
