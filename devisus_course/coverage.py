"""Framework coverage of the course: which units teach each item and what assesses it.

Every principle, competence block and item, and glossary term must be both taught (a unit's
``teaches``) and assessed (a component's ``assesses``), and the French and English courses
must have the same structure, unit for unit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .olx import UrlNames, custom_positions
from .source import CourseSource, FileComponent


@dataclass
class ItemCoverage:
    code: str
    title: str
    taught_by: list[str] = field(default_factory=list)
    assessed_by: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.taught_by) and bool(self.assessed_by)


def _component_id(ids: UrlNames, module, unit, position: int, component) -> str:
    if isinstance(component, FileComponent):
        return f"{component.category}:{ids.component(module, unit, component.stem)}"
    rank = custom_positions(unit)[position]
    return f"{component.tag}:{ids.component(module, unit, f'{component.tag}_{rank}')}"


def item_coverage(source: CourseSource) -> list[ItemCoverage]:
    framework = source.framework
    items = {
        code: ItemCoverage(code, framework.title_of(code)) for code in (*framework.codes, *framework.glossary_slugs)
    }
    ids = UrlNames()
    for module in source.modules:
        for sequence in module.sequences:
            for unit in sequence.units:
                unit_id = f"vertical:{ids.vertical(module, unit)}"
                for code in unit.teaches:
                    items[code].taught_by.append(unit_id)
                for position, component in enumerate(unit.components, start=1):
                    for code in component.assesses:
                        items[code].assessed_by.append(_component_id(ids, module, unit, position, component))
    return list(items.values())


def structure(source: CourseSource) -> list[str]:
    """A language-free outline of the course: one line per chapter, sequence, unit, component."""
    ids = UrlNames()
    # Grade types are named in each course's language ("Pair work", « Travail en binôme »): a
    # sequence is outlined by its grader's place and weight in the grading policy instead.
    graders = {grader.type: f"#{rank}:{grader.weight:g}" for rank, grader in enumerate(source.graders, start=1)}
    lines = [
        f"grader #{rank} weight={grader.weight:g} min_count={grader.min_count} drop_count={grader.drop_count}"
        for rank, grader in enumerate(source.graders, start=1)
    ]
    for module in source.modules:
        lines.append(f"chapter {ids.chapter(module)} objectives={len(module.objectives)}")
        for index, sequence in enumerate(module.sequences, start=1):
            graded = graders.get(sequence.graded, sequence.graded) if sequence.graded else "-"
            lines.append(f"  sequential {ids.sequential(module, index)} graded={graded}")
            for unit in sequence.units:
                lines.append(f"    vertical {ids.vertical(module, unit)} teaches={','.join(sorted(unit.teaches))}")
                for position, component in enumerate(unit.components, start=1):
                    kind = component.category if isinstance(component, FileComponent) else component.tag
                    assesses = ",".join(sorted(component.assesses))
                    lines.append(
                        f"      {_component_id(ids, module, unit, position, component)} kind={kind} assesses={assesses}"
                    )
    return lines


def structure_differences(reference: CourseSource, other: CourseSource) -> list[str]:
    import difflib

    diff = difflib.unified_diff(
        structure(reference), structure(other), reference.language, other.language, lineterm="", n=0
    )
    return [line for line in diff if not line.startswith("@@")]


def report(sources: list[CourseSource]) -> dict:
    languages = {}
    for source in sources:
        coverage = item_coverage(source)
        languages[source.language] = {
            "complete": all(item.complete for item in coverage),
            "items": [
                {
                    "code": i.code,
                    "title": i.title,
                    "taught_by": i.taught_by,
                    "assessed_by": i.assessed_by,
                    "complete": i.complete,
                }
                for i in coverage
            ],
        }
    differences = structure_differences(sources[0], sources[1]) if len(sources) > 1 else []
    ok = all(entry["complete"] for entry in languages.values()) and not differences
    return {"ok": ok, "languages": languages, "structure_differences": differences}


def format_text(result: dict) -> str:
    lines = []
    for language, entry in result["languages"].items():
        lines.append(f"== {language}: {'every item taught and assessed' if entry['complete'] else 'INCOMPLETE'}")
        for item in entry["items"]:
            mark = "ok " if item["complete"] else "-- "
            taught = ", ".join(item["taught_by"]) or "NOT TAUGHT"
            assessed = ", ".join(item["assessed_by"]) or "NOT ASSESSED"
            lines.append(f"{mark}{item['code']:<28} taught: {taught}")
            lines.append(f"   {'':<28} assessed: {assessed}")
    if result["structure_differences"]:
        lines.append("== the courses differ in structure:")
        lines.extend(result["structure_differences"])
    return "\n".join(lines)


def format_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True)
