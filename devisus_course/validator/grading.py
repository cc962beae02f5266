"""policies/<run>/grading_policy.json, and the assignment types graded sequentials use."""

from __future__ import annotations

import re

from .jsonfile import key_line, line_of, load_json
from .olx import Olx
from .report import Finding, error, warning

WEIGHT_TOLERANCE = 1e-6


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def check_grading(olx: Olx) -> list[Finding]:
    if olx.run is None:
        return []
    rel = f"policies/{olx.run}/grading_policy.json"
    data, text, findings = load_json(olx.root, rel, "grading")
    if data is None:
        return findings
    if not isinstance(data, dict):
        return [error("grading", rel, "must be a JSON object with GRADER and GRADE_CUTOFFS", 1)]
    types = _check_grader(data.get("GRADER"), rel, text, findings)
    _check_cutoffs(data.get("GRADE_CUTOFFS"), rel, text, findings)
    if types is not None:
        findings.extend(_check_formats(olx, types, rel))
    return findings


def _check_grader(grader, rel: str, text: str | None, findings: list[Finding]) -> set[str] | None:
    line = key_line(text, "GRADER")
    if not isinstance(grader, list) or not grader:
        findings.append(error("grading", rel, "GRADER must be a non-empty list of assignment types", line or 1))
        return None
    types: set[str] = set()
    total = 0.0
    for index, entry in enumerate(grader, start=1):
        if not isinstance(entry, dict):
            findings.append(error("grading", rel, f"GRADER entry {index} must be an object", line))
            continue
        kind = entry.get("type")
        label = f"GRADER entry {index}" + (f" ({kind!r})" if isinstance(kind, str) else "")
        entry_line = line_of(text, r'"type"\s*:\s*' + re.escape(f'"{kind}"')) if isinstance(kind, str) else line
        if not isinstance(kind, str) or not kind.strip():
            findings.append(error("grading", rel, f"{label} needs a non-empty 'type'", entry_line))
        elif kind in types:
            findings.append(error("grading", rel, f"{label}: assignment type {kind!r} appears twice", entry_line))
        else:
            types.add(kind)
        weight = entry.get("weight")
        if not _is_number(weight) or not 0.0 <= weight <= 1.0:
            findings.append(
                error("grading", rel, f"{label}: weight must be a number in [0, 1], got {weight!r}", entry_line)
            )
        else:
            total += weight
        for count in ("min_count", "drop_count"):
            value = entry.get(count)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                findings.append(error("grading", rel, f"{label}: {count} must be a non-negative integer", entry_line))
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        findings.append(error("grading", rel, f"GRADER weights sum to {total:g}, not 1.0", line))
    return types


def _check_cutoffs(cutoffs, rel: str, text: str | None, findings: list[Finding]) -> None:
    line = key_line(text, "GRADE_CUTOFFS")
    if not isinstance(cutoffs, dict) or not cutoffs:
        findings.append(
            error("grading", rel, 'GRADE_CUTOFFS must be a non-empty object, e.g. {"Pass": 0.5}', line or 1)
        )
        return
    for grade, value in cutoffs.items():
        if not _is_number(value) or not 0.0 < value <= 1.0:
            findings.append(
                error(
                    "grading",
                    rel,
                    f"GRADE_CUTOFFS {grade!r} must be a number in (0, 1], got {value!r}",
                    key_line(text, grade) or line,
                )
            )


def _check_formats(olx: Olx, types: set[str], rel: str) -> list[Finding]:
    findings = []
    for usage in olx.of_tag("sequential"):
        attrs = usage.element.attrib
        if not _is_true(attrs.get("graded")):
            continue
        fmt = attrs.get("format")
        if not fmt:
            findings.append(
                warning(
                    "grading",
                    usage.content_file,
                    "graded sequential has no format: it counts toward no assignment type",
                    usage.content_line,
                )
            )
        elif fmt not in types:
            known = ", ".join(sorted(types)) or "none"
            findings.append(
                error(
                    "grading",
                    usage.content_file,
                    f"format {fmt!r} has no GRADER entry in {rel} (types: {known})",
                    usage.content_line,
                )
            )
    return findings
