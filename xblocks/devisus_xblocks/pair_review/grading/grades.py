"""Grades: per-criterion median of peer reviews, weighted; trainer grade; overrides; flexible grading.

- A review's choices map to points per criterion; a criterion's result is ``points / max
  points``; a score is the weighted mean of the criterion results: a fraction in [0, 1].
- Peer grade: for each criterion, the *median* of the points the peer reviews gave (the mean
  of the two middle values for an even count), each review weighing its reviewer's accuracy when
  one is known (the accuracy-weighted median of accuracy.py; the plain median otherwise), then
  weighted by criterion. Recomputed whenever a peer review arrives, over all completed peer reviews.
- Peer reviews whose scores differ by more than the block's ``disagreement_threshold``
  (percentage points) hold the peer grade: the work waits on the trainer's "needs trainer" list,
  and the trainer's review decides.
- Final grade, first that applies: the latest trainer *override* (reason kept in history); the
  latest *trainer* (staff) review; the *peer* grade once ``reviews_required`` reviews are in;
  the peer grade as *flexible* grade once ``flexible_after_days`` have passed since submission
  and at least ``ceil(flexible_percent % * reviews_required)`` reviews are in. Otherwise none.
- Both (all) members of the pair get the pair's final grade, published through the
  ``GradePublisher`` whenever it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import ActivitySettings, require_staff, resolve_now
from ..db import atomic, for_update
from ..models import Activity, GradeOverride, Review, Submission, SubmissionMember
from ..reviewing.accuracy import spread, weighted_median
from ..reviewing.rubric import Rubric
from . import delivery
from .gradebook import GradePublisher, PublishedGrade, default_publisher

MAX_REASON = 2_000


@dataclass(frozen=True)
class GradeView:
    grade: float | None  # final grade, fraction in [0, 1]
    source: str  # "" (none yet) | peer | flexible | trainer | override
    peer_grade: float | None
    peer_details: dict  # {criterion id: median points}
    trainer_grade: float | None
    override_grade: float | None
    review_count: int
    reviews_required: int
    graded_at: datetime | None


@dataclass(frozen=True)
class OverrideRecord:
    by: str
    by_username: str
    at: datetime
    old_grade: float | None
    new_grade: float | None
    reason: str


# --- pure functions ----------------------------------------------------------------------------


def review_points(rubric: Rubric, choices: dict) -> dict[str, int]:
    """Points per criterion for a review's ``{criterion id: level id}`` (unknown ids ignored)."""
    points = {}
    for criterion in rubric.criteria:
        level = criterion.level(choices.get(criterion.id, "")) if isinstance(choices, dict) else None
        if level is not None:
            points[criterion.id] = level.points
    return points


def weighted_score(rubric: Rubric, points: dict[str, float]) -> float | None:
    """Weighted mean of ``points / max points`` over the criteria that have points; None if none."""
    total = weight = 0.0
    for criterion in rubric.criteria:
        if criterion.id in points and criterion.max_points > 0:
            total += criterion.weight * (points[criterion.id] / criterion.max_points)
            weight += criterion.weight
    if not weight:
        return None
    return round(min(1.0, max(0.0, total / weight)), 6)


def criterion_medians(
    rubric: Rubric, all_choices: Iterable[dict], weights: Iterable[float] | None = None
) -> dict[str, float]:
    """Per criterion, the median of the points given by the reviews (criteria nobody rated left
    out); with ``weights`` (one per review: its reviewer's accuracy), the weighted median."""
    all_choices = list(all_choices)
    weights = list(weights) if weights is not None else [1.0] * len(all_choices)
    collected: dict[str, list[tuple[int, float]]] = {c.id: [] for c in rubric.criteria}
    for choices, weight in zip(all_choices, weights):
        for cid, value in review_points(rubric, choices).items():
            collected[cid].append((value, weight))
    return {cid: float(weighted_median(values)) for cid, values in collected.items() if values}


def peer_result(
    rubric: Rubric, all_choices: Iterable[dict], weights: Iterable[float] | None = None
) -> tuple[float | None, dict[str, float]]:
    medians = criterion_medians(rubric, all_choices, weights)
    return weighted_score(rubric, medians), medians


def disagreement(settings: ActivitySettings, scores: list[float]) -> str:
    """The reason to ask a trainer, when the peer reviews' scores differ by more than the block's
    threshold: "<spread>;<lowest>;<highest>" in percent (shown translated); "" otherwise."""
    gap = spread(scores)
    if not settings.disagreement_threshold or gap <= settings.disagreement_threshold:
        return ""
    return f"{gap:g};{min(scores) * 100:g};{max(scores) * 100:g}"


def flexible_due(submitted_at: datetime, settings: ActivitySettings, now: datetime) -> bool:
    return now >= submitted_at + timedelta(days=settings.flexible_after_days)


