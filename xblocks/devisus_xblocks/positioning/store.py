"""Storing and reading positionings: the one module of the block that touches the database.

Every function runs a fixed number of queries, whatever the number of learners: a learner's
write is a locked upsert of their own row plus a replace of its ratings; the cohort is two
aggregate queries (respondents per round, ratings per round/item/level).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..common.errors import ServiceError
from ..common.i18n import noop
from ..common.keys import is_learner_key
from .aggregates import CohortStats
from .answers import Answers
from .constants import ROUNDS, STATUS_DRAFT, STATUS_SUBMITTED
from .models import Positioning, PositioningRating


@dataclass(frozen=True)
class RoundKey:
    """Where a positioning belongs: a course, a framework id shared by its blocks, a round."""

    course_key: str
    framework_id: str
    round: str


@dataclass(frozen=True)
class Record:
    round: str
    status: str
    answers: Answers
    updated_at: datetime | None = None
    submitted_at: datetime | None = None

    @property
    def submitted(self) -> bool:
        return self.status == STATUS_SUBMITTED


def save_draft(key: RoundKey, learner: str, answers: Answers) -> Record:
    """Store the learner's answers so far (refused once the positioning is submitted)."""
    return _write(key, learner, answers, STATUS_DRAFT)


def submit(key: RoundKey, learner: str, answers: Answers) -> Record:
    """Store the learner's final answers (complete: checked by the caller)."""
    return _write(key, learner, answers, STATUS_SUBMITTED)


def _write(key: RoundKey, learner: str, answers: Answers, status: str) -> Record:
    with transaction.atomic():
        # The row lock serialises a learner's own concurrent requests (double clicks, two tabs).
        positioning, _created = Positioning.objects.select_for_update().get_or_create(
            course_key=key.course_key,
            learner=learner,
            framework_id=key.framework_id,
            round=key.round,
            defaults={"status": STATUS_DRAFT},
        )
        if positioning.status == STATUS_SUBMITTED:
            raise ServiceError(
                noop("This self-assessment has already been submitted; it can no longer be changed."), status=409
            )
        PositioningRating.objects.filter(positioning=positioning).delete()
        codes = list(answers.ratings) + [code for code in answers.justifications if code not in answers.ratings]
        if codes:
            PositioningRating.objects.bulk_create(
                PositioningRating(
                    positioning=positioning,
                    item_code=code,
                    rating=answers.ratings.get(code),
                    justification=answers.justifications.get(code, ""),
                )
                for code in codes
            )
        positioning.status = status
        if status == STATUS_SUBMITTED:
            positioning.submitted_at = timezone.now()
        positioning.save(update_fields=["status", "submitted_at", "updated_at"])
    return _record(positioning, answers)


def rounds_of(course_key: str, framework_id: str, learner: str) -> dict[str, Record]:
    """The learner's positionings on one framework in a course, by round (two queries)."""
    positionings = Positioning.objects.filter(
        course_key=course_key, framework_id=framework_id, learner=learner
    ).prefetch_related("ratings")
    found = {}
    for positioning in positionings:
        ratings = sorted(positioning.ratings.all(), key=lambda row: row.id)
        answers = Answers(
            {row.item_code: row.rating for row in ratings if row.rating is not None},
            {row.item_code: row.justification for row in ratings if row.justification},
        )
        found[positioning.round] = _record(positioning, answers)
    return found


def cohort_stats(course_key: str, framework_id: str, rounds: Iterable[str] = ROUNDS) -> dict[str, CohortStats]:
    """Submitted answers of every learner, aggregated per round (two queries)."""
    rounds = tuple(rounds)
    respondents = dict(
        Positioning.objects.filter(
            course_key=course_key, framework_id=framework_id, round__in=rounds, status=STATUS_SUBMITTED
        )
        .values_list("round")
        .annotate(number=Count("id"))
        .order_by()
    )
    rows: dict[str, list[tuple[str, int, int]]] = {round_: [] for round_ in rounds}
    for round_, code, rating, number in (
        PositioningRating.objects.filter(
            positioning__course_key=course_key,
            positioning__framework_id=framework_id,
            positioning__round__in=rounds,
            positioning__status=STATUS_SUBMITTED,
            rating__isnull=False,
        )
        .values_list("positioning__round", "item_code", "rating")
        .annotate(number=Count("id"))
        .order_by()
    ):
        rows[round_].append((code, rating, number))
    return {round_: CohortStats.from_rows(respondents.get(round_, 0), rows[round_]) for round_ in rounds}


def retire_learner(anonymous_ids: Iterable[str]) -> int:
    """Delete every positioning (and its ratings) of these anonymous ids; returns how many."""
    # Stored keys only (``keys.learner_key``): on MariaDB "ANON-A" would also delete "anon-a".
    ids = sorted({str(anonymous_id) for anonymous_id in anonymous_ids if is_learner_key(anonymous_id)})
    if not ids:
        return 0
    _total, by_model = Positioning.objects.filter(learner__in=ids).delete()
    return by_model.get(Positioning._meta.label, 0)


def _record(positioning: Positioning, answers: Answers) -> Record:
    return Record(
        round=positioning.round,
        status=positioning.status,
        answers=answers,
        updated_at=positioning.updated_at,
        submitted_at=positioning.submitted_at,
    )
