"""Server-rendered glossary pages: complete without JavaScript, accessible, escaped."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from django.utils import translation
from markupsafe import escape

from devisus_course.framework import GlossaryTerm, load_framework
from devisus_xblocks.common.rendering import environment
from devisus_xblocks.glossary import presenter
from devisus_xblocks.glossary.terms import build_entries
from tests.glossary.conftest import GRADED, REFERENCE_EN, REFERENCE_FR, UNIT
from tests.glossary.pages import block_html, practice_page

pytestmark = pytest.mark.django_db


def entry_html(body: str, slug: str) -> str:
    match = re.search(rf'<div class="devisus-glossary-entry[^"]*" id="devisus-glossary-{slug}".*?</div>', body, re.S)
    assert match, f"no entry {slug}"
    return match.group(0)


@pytest.mark.parametrize("scenario, language, other", [(REFERENCE_FR, "fr", "en"), (REFERENCE_EN, "en", "fr")])
def test_reference_page_lists_all_24_terms_with_the_other_language_alongside(wb_fr, scenario, language, other):
    body = block_html(wb_fr.page(scenario, "alice"))
    own = load_framework(language).glossary
    others = {term.slug: term.term for term in load_framework(other).glossary}
    assert f'lang="{language}"' in body[:200]
    assert len(re.findall(r'class="devisus-glossary-entry"', body)) == 24
    for term in own:
        html = entry_html(body, term.slug)
        assert f"<dfn>{escape(term.term)}</dfn>" in html
        assert f'<span lang="{other}">{escape(others[term.slug])}</span>' in html
        assert str(escape(term.definition)) in html
        assert str(escape(term.source_note)) in html


def test_reference_page_terms_are_in_alphabetical_order_under_index_letters(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    slugs = re.findall(r'class="devisus-glossary-entry" id="devisus-glossary-([a-z0-9-]+)"', body)
    assert slugs[:3] == ["accessibility", "accompaniment", "adaptability"]
    assert slugs.index("ecosystem") < slugs.index("social-utility-evaluation") < slugs.index("social-impact")
    nav = re.search(r'<nav class="devisus-glossary-index" aria-label="Index alphabétique">(.*?)</nav>', body, re.S).group(1)
    letters = re.findall(r'href="#([^"]+)">(\w)</a>', nav)
    assert [letter for _target, letter in letters] == ["A", "C", "E", "I", "M", "O", "P", "T", "U", "V"]
    for target, _letter in letters:
        assert f'id="{target}"' in body  # every index link lands on its letter heading


def test_related_terms_link_to_anchors_on_the_page(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    anchors = set(re.findall(r'id="(devisus-glossary-[a-z0-9-]+)"', body))
    links = re.findall(r'class="devisus-glossary-related-link" href="#([^"]+)">([^<]+)</a>', body)
    assert len(links) == sum(len(term.related) for term in load_framework("fr").glossary)
    assert {target for target, _text in links} <= anchors
    social_audit = entry_html(body, "social-audit")
    assert '<a class="devisus-glossary-related-link" href="#devisus-glossary-value">Valeur</a>' in social_audit


def test_reference_page_offers_a_labelled_search_and_a_live_region(wb_fr):
    body = block_html(wb_fr.page(REFERENCE_FR, "alice"))
    search_id = re.search(r'<input class="devisus-glossary-search-input" type="search" id="([^"]+)"', body).group(1)
    assert f'<label class="devisus-glossary-search-label" for="{search_id}">Rechercher dans le glossaire</label>' in body
    assert 'role="status" aria-live="polite"' in body
    # Without JavaScript the search box, which could not work, stays hidden; the list is all there.
    assert re.search(r'<div class="devisus-glossary-search" role="search" hidden>', body)


def test_english_interface_strings(wb_en):
    body = block_html(wb_en.page(REFERENCE_FR, "alice"))
    assert "Search the glossary" in body and "In English:" in body and 'aria-label="Alphabetical index"' in body
    assert "Glossaire DEVISUS" in body  # the author's display name is not translated


def test_page_ids_are_unique_even_with_two_glossaries_on_one_page(wb_fr):
    page = wb_fr.page(UNIT, "alice")
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [value for value, count in ids.items() if count > 1] == []
    assert 'id="devisus-glossary-social-utility"' in page and 'href="#devisus-glossary-social-utility"' in page


def test_learner_text_cannot_inject_markup():
    hostile = GlossaryTerm(
        slug="x", term='<script>alert("t")</script>', definition="<img src=x onerror=alert(1)>",
        source_note="</dd><script>s()</script>", related=(),
    )
    other = GlossaryTerm(slug="x", term='"><script>o()</script>', definition="", source_note="", related=())
    entries = build_entries([hostile], [other])
    context = presenter.reference_context(entries, "fr", "uid", searchable=True)
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
    assert '<button type="button" class="devisus-glossary-button devisus-glossary-check">Vérifier mes réponses</button>' in body
    assert "Cet exercice est noté : votre meilleure série compte." in body
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
