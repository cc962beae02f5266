"""Giving reviewers work: fair, cross-role, concurrency-safe allocation of peer reviews with leases.

Who reviews: with ``review_unit="learner"`` each learner is a reviewer (key: their anonymous
id, profile: theirs); with ``"pair"`` each pair is one reviewer (key ``pair:<id>``, no
profile), and either member may take or finish its reviews. A reviewer gives
``reviews_per_reviewer`` reviews, only once their own pair has submitted.

Which submission: never the reviewer's own pair's, never one they already have or reviewed
(``Assignment`` is unique on (submission, reviewer_key)), and not one the reviewer's partner has
taken while another is left or may still be submitted (two reviews of a work should be
independent); among the rest, first those that lack a review (done or leased) from the
reviewer's profile (cross-role), then those with the fewest reviews done + leases active
(``load``), then the oldest. Denormalised counters on the
submission row make that one ordered query on an index, ``LIMIT 1 ... FOR UPDATE SKIP LOCKED``
on MariaDB/MySQL (two reviewers asking at once take different rows; SQLite serialises writers).
The reviewer's membership row is locked first, so one reviewer's concurrent requests are
serialised: they get the same lease, never two, never more than their quota.

Leases last ``lease_hours``. Expired leases are reclaimed lazily, at the start of every
allocation in the activity, in two statements whatever their number: their counters are given
back and the submission returns to the pool. A review finished on an expired lease is still
accepted while it fits the reviewer's quota (:func:`admit_late_review`).

Invariants (tested under concurrency on SQLite and MariaDB): a reviewer's done + active leases
never exceed ``reviews_per_reviewer``; nobody is given their own pair's work or the same work
twice; a lease that ended unfinished (expired, or cancelled when the trainer withdrew the work)
never stops its reviewer from being given work again, that work included once restored.

Cost: a constant number of queries whatever the pool size (see ``scripts/bench_pair_review.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import UNREAD, ActivitySettings, require_caller, resolve_now
from ..db import atomic, for_update
from ..models import AccuracySample, Activity, Assignment, Membership, Profile, Submission, SubmissionMember

ENDED_UNFINISHED = (Assignment.State.EXPIRED, Assignment.State.CANCELLED)
COUNTER_FIELDS = (
    "review_count",
    "lease_count",
    "theoretician_reviews",
    "practitioner_reviews",
    "theoretician_leases",
    "practitioner_leases",
    "load",
    "has_theoretician",
    "has_practitioner",
)


@dataclass(frozen=True)
class ReviewTask:
    """A leased review: the work to review (anonymous: no pair or author shown) and its deadline."""

    assignment_id: int
    text: str
    leased_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Allocation:
    """Answer of :func:`get_next_review`.

    ``task`` is the reviewer's current lease (new or ongoing) or None; then ``reason`` says why:
    ``"done"`` (quota reached) or ``"none_available"`` (nothing to review now; try later).
    """

    task: ReviewTask | None
    done: int
    required: int
    reason: str = ""


@dataclass(frozen=True)
class Reviewer:
    key: str
    profile: str
    pair_id: int


def membership_of(activity: Activity, caller: Caller) -> Membership | None:
    """The caller's membership in the pairing, with its pair and participant (one query)."""
    return (
        Membership.objects.select_related("pair", "participant")
        .filter(activity=activity.scope, anonymous_id=caller.anonymous_id)
        .first()
    )


def reviewer_of(membership: Membership, settings: ActivitySettings) -> Reviewer:
    if settings.review_unit == "pair":
        return Reviewer(f"pair:{membership.pair_id}", "", membership.pair_id)
    return Reviewer(membership.anonymous_id, membership.participant.profile, membership.pair_id)


def calibrated(activity: Activity, settings: ActivitySettings, reviewer_key: str) -> int:
    """How many of the block's calibration examples the reviewer has assessed (one query)."""
    return AccuracySample.objects.filter(
        activity=activity,
        reviewer_key=reviewer_key,
        source=AccuracySample.Source.CALIBRATION,
        reference__in=[example.id for example in settings.calibration],
    ).count()


def recount(submission: Submission) -> dict:
    """The derived counters of a submission from its base counters (set on it and returned)."""
    fields = {
        "load": submission.review_count + submission.lease_count,
        "has_theoretician": submission.theoretician_reviews + submission.theoretician_leases > 0,
        "has_practitioner": submission.practitioner_reviews + submission.practitioner_leases > 0,
    }
    for name, value in fields.items():
        setattr(submission, name, value)
    return {name: getattr(submission, name) for name in COUNTER_FIELDS}


