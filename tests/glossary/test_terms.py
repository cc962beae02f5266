"""The glossary entries: the course language's terms with the other language's term alongside."""

from __future__ import annotations

import pytest

from devisus_course.framework import load_framework
from devisus_xblocks.glossary.terms import build_entries, entries_for, other_language


@pytest.mark.parametrize("language", ["fr", "en"])
def test_entries_pair_every_term_with_the_other_languages_term(language):
    entries = entries_for(language)
    own = {term.slug: term for term in load_framework(language).glossary}
    other = {term.slug: term.term for term in load_framework(other_language(language)).glossary}
    assert len(entries) == 24
    assert {entry.slug for entry in entries} == set(own)
    for entry in entries:
        assert entry.term == own[entry.slug].term
        assert entry.definition == own[entry.slug].definition
        assert entry.source_note == own[entry.slug].source_note
        assert entry.other_term == other[entry.slug]
        assert set(entry.related) <= set(own)


def test_french_entries_show_english_terms_and_vice_versa():
    french = {entry.slug: entry for entry in entries_for("fr")}
    english = {entry.slug: entry for entry in entries_for("en")}
    assert (french["stakeholders"].term, french["stakeholders"].other_term) == ("Parties prenantes", "Stakeholders")
    assert (english["stakeholders"].term, english["stakeholders"].other_term) == ("Stakeholders", "Parties prenantes")


def test_entries_are_alphabetical_in_each_language():
    assert [e.term for e in entries_for("en")][:3] == ["Accessibility", "Accompaniment", "Adaptability"]
    english_order = [e.term.casefold() for e in entries_for("en")]
    assert english_order == sorted(english_order)


def test_unknown_language_falls_back_to_french():
    assert entries_for("de") == entries_for("fr")


def test_build_entries_leaves_other_term_empty_when_the_other_language_lacks_the_slug():
    glossary = load_framework("fr").glossary
    entries = build_entries(glossary, [])
    assert all(entry.other_term == "" for entry in entries)
