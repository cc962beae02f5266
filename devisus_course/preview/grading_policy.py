"""A course grade from a course's grading policy, by the rules of the Open edX LMS.

Plain Python, so the rules can be tested on their own. They follow edx-platform:

- a problem's score is weighted by its ``weight``: ``earned * weight / possible`` of ``weight``
  (``lms/djangoapps/grades/scores.py``, ``weighted_score``);
- a subsection's percent is its weighted earned over its weighted possible, rounded to two places,
  0 when nothing is possible (``scores.py``, ``compute_percent``);
- each assignment type averages its subsections with equal weight, padded with zeros up to
  ``min_count``, after dropping its ``drop_count`` lowest (``xmodule/graders.py``,
  ``AssignmentFormatGrader``); the course percent is the sum of the averages times their
  ``weight`` (``WeightedSubsectionsGrader``);
- the course percent is rounded to two places, half away from zero, after adding 0.05 percent;
  the letter grade is the highest cutoff reached and the learner passes at the lowest non-zero
  cutoff (``lms/djangoapps/grades/course_grade.py``, ``_compute_percent``, ``_compute_letter_grade``,
  ``_compute_passed``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path


class GradingPolicyError(ValueError):
    """The grading policy file cannot be read as Open edX reads it."""


@dataclass(frozen=True)
class AssignmentType:
    type: str
    short_label: str
    min_count: int
    drop_count: int
    weight: float


@dataclass(frozen=True)
class GradingPolicy:
    assignment_types: tuple[AssignmentType, ...]
    cutoffs: dict[str, float]


@dataclass(frozen=True)
class SubsectionScore:
    """A graded subsection's weighted total for one learner."""

    title: str
    format: str
    earned: float
    possible: float

    @property
    def percent(self) -> float:
        return compute_percent(self.earned, self.possible)


@dataclass(frozen=True)
class Slot:
    """One place in an assignment type's average: a subsection, or a zero placeholder (``None``)
    when the course has fewer subsections of the type than ``min_count``."""

    label: str
    subsection: SubsectionScore | None
    percent: float
    dropped: bool


@dataclass(frozen=True)
class TypeResult:
    assignment_type: AssignmentType
    slots: tuple[Slot, ...]
    average: float
    weighted: float  # the average times the type's weight: its share of the course percent


@dataclass(frozen=True)
class CourseGrade:
    types: tuple[TypeResult, ...]
    raw_percent: float
    percent: float
    letter: str | None
    passed: bool


def load_policy(path: Path) -> GradingPolicy:
    """The ``GRADER`` and ``GRADE_CUTOFFS`` of a course's ``grading_policy.json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        types = tuple(
            AssignmentType(
                type=str(entry["type"]),
                short_label=str(entry.get("short_label") or entry["type"]),
                min_count=int(float(entry["min_count"])),
                drop_count=int(float(entry.get("drop_count", 0))),
                weight=float(entry.get("weight", 0)),
            )
            for entry in data["GRADER"]
        )
        cutoffs = {str(name): float(value) for name, value in data.get("GRADE_CUTOFFS", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise GradingPolicyError(f"{path}: {type(error).__name__}: {error}") from error
    return GradingPolicy(types, cutoffs)


def weighted_score(raw_earned: float, raw_possible: float, weight: float | None) -> tuple[float, float]:
    if weight is None or raw_possible == 0:
        return float(raw_earned), float(raw_possible)
    return float(raw_earned) * weight / raw_possible, float(weight)


def compute_percent(earned: float, possible: float) -> float:
    # numpy.around (the LMS's) rounds half to even, as Python's round does.
    return round(earned / possible, 2) if possible > 0 else 0.0


def round_away_from_zero(number: float, digits: int = 0) -> float:
    scale = 10.0**digits
    if number >= 0:
        return float(math.floor(number * scale + 0.5)) / scale
    return float(math.ceil(number * scale - 0.5)) / scale


def _type_result(assignment_type: AssignmentType, subsections: list[SubsectionScore]) -> TypeResult:
    count = max(assignment_type.min_count, len(subsections))
    percents = [subsections[i].percent if i < len(subsections) else 0.0 for i in range(count)]
    # The lowest scores are dropped; among equal scores, the later ones (graders.total_with_drops).
    ranked = sorted(range(count), key=lambda i: -percents[i])
    dropped = set(ranked[-assignment_type.drop_count :]) if assignment_type.drop_count > 0 else set()
    total = sum(p for i, p in enumerate(percents) if i not in dropped)
    kept = count - assignment_type.drop_count
    average = total / kept if kept > 0 else total
    slots = tuple(
        Slot(
            label=f"{assignment_type.short_label} {i + 1:02d}",
            subsection=subsections[i] if i < len(subsections) else None,
            percent=percents[i],
            dropped=i in dropped,
        )
        for i in range(count)
    )
    return TypeResult(assignment_type, slots, average, average * assignment_type.weight)


def grade(policy: GradingPolicy, subsections: list[SubsectionScore]) -> CourseGrade:
    """The course grade of one learner, from their graded subsections in course order."""
    types = tuple(_type_result(t, [s for s in subsections if s.format == t.type]) for t in policy.assignment_types)
    raw = sum(result.weighted for result in types)
    percent = round_away_from_zero(raw * 100 + 0.05) / 100
    letter = next(
        (name for name, cutoff in sorted(policy.cutoffs.items(), key=lambda c: -c[1]) if percent >= cutoff), None
    )
    nonzero = [cutoff for cutoff in policy.cutoffs.values() if cutoff > 0]
    passed = bool(nonzero) and percent >= min(nonzero)
    return CourseGrade(types, raw, percent, letter, passed)
