"""Reading the glossary's server-rendered pages in tests (what a learner's browser receives)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass
class PracticePage:
    round: int
    answered: bool
    terms: list[str]           # term slugs, in the order of the selects
    definitions: list[str]     # definition slugs, in the order shown (A, B, C...)
    chosen: dict[str, str]
    feedback: dict[str, str]
    progress: str
    status: str

    def correct_answers(self) -> dict[str, str]:
        return {slug: slug for slug in self.terms}

    def wrong_answers(self) -> dict[str, str]:
        return dict(zip(self.terms, self.terms[1:] + self.terms[:1]))


def block_html(page: str, index: int = 0) -> str:
    """The HTML of the ``index``-th glossary block on a workbench page."""
    starts = [m.start() for m in re.finditer(r'<section class="devisus-glossary ', page)]
    start = starts[index]
    end = page.index('<script type="json/xblock-args"', start) if '<script type="json/xblock-args"' in page[start:] else len(page)
    return page[start:end]


def practice_page(page: str, index: int = 0) -> PracticePage:
    body = block_html(page, index)
    assert "devisus-glossary-practice" in body[:200], "not a practice block"
    selects = re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S)
    first_options = re.findall(r'<option value="([^"]*)"', selects[0][1]) if selects else []
    return PracticePage(
        round=int(re.search(r'data-round="(\d+)"', body).group(1)),
        answered=re.search(r'data-answered="(\w+)"', body).group(1) == "true",
        terms=[name for name, _options in selects],
        definitions=[value for value in first_options if value],
        chosen={name: (re.search(r'<option value="([^"]+)" selected', options) or [None, ""])[1] for name, options in selects},
        feedback=dict(re.findall(r'data-slug="([^"]+)".*?<p class="devisus-glossary-feedback"[^>]*>(.*?)</p>', body, re.S)),
        progress=html.unescape(re.search(r'<p class="devisus-glossary-progress">(.*?)</p>', body, re.S).group(1)).strip(),
        status=html.unescape(re.search(r'role="status" aria-live="polite">(.*?)</p>', body, re.S).group(1)).strip(),
    )
