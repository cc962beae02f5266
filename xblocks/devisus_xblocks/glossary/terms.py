"""The glossary as a learner reads it: the course language's terms with the other language's term.

Reads the shared framework data (``devisus_course.framework``), where each term is written
once per language under a slug that is identical across languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from devisus_course.framework import SUPPORTED_LANGUAGES, load_framework

from .search import sort_key

LANGUAGES = SUPPORTED_LANGUAGES
DEFAULT_LANGUAGE = "fr"


@dataclass(frozen=True)
class Entry:
    slug: str
    term: str
    other_term: str
    definition: str
    source_note: str
    related: tuple[str, ...]


def other_language(language: str) -> str:
    return "en" if language == "fr" else "fr"


def build_entries(glossary: Iterable, other_glossary: Iterable) -> tuple[Entry, ...]:
    """Pair each term with the same slug's term of the other language; alphabetical order."""
    other_terms = {term.slug: term.term for term in other_glossary}
    entries = (
        Entry(
            slug=term.slug,
            term=term.term,
            other_term=other_terms.get(term.slug, ""),
            definition=term.definition,
            source_note=term.source_note,
            related=tuple(term.related),
        )
        for term in glossary
    )
    return tuple(sorted(entries, key=lambda entry: sort_key(entry.term)))


@cache
def entries_for(language: str) -> tuple[Entry, ...]:
    """The 24 entries in ``language`` (an unsupported language falls back to the default)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return build_entries(load_framework(language).glossary, load_framework(other_language(language)).glossary)
