"""Search service: folding, the texts the browser searches and the alphabetical index (no runtime)."""

from __future__ import annotations

import pytest

from devisus_xblocks.glossary import search
from devisus_xblocks.glossary.terms import Entry, entries_for


def entry(slug, term, other="", definition=""):
    return Entry(slug=slug, term=term, other_term=other, definition=definition, source_note="", related=())


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Évaluation", "evaluation"),
        ("ÉVALUATION de l’UTILITÉ", "evaluation de l'utilite"),
        ("Œuvre cœur", "oeuvre coeur"),
        ("Ægis", "aegis"),
        ("Straße", "strasse"),
        ("ﬁnancement", "financement"),  # NFKD folds the fi ligature
        ("  co-construction\u00a0 sociale ", "co-construction sociale"),
        ("Ça", "ca"),
    ],
)
def test_fold_removes_accents_case_ligatures_and_extra_spaces(text, folded):
    assert search.fold(text) == folded


def test_accented_and_plain_queries_fold_alike():
    assert search.fold("evaluation") == search.fold("Évaluation") == search.fold("ÉVALUATION")


def test_sort_key_ignores_accents_and_hyphens_like_a_dictionary():
    terms = ["Co-responsabilité", "Écosystème", "Communauté apprenante", "Co-construction", "Critères", "Évaluation"]
    assert sorted(terms, key=search.sort_key) == [
        "Co-construction",
        "Communauté apprenante",
        "Co-responsabilité",
        "Critères",
        "Écosystème",
        "Évaluation",
    ]


@pytest.mark.parametrize(
    "term, letter", [("Écosystème", "E"), ("accessibilité", "A"), ("Œuvre", "O"), ("« Impact »", "I"), ("2030", "#")]
)
def test_index_letter_is_the_folded_first_letter(term, letter):
    assert search.index_letter(term) == letter


def test_group_by_letter_puts_accented_terms_with_their_plain_letter():
    groups = search.group_by_letter([entry("b", "Évaluation"), entry("a", "Écosystème"), entry("c", "Adaptabilité")])
    assert [(letter, [e.slug for e in members]) for letter, members in groups] == [("A", ["c"]), ("E", ["a", "b"])]


def test_search_texts_are_the_folded_term_other_term_and_definition():
    texts = search.search_texts(entry("x", "Évaluation de l’Œuvre", "Straße ÆGIS", "Une  démarche\u00a0d'IMPACT."))
    assert texts == {"term": "evaluation de l'oeuvre", "other": "strasse aegis", "definition": "une demarche d'impact."}


def test_the_ligature_table_the_browser_gets_is_the_one_fold_uses():
    # The script lower-cases, decomposes and strips marks, then applies LIGATURES: so must fold.
    for char, replacement in search.LIGATURES.items():
        assert search.fold(char) == replacement
    assert search.LIGATURES["ß"] == "ss" and search.LIGATURES["œ"] == "oe" and search.LIGATURES["æ"] == "ae"


def test_real_glossary_search_texts_find_evaluation_in_both_languages():
    for language in ("fr", "en"):
        found = [e.slug for e in entries_for(language) if "evaluation" in search.search_texts(e)["term"]]
        assert found == ["social-utility-evaluation"]


def test_real_glossary_index_covers_all_24_terms_in_order():
    for language in ("fr", "en"):
        groups = search.group_by_letter(entries_for(language))
        flattened = [e for _letter, members in groups for e in members]
        assert len(flattened) == 24
        assert [g[0] for g in groups] == sorted(g[0] for g in groups)
        assert flattened == sorted(flattened, key=lambda e: search.sort_key(e.term))
    french = dict(search.group_by_letter(entries_for("fr")))
    assert {e.slug for e in french["E"]} == {"ecosystem", "social-utility-evaluation"}
