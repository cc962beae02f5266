"""Reviews: peer reviews on a lease, the pair's self-assessment, trainer reviews, and feedback on feedback.

Every assessment gives one level per rubric criterion and a comment per criterion of at least
``min_comment_length`` characters (against empty feedback). Learners never see who reviewed
them: the views returned here carry no reviewer identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import UNREAD, ActivitySettings, require_caller, require_staff, resolve_now
from ..db import atomic, for_update
from ..grading.gradebook import GradePublisher
from ..grading.grades import (
    GradeView,
    disagreement,
    final_fields,
    grade_view,
    peer_result,
    peer_reviews,
    review_points,
    weighted_score,
)
from ..models import Activity, Assignment, Membership, Review, Submission
from ..pairing.drafts import own_submission
from .accuracy import reviewer_weights
from .allocation import (
    _check_review_open,
    add_lease,
    add_review,
    admit_late_review,
    membership_of,
    recount,
    reviewer_of,
)
from .calibration import accuracies, record_trainer_agreement

MAX_HELPFULNESS_COMMENT = 2_000
SELF_KEY = "self"


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    level_id: str
    points: int | None
    comment: str


@dataclass(frozen=True)
class ReceivedReview:
    """A review of the caller's pair (no reviewer identity). ``kind``: peer | staff | self."""

    review_id: int
    kind: str
    score: float
    criteria: tuple[CriterionResult, ...]
    helpfulness: int | None
    helpfulness_comment: str
    created_at: datetime


@dataclass(frozen=True)
class Helpfulness:
    average: float | None  # mean helpfulness (1-5) of the caller's reviews, None if unrated
    ratings: int


def validate_assessment(settings: ActivitySettings, choices, comments) -> tuple[dict, dict]:
    """Clean ``{criterion: level}`` and ``{criterion: comment}``; 400 on the first problem."""
    rubric = settings.rubric
    if not isinstance(choices, dict) or not isinstance(comments, dict):
        raise ServiceError(noop("Give a level and a comment for every criterion."))
    for key in list(choices) + list(comments):
        if rubric.criterion(key) is None:
            raise ServiceError(noop("Unknown criterion: %(criterion)s."), criterion=str(key)[:40])
    clean_choices, clean_comments = {}, {}
    for criterion in rubric.criteria:
        level_id = choices.get(criterion.id)
        if not isinstance(level_id, str) or not level_id:
            raise ServiceError(noop("Choose a level for \u201c%(criterion)s\u201d."), criterion=criterion.title)
        if criterion.level(level_id) is None:
            raise ServiceError(noop("Unknown level for \u201c%(criterion)s\u201d."), criterion=criterion.title)
        comment = comments.get(criterion.id, "")
        if not isinstance(comment, str):
            raise ServiceError(noop("Give a level and a comment for every criterion."))
        comment = comment.strip()
        if len(comment) < settings.min_comment_length:
            raise ServiceError(
                noop(
                    "Your comment on \u201c%(criterion)s\u201d is too short: write at least %(count)s "
                    "characters (one strength and one suggestion)."
                ),
                criterion=criterion.title,
                count=settings.min_comment_length,
            )
        if len(comment) > settings.max_comment_length:
            raise ServiceError(
                noop("Your comment on \u201c%(criterion)s\u201d is too long (at most %(count)s characters)."),
                criterion=criterion.title,
                count=settings.max_comment_length,
            )
        clean_choices[criterion.id] = level_id
        clean_comments[criterion.id] = comment
    return clean_choices, clean_comments


