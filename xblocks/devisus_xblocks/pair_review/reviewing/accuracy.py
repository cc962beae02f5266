"""How far to trust each peer reviewer: agreement with reference assessments, weighted medians.

Plain functions over rubric data (no database), used by ``calibration.py`` and ``grading.py``.

- **Agreement** of an assessment with a reference (the author's scored calibration example, or
  the trainer's review of the same work): ``1 - Σ w_c · |p_c - r_c| / max_c  /  Σ w_c`` over the
  criteria both rated, where ``p_c`` and ``r_c`` are the points given and ``max_c`` the
  criterion's most points, ``w_c`` its weight. 1 is the same assessment, 0 the opposite ends.
- A reviewer's **accuracy** is the mean agreement of all their samples (calibration examples
  and, once a trainer has reviewed a work they reviewed, that comparison). Unknown until the
  first sample.
- The **accuracy-weighted median** of a criterion's points: reviews sorted by points, each
  weighing its reviewer's accuracy (at least ``MIN_WEIGHT``; a reviewer without a known
  accuracy weighs the mean of the known ones, or 1 when none is known: then it is the plain
  median). The median is the first value where the cumulated weight reaches half the total;
  when it reaches exactly half, the mean of that value and the next (so equal weights give the
  usual median, mean of the two middle values for an even count).
- The **spread** of the peer reviews is the highest review score minus the lowest, in points
  of percentage: above the block's threshold the work waits for a trainer.
"""

from __future__ import annotations

from collections.abc import Iterable

from .rubric import Rubric

MIN_WEIGHT = 0.05  # a very inaccurate reviewer still counts a little: never divide by zero


def agreement(rubric: Rubric, points: dict[str, float], reference: dict[str, float]) -> float | None:
    """Agreement in [0, 1] between two assessments' points per criterion; None if no criterion is shared."""
    distance = weight = 0.0
    for criterion in rubric.criteria:
        if criterion.id in points and criterion.id in reference and criterion.max_points > 0:
            distance += criterion.weight * abs(points[criterion.id] - reference[criterion.id]) / criterion.max_points
            weight += criterion.weight
    if not weight:
        return None
    return round(max(0.0, 1.0 - distance / weight), 6)


def weighted_median(values: Iterable[tuple[float, float]]) -> float | None:
    """The weighted median of ``(value, weight)`` pairs (see the module's docstring)."""
    rows = sorted((float(v), max(MIN_WEIGHT, float(w))) for v, w in values)
    if not rows:
        return None
    half = sum(w for _v, w in rows) / 2
    cumulated = 0.0
    for index, (value, weight) in enumerate(rows):
        cumulated += weight
        if abs(cumulated - half) < 1e-9 and index + 1 < len(rows):
            return (value + rows[index + 1][0]) / 2
        if cumulated > half:
            return value
    return rows[-1][0]


def reviewer_weights(keys: Iterable[str], accuracies: dict[str, float]) -> dict[str, float]:
    """Each reviewer's weight: their accuracy, or the mean known accuracy (1 when none is known)."""
    keys = list(keys)
    known = [accuracies[k] for k in keys if k in accuracies]
    fallback = sum(known) / len(known) if known else 1.0
    return {k: accuracies.get(k, fallback) for k in keys}


def spread(scores: Iterable[float]) -> float:
    """Highest minus lowest review score, in percentage points (0 for fewer than two reviews)."""
    scores = list(scores)
    return round((max(scores) - min(scores)) * 100, 2) if len(scores) > 1 else 0.0