def decide(submission: Submission, settings: ActivitySettings, now: datetime) -> tuple[float | None, str]:
    """The final grade and its source from a submission's stored grades and counters."""
    if submission.override_grade is not None:
        return submission.override_grade, Submission.GradeSource.OVERRIDE
    if submission.trainer_grade is not None:
        return submission.trainer_grade, Submission.GradeSource.TRAINER
    if submission.needs_trainer_reason:  # the reviews disagree: the trainer's review decides
        return None, Submission.GradeSource.NONE
    if submission.peer_grade is not None:
        if submission.review_count >= settings.reviews_required:
            return submission.peer_grade, Submission.GradeSource.PEER
        if submission.review_count >= settings.flexible_threshold and flexible_due(
            submission.submitted_at, settings, now
        ):
            return submission.peer_grade, Submission.GradeSource.FLEXIBLE
    return None, Submission.GradeSource.NONE


def grade_view(submission: Submission, settings: ActivitySettings) -> GradeView:
    return GradeView(
        grade=submission.grade,
        source=submission.grade_source,
        peer_grade=submission.peer_grade,
        peer_details=dict(submission.peer_details or {}),
        trainer_grade=submission.trainer_grade,
        override_grade=submission.override_grade,
        review_count=submission.review_count,
        reviews_required=settings.reviews_required,
        graded_at=submission.graded_at,
    )


# --- persistence -------------------------------------------------------------------------------


def final_fields(
    activity: Activity,
    submission: Submission,
    settings: ActivitySettings,
    now: datetime,
    publisher: GradePublisher | None,
    *,
    by: str = "",
    reason: str = "",
    republish: bool = False,
) -> dict:
    """Decide the final grade of ``submission`` (its grade attributes already updated in memory),
    send it to every member's gradebook if it changed (or take it out if it went away), and
    return the columns to write.

    One query (the members) when the grade changed, none otherwise; the publisher itself checks
    what the gradebook holds. Where the LMS publishes from its workers
    (:mod:`.delivery`), a peer-decided grade is queued for them instead. ``republish``: a trainer's grade or override, sent to each member
    whose gradebook does not hold it even if the pair's grade is unchanged (e.g. a member's score
    was reset from the instructor dashboard since). The caller writes the returned fields with its own UPDATE, in the
    same transaction.
    """
    grade, source = decide(submission, settings, now)
    fields = {}
    changed = grade != submission.grade or source != submission.grade_source
    if changed:
        fields.update(grade=grade, grade_source=source, graded_at=now if grade is not None else None)
    if (changed or republish) and (grade is not None or submission.grade is not None):
        fields["published_grade"] = grade  # a record for exports, never read to decide a publish
        if publisher is None and grade is not None and not by and delivery.in_workers():
            # A peer-decided grade (the review that completes a work's reviews): the learner's
            # request leaves edx-submissions' per-member writes to the platform's workers, which
            # read the grade the caller's UPDATE stores, after the commit.
            delivery.deliver([submission.id], settings.points)
        else:
            _publish_to_members(activity, submission, settings, grade, source, publisher, by, reason)
    for name, value in fields.items():
        setattr(submission, name, value)
    return fields


def _publish_to_members(
    activity: Activity,
    submission: Submission,
    settings: ActivitySettings,
    grade: float | None,
    source: str,
    publisher: GradePublisher | None,
    by: str,
    reason: str,
) -> None:
    publisher = publisher or default_publisher()
    # whoever the work was submitted for, even if they have since been re-paired
    members = SubmissionMember.objects.filter(submission_id=submission.id).values_list("anonymous_id", flat=True)
    for anonymous_id in members:
        if grade is None:  # e.g. an override cleared where nothing else grades the pair yet
            publisher.reset(activity.course_key, activity.block_key, anonymous_id)
            continue
        publisher.publish(
            PublishedGrade(
                course_key=activity.course_key,
                block_key=activity.block_key,
                anonymous_id=anonymous_id,
                score=grade,
                source=source,
                pair_id=submission.pair_id,
                submission_id=submission.id,
                by=by,
                reason=reason,
                points_possible=settings.points,
            )
        )


def _locked_submission(activity: Activity, submission_id: int) -> Submission:
    submission = for_update(Submission.objects.filter(activity=activity, id=submission_id)).first()
    if submission is None:
        raise ServiceError(noop("This submission does not exist."), status=404)
    return submission


def refresh_grade(
    activity: Activity,
    settings: ActivitySettings,
    submission_id: int,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
) -> GradeView:
    """Recompute and store the final grade (e.g. flexible grading once its day has come)."""
    now = resolve_now(now)

    def body():
        submission = _locked_submission(activity, submission_id)
        fields = final_fields(activity, submission, settings, now, publisher)
        if fields:
            Submission.objects.filter(id=submission.id).update(**fields)
        return grade_view(submission, settings)

    return atomic(body)