def add_lease(submission: Submission, profile: str, delta: int) -> None:
    submission.lease_count += delta
    if profile == Profile.THEORETICIAN:
        submission.theoretician_leases += delta
    elif profile == Profile.PRACTITIONER:
        submission.practitioner_leases += delta


def add_review(submission: Submission, profile: str) -> None:
    submission.review_count += 1
    if profile == Profile.THEORETICIAN:
        submission.theoretician_reviews += 1
    elif profile == Profile.PRACTITIONER:
        submission.practitioner_reviews += 1


def reclaim_expired(activity: Activity, now: datetime) -> int:
    """End every expired lease of the activity and give its counters back; returns how many.

    Two statements whatever the numbers: one ``UPDATE`` marks the expired leases with a fresh
    token (when it matches nothing, that is all), one ``UPDATE`` subtracts, per submission, the
    leases carrying that token. A lease being finished at this moment is either finished first
    (then it is no longer active) or found expired by its review (then counted as a late review).
    """
    token = uuid.uuid4().hex
    reclaimed = Assignment.objects.filter(activity=activity, state=Assignment.State.ACTIVE, expires_at__lte=now).update(
        state=Assignment.State.EXPIRED, reclaim_token=token
    )
    if not reclaimed:
        return 0
    batch = Assignment.objects.filter(reclaim_token=token)

    def per_submission(profile: str | None = None):
        rows = batch.filter(submission_id=OuterRef("pk"))
        if profile:
            rows = rows.filter(reviewer_profile=profile)
        count = rows.order_by().values("submission_id").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))

    theo, prac, total = per_submission(Profile.THEORETICIAN), per_submission(Profile.PRACTITIONER), per_submission()
    # MySQL evaluates SET assignments left to right with the new values; the flags come first so
    # every database computes them from the counters as they were before this statement.
    Submission.objects.filter(id__in=batch.values("submission_id")).update(
        has_theoretician=Case(
            When(Q(theoretician_reviews__gt=0) | Q(theoretician_leases__gt=theo), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        has_practitioner=Case(
            When(Q(practitioner_reviews__gt=0) | Q(practitioner_leases__gt=prac), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        lease_count=F("lease_count") - total,
        load=F("load") - total,
        theoretician_leases=F("theoretician_leases") - theo,
        practitioner_leases=F("practitioner_leases") - prac,
    )
    return reclaimed


def _reviewer_membership(activity: Activity, caller: Caller, lock: bool) -> Membership:
    query = Membership.objects.select_related("pair", "participant").filter(
        activity=activity.scope, anonymous_id=caller.anonymous_id
    )
    membership = (for_update(query) if lock else query).first()
    if membership is None:
        raise ServiceError(noop("You need to be in a pair to review other pairs' work."), status=409)
    return membership


def _check_review_open(settings: ActivitySettings, now: datetime) -> None:
    if settings.review_due is not None and now > settings.review_due:
        raise ServiceError(noop("The review period has ended."), status=409)


def get_next_review(
    activity: Activity, settings: ActivitySettings, caller: Caller, now: datetime | None = None
) -> Allocation:
    """The caller's current review lease, or a new one, or why there is none.

    Idempotent while a lease is active. Errors: 409 not in a pair, own pair has not submitted,
    review period over (when a new lease would be needed).
    """
    require_caller(caller)
    now = resolve_now(now)
    lease = timedelta(hours=settings.lease_hours)
    required = settings.reviews_per_reviewer

    def body():
        membership = _reviewer_membership(activity, caller, lock=True)
        reviewer = reviewer_of(membership, settings)
        # A learner reviews once their work of this activity is submitted (with their pair, or
        # with a former partner before being re-paired); a reviewing pair once the pair's is.
        if settings.review_unit == "pair":
            own = Submission.objects.filter(activity=activity, pair_id=reviewer.pair_id).values_list("id", flat=True)
        else:
            own = SubmissionMember.objects.filter(activity=activity, anonymous_id=reviewer.key).values_list(
                "submission_id", flat=True
            )
        own_id = own.first()
        if own_id is None:
            raise ServiceError(noop("Submit your pair's work before reviewing other pairs."), status=409)
        reclaim_expired(activity, now)
        # The caller's own leases and, in the same query, the work their pair has taken (leased
        # or reviewed by a partner while in this pair), which the pick avoids below.
        rows = list(
            Assignment.objects.filter(activity=activity)
            .filter(Q(reviewer_key=reviewer.key) | Q(reviewer_pair_id=reviewer.pair_id))
            .values_list("id", "submission_id", "state", "leased_at", "expires_at", "reviewer_key")
        )
        mine = [row[:5] for row in rows if row[5] == reviewer.key]
        partners_work = {
            row[1]
            for row in rows
            if row[5] != reviewer.key and row[2] in (Assignment.State.ACTIVE, Assignment.State.DONE)
        }
        done = sum(1 for row in mine if row[2] == Assignment.State.DONE)
        active = [row for row in mine if row[2] == Assignment.State.ACTIVE]
        if active:
            assignment_id, submission_id, _state, leased_at, expires_at = active[0]
            if expires_at <= now:  # expired but not reclaimed yet: renew it for its reviewer
                expires_at = now + lease
                Assignment.objects.filter(id=assignment_id, state=Assignment.State.ACTIVE).update(expires_at=expires_at)
            text = Submission.objects.filter(id=submission_id).values_list("text", flat=True).first() or ""
            return Allocation(ReviewTask(assignment_id, text, leased_at, expires_at), done, required)
        if done >= required:
            return Allocation(None, done, required, "done")
        _check_review_open(settings, now)
        if settings.calibration and calibrated(activity, settings, reviewer.key) < len(settings.calibration):
            raise ServiceError(noop("Assess the calibration examples before your first review."), status=409)
        taken = [row[1] for row in mine if row[2] in (Assignment.State.ACTIVE, Assignment.State.DONE)]
        # A lease that ended unfinished (expired, or cancelled when its work was withdrawn) keeps
        # its row, unique on (submission, reviewer): if that work comes back to this reviewer, the
        # row is reused; a new one would break the unique key, for ever, on every request.
        reusable = {row[1]: row[0] for row in mine if row[2] in ENDED_UNFINISHED}
        # ``in_pool__in=[True]``, not ``in_pool=True``: Django writes the latter as a bare "WHERE in_pool",
        # which SQLite and MySQL cannot use as an index equality; the pick must walk the pick index in order.
        pool = Submission.objects.filter(activity=activity, in_pool__in=[True]).exclude(pair_id=reviewer.pair_id)
        pool = pool.exclude(id__in=[own_id, *taken])  # never one's own work, never twice the same
        if reviewer.profile == Profile.THEORETICIAN:
            order = ("has_theoretician", "load", "submitted_at", "id")
        elif reviewer.profile == Profile.PRACTITIONER:
            order = ("has_practitioner", "load", "submitted_at", "id")
        else:
            order = ("load", "submitted_at", "id")
        # Two partners drafted together: if both reviewed the same work, its reviews would not be
        # independent (the median, the disagreement check and the accuracy weighting assume they
        # are). Work a partner has taken is given only when no other is left and no other can
        # come: once the submission deadline has passed (before it, the reviewer is told to come
        # back later, as when nothing is submitted yet), or at once when there is no deadline.
        # It happens in cohorts too small for it (fewer than 1 + 2 x reviews_per_reviewer pairs).
        preferred = pool.exclude(id__in=partners_work) if partners_work else pool
        submission = _pick(preferred, order)
        more_may_come = settings.submission_due is not None and now < settings.submission_due
        if submission is None and partners_work and not more_may_come:
            submission = _pick(pool, order)
        if submission is None:
            return Allocation(None, done, required, "none_available")
        expires_at = now + lease
        if submission.id in reusable:
            assignment_id = reusable[submission.id]
            Assignment.objects.filter(id=assignment_id).update(
                state=Assignment.State.ACTIVE,
                leased_at=now,
                expires_at=expires_at,
                reviewer_profile=reviewer.profile,
                reviewer_pair_id=reviewer.pair_id,
            )
        else:
            # Unique on (submission, reviewer): cannot collide while the reviewer is locked; if it
            # ever did, the whole transaction is refused below (no savepoint on the hot path).
            assignment_id = Assignment.objects.create(
                activity=activity,
                submission=submission,
                reviewer_key=reviewer.key,
                reviewer_pair_id=reviewer.pair_id,
                reviewer_profile=reviewer.profile,
                leased_at=now,
                expires_at=expires_at,
            ).id
        add_lease(submission, reviewer.profile, +1)
        Submission.objects.filter(id=submission.id).update(**recount(submission))
        return Allocation(ReviewTask(assignment_id, submission.text, now, expires_at), done, required)

    try:
        return atomic(body)
    except IntegrityError:
        raise ServiceError(noop("You already have this work to review."), status=409) from None


def _pick(pool, order: tuple[str, ...]) -> Submission | None:
    """The first work of ``pool`` in ``order``, locked for this transaction."""
    submission = for_update(pool.order_by(*order), skip_locked=True).first()
    if submission is None and connection.features.has_select_for_update_skip_locked:
        # Every candidate may be locked by reviewers being served right now: wait for one
        # rather than answer "nothing to review" while there is work.
        submission = for_update(pool.order_by(*order)).first()
    return submission


def admit_late_review(activity: Activity, settings: ActivitySettings, caller: Caller, assignment_id: int) -> None:
    """Refuse a review on an ended lease (expired and reclaimed) that would take its reviewer past
    ``reviews_per_reviewer`` done + active: the quota :func:`get_next_review` keeps, which a reviewer
    who let a lease expire and took other work would otherwise exceed.

    Called by ``reviews.submit_review`` in its transaction, with the assignment row locked. The
    reviewer is locked as :func:`get_next_review` locks them (their membership row, and with it
    the pair's row, which serialises the members of a reviewing pair), so a late review and a new
    lease never both count the same free place. (The locks are taken in the other order than in
    the allocation: a deadlock between one reviewer's two tabs is possible and rolled back and
    retried by ``db.atomic``.) Errors: 409 quota reached, or reached with the work held now.
    """
    membership = _reviewer_membership(activity, caller, lock=True)
    reviewer = reviewer_of(membership, settings)
    states = list(
        Assignment.objects.filter(activity=activity, reviewer_key=reviewer.key)
        .exclude(id=assignment_id)
        .values_list("state", flat=True)
    )
    done = states.count(Assignment.State.DONE)
    active = states.count(Assignment.State.ACTIVE)
    if done >= settings.reviews_per_reviewer:
        raise ServiceError(
            noop("The time for this review ran out and you have given all your reviews since: it is no longer needed."),
            status=409,
        )
    if done + active >= settings.reviews_per_reviewer:
        raise ServiceError(
            noop(
                "The time for this review ran out and you have since taken other work to review: "
                "finish that review instead."
            ),
            status=409,
        )


def current_task(
    activity: Activity, settings: ActivitySettings, caller: Caller, membership=UNREAD
) -> ReviewTask | None:
    """The caller's active review lease, or None; never takes a new one (read only, 2 queries).

    For views: a learner who reloads the page finds the review they started, while only an
    explicit request (:func:`get_next_review`) leases new work. A lease past its expiry that no
    allocation has reclaimed yet is still returned (a review on it is accepted).
    """
    require_caller(caller)
    if membership is UNREAD:
        membership = membership_of(activity, caller)
    if membership is None:
        return None
    reviewer = reviewer_of(membership, settings)
    row = (
        Assignment.objects.filter(activity=activity, reviewer_key=reviewer.key, state=Assignment.State.ACTIVE)
        .order_by("leased_at", "id")
        .values_list("id", "submission__text", "leased_at", "expires_at")
        .first()
    )
    if row is None:
        return None
    return ReviewTask(row[0], row[1] or "", row[2], row[3])


def review_standing(
    activity: Activity, settings: ActivitySettings, caller: Caller, membership=UNREAD
) -> tuple[int, int, ReviewTask | None]:
    """(reviews done, reviews required, the active review lease or None) for the caller as a
    reviewer, in one query with ``membership`` read: what :func:`reviewer_progress` and
    :func:`current_task` answer together, for the learner's view."""
    require_caller(caller)
    if membership is UNREAD:
        membership = membership_of(activity, caller)
    if membership is None:
        return 0, settings.reviews_per_reviewer, None
    active = Assignment.State.ACTIVE
    rows = (
        Assignment.objects.filter(
            activity=activity,
            reviewer_key=reviewer_of(membership, settings).key,
            state__in=(active, Assignment.State.DONE),
        )
        # only the active lease's text is fetched (the done ones' would be read for nothing)
        .annotate(
            task_text=Case(When(state=active, then=F("submission__text")), default=Value(""), output_field=TextField())
        )
        .order_by("leased_at", "id")
        .values_list("id", "state", "task_text", "leased_at", "expires_at")
    )
    done, task = 0, None
    for assignment_id, state, text, leased_at, expires_at in rows:
        if state == active:
            task = task or ReviewTask(assignment_id, text or "", leased_at, expires_at)
        else:
            done += 1
    return done, settings.reviews_per_reviewer, task


def reviewer_progress(
    activity: Activity, settings: ActivitySettings, caller: Caller, membership=UNREAD
) -> tuple[int, int]:
    """(reviews done, reviews required) for the caller as a reviewer (2 queries; 1 with
    ``membership`` read)."""
    require_caller(caller)
    if membership is UNREAD:
        membership = membership_of(activity, caller)
    if membership is None:
        return 0, settings.reviews_per_reviewer
    reviewer = reviewer_of(membership, settings)
    done = Assignment.objects.filter(activity=activity, reviewer_key=reviewer.key, state=Assignment.State.DONE).count()
    return done, settings.reviews_per_reviewer
