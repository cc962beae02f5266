"""Search and alphabetical index of the glossary: accent-, case- and ligature-insensitive.

Plain Python over any objects with ``slug``, ``term``, ``other_term`` and ``definition``
attributes (see ``terms.Entry``), so it is tested without a runtime. ``fold`` is the one
normalisation used for matching, sorting and grouping: "Évaluation", "EVALUATION" and
"evaluation" fold to the same text, and so do "Œuvre" and "oeuvre".
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

MAX_QUERY_LENGTH = 100

# Letters that Unicode does not decompose into a base letter plus marks.
_LIGATURES = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
})

# Ranks, best first. A hit's rank is the best field that contains every word of the query.
TERM_PREFIX, TERM, OTHER_TERM, DEFINITION = range(4)


@dataclass(frozen=True)
class Hit:
    slug: str
    rank: int


def fold(text: str) -> str:
    """Lowercase, accent-free, ligature-free text with collapsed whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_LIGATURES).split())


def sort_key(text: str) -> tuple[str, str]:
    """Dictionary order: accents, case and punctuation ignored first ("Co-responsabilité"
    sorts after "Communauté"), then the folded text breaks ties."""
    folded = fold(text)
    return "".join(char for char in folded if char.isalnum()), folded


def index_letter(text: str) -> str:
    """The index heading a term is listed under: its first letter, folded and capitalised."""
    for char in fold(text):
        if char.isalpha():
            return char.upper()
        if char.isdigit():
            return "#"
    return "#"


def group_by_letter(entries: Iterable) -> list[tuple[str, list]]:
    """``[(letter, [entries...]), ...]`` in alphabetical order of the terms."""
    groups: dict[str, list] = {}
    for entry in sorted(entries, key=lambda item: sort_key(item.term)):
        groups.setdefault(index_letter(entry.term), []).append(entry)
    return sorted(groups.items(), key=lambda group: (group[0] == "#", group[0]))


def search(entries: Sequence, query: str) -> list[Hit]:
    """Entries matching every word of ``query``, term matches first, then alphabetical.

    A word matches anywhere inside the folded text ("eval" finds "Évaluation"). An empty
    query matches nothing: the caller shows the whole list instead.
    """
    folded_query = fold(query)
    words = folded_query.split()
    if not words:
        return []
    hits = []
    for entry in sorted(entries, key=lambda item: sort_key(item.term)):
        rank = _rank(entry, folded_query, words)
        if rank is not None:
            hits.append(Hit(entry.slug, rank))
    hits.sort(key=lambda hit: hit.rank)  # stable: alphabetical within a rank
    return hits


def _rank(entry, folded_query: str, words: list[str]) -> int | None:
    term = fold(entry.term)
    if term.startswith(folded_query):
        return TERM_PREFIX
    if _has_all(term, words):
        return TERM
    other = fold(entry.other_term)
    if _has_all(other, words):
        return OTHER_TERM
    if _has_all(" ".join((term, other, fold(entry.definition))), words):
        return DEFINITION
    return None


def _has_all(text: str, words: list[str]) -> bool:
    return all(word in text for word in words)