def submit_review(
    activity: Activity,
    settings: ActivitySettings,
    caller: Caller,
    assignment_id: int,
    choices: dict,
    comments: dict,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
) -> int:
    """Complete a leased peer review; returns the review id. Regrades (and publishes) the pair.

    Errors: 400 rubric answers incomplete / comment too short; 404 no such task for this
    reviewer; 409 already submitted, work withdrawn from review, review period over.
    """
    require_caller(caller)
    now = resolve_now(now)
    clean_choices, clean_comments = validate_assessment(settings, choices, comments)
    score = weighted_score(settings.rubric, review_points(settings.rubric, clean_choices))

    def body():
        if settings.review_unit == "pair":
            membership = Membership.objects.filter(activity=activity.scope, anonymous_id=caller.anonymous_id).first()
            key = f"pair:{membership.pair_id}" if membership else None
        else:
            key = caller.anonymous_id
        assignment = for_update(
            Assignment.objects.select_related("submission").filter(id=assignment_id, activity=activity)
        ).first()
        if assignment is None or key is None or assignment.reviewer_key != key:
            raise ServiceError(noop("This review task does not exist."), status=404)
        submission = assignment.submission
        if assignment.state == Assignment.State.DONE:
            raise ServiceError(noop("You have already submitted this review."), status=409)
        if assignment.state == Assignment.State.CANCELLED or not submission.in_pool:
            raise ServiceError(noop("This work was withdrawn from peer review: ask for another one."), status=409)
        _check_review_open(settings, now)
        if assignment.state == Assignment.State.EXPIRED:  # a late review: only within the quota
            admit_late_review(activity, settings, caller, assignment.id)
        # Unique on (submission, reviewer): the assignment row is locked, so no savepoint here.
        review = Review.objects.create(
            activity=activity,
            submission=submission,
            assignment=assignment,
            kind=Review.Kind.PEER,
            reviewer_key=key,
            reviewer_profile=assignment.reviewer_profile,
            choices=clean_choices,
            comments=clean_comments,
            score=score,
            created_at=now,
            updated_at=now,
        )
        Assignment.objects.filter(id=assignment.id).update(state=Assignment.State.DONE, completed_at=now)
        if assignment.state == Assignment.State.ACTIVE:
            add_lease(submission, assignment.reviewer_profile, -1)
        add_review(submission, assignment.reviewer_profile)
        fields = recount(submission)
        peers = peer_reviews(submission.id)
        weights = reviewer_weights([key for key, _c, _s in peers], accuracies(activity, {k for k, _c, _s in peers}))
        submission.peer_grade, submission.peer_details = peer_result(
            settings.rubric, [choices for _k, choices, _s in peers], [weights[key] for key, _c, _s in peers]
        )
        submission.needs_trainer_reason = disagreement(settings, [score for _k, _c, score in peers])
        fields.update(
            peer_grade=submission.peer_grade,
            peer_details=submission.peer_details,
            needs_trainer_reason=submission.needs_trainer_reason,
        )
        fields.update(final_fields(activity, submission, settings, now, publisher))
        Submission.objects.filter(id=submission.id).update(**fields)
        return review.id

    try:
        return atomic(body)
    except IntegrityError:
        raise ServiceError(noop("You have already submitted this review."), status=409) from None


def _own_submission(activity: Activity, caller: Caller) -> Submission:
    submission = own_submission(activity, caller.anonymous_id)
    if submission is None:
        if not Membership.objects.filter(activity=activity.scope, anonymous_id=caller.anonymous_id).exists():
            raise ServiceError(noop("You are not in a pair yet."), status=409)
        raise ServiceError(noop("Your pair has not submitted its work yet."), status=409)
    return submission