def apply_flexible_grading(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
) -> list[int]:
    """Grade every submission that has become eligible for flexible grading; returns their ids.

    Set-based, so the cost does not grow with the number of submissions due: one locking read of
    the due rows and one UPDATE per grade source (peer, flexible), in one transaction; then each
    member's grade goes to the gradebook (two reads, then the publisher's own cost: in the LMS,
    edx-submissions' calls per learner), or, where the LMS publishes from its Celery workers, one
    task is queued for that once the transaction commits (``grade_delivery``). Cheap to call often (e.g. when a trainer opens the
    dashboard): one query when none is due. Works already graded, withdrawn from grading by a
    trainer's review or an override, or waiting for the trainer (the reviews disagree) are left alone.
    """
    require_staff(staff)
    now = resolve_now(now)
    cutoff = now - timedelta(days=settings.flexible_after_days)
    due = Submission.objects.filter(
        activity=activity,
        grade__isnull=True,
        override_grade__isnull=True,
        trainer_grade__isnull=True,
        needs_trainer_reason="",
        peer_grade__isnull=False,
        submitted_at__lte=cutoff,
        review_count__gte=settings.flexible_threshold,
    )

    def body():
        rows = list(for_update(due).order_by("id").values_list("id", "pair_id", "peer_grade", "review_count"))
        if not rows:
            return []
        # complete reviews grade as peer (a work whose grade was never stored), the others as flexible;
        # the peer UPDATE runs first, so the flexible one finds only what is left
        complete = due.filter(review_count__gte=settings.reviews_required)
        for source, queryset in ((Submission.GradeSource.PEER, complete), (Submission.GradeSource.FLEXIBLE, due)):
            queryset.update(grade=F("peer_grade"), grade_source=source, graded_at=now, published_grade=F("peer_grade"))
        graded = [submission_id for submission_id, *_rest in rows]
        delivery.deliver(graded, settings.points, publisher)
        return graded

    return atomic(body)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(noop("Please give the reason for changing the grade."))
    if len(reason) > MAX_REASON:
        raise ServiceError(noop("The reason is too long (at most %(limit)s characters)."), limit=MAX_REASON)
    return reason


def override_grade(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    submission_id: int,
    new_grade: float | None,
    reason: str,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
) -> GradeView:
    """Override a pair's final grade (fraction in [0, 1]); ``None`` clears the override.

    The reason is mandatory and kept with who, when, the old and the new grade. Both members get
    the new grade. Errors: 400 grade out of range or no reason; 403 not staff; 404 no submission.
    """
    require_staff(staff)
    reason = _require_reason(reason)
    if new_grade is not None:
        if isinstance(new_grade, bool) or not isinstance(new_grade, (int, float)) or not 0 <= new_grade <= 1:
            raise ServiceError(noop("The grade must be between 0 and 100 percent."))
        new_grade = round(float(new_grade), 6)
    now = resolve_now(now)

    def body():
        submission = _locked_submission(activity, submission_id)
        old = submission.grade
        submission.override_grade = new_grade
        fields = final_fields(
            activity, submission, settings, now, publisher, by=staff.anonymous_id, reason=reason, republish=True
        )
        Submission.objects.filter(id=submission.id).update(override_grade=new_grade, **fields)
        GradeOverride.objects.create(
            activity=activity,
            submission=submission,
            by=staff.anonymous_id,
            by_username=staff.username or "",
            at=now,
            old_grade=old,
            new_grade=new_grade,
            reason=reason,
        )
        return grade_view(submission, settings)

    return atomic(body)


def override_history(activity: Activity, staff: Caller, submission_id: int) -> list[OverrideRecord]:
    """Every override of a submission's grade, oldest first."""
    require_staff(staff)
    return [
        OverrideRecord(
            by=o.by, by_username=o.by_username, at=o.at, old_grade=o.old_grade, new_grade=o.new_grade, reason=o.reason
        )
        for o in GradeOverride.objects.filter(activity=activity, submission_id=submission_id).order_by("at", "id")
    ]


def pair_grade(
    activity: Activity,
    settings: ActivitySettings,
    submission_id: int,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
    submission: Submission | None = None,
) -> GradeView:
    """The grade of a submission, applying flexible grading first if it has become due.
    ``submission``: its row, when the caller has just read it (saves the query)."""
    now = resolve_now(now)
    if submission is None or submission.id != submission_id:
        submission = Submission.objects.filter(activity=activity, id=submission_id).first()
    if submission is None:
        raise ServiceError(noop("This submission does not exist."), status=404)
    if decide(submission, settings, now) != (submission.grade, submission.grade_source):
        return refresh_grade(activity, settings, submission_id, now, publisher)
    return grade_view(submission, settings)


def peer_reviews(submission_id: int) -> list[tuple[str, dict, float]]:
    """(reviewer key, choices, score) of every peer review of a submission, oldest first."""
    return list(
        Review.objects.filter(submission_id=submission_id, kind=Review.Kind.PEER)
        .order_by("id")
        .values_list("reviewer_key", "choices", "score")
    )
