#!/usr/bin/env python3
"""Translation upkeep. English is the source language; French is shipped.

    python scripts/translations.py update    # merge newly extracted strings into the .po files
    python scripts/translations.py compile   # compile the .po files into the shipped .mo files
    python scripts/translations.py check     # exit 1 if a string is missing, untranslated or a .mo stale

Two catalogs:
- the course builder's (devisus_course/locale/<lang>/LC_MESSAGES/devisus_course.po -> .mo);
- the XBlocks' (xblocks/devisus_xblocks/locale_src/<lang>/*.po, one file per block, merged and
  compiled to translations/<lang>/LC_MESSAGES/text.mo for the LMS's XBlock i18n service and to
  django.mo, the same catalog, for the workbench preview, which translates through Django).
  The LMS has looked for text.mo in two places over its releases (see XBLOCK_LOOKUPS below), so
  the same catalog is also written into each block's own package: <block>/translations/.
  English, the source language, gets an (identity) catalog too, so the LMS finds our catalog for
  English learners as well instead of falling back to its own Django catalogs.
Strings are extracted from Python (`_`, `gettext`, `ngettext`, `noop`) and Jinja2 templates.

French typography: the blocks' French strings get their no-break spaces (before ; : ! ?, inside
« », in numbers) when they are compiled, with the builder's own rule
(devisus_course.typography.catalog_spacing); the .po files keep ordinary spaces, easier to edit.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from devisus_course.typography import catalog_spacing

ROOT = Path(__file__).resolve().parent.parent
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
LANGUAGES = ("fr",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "noop": None}
METHOD_MAP = [("**.py", "python"), ("**/templates/**", "jinja2")]
OPTIONS = {"**/templates/**": {"extensions": "jinja2.ext.i18n"}}


class Domain:
    def __init__(
        self, name: str, source: Path, po_files, mo_files, source_language: str | None = None, typography=None
    ):
        self.name, self.source, self.po_files, self.mo_files = name, source, po_files, mo_files
        # When set, an identity catalog of the source language is shipped too (never checked for
        # translations: its strings are the msgids).
        self.source_language = source_language
        # language -> function applied to each translated string when compiling (never to the .po).
        self.typography = typography or {}

    def shipped_languages(self) -> tuple[str, ...]:
        return LANGUAGES + ((self.source_language,) if self.source_language else ())

    def extracted(self) -> dict:
        """msgid (a (singular, plural) tuple for ngettext) -> first location, for every string."""
        found = {}
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(self.source), METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS
        ):
            if message and all(message if isinstance(message, tuple) else (message,)):
                found.setdefault(message, f"{filename}:{lineno}")
        return found

    def catalog(self, language: str) -> Catalog:
        # Fixed header dates: the compiled .mo must only change when a translation does.
        merged = Catalog(locale=language, project=self.name, creation_date=FIXED_DATE, revision_date=FIXED_DATE)
        for po in self.po_files(language):
            with po.open("rb") as handle:
                for message in read_po(handle, locale=language):
                    if message.id:
                        merged[message.id] = message
        return merged

    def compiled(self, language: str) -> bytes:
        catalog = self.catalog(language)
        if spacing := self.typography.get(language):
            for message in catalog:
                if not message.id or not message.string:
                    continue
                if isinstance(message.string, tuple | list):
                    message.string = tuple(spacing(form) for form in message.string)
                else:
                    message.string = spacing(message.string)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        return buffer.getvalue()


BUILDER = Domain(
    "devisus_course",
    ROOT / "devisus_course",
    lambda lang: [ROOT / "devisus_course" / "locale" / lang / "LC_MESSAGES" / "devisus_course.po"],
    lambda lang: [ROOT / "devisus_course" / "locale" / lang / "LC_MESSAGES" / "devisus_course.mo"],
)
XBLOCKS_DIR = ROOT / "xblocks" / "devisus_xblocks"
# Where the LMS's XBlock i18n service looks for ``text.mo``, given a block class's module
# (e.g. devisus_xblocks.glossary.block):
# - since Redwood (OEP-58), in the block's *root* package: importlib.resources.path(
#   "devisus_xblocks", "translations") (edx-platform xmodule/modulestore/django.py,
#   XBlockI18nService.get_python_locale, with xmodule/modulestore/api.py get_root_module_name);
# - before that, next to the block's *module*: pkg_resources.resource_filename(
#   "devisus_xblocks.glossary.block", "translations") = devisus_xblocks/glossary/translations.
# The same merged catalog is written to both places.
BLOCK_PACKAGES = sorted(path.parent.name for path in XBLOCKS_DIR.glob("*/block.py"))


def _xblock_catalogs(lang: str) -> list[Path]:
    package_level = [XBLOCKS_DIR / "translations" / lang / "LC_MESSAGES" / name for name in ("text.mo", "django.mo")]
    module_level = [XBLOCKS_DIR / block / "translations" / lang / "LC_MESSAGES" / "text.mo" for block in BLOCK_PACKAGES]
    return package_level + module_level


XBLOCKS = Domain(
    "devisus_xblocks",
    XBLOCKS_DIR,
    lambda lang: sorted((XBLOCKS_DIR / "locale_src" / lang).glob("*.po")),
    _xblock_catalogs,
    source_language="en",
    typography={"fr": catalog_spacing},
)
DOMAINS = (BUILDER, XBLOCKS)


def update() -> None:
    """Append extracted strings missing from every catalog to the domain's first (or new) .po file."""
    for domain in DOMAINS:
        for language in LANGUAGES:
            known = domain.catalog(language)
            missing = {msgid: where for msgid, where in domain.extracted().items() if msgid not in known}
            if not missing:
                continue
            files = domain.po_files(language)
            target = files[0] if files else XBLOCKS_DIR / "locale_src" / language / "common.po"
            catalog = read_po(target.open("rb"), locale=language) if target.exists() else Catalog(locale=language)
            for msgid, where in sorted(missing.items(), key=lambda item: str(item[0])):
                catalog.add(msgid, string="", locations=[(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1]))])
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                write_po(handle, catalog, sort_output=True, omit_header=False)
            print(f"{target}: {len(missing)} new strings to translate")


def compile_all() -> None:
    for domain in DOMAINS:
        for language in domain.shipped_languages():
            data = domain.compiled(language)
            for mo in domain.mo_files(language):
                mo.parent.mkdir(parents=True, exist_ok=True)
                mo.write_bytes(data)


def problems() -> list[str]:
    found = []
    for domain in DOMAINS:
        for language in LANGUAGES:
            catalog = domain.catalog(language)
            for msgid, where in sorted(domain.extracted().items(), key=lambda item: str(item[0])):
                message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
                if message is None:
                    found.append(f"{where}: {msgid!r} is not in the {language} catalog of {domain.name}")
                elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
                    found.append(f"{where}: {msgid!r} is untranslated in {language}")
        for language in domain.shipped_languages():
            data = domain.compiled(language)
            for mo in domain.mo_files(language):
                if not mo.exists() or mo.read_bytes() != data:
                    found.append(f"{mo}: stale, run `python scripts/translations.py compile`")
    return found


def main() -> int:
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "update":
        update()
    elif action == "compile":
        compile_all()
    elif action == "check":
        found = problems()
        print("\n".join(found) or "translations complete and compiled")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
