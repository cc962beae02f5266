"""Where the header's language switch leads from each page.

A course page (outline, unit, progress) shows one course tree, whose language is in its URL: the
switch leads to the same page of the other language's course. Every other page (index, block
scenarios) takes its interface language from ``?lang=`` (middleware.py), so the switch reloads it
with that parameter. Error pages lead to the index: the same address would fail again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

COURSE_PATH = re.compile(r"^/course/[a-z]{2}/")


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


def language_links(path: str, student: str, current: str, *, error_page: bool = False) -> list[LanguageLink]:
    links = []
    for code, name in settings.LANGUAGES:
        if error_page:
            target = "/"
        elif COURSE_PATH.match(path):
            target = COURSE_PATH.sub(f"/course/{code}/", path, count=1)
        else:
            target = path
        query = urlencode({"lang": code, "student": student})
        links.append(LanguageLink(code, name, f"{target}?{query}", code == current))
    return links
