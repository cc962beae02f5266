"""Calibration examples: works the course author (or trainer) has scored with the block's rubric.

Plain data, stored in the block's ``calibration`` field and in OLX, like the rubric::

    [{"id": "weak-plan", "title": "...", "text": "the example work",
      "levels": {"c1": "emerging", ...},          # the reference level of every criterion
      "comments": {"c1": "why this level", ...}}]  # the reference comment shown after answering

Rules: at most ``MAX_EXAMPLES``; ids unique short slugs; a non-empty text; a level of the rubric
for every criterion. No examples: no calibration step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...common.errors import ServiceError
from ...common.i18n import noop
from .rubric import ID_PATTERN, MAX_TEXT, Rubric

MAX_EXAMPLES = 3
MAX_EXAMPLE_TEXT = 20_000


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    text: str
    levels: dict  # {criterion id: level id}
    comments: dict  # {criterion id: reference comment}


def example_problems(data, rubric: Rubric | None) -> list[ServiceError]:
    """Every problem of the examples' data (empty: valid). ``rubric``: the parsed rubric, if valid."""
    if data in (None, []):
        return []
    if not isinstance(data, list):
        return [ServiceError(noop("The calibration examples must be a list."))]
    found = []
    if len(data) > MAX_EXAMPLES:
        found.append(ServiceError(noop("At most %(count)s calibration examples."), count=MAX_EXAMPLES))
    seen = set()
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            found.append(ServiceError(noop("Calibration example %(number)s is not an object."), number=position))
            continue
        example_id = item.get("id")
        if not isinstance(example_id, str) or not ID_PATTERN.match(example_id) or example_id in seen:
            found.append(
                ServiceError(
                    noop("Calibration example %(number)s needs its own short id (letters, digits, - and _)."),
                    number=position,
                )
            )
        seen.add(example_id)
        text, title = item.get("text"), item.get("title", "")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_EXAMPLE_TEXT:
            found.append(
                ServiceError(
                    noop("Calibration example %(number)s needs a text of at most %(limit)s characters."),
                    number=position,
                    limit=MAX_EXAMPLE_TEXT,
                )
            )
        if not isinstance(title, str) or len(title) > MAX_TEXT:
            found.append(
                ServiceError(noop("The title of calibration example %(number)s is too long."), number=position)
            )
        levels, comments = item.get("levels"), item.get("comments", {})
        if not isinstance(levels, dict) or not isinstance(comments, dict):
            found.append(
                ServiceError(noop("Calibration example %(number)s needs a level for every criterion."), number=position)
            )
            continue
        if any(not isinstance(v, str) or len(v) > MAX_TEXT for v in comments.values()):
            found.append(
                ServiceError(noop("A comment of calibration example %(number)s is too long."), number=position)
            )
        if rubric is not None and any(c.level(levels.get(c.id, "")) is None for c in rubric.criteria):
            found.append(
                ServiceError(noop("Calibration example %(number)s needs a level for every criterion."), number=position)
            )
    return found


def parse_examples(data, rubric: Rubric) -> tuple[Example, ...]:
    """The examples of valid data (raises the first problem as a ServiceError)."""
    problems = example_problems(data, rubric)
    if problems:
        raise problems[0]
    return tuple(
        Example(
            id=item["id"],
            title=item.get("title", ""),
            text=item["text"],
            levels={c.id: item["levels"][c.id] for c in rubric.criteria},
            comments={c.id: item.get("comments", {}).get(c.id, "") for c in rubric.criteria},
        )
        for item in data or []
    )
