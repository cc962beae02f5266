"""The DEVISUS framework (principles, competences, glossary), one data file per language.

Both the course builder and the XBlocks read the framework through this module, so every
principle, competence item and glossary term is written once per language, in
``framework_data/<lang>.yaml``. Codes (Pr1..Pr8, B1..B5, T1..T7, P1..P8, S1..S6) and glossary
slugs are stable across languages: content refers to them, never to a translated title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import SourceError
from .yamlfile import LineDict, LineList, line_of, load_yaml, require_list, require_mapping, require_text

DATA_DIR = Path(__file__).parent / "framework_data"
SUPPORTED_LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

PRINCIPLE_CODES = tuple(f"Pr{n}" for n in range(1, 9))
BLOCK_CODES = tuple(f"B{n}" for n in range(1, 6))
# The seed lists are open ("..."), but the framework as published has exactly these items.
COMPETENCE_LIST_CODES = {"T": 7, "P": 8, "S": 6}
GLOSSARY_SIZE = 24
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Principle:
    code: str
    title: str
    statement: str
    explanation: str


@dataclass(frozen=True)
class CompetenceBlock:
    code: str
    title: str


@dataclass(frozen=True)
class CompetenceItem:
    code: str
    title: str
    list_code: str


@dataclass(frozen=True)
class CompetenceList:
    code: str
    title: str
    items: tuple[CompetenceItem, ...]


@dataclass(frozen=True)
class GlossaryTerm:
    slug: str
    term: str
    definition: str
    source_note: str
    related: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    language: str
    principles: tuple[Principle, ...]
    blocks: tuple[CompetenceBlock, ...]
    competence_lists: tuple[CompetenceList, ...]
    glossary: tuple[GlossaryTerm, ...]
    _titles: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def competence_items(self) -> tuple[CompetenceItem, ...]:
        return tuple(item for group in self.competence_lists for item in group.items)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every framework code, in display order (principles, blocks, T, P, S)."""
        return (
            tuple(p.code for p in self.principles)
            + tuple(b.code for b in self.blocks)
            + tuple(item.code for item in self.competence_items)
        )

    @property
    def glossary_slugs(self) -> tuple[str, ...]:
        return tuple(term.slug for term in self.glossary)

    def is_reference(self, code: str) -> bool:
        """True if ``code`` names a framework item or a glossary term."""
        return code in self._titles

    def title_of(self, code: str) -> str:
        """Display title of a framework code or glossary slug (KeyError if unknown)."""
        return self._titles[code]

    def term(self, slug: str) -> GlossaryTerm:
        for term in self.glossary:
            if term.slug == slug:
                return term
        raise KeyError(slug)


def data_path(language: str) -> Path:
    return DATA_DIR / f"{language}.yaml"


@cache
def load_framework(language: str = DEFAULT_LANGUAGE) -> Framework:
    """Load and check the framework for one language (cached: the data is read-only)."""
    if language not in SUPPORTED_LANGUAGES:
        raise SourceError(None, f"unsupported language {language!r} (expected one of {', '.join(SUPPORTED_LANGUAGES)})")
    return parse_framework(data_path(language), language)


