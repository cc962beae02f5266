"""Reading the glossary's server-rendered pages in tests (what a learner's browser receives)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from devisus_course.framework import load_framework


@cache
def slug_of_definition() -> dict[str, str]:
    """Definition text -> term slug, in both languages: what a learner who knows the glossary
    knows. The page itself never says which definition belongs to which term."""
    return {term.definition: term.slug for language in ("fr", "en") for term in load_framework(language).glossary}


@dataclass
class PracticePage:
    round: int
    answered: bool
    terms: list[str]  # term slugs, in the order of the selects
    letters: list[str]  # the option values of a select (A, B, C...)
    definitions: list[str]  # the slugs of the definitions shown under those letters, read from their texts
    chosen: dict[str, str]  # term slug -> chosen letter ("" if none)
    feedback: dict[str, str]
    progress: str
    status: str

    def letter_of(self, slug: str) -> str:
        return self.letters[self.definitions.index(slug)]

    def correct_answers(self) -> dict[str, str]:
        return {slug: self.letter_of(slug) for slug in self.terms}

    def wrong_answers(self) -> dict[str, str]:
        return dict(zip(self.terms, (self.letter_of(slug) for slug in self.terms[1:] + self.terms[:1])))


def block_html(page: str, index: int = 0) -> str:
    """The HTML of the ``index``-th glossary block on a workbench page."""
    starts = [m.start() for m in re.finditer(r'<section class="devisus-glossary ', page)]
    start = starts[index]
    end = (
        page.index('<script type="json/xblock-args"', start)
        if '<script type="json/xblock-args"' in page[start:]
        else len(page)
    )
    return page[start:end]


def practice_page(page: str, index: int = 0) -> PracticePage:
    body = block_html(page, index)
    assert "devisus-glossary-practice" in body[:200], "not a practice block"
    selects = re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S)
    first_options = re.findall(r'<option value="([^"]*)"', selects[0][1]) if selects else []
    texts = re.findall(r'<span class="devisus-glossary-definition-text"[^>]*>(.*?)</span>', body, re.S)
    return PracticePage(
        round=int(re.search(r'data-round="(\d+)"', body).group(1)),
        answered=re.search(r'data-answered="(\w+)"', body).group(1) == "true",
        terms=[name for name, _options in selects],
        letters=[value for value in first_options if value],
        definitions=[slug_of_definition()[html.unescape(text)] for text in texts],
        chosen={
            name: (re.search(r'<option value="([^"]+)"[^>]* selected', options) or [None, ""])[1]
            for name, options in selects
        },
        feedback=dict(
            re.findall(r'data-slug="([^"]+)".*?<p class="devisus-glossary-feedback"[^>]*>(.*?)</p>', body, re.S)
        ),
        progress=html.unescape(
            re.search(r'<p class="devisus-glossary-progress">(.*?)</p>', body, re.S).group(1)
        ).strip(),
        status=html.unescape(re.search(r'role="status" aria-live="polite">(.*?)</p>', body, re.S).group(1)).strip(),
    )
