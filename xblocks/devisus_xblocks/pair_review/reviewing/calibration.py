"""Calibration before peer review, and each reviewer's accuracy (formulas in accuracy.py).

When the block has calibration examples, a reviewer assesses each of them before their first
peer review and then sees, criterion by criterion, where they differ from the reference, with
the reference's comment. Each answer is an ``AccuracySample``; so is, for every peer review of a
work the trainer also reviewed, its agreement with the trainer's review. A reviewer's accuracy
(the mean of their samples) weighs their reviews in the pair's peer grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import ActivitySettings, require_caller, resolve_now
from ..db import atomic
from ..grading.grades import review_points
from ..models import AccuracySample, Activity, Membership, Review
from .accuracy import agreement
from .allocation import reviewer_of


@dataclass(frozen=True)
class CalibrationResult:
    """A reviewer's answer to one example: their levels, the reference's, the agreement."""

    example_id: str
    choices: dict  # {criterion id: level id}
    agreement: float


def _reviewer_key(activity: Activity, settings: ActivitySettings, caller: Caller) -> str:
    membership = (
        Membership.objects.select_related("participant")
        .filter(activity=activity.scope, anonymous_id=caller.anonymous_id)
        .first()
    )
    if membership is None:
        raise ServiceError(noop("You need to be in a pair to review other pairs' work."), status=409)
    return reviewer_of(membership, settings).key


def results(activity: Activity, reviewer_key: str) -> dict[str, CalibrationResult]:
    """The reviewer's calibration answers by example id (one query)."""
    return {
        row.reference: CalibrationResult(row.reference, dict(row.choices), row.agreement)
        for row in AccuracySample.objects.filter(
            activity=activity, reviewer_key=reviewer_key, source=AccuracySample.Source.CALIBRATION
        )
    }


def progress(activity: Activity, settings: ActivitySettings, caller: Caller) -> tuple:
    """Each example of the block with the caller's answer (None: not assessed yet), in the
    author's order; empty without examples. Two queries."""
    if not settings.calibration:
        return ()
    done = results(activity, _reviewer_key(activity, settings, caller))
    return tuple((example, done.get(example.id)) for example in settings.calibration)


def submit_calibration(
    activity: Activity,
    settings: ActivitySettings,
    caller: Caller,
    example_id: str,
    choices: dict,
    now: datetime | None = None,
) -> CalibrationResult:
    """Record the caller's assessment of a calibration example (a new answer replaces the old).

    Errors: 400 a level missing or unknown; 404 no such example in this block; 409 not in a pair.
    """
    require_caller(caller)
    now = resolve_now(now)
    example = next((e for e in settings.calibration if e.id == example_id), None)
    if example is None:
        raise ServiceError(noop("This calibration example does not exist in this activity."), status=404)
    if not isinstance(choices, dict) or any(
        criterion.level(choices.get(criterion.id, "")) is None for criterion in settings.rubric.criteria
    ):
        raise ServiceError(noop("Choose a level for every criterion."))
    clean = {criterion.id: choices[criterion.id] for criterion in settings.rubric.criteria}
    score = agreement(
        settings.rubric, review_points(settings.rubric, clean), review_points(settings.rubric, example.levels)
    )
    key = _reviewer_key(activity, settings, caller)

    def body():
        AccuracySample.objects.update_or_create(
            activity=activity,
            reviewer_key=key,
            source=AccuracySample.Source.CALIBRATION,
            reference=example.id,
            defaults={"choices": clean, "agreement": score, "at": now},
        )

    atomic(body)
    return CalibrationResult(example.id, clean, score)


def record_trainer_agreement(
    activity: Activity, settings: ActivitySettings, submission_id: int, trainer_choices: dict, now
):
    """After a trainer review: each peer review of the same work gets a sample of its agreement
    with the trainer's (replacing the sample of an earlier trainer review). Called inside the
    trainer review's transaction. Two queries plus one per peer review (a few)."""
    reference = review_points(settings.rubric, trainer_choices)
    for key, choices in Review.objects.filter(submission_id=submission_id, kind=Review.Kind.PEER).values_list(
        "reviewer_key", "choices"
    ):
        score = agreement(settings.rubric, review_points(settings.rubric, choices), reference)
        if score is None:
            continue
        AccuracySample.objects.update_or_create(
            activity=activity,
            reviewer_key=key,
            source=AccuracySample.Source.TRAINER,
            reference=str(submission_id),
            defaults={"choices": dict(choices), "agreement": score, "at": now},
        )


def accuracies(activity: Activity, reviewer_keys) -> dict[str, float]:
    """Each reviewer's accuracy (mean agreement of their samples), for those who have one. One query."""
    keys = list(reviewer_keys)
    if not keys:
        return {}
    rows = (
        AccuracySample.objects.filter(activity=activity, reviewer_key__in=keys)
        .values("reviewer_key")
        .annotate(mean=Avg("agreement"))
    )
    return {row["reviewer_key"]: round(float(row["mean"]), 4) for row in rows}
