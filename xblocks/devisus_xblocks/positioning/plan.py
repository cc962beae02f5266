"""The development plan: the lowest-rated items, each with the course modules that work on it.

Which module works on which item comes from the course source: every module objective lists
the framework codes it addresses (``devisus_course.source``). The mapping is built once per
language and cached; a course source that cannot be read gives an empty mapping (the plan then
lists the items without modules) rather than breaking the learner's page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .items import ItemSet, framework_language

log = logging.getLogger(__name__)

PLAN_SIZE = 3


@dataclass(frozen=True)
class ModuleRef:
    number: int
    title: str


@dataclass(frozen=True)
class PlanEntry:
    code: str
    title: str
    rating: int
    modules: tuple[ModuleRef, ...]


def modules_by_code(modules: Iterable) -> dict[str, tuple[ModuleRef, ...]]:
    """Item code -> the modules whose objectives name it, in module order (each module once).

    ``modules`` are course-source modules: objects with ``number``, ``title`` and
    ``objectives`` (each with ``codes``).
    """
    found: dict[str, dict[int, ModuleRef]] = {}
    for module in sorted(modules, key=lambda module: module.number):
        for objective in module.objectives:
            for code in objective.codes:
                found.setdefault(code, {}).setdefault(module.number, ModuleRef(module.number, module.title))
    return {code: tuple(refs.values()) for code, refs in found.items()}


_MAPPINGS: dict[str, Mapping[str, tuple[ModuleRef, ...]]] = {}


def course_modules_by_code(language: str) -> Mapping[str, tuple[ModuleRef, ...]]:
    """The mapping of the packaged course source in one language (cached once read: the source
    is package data; a failure is logged and not cached)."""
    language = framework_language(language)
    if language not in _MAPPINGS:
        from devisus_course.source import load_course_source  # imported when first needed: it is large

        try:
            source = load_course_source(language)
        except Exception:  # a broken source must not break a learner's page
            log.exception("Self-positioning: cannot read the course source (%s); the plan lists no modules", language)
            return {}
        _MAPPINGS[language] = modules_by_code(source.modules)
    return _MAPPINGS[language]


def development_plan(
    item_set: ItemSet,
    ratings: Mapping[str, int],
    modules: Mapping[str, tuple[ModuleRef, ...]],
    size: int = PLAN_SIZE,
) -> list[PlanEntry]:
    """The ``size`` lowest-rated items (ties: the item set's order) with their modules."""
    order = {code: index for index, code in enumerate(item_set.codes)}
    rated = sorted((code for code in ratings if code in order), key=lambda code: (ratings[code], order[code]))
    return [
        PlanEntry(code, item_set.title_of(code), ratings[code], tuple(modules.get(code, ()))) for code in rated[:size]
    ]
