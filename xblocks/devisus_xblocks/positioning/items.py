"""The items a learner positions themself on: the 8 principles, the competence framework, or a
custom list written in Studio as lines ``CODE|Label``.

Plain Python over the framework data (``devisus_course.framework``): no runtime, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from devisus_course.framework import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, load_framework

from ..common.errors import ServiceError
from ..common.i18n import noop
from ..common.keys import fold
from .constants import ITEM_CODE_LENGTH

PRINCIPLES = "principles"
COMPETENCES = "competences"
CUSTOM = "custom"
ITEM_SETS = (PRINCIPLES, COMPETENCES, CUSTOM)

CUSTOM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
CUSTOM_LABEL_LENGTH = 200
CUSTOM_MIN_ITEMS = 3  # a radar chart needs three axes
CUSTOM_MAX_ITEMS = 40
MAX_ITEMS = 40  # the most items any item set holds (competences: 21)


@dataclass(frozen=True)
class Item:
    code: str
    title: str


@dataclass(frozen=True)
class ItemGroup:
    """Items shown together; ``title`` is empty for a single, unnamed group."""

    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ItemSet:
    kind: str
    groups: tuple[ItemGroup, ...]

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @cached_property
    def _titles(self) -> dict[str, str]:
        return {item.code: item.title for item in self.items}

    def __contains__(self, code) -> bool:
        return code in self._titles

    def __len__(self) -> int:
        return len(self.items)

    def title_of(self, code: str) -> str:
        return self._titles[code]


def framework_language(language: str) -> str:
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def build_item_set(kind: str, language: str, custom_text: str = "") -> ItemSet:
    """The item set of a block's settings (ServiceError if it cannot be built)."""
    if kind == PRINCIPLES:
        framework = load_framework(framework_language(language))
        items = tuple(Item(p.code, p.title) for p in framework.principles)
        return ItemSet(PRINCIPLES, (ItemGroup("Pr", "", items),))
    if kind == COMPETENCES:
        framework = load_framework(framework_language(language))
        groups = tuple(
            ItemGroup(group.code, group.title, tuple(Item(item.code, item.title) for item in group.items))
            for group in framework.competence_lists
        )
        return ItemSet(COMPETENCES, groups)
    if kind == CUSTOM:
        return ItemSet(CUSTOM, (ItemGroup("custom", "", parse_custom_items(custom_text)),))
    raise ServiceError(noop("Unknown item set: %(name)s"), name=str(kind)[:40])


def parse_custom_items(text: str) -> tuple[Item, ...]:
    """Parse ``CODE|Label`` lines (blank lines ignored), refusing the first defect found."""
    items: list[Item] = []
    seen: dict[str, str] = {}  # folded code -> code as written
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, separator, label = (part.strip() for part in line.partition("|"))
        if not separator or not code or not label:
            raise ServiceError(noop("Custom items, line %(line)s: write CODE|Label."), line=number)
        if len(code) > ITEM_CODE_LENGTH or not CUSTOM_CODE.fullmatch(code):
            raise ServiceError(
                noop(
                    "Custom items, line %(line)s: a code has at most %(limit)s letters, digits, '.', '_' or '-', and starts with a letter or digit."
                ),
                line=number,
                limit=ITEM_CODE_LENGTH,
            )
        if len(label) > CUSTOM_LABEL_LENGTH:
            raise ServiceError(
                noop("Custom items, line %(line)s: the label is longer than %(limit)s characters."),
                line=number,
                limit=CUSTOM_LABEL_LENGTH,
            )
        # Codes are stored in a unique key: MariaDB takes "A" and "a" for one code (IntegrityError
        # on the learner's save), so codes must differ by more than capitals, on every database.
        if fold(code) in seen:
            first = seen[fold(code)]
            if first == code:
                raise ServiceError(
                    noop("Custom items, line %(line)s: the code %(code)s is used twice."), line=number, code=code
                )
            raise ServiceError(
                noop(
                    "Custom items, line %(line)s: the code %(code)s differs from %(other)s only in capital letters; "
                    "codes must differ by more than that."
                ),
                line=number,
                code=code,
                other=first,
            )
        seen[fold(code)] = code
        items.append(Item(code, label))
    if not CUSTOM_MIN_ITEMS <= len(items) <= CUSTOM_MAX_ITEMS:
        raise ServiceError(
            noop("A custom list needs from %(minimum)s to %(maximum)s items (found %(count)s)."),
            minimum=CUSTOM_MIN_ITEMS,
            maximum=CUSTOM_MAX_ITEMS,
            count=len(items),
        )
    return tuple(items)
