"""Cohort statistics of one round: respondents, the distribution of ratings per item, averages.

Pure Python, built from the rows of one GROUP BY query (``store.cohort_stats``). Learners see
the cohort average only from ``MIN_COHORT`` respondents on (privacy floor); staff see the
distribution whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .constants import MAX_RATING, MIN_COHORT, MIN_RATING

LEVELS = tuple(range(MIN_RATING, MAX_RATING + 1))


@dataclass(frozen=True)
class CohortStats:
    respondents: int = 0
    # item code -> counts of ratings 1..5
    distributions: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, respondents: int, rows: Iterable[tuple[str, int, int]]) -> CohortStats:
        """``rows`` are (item code, rating, number of learners who gave it)."""
        counts: dict[str, list[int]] = {}
        for code, rating, number in rows:
            if rating in LEVELS:
                counts.setdefault(code, [0] * len(LEVELS))[rating - MIN_RATING] += number
        return cls(respondents, {code: tuple(values) for code, values in counts.items()})

    def counts(self, code: str) -> tuple[int, ...]:
        return self.distributions.get(code, (0,) * len(LEVELS))

    def answered(self, code: str) -> int:
        return sum(self.counts(code))

    def mean(self, code: str) -> float | None:
        counts = self.counts(code)
        total = sum(counts)
        if not total:
            return None
        return sum(level * number for level, number in zip(LEVELS, counts)) / total

    @property
    def visible_to_learners(self) -> bool:
        return self.respondents >= MIN_COHORT

    def learner_mean(self, code: str) -> float | None:
        """The average a learner may see: None below the privacy floor."""
        return self.mean(code) if self.visible_to_learners else None
