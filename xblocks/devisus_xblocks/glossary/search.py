"""Folding, dictionary order and the alphabetical index of the glossary.

Plain Python over any objects with ``slug``, ``term``, ``other_term`` and ``definition``
attributes (see ``terms.Entry``), so it is tested without a runtime. ``fold`` is the one
normalisation used for matching, sorting and grouping: "Évaluation", "EVALUATION" and
"evaluation" fold to the same text, and so do "Œuvre" and "oeuvre".

Searching itself happens in the learner's browser (``public/js/glossary.js``): the page
carries each entry's folded texts (``search_texts``) and the script folds the query with the
same rules (NFKD, combining marks removed, lower case, then ``LIGATURES``, which the block
hands to the script so both sides use one table).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters that Unicode does not decompose into a base letter plus marks (ß is already "ss"
# after Python's casefold; it is listed for the browser, whose toLowerCase keeps it).
LIGATURES = {
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2010": "-",
    "\u2011": "-",
}
_LIGATURES = str.maketrans(LIGATURES)


def fold(text: str) -> str:
    """Lowercase, accent-free, ligature-free text with collapsed whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_LIGATURES).split())


def search_texts(entry) -> dict[str, str]:
    """What the browser searches, already folded: the term, the other language's term and the
    definition (matches are ranked in that order)."""
    return {"term": fold(entry.term), "other": fold(entry.other_term), "definition": fold(entry.definition)}


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