def parse_framework(path: Path, language: str) -> Framework:
    """Parse one framework data file, raising SourceError with file and line on any defect."""
    data = load_yaml(path)
    reader = _Reader(path)
    reader.require_mapping(data, "the file")
    if data.get("language") != language:
        raise SourceError(path, f"'language' must be {language!r}", line_of(data, "language"))

    principles = tuple(
        Principle(
            code=reader.text(entry, "code"),
            title=reader.text(entry, "title"),
            statement=reader.text(entry, "statement"),
            explanation=reader.text(entry, "explanation"),
        )
        for entry in reader.entries(data, "principles")
    )
    reader.check_codes(data, "principles", [p.code for p in principles], PRINCIPLE_CODES)

    blocks = tuple(
        CompetenceBlock(code=reader.text(entry, "code"), title=reader.text(entry, "title"))
        for entry in reader.entries(data, "competence_blocks")
    )
    reader.check_codes(data, "competence_blocks", [b.code for b in blocks], BLOCK_CODES)

    lists = []
    for entry in reader.entries(data, "competence_lists"):
        list_code = reader.text(entry, "code")
        if list_code not in COMPETENCE_LIST_CODES:
            raise SourceError(path, f"unknown competence list {list_code!r}", line_of(entry, "code"))
        items = tuple(
            CompetenceItem(code=reader.text(item, "code"), title=reader.text(item, "title"), list_code=list_code)
            for item in reader.entries(entry, "items")
        )
        expected = tuple(f"{list_code}{n}" for n in range(1, COMPETENCE_LIST_CODES[list_code] + 1))
        reader.check_codes(entry, "items", [i.code for i in items], expected)
        lists.append(CompetenceList(code=list_code, title=reader.text(entry, "title"), items=items))
    reader.check_codes(data, "competence_lists", [group.code for group in lists], tuple(COMPETENCE_LIST_CODES))

    glossary = []
    for entry in reader.entries(data, "glossary"):
        slug = reader.text(entry, "slug")
        if not SLUG_PATTERN.match(slug):
            raise SourceError(
                path, f"glossary slug {slug!r} must be lowercase words joined by '-'", line_of(entry, "slug")
            )
        related = entry.get("related", [])
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            raise SourceError(path, "'related' must be a list of glossary slugs", line_of(entry, "related"))
        glossary.append(
            GlossaryTerm(
                slug=slug,
                term=reader.text(entry, "term"),
                definition=reader.text(entry, "definition"),
                source_note=reader.text(entry, "source_note", required=False),
                related=tuple(related),
            )
        )
    slugs = [term.slug for term in glossary]
    if len(glossary) != GLOSSARY_SIZE:
        raise SourceError(
            path, f"the glossary must have {GLOSSARY_SIZE} terms, found {len(glossary)}", line_of(data, "glossary")
        )
    _check_unique(path, data, "glossary", slugs)
    for entry, term in zip(data["glossary"], glossary):
        for slug in term.related:
            if slug not in slugs or slug == term.slug:
                raise SourceError(
                    path,
                    f"term {term.slug!r}: related term {slug!r} is not another glossary slug",
                    line_of(entry, "related"),
                )

    titles = {p.code: p.title for p in principles}
    titles.update({b.code: b.title for b in blocks})
    titles.update({item.code: item.title for group in lists for item in group.items})
    titles.update({term.slug: term.term for term in glossary})
    return Framework(
        language=language,
        principles=principles,
        blocks=blocks,
        competence_lists=tuple(lists),
        glossary=tuple(glossary),
        _titles=titles,
    )


def check_languages_agree() -> None:
    """Every language must carry the same codes and glossary slugs, in the same order."""
    reference = load_framework(DEFAULT_LANGUAGE)
    for language in SUPPORTED_LANGUAGES:
        other = load_framework(language)
        if other.codes != reference.codes or other.glossary_slugs != reference.glossary_slugs:
            raise SourceError(
                data_path(language),
                f"codes or glossary slugs differ from {data_path(DEFAULT_LANGUAGE).name}",
            )


def _check_unique(path: Path, data: LineDict, key: str, values: list[str]) -> None:
    seen = set()
    for value, line in zip(values, data[key].item_lines):
        if value in seen:
            raise SourceError(path, f"duplicate entry {value!r} in '{key}'", line)
        seen.add(value)


class _Reader:
    """Small typed accessors that turn shape errors into located SourceErrors."""

    def __init__(self, path: Path):
        self.path = path

    def require_mapping(self, data, what: str) -> None:
        require_mapping(data, self.path, what)

    def entries(self, data: LineDict, key: str) -> LineList:
        value = require_list(data, key, self.path)
        for item in value:
            require_mapping(item, self.path, f"each entry of '{key}'")
        return value

    def text(self, data: LineDict, key: str, required: bool = True) -> str:
        return require_text(data, key, self.path, required)

    def check_codes(self, data: LineDict, key: str, codes: list[str], expected: tuple[str, ...]) -> None:
        _check_unique(self.path, data, key, codes)
        if tuple(codes) != expected:
            missing = sorted(set(expected) - set(codes))
            unknown = sorted(set(codes) - set(expected))
            detail = []
            if missing:
                detail.append("missing " + ", ".join(missing))
            if unknown:
                detail.append("unknown " + ", ".join(unknown))
            if not detail:
                detail.append("expected the order " + ", ".join(expected))
            raise SourceError(self.path, f"'{key}': " + "; ".join(detail), line_of(data, key))
