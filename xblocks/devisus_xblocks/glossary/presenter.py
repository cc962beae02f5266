"""What the glossary views and handler replies show: plain data built from the services.

No XBlock here: the block passes its state and the request's ``gettext``, and
gets back template contexts and JSON replies. Texts are plain strings, escaped by the
templates (Jinja2 autoescape) or inserted with ``textContent`` by the JavaScript.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

from .practice import Result, Round
from .search import LIGATURES, group_by_letter, search_texts
from .terms import Entry, other_language

# Deep links to a term, e.g. from an HTML unit: ``#devisus-glossary-<slug>`` or ``?term=<slug>``.
# No element has this id (two glossaries on one page would repeat it): the script of the first
# reference glossary on the page resolves these links to its own entry. In the Learning MFE only
# the hash form works: the unit's iframe URL carries none of the page's query string, and the
# page's hash reaches the unit as a ``{hashName}`` message, which the script handles too.
ANCHOR_PREFIX = "devisus-glossary-"
_EXCERPT_LENGTH = 60


def uid_of(block_id: str) -> str:
    """A short per-block prefix keeping the ids of controls unique when blocks share a page."""
    return "devisus-glossary-b" + hashlib.sha1(block_id.encode("utf-8")).hexdigest()[:8]


def entry_prefix(uid: str) -> str:
    return f"{uid}-term-"


def anchor(uid: str, slug: str) -> str:
    """The id of a term's entry in one block, unique on the page: ``<uid>-term-<slug>``."""
    return entry_prefix(uid) + slug


def js_args(
    mode: str, uid: str, language: str, total: int, gettext: Callable, parent_origins: Sequence[str] = ()
) -> dict:
    """What the block's script is initialised with; texts it shows are translated here.

    ``parent_origins``: origins (besides the page's own) of a parent page allowed to send the
    unit's iframe a deep link (the Learning MFE's, see ``common/mfe.py``).
    """
    return {
        "mode": mode,
        "parent_origins": list(parent_origins),
        "uid": uid,
        "language": language,
        "other_language": other_language(language),
        "anchor_prefix": ANCHOR_PREFIX,
        "entry_prefix": entry_prefix(uid),
        "fold": LIGATURES,
        "messages": {
            "error": gettext("Something went wrong. Please try again."),
            "choose": gettext("Choose a definition"),
            "choose_all": gettext("Choose a definition for every term before checking your answers."),
            "all_terms": count_message(total, gettext),
            # Filled in by the script: %(count)s and %(query)s.
            "matching": gettext("Matching terms: %(count)s."),
            "no_match": gettext("No term matches “%(query)s”."),
        },
    }


def excerpt(text: str, limit: int = _EXCERPT_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def reference_context(entries: Sequence[Entry], language: str, uid: str) -> dict:
    titles = {entry.slug: entry.term for entry in entries}
    groups = [
        {
            "letter": letter,
            "id": f"{uid}-letter-{letter.lower() if letter.isalnum() else 'other'}",
            "entries": [
                {
                    "slug": entry.slug,
                    "id": anchor(uid, entry.slug),
                    "search": search_texts(entry),
                    "term": entry.term,
                    "other_term": entry.other_term,
                    "definition": entry.definition,
                    "source_note": entry.source_note,
                    "related": [
                        {"id": anchor(uid, slug), "term": titles[slug]} for slug in entry.related if slug in titles
                    ],
                }
                for entry in members
            ],
        }
        for letter, members in group_by_letter(entries)
    ]
    return {
        "uid": uid,
        "language": language,
        "other_language": other_language(language),
        "groups": groups,
        "count": len(entries),
    }


def count_message(total: int, gettext: Callable) -> str:
    # Counts are phrased as "label: number" throughout, which needs no plural forms.
    return gettext("Terms in the glossary: %(count)s.") % {"count": total}


def round_data(current: Round, entries: Sequence[Entry], uid: str) -> dict:
    """The round as the form shows it (also the reply of ``new_round``).

    Definitions are named by their letter only (ids, option values): their slug is the slug
    of the term they define, so showing it would give the answers away.
    """
    by_slug = {entry.slug: entry for entry in entries}
    return {
        "round": current.number,
        "items": [
            {
                "slug": slug,
                "term": by_slug[slug].term,
                "other_term": by_slug[slug].other_term,
                "select_id": f"{uid}-answer-{slug}",
                "feedback_id": f"{uid}-feedback-{slug}",
            }
            for slug in current.terms
        ],
        "definitions": [
            {
                "letter": letter,
                "id": f"{uid}-definition-{letter.lower()}",
                "text": by_slug[slug].definition,
                "option": f"{letter}. {excerpt(by_slug[slug].definition)}",
            }
            for letter, slug in zip(current.letters, current.definitions)
        ],
    }


def new_round_reply(current: Round, entries: Sequence[Entry], uid: str, progress: Mapping, gettext: Callable) -> dict:
    message = gettext("New round ready. Terms to match: %(count)s.") % {"count": len(current.terms)}
    return {**round_data(current, entries, uid), **progress_data(progress, gettext), "message": message}


def result_data(current: Round, result: Result, progress: Mapping, gettext: Callable) -> dict:
    """Per-item feedback and the score summary (also the reply of ``submit_practice``)."""
    items = [
        {
            "slug": item.term,
            "chosen": current.letter(item.chosen),
            "correct": item.correct,
            "feedback": gettext("Correct.")
            if item.correct
            else gettext("Not quite: the right definition is %(letter)s.") % {"letter": current.letter(item.term)},
        }
        for item in result.items
    ]
    summary = gettext("Correct matches: %(correct)s out of %(total)s.") % {
        "correct": result.correct,
        "total": result.total,
    }
    return {
        "round": result.round,
        "items": items,
        "correct": result.correct,
        "total": result.total,
        "score": result.score,
        "summary": summary,
        **progress_data(progress, gettext),
    }


def progress_data(progress: Mapping, gettext: Callable) -> dict:
    """``progress``: attempts, best_score (0..1) and graded."""
    attempts = int(progress.get("attempts") or 0)
    percent = round(float(progress.get("best_score") or 0.0) * 100)
    if not attempts:
        text = gettext("No round answered yet.")
    else:
        text = gettext("Rounds answered: %(count)s. Best score: %(percent)s%%.") % {
            "count": attempts,
            "percent": percent,
        }
    return {"attempts": attempts, "best_score": float(progress.get("best_score") or 0.0), "progress": text}


def practice_context(
    current: Round,
    entries: Sequence[Entry],
    uid: str,
    language: str,
    *,
    result: Result | None,
    progress: Mapping,
    graded: bool,
    gettext: Callable,
) -> dict:
    data = round_data(current, entries, uid)
    feedback = result_data(current, result, progress, gettext) if result else None
    by_item = {item["slug"]: item for item in feedback["items"]} if feedback else {}
    for item in data["items"]:
        answered = by_item.get(item["slug"])
        item["chosen"] = answered["chosen"] if answered else ""
        item["correct"] = answered["correct"] if answered else None
        item["feedback"] = answered["feedback"] if answered else ""
    return {
        "uid": uid,
        "language": language,
        "other_language": other_language(language),
        "round": data,
        "answered": feedback is not None,
        "summary": feedback["summary"] if feedback else "",
        "progress": progress_data(progress, gettext)["progress"],
        "graded": graded,
    }
