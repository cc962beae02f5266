"""Translations of the package's own strings (builder output, reference sheet), per language.

Catalogs live in ``locale/<lang>/LC_MESSAGES/devisus_course.po`` and are compiled to ``.mo``
by ``scripts/translations.py compile``; English is the source language.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "devisus_course"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Catalog for ``language``; English (the source language) needs none."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def noop(message: str) -> str:
    """Mark a string for extraction where it is translated later, at display time."""
    return message
