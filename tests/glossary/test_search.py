"""Search service: folding, ranking and the alphabetical index (no runtime)."""
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
        ("ﬁnancement", "financement"),       # NFKD folds the fi ligature
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
        "Co-construction", "Communauté apprenante", "Co-responsabilité", "Critères", "Écosystème", "Évaluation",
    ]


@pytest.mark.parametrize("term, letter", [("Écosystème", "E"), ("accessibilité", "A"), ("Œuvre", "O"), ("« Impact »", "I"), ("2030", "#")])
def test_index_letter_is_the_folded_first_letter(term, letter):
    assert search.index_letter(term) == letter


def test_group_by_letter_puts_accented_terms_with_their_plain_letter():
    groups = search.group_by_letter([entry("b", "Évaluation"), entry("a", "Écosystème"), entry("c", "Adaptabilité")])
    assert [(letter, [e.slug for e in members]) for letter, members in groups] == [("A", ["c"]), ("E", ["a", "b"])]


def test_search_is_accent_insensitive_both_ways():
    entries = [entry("eval", "Évaluation"), entry("other", "Mesure")]
    assert [hit.slug for hit in search.search(entries, "evaluation")] == ["eval"]
    assert [hit.slug for hit in search.search([entry("plain", "Evaluation")], "ÉVALUATION")] == ["plain"]


def test_search_ranks_term_prefix_then_term_then_other_language_then_definition():
    entries = [
        entry("in-definition", "Alpha", "Alpha", "Une démarche d'impact."),
        entry("other-language", "Bêta", "Social impact"),
        entry("inside-term", "Mesure de l'impact"),
        entry("prefix", "Impact social"),
        entry("none", "Gamma", "Gamma", "Rien à voir."),
    ]
    hits = search.search(entries, "impact")
    assert [hit.slug for hit in hits] == ["prefix", "inside-term", "other-language", "in-definition"]
    assert [hit.rank for hit in hits] == [search.TERM_PREFIX, search.TERM, search.OTHER_TERM, search.DEFINITION]


def test_search_needs_every_word_and_keeps_alphabetical_order_within_a_rank():
    entries = [entry("z", "Zêta sociale"), entry("a", "Alpha sociale"), entry("m", "Mu", definition="utilité sociale")]
    assert [hit.slug for hit in search.search(entries, "sociale")] == ["a", "z", "m"]
    assert [hit.slug for hit in search.search(entries, "utilite sociale")] == ["m"]
    assert search.search(entries, "sociale inconnu") == []


@pytest.mark.parametrize("query", ["", "   ", "\u00a0"])
def test_empty_query_matches_nothing(query):
    assert search.search(entries_for("fr"), query) == []


def test_real_glossary_evaluation_finds_social_utility_evaluation_first_in_both_languages():
    french = search.search(entries_for("fr"), "evaluation")
    english = search.search(entries_for("en"), "EVALUATION")
    assert french[0].slug == "social-utility-evaluation"  # "Évaluation de l'utilité sociale"
    assert english[0].slug == "social-utility-evaluation"  # "Social utility evaluation"


def test_real_glossary_finds_a_french_term_from_its_english_equivalent():
    hits = search.search(entries_for("fr"), "stakeholders")
    assert hits[0] == search.Hit("stakeholders", search.OTHER_TERM)


def test_real_glossary_index_covers_all_24_terms_in_order():
    for language in ("fr", "en"):
        groups = search.group_by_letter(entries_for(language))
        flattened = [e for _letter, members in groups for e in members]
        assert len(flattened) == 24
        assert [g[0] for g in groups] == sorted(g[0] for g in groups)
        assert flattened == sorted(flattened, key=lambda e: search.sort_key(e.term))
    french = dict(search.group_by_letter(entries_for("fr")))
    assert {e.slug for e in french["E"]} == {"ecosystem", "social-utility-evaluation"}