def _upsert(activity, submission, kind, key, profile, choices, comments, score, now) -> Review:
    review = Review.objects.filter(submission=submission, reviewer_key=key).first()
    if review is not None:
        if review.kind != kind:
            raise ServiceError(noop("You have already reviewed this work."), status=409)
        Review.objects.filter(id=review.id).update(choices=choices, comments=comments, score=score, updated_at=now)
        return review
    try:
        with transaction.atomic():
            return Review.objects.create(
                activity=activity,
                submission=submission,
                kind=kind,
                reviewer_key=key,
                reviewer_profile=profile,
                choices=choices,
                comments=comments,
                score=score,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise ServiceError(
            noop("This review was saved at the same time by someone else: reload it."), status=409
        ) from None


def submit_self_assessment(
    activity: Activity,
    settings: ActivitySettings,
    caller: Caller,
    choices: dict,
    comments: dict,
    now: datetime | None = None,
) -> int:
    """Save (or replace) the pair's self-assessment of its submission; not counted in the grade.

    Errors: 400 rubric answers; 409 self-assessment not enabled, not in a pair, not submitted.
    """
    require_caller(caller)
    if not settings.self_assessment:
        raise ServiceError(noop("Reviewing your own work is not part of this activity."), status=409)
    now = resolve_now(now)
    clean_choices, clean_comments = validate_assessment(settings, choices, comments)
    score = weighted_score(settings.rubric, review_points(settings.rubric, clean_choices))

    def body():
        submission = _own_submission(activity, caller)
        return _upsert(
            activity, submission, Review.Kind.SELF, SELF_KEY, "", clean_choices, clean_comments, score, now
        ).id

    return atomic(body)


def submit_trainer_review(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    submission_id: int,
    choices: dict,
    comments: dict,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
) -> GradeView:
    """A trainer grades a submission with the rubric. The latest trainer review becomes the
    trainer grade, which replaces the peer grade (an override still wins). Staff may review
    withdrawn submissions and any submission still waiting for reviews.

    Errors: 400 rubric answers; 403 not staff; 404 no such submission.
    """
    require_staff(staff)
    now = resolve_now(now)
    clean_choices, clean_comments = validate_assessment(settings, choices, comments)
    score = weighted_score(settings.rubric, review_points(settings.rubric, clean_choices))

    def body():
        submission = for_update(Submission.objects.filter(activity=activity, id=submission_id)).first()
        if submission is None:
            raise ServiceError(noop("This submission does not exist."), status=404)
        _upsert(
            activity, submission, Review.Kind.STAFF, staff.anonymous_id, "", clean_choices, clean_comments, score, now
        )
        submission.trainer_grade = score
        fields = {"trainer_grade": score}
        record_trainer_agreement(activity, settings, submission.id, clean_choices, now)
        fields.update(
            final_fields(activity, submission, settings, now, publisher, by=staff.anonymous_id, republish=True)
        )
        Submission.objects.filter(id=submission.id).update(**fields)
        return grade_view(submission, settings)

    return atomic(body)


def criterion_results(review: Review, rubric) -> tuple[CriterionResult, ...]:
    """The level, points and comment a review gave each criterion of ``rubric``."""
    results = []
    for criterion in rubric.criteria:
        level_id = review.choices.get(criterion.id, "")
        level = criterion.level(level_id)
        results.append(
            CriterionResult(
                criterion.id, level_id, level.points if level else None, review.comments.get(criterion.id, "")
            )
        )
    return tuple(results)


def received_reviews(
    activity: Activity, settings: ActivitySettings, caller: Caller, include_self: bool = True
) -> list[ReceivedReview]:
    """The reviews of the caller's pair submission, oldest first (no reviewer identities)."""
    require_caller(caller)
    kinds = [Review.Kind.PEER, Review.Kind.STAFF] + ([Review.Kind.SELF] if include_self else [])
    reviews = Review.objects.filter(
        activity=activity, submission__members__anonymous_id=caller.anonymous_id, kind__in=kinds
    ).order_by("created_at", "id")
    result = []
    for review in reviews:
        criteria = criterion_results(review, settings.rubric)
        result.append(
            ReceivedReview(
                review.id,
                review.kind,
                review.score,
                criteria,
                review.helpfulness,
                review.helpfulness_comment,
                review.created_at,
            )
        )
    return result


def rate_review(
    activity: Activity, caller: Caller, review_id: int, helpfulness: int, comment: str = "", now: datetime | None = None
) -> None:
    """The reviewed pair rates a review it received (helpfulness 1-5, optional comment).

    Either member may rate; a new rating replaces the previous one. Errors: 400 rating out of
    1-5 or comment too long; 404 not a review of the caller's pair.
    """
    require_caller(caller)
    if isinstance(helpfulness, bool) or not isinstance(helpfulness, int) or not 1 <= helpfulness <= 5:
        raise ServiceError(noop("Rate the review from 1 (not helpful) to 5 (very helpful)."))
    comment = (comment or "").strip()
    if len(comment) > MAX_HELPFULNESS_COMMENT:
        raise ServiceError(
            noop("Your comment is too long (at most %(count)s characters)."), count=MAX_HELPFULNESS_COMMENT
        )
    now = resolve_now(now)

    def body():
        updated = Review.objects.filter(
            id=review_id,
            activity=activity,
            submission__members__anonymous_id=caller.anonymous_id,  # a review of the caller's own work
            kind__in=[Review.Kind.PEER, Review.Kind.STAFF],
        ).update(helpfulness=helpfulness, helpfulness_comment=comment, rated_by=caller.anonymous_id, rated_at=now)
        if not updated:
            raise ServiceError(noop("You can only rate reviews of your own pair's work."), status=404)

    atomic(body)


def reviewer_helpfulness(
    activity: Activity, settings: ActivitySettings, caller: Caller, membership=UNREAD
) -> Helpfulness:
    """The average helpfulness the caller's reviews received (as a learner, or their pair's)."""
    require_caller(caller)
    if membership is UNREAD:
        membership = membership_of(activity, caller)
    key = reviewer_of(membership, settings).key if membership else caller.anonymous_id
    row = Review.objects.filter(
        activity=activity, reviewer_key=key, kind=Review.Kind.PEER, helpfulness__isnull=False
    ).aggregate(average=Avg("helpfulness"), ratings=Count("id"))
    average = row["average"]
    return Helpfulness(round(float(average), 2) if average is not None else None, row["ratings"])
