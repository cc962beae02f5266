"""Course-staff views and actions: status of every pair at a glance, withdrawing a submission.

(Pair changes are in ``pairing.py``: ``move_learner``, ``resolve_leftovers``,
``assign_pairs_from_csv``; grades in ``grading.py`` and ``reviews.submit_trainer_review``.)
Every function here refuses callers who are not staff (403), behind the handlers' own check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Q

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import ActivitySettings, require_staff, resolve_now
from ..config import inactive
from ..db import atomic, for_update
from ..grading.grades import MAX_REASON, decide
from ..models import (
    AccuracySample,
    Activity,
    Assignment,
    Membership,
    Pair,
    Participant,
    Review,
    Submission,
    SubmissionMember,
)
from ..reviewing.allocation import recount
from ..reviewing.reviews import CriterionResult, criterion_results

STATUSES = ("waiting_for_partner", "drafting", "submitted", "in_review", "needs_trainer", "graded", "removed")


@dataclass(frozen=True)
class MemberInfo:
    anonymous_id: str
    username: str
    profile: str
    reviews_done: int  # peer reviews this learner completed (learner mode)
    helpfulness: float | None  # their reviews' average helpfulness
    last_active_at: datetime | None = None  # latest request to the pairing (None: not a member any more)
    inactive: bool = False  # silent for the block's inactive_after_days (see inactivity.py)
    accuracy: float | None = None  # as a reviewer (learner mode; see accuracy.py), None: not known yet


@dataclass(frozen=True)
class PairStatus:
    pair_id: int
    origin: str
    status: str  # one of STATUSES
    members: tuple[MemberInfo, ...]
    created_at: datetime
    submission_id: int | None
    submitted_at: datetime | None
    in_review: bool
    review_count: int  # k of "in review k/N"
    reviews_required: int  # N
    lease_count: int
    pair_reviews_done: int  # reviews given by the pair (pair mode)
    pair_helpfulness: float | None
    pair_accuracy: float | None  # the pair's accuracy as a reviewer (pair mode)
    needs_trainer_reason: (
        str  # "<spread>;<lowest>;<highest>" while the peer reviews disagree (see grading.disagreement)
    )
    grade: float | None
    grade_source: str
    peer_grade: float | None
    trainer_grade: float | None
    override_grade: float | None
    peer_details: dict  # {criterion id: median points of the peer reviews}
    flexible_ready: bool  # would be graded now by flexible grading (see grading.apply_flexible_grading)
    waiting_for_reviews: bool  # submitted, in review, not graded: trainers may review it themselves


@dataclass(frozen=True)
class WaitingLearner:
    anonymous_id: str
    username: str
    profile: str
    waiting_since: datetime | None


@dataclass(frozen=True)
class Overview:
    pairs: tuple[PairStatus, ...]
    waiting: tuple[WaitingLearner, ...]  # learners queued for automatic pairing
    counts: dict  # status -> number of pairs


def _status(pair: Pair, submission: Submission | None) -> str:
    if submission is None:
        return "waiting_for_partner" if pair.member_count < 2 else "drafting"
    if submission.grade is not None:
        return "graded"
    if not submission.in_pool:
        return "removed"
    if submission.needs_trainer_reason and submission.trainer_grade is None:
        return "needs_trainer"
    if submission.review_count == 0 and submission.lease_count == 0:
        return "submitted"
    return "in_review"


def overview(activity: Activity, settings: ActivitySettings, staff: Caller, now: datetime | None = None) -> Overview:
    """Every pair with its status and members, and who waits for a partner: seven queries in all,
    whatever the number of pairs. The pairs are the pairing's (``activity.scope``), with their
    submissions in this activity; a pair that submitted lists the members its work was submitted
    for (a member re-paired since still appears there, with the grade), others their current members."""
    require_staff(staff)
    now = resolve_now(now)
    pairs = list(Pair.objects.filter(activity=activity.scope).order_by("created_at", "id"))
    statuses, people, active_at = _statuses(activity, settings, pairs, now, only_these=False)
    waiting = tuple(
        WaitingLearner(anonymous_id, username, profile, since)
        for anonymous_id, (username, profile, since) in people.items()
        if since is not None and anonymous_id not in active_at
    )
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status.status] += 1
    return Overview(tuple(statuses), waiting, counts)


def pair_statuses(activity: Activity, settings: ActivitySettings, pairs: list, now: datetime) -> list[PairStatus]:
    """The statuses of ``pairs`` only (one page of the trainer's worklist): six queries, each
    restricted to these pairs and their members, whatever the size of the pairing."""
    return _statuses(activity, settings, pairs, now, only_these=True)[0]


def _statuses(activity, settings, pairs, now, only_these: bool):
    scope = activity.scope
    pair_ids = [pair.id for pair in pairs]

    def narrowed(queryset, field="pair_id"):
        return queryset.filter(**{f"{field}__in": pair_ids}) if only_these else queryset

    submissions = {
        submission.pair_id: submission
        for submission in narrowed(Submission.objects.filter(activity=activity)).defer("text", "removed_reason")
    }
    current: dict[int, list[str]] = {}
    active_at: dict[str, datetime] = {}
    for pair_id, anonymous_id, last, joined in (
        narrowed(Membership.objects.filter(activity=scope))
        .order_by("joined_at", "id")
        .values_list("pair_id", "anonymous_id", "last_active_at", "joined_at")
    ):
        current.setdefault(pair_id, []).append(anonymous_id)
        active_at[anonymous_id] = last or joined
    submitted_for: dict[int, list[str]] = {}
    for submission_id, anonymous_id in (
        (
            # by the submissions' ids (an index lookup), not a join scanning the activity's members
            SubmissionMember.objects.filter(
                submission_id__in=Submission.objects.filter(activity=activity, pair_id__in=pair_ids).values("id")
            )
            if only_these
            else SubmissionMember.objects.filter(activity=activity)
        )
        .order_by("id")
        .values_list("submission_id", "anonymous_id")
    ):
        submitted_for.setdefault(submission_id, []).append(anonymous_id)
    members = set(active_at) | {key for keys in submitted_for.values() for key in keys}
    reviewers = members | {f"pair:{pair_id}" for pair_id in pair_ids}
    people_rows = Participant.objects.filter(activity=scope)
    if only_these:
        people_rows = people_rows.filter(anonymous_id__in=members)
    people = {
        row[0]: row[1:]
        for row in people_rows.order_by("waiting_since", "id").values_list(
            "anonymous_id", "username", "profile", "waiting_since"
        )
    }
    peer_reviews = Review.objects.filter(activity=activity, kind=Review.Kind.PEER)
    samples = AccuracySample.objects.filter(activity=activity)
    if only_these:
        peer_reviews, samples = (
            peer_reviews.filter(reviewer_key__in=reviewers),
            samples.filter(reviewer_key__in=reviewers),
        )
    given = {
        row["reviewer_key"]: row
        for row in peer_reviews.values("reviewer_key").annotate(done=Count("id"), helpfulness=Avg("helpfulness"))
    }
    accuracy = {
        row["reviewer_key"]: round(float(row["mean"]), 4)
        for row in samples.values("reviewer_key").annotate(mean=Avg("agreement"))
    }

    def stats(key):
        row = given.get(key)
        if not row:
            return 0, None
        return row["done"], round(float(row["helpfulness"]), 2) if row["helpfulness"] is not None else None

    result = []
    for pair in pairs:
        submission = submissions.get(pair.id)
        status = _status(pair, submission)
        ids = submitted_for.get(submission.id, []) if submission else current.get(pair.id, [])
        infos = tuple(
            MemberInfo(
                anonymous_id,
                *people.get(anonymous_id, ("", ""))[:2],
                *stats(anonymous_id),
                last_active_at=active_at.get(anonymous_id),
                inactive=inactive(active_at.get(anonymous_id), settings, now),
                accuracy=accuracy.get(anonymous_id),
            )
            for anonymous_id in ids
        )
        pair_done, pair_help = stats(f"pair:{pair.id}")
        flexible_ready = bool(
            submission and submission.grade is None and decide(submission, settings, now)[0] is not None
        )
        result.append(
            PairStatus(
                pair_id=pair.id,
                origin=pair.origin,
                status=status,
                members=infos,
                created_at=pair.created_at,
                submission_id=submission.id if submission else None,
                submitted_at=submission.submitted_at if submission else None,
                in_review=bool(submission and submission.in_pool),
                review_count=submission.review_count if submission else 0,
                reviews_required=settings.reviews_required,
                lease_count=submission.lease_count if submission else 0,
                pair_reviews_done=pair_done,
                pair_helpfulness=pair_help,
                pair_accuracy=accuracy.get(f"pair:{pair.id}"),
                needs_trainer_reason=(submission.needs_trainer_reason or "") if submission else "",
                grade=submission.grade if submission else None,
                grade_source=submission.grade_source if submission else "",
                peer_grade=submission.peer_grade if submission else None,
                trainer_grade=submission.trainer_grade if submission else None,
                override_grade=submission.override_grade if submission else None,
                peer_details=dict(submission.peer_details or {}) if submission else {},
                flexible_ready=flexible_ready,
                waiting_for_reviews=bool(submission and submission.grade is None and not flexible_ready),
            )
        )
    return result, people, active_at


WAITING_SHOWN = 20  # learners listed by name in the dashboard's waiting list
TARGETS_SHOWN = 20  # open pairs a target search answers
MAX_TARGET_SEARCH = 150


def waiting_learners(
    activity: Activity, staff: Caller, limit: int = WAITING_SHOWN
) -> tuple[tuple[WaitingLearner, ...], int]:
    """The learners queued for a partner who have none yet, longest waiting first (``limit`` of
    them), and how many wait in all: two queries whatever the size of the queue."""
    require_staff(staff)
    queue = Participant.objects.filter(
        activity=activity.scope, waiting_since__isnull=False, memberships__isnull=True
    ).order_by("waiting_since", "id")
    shown = tuple(
        WaitingLearner(anonymous_id, username, profile, since)
        for anonymous_id, username, profile, since in queue.values_list(
            "anonymous_id", "username", "profile", "waiting_since"
        )[:limit]
    )
    return shown, queue.count()


@dataclass(frozen=True)
class TargetPair:
    pair_id: int
    members: tuple[str, ...]  # usernames (or anonymised ids) of its current members


def target_pairs(
    activity: Activity, staff: Caller, search: str, exclude_pair_id: int | None = None, limit: int = TARGETS_SHOWN
) -> list[TargetPair]:
    """Open pairs (not submitted) a learner may be moved to, found by a member's username or by the
    pair's number, oldest first, at most ``limit``: two queries whatever the pairing's size."""
    require_staff(staff)
    search = " ".join((search or "").split())
    if len(search) > MAX_TARGET_SEARCH:
        raise ServiceError(noop("The search is too long."), 400)
    scope = activity.scope
    pairs = Pair.objects.filter(activity=scope, submitted_at__isnull=True)
    if exclude_pair_id is not None:
        pairs = pairs.exclude(id=exclude_pair_id)
    if search:
        named = Participant.objects.filter(activity=scope, username__icontains=search).values("anonymous_id")
        matches = Q(id__in=Membership.objects.filter(activity=scope, anonymous_id__in=named).values("pair_id"))
        number = search.removeprefix("#")
        if number.isdigit() and len(number) < 12:
            matches |= Q(id=int(number))
        pairs = pairs.filter(matches)
    ids = list(pairs.order_by("created_at", "id").values_list("id", flat=True)[:limit])
    names: dict[int, list[str]] = {}
    for pair_id, username, anonymous_id in (
        Membership.objects.filter(pair_id__in=ids)
        .order_by("joined_at", "id")
        .values_list("pair_id", "participant__username", "anonymous_id")
    ):
        names.setdefault(pair_id, []).append(username or anonymous_id)
    return [TargetPair(pair_id, tuple(names.get(pair_id, ()))) for pair_id in ids]


def waiting_submissions(
    activity: Activity, settings: ActivitySettings, staff: Caller, now: datetime | None = None
) -> list[PairStatus]:
    """Submitted pairs still without a grade, oldest first: the ones a trainer may review."""
    pairs = [p for p in overview(activity, settings, staff, now).pairs if p.submission_id and p.grade is None]
    return sorted(pairs, key=lambda p: (p.submitted_at, p.pair_id))


def submission_text(activity: Activity, staff: Caller, submission_id: int) -> str:
    require_staff(staff)
    text = Submission.objects.filter(activity=activity, id=submission_id).values_list("text", flat=True).first()
    if text is None:
        raise ServiceError(noop("This submission does not exist."), status=404)
    return text


def contributions(activity: Activity, staff: Caller, submission_id: int) -> dict[str, str]:
    """What each member the work was submitted for says they contributed (``pairing.contribution``),
    by anonymous id, in one query; members who wrote nothing are left out."""
    require_staff(staff)
    return dict(
        SubmissionMember.objects.filter(activity=activity, submission_id=submission_id)
        .exclude(contribution="")
        .order_by("id")
        .values_list("anonymous_id", "contribution")
    )


@dataclass(frozen=True)
class StaffReview:
    """A review of a submission as course staff see it: with who gave it (learners never do)."""

    review_id: int
    kind: str  # peer | staff | self
    reviewer: str  # anonymous id (learner or trainer), "pair:<id>" (pair mode) or "self"
    reviewer_username: str  # "" when not a learner of the activity (trainer, pair, self)
    reviewer_profile: str
    score: float
    criteria: tuple[CriterionResult, ...]
    helpfulness: int | None
    helpfulness_comment: str
    created_at: datetime
    updated_at: datetime


def submission_reviews(
    activity: Activity, settings: ActivitySettings, staff: Caller, submission_id: int
) -> list[StaffReview]:
    """Every review of one submission (peer, trainer, self), oldest first, with reviewer identities.

    Two queries. Errors: 403 not staff (an unknown submission simply has no reviews).
    """
    require_staff(staff)
    rows = list(Review.objects.filter(activity=activity, submission_id=submission_id).order_by("created_at", "id"))
    keys = {row.reviewer_key for row in rows if row.kind == Review.Kind.PEER}
    names = (
        dict(
            Participant.objects.filter(activity=activity.scope, anonymous_id__in=keys).values_list(
                "anonymous_id", "username"
            )
        )
        if keys
        else {}
    )
    result = []
    for row in rows:
        result.append(
            StaffReview(
                row.id,
                row.kind,
                row.reviewer_key,
                names.get(row.reviewer_key, ""),
                row.reviewer_profile,
                row.score,
                criterion_results(row, settings.rubric),
                row.helpfulness,
                row.helpfulness_comment,
                row.created_at,
                row.updated_at,
            )
        )
    return result


def remove_from_review(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    submission_id: int,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Take a submission out of peer review (e.g. inappropriate content): it leaves the pool and
    its active leases end (their reviewers get other work). Reviews already given stay. Trainers
    can still grade it. Errors: 400 no reason; 403; 404; 409 already withdrawn.
    """
    require_staff(staff)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ServiceError(
            noop("Please give the reason for withdrawing this work (at most %(limit)s characters)."), limit=MAX_REASON
        )
    now = resolve_now(now)

    def body():
        submission = for_update(Submission.objects.filter(activity=activity, id=submission_id)).first()
        if submission is None:
            raise ServiceError(noop("This submission does not exist."), status=404)
        if not submission.in_pool:
            raise ServiceError(noop("This work has already been withdrawn from peer review."), status=409)
        Assignment.objects.filter(submission=submission, state=Assignment.State.ACTIVE).update(
            state=Assignment.State.CANCELLED
        )
        submission.lease_count = submission.theoretician_leases = submission.practitioner_leases = 0
        Submission.objects.filter(id=submission.id).update(
            in_pool=False, removed_at=now, removed_by=staff.anonymous_id, removed_reason=reason, **recount(submission)
        )

    atomic(body)


def restore_to_review(activity: Activity, settings: ActivitySettings, staff: Caller, submission_id: int) -> None:
    """Put a withdrawn submission back into the review pool. Errors: 403; 404; 409 not withdrawn."""
    require_staff(staff)
    # In a retried transaction like every writing service (API.md), so that it survives reviewers
    # being served at the same moment (lock errors on SQLite).
    updated = atomic(
        lambda: Submission.objects.filter(activity=activity, id=submission_id, in_pool=False).update(
            in_pool=True, removed_at=None, removed_by="", removed_reason=""
        )
    )
    if not updated:
        if not Submission.objects.filter(activity=activity, id=submission_id).exists():
            raise ServiceError(noop("This submission does not exist."), status=404)
        raise ServiceError(noop("This work is already in peer review."), status=409)


__all__ = [
    "overview",
    "waiting_submissions",
    "submission_text",
    "submission_reviews",
    "StaffReview",
    "remove_from_review",
    "restore_to_review",
    "PairStatus",
    "MemberInfo",
    "WaitingLearner",
    "Overview",
    "STATUSES",
]
