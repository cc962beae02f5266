"""The pair's joint draft and its submission.

Saves are optimistic: each names the version it was based on, and the write is one conditional
``UPDATE ... WHERE version = n AND NOT locked``. A save based on a stale version changes nothing
and is refused (409), so a partner's work is never silently overwritten. Submitting locks the
draft (same conditional update) and copies it into a ``Submission``, which enters the review pool.
Drafts and submissions belong to the activity; the pair comes from its pairing (``activity.scope``),
so a pair of a shared pairing has one draft and one submission in each of its activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import UNREAD, ActivitySettings, require_caller, resolve_now
from ..db import atomic
from ..models import Activity, Draft, Membership, Pair, Review, Submission, SubmissionMember


@dataclass(frozen=True)
class DraftView:
    pair_id: int
    text: str
    version: int
    locked: bool
    saved_at: datetime | None
    saved_by_me: bool
    char_limit: int


@dataclass(frozen=True)
class SubmissionView:
    submission_id: int
    pair_id: int
    text: str
    draft_version: int
    submitted_at: datetime
    submitted_by_me: bool
    in_review: bool  # False once removed from peer review by staff
    contribution: str = ""  # the caller's own statement of what they brought (teaching team only)


def _member_pair(activity: Activity, caller: Caller, pair_id: int | None) -> Pair:
    query = Membership.objects.select_related("pair").filter(activity=activity.scope, anonymous_id=caller.anonymous_id)
    membership = query.first()
    if membership is None:
        if pair_id is not None:
            raise ServiceError(noop("You are not a member of this pair."), status=403)
        raise ServiceError(noop("You are not in a pair yet."), status=409)
    if pair_id is not None and membership.pair_id != pair_id:
        raise ServiceError(noop("You are not a member of this pair."), status=403)
    return membership.pair


def _member_pair_and_members(activity: Activity, caller: Caller, pair_id: int) -> tuple[Pair, list[str]]:
    """``_member_pair`` and the anonymous ids of every current member of that pair, in one query."""
    # a join on the caller's own membership (one per pairing), not a LIMIT subquery (MariaDB)
    rows = list(
        Membership.objects.select_related("pair")
        .filter(activity=activity.scope, pair__memberships__anonymous_id=caller.anonymous_id)
        .order_by("id")
    )
    if not rows:
        raise ServiceError(noop("You are not a member of this pair."), status=403)
    if rows[0].pair_id != pair_id:
        raise ServiceError(noop("You are not a member of this pair."), status=403)
    return rows[0].pair, [row.anonymous_id for row in rows]


def _check_open(settings: ActivitySettings, now: datetime) -> None:
    if settings.submission_due is not None and now > settings.submission_due:
        raise ServiceError(noop("The submission deadline has passed."), status=409)


def _view(draft: Draft, caller: Caller, settings: ActivitySettings) -> DraftView:
    return DraftView(
        pair_id=draft.pair_id,
        text=draft.text,
        version=draft.version,
        locked=draft.locked,
        saved_at=draft.saved_at,
        saved_by_me=draft.saved_by == caller.anonymous_id,
        char_limit=settings.char_limit,
    )


def submitted_draft(submission: Submission, caller: Caller, settings: ActivitySettings) -> DraftView:
    """The pair's draft as it was locked by ``submission`` (the draft cannot change once locked, and
    the submission holds its text and version): no need to read the draft again."""
    return DraftView(
        pair_id=submission.pair_id,
        text=submission.text,
        version=submission.draft_version,
        locked=True,
        saved_at=submission.submitted_at,
        saved_by_me=submission.submitted_by == caller.anonymous_id,
        char_limit=settings.char_limit,
    )


def get_draft(activity: Activity, settings: ActivitySettings, caller: Caller, membership=UNREAD) -> DraftView:
    """The caller's pair draft (2 queries; 1 with ``membership`` read). Errors: 409 not in a pair."""
    require_caller(caller)
    if membership is UNREAD or membership is None:
        pair = _member_pair(activity, caller, None)
    else:
        pair = membership.pair
    draft = Draft.objects.filter(activity=activity, pair_id=pair.id).first()
    # Nothing written yet in this activity: an empty version 0 (the first save creates the row).
    return _view(draft or Draft(activity=activity, pair_id=pair.id), caller, settings)


def save_draft(
    activity: Activity,
    settings: ActivitySettings,
    caller: Caller,
    pair_id: int,
    text: str,
    base_version: int,
    now: datetime | None = None,
) -> DraftView:
    """Save the pair's draft over version ``base_version``; returns the new state (version + 1).

    Errors: 400 text too long; 403 not a member of ``pair_id``; 409 stale version (a partner
    saved since), already submitted, or submission deadline passed.
    """
    require_caller(caller)
    now = resolve_now(now)
    if not isinstance(text, str):
        raise ServiceError(noop("The draft must be text."))
    if len(text) > settings.char_limit:
        raise ServiceError(
            noop("Your text is too long: %(count)s characters, at most %(limit)s."),
            count=len(text),
            limit=settings.char_limit,
        )

    def body():
        _member_pair(activity, caller, pair_id)
        _check_open(settings, now)
        saved = Draft.objects.filter(activity=activity, pair_id=pair_id, version=base_version, locked=False).update(
            text=text, version=F("version") + 1, saved_at=now, saved_by=caller.anonymous_id
        )
        if saved:
            return
        current = Draft.objects.filter(activity=activity, pair_id=pair_id).values("version", "locked").first()
        if current is None and base_version == 0:  # the pair's first save in this activity
            try:
                with transaction.atomic():
                    Draft.objects.create(
                        activity=activity,
                        pair_id=pair_id,
                        text=text,
                        version=1,
                        saved_at=now,
                        saved_by=caller.anonymous_id,
                    )
                return
            except IntegrityError:  # the partner's first save came first: theirs is version 1
                current = Draft.objects.filter(activity=activity, pair_id=pair_id).values("version", "locked").first()
        current = current or {"version": 0, "locked": False}
        if current["locked"]:
            raise ServiceError(
                noop("Your pair has already submitted its work: the draft can no longer change."), status=409
            )
        raise ServiceError(
            noop(
                "Your partner saved a newer version of the draft (version %(version)s) while you were editing. "
                "Copy your changes, reload the draft and add them again."
            ),
            status=409,
            version=current["version"],
        )

    atomic(body)
    return DraftView(
        pair_id=pair_id,
        text=text,
        version=base_version + 1,
        locked=False,
        saved_at=now,
        saved_by_me=True,
        char_limit=settings.char_limit,
    )


def submit_pair(
    activity: Activity,
    settings: ActivitySettings,
    caller: Caller,
    pair_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> SubmissionView:
    """Submit the pair's draft for the pair; the draft is then locked and enters peer review.

    ``expected_version`` is the draft version the learner confirmed; if a partner saved since,
    nothing is submitted (409), so what is submitted is what they saw. Errors: 400 empty draft;
    403 not a member; 409 pair incomplete, already submitted, stale version, deadline passed.
    """
    require_caller(caller)
    now = resolve_now(now)

    def body():
        pair, members = _member_pair_and_members(activity, caller, pair_id)
        if pair.member_count < 2:
            raise ServiceError(noop("Your pair is not complete yet: wait for your partner to join."), status=409)
        _check_open(settings, now)
        drafts = Draft.objects.filter(activity=activity, pair_id=pair_id, locked=False)
        if expected_version is not None:
            drafts = drafts.filter(version=expected_version)
        if not drafts.update(locked=True):
            current = Draft.objects.filter(activity=activity, pair_id=pair_id).values("version", "locked").first()
            if current is None:  # nothing written in this activity yet
                raise ServiceError(noop("The draft is empty: write your work before submitting it."))
            if current["locked"]:
                raise ServiceError(noop("Your pair has already submitted its work."), status=409)
            raise ServiceError(
                noop("Your partner changed the draft (now version %(version)s): read it again before submitting."),
                status=409,
                version=current["version"],
            )
        draft = Draft.objects.get(activity=activity, pair_id=pair_id)
        if not draft.text.strip():
            raise ServiceError(noop("The draft is empty: write your work before submitting it."))
        # The submission is for the members who have none in this activity yet: one grade per
        # learner and activity, also for a learner re-paired after submitting with a former partner.
        done = set(
            SubmissionMember.objects.filter(activity=activity, anonymous_id__in=members).values_list(
                "anonymous_id", flat=True
            )
        )
        if len(done) == len(members):
            raise ServiceError(noop("You have both already submitted this activity with a former partner."), status=409)
        # One submission per pair and activity (unique); only the caller who locked the draft gets here.
        submission = Submission.objects.create(
            activity=activity,
            pair_id=pair_id,
            text=draft.text,
            draft_version=draft.version,
            submitted_at=now,
            submitted_by=caller.anonymous_id,
        )
        SubmissionMember.objects.bulk_create(
            [
                SubmissionMember(activity=activity, submission=submission, anonymous_id=anonymous_id)
                for anonymous_id in members
                if anonymous_id not in done
            ]
        )
        # The pair's members are fixed from its first submission on, in whichever activity
        Pair.objects.filter(id=pair_id, submitted_at__isnull=True).update(submitted_at=now)
        return SubmissionView(
            submission_id=submission.id,
            pair_id=pair_id,
            text=draft.text,
            draft_version=draft.version,
            submitted_at=now,
            submitted_by_me=True,
            in_review=True,
        )

    try:
        return atomic(body)
    except IntegrityError:
        raise ServiceError(noop("Your pair has already submitted its work."), status=409) from None


def own_submission(activity: Activity, anonymous_id: str) -> Submission | None:
    """The submission of this activity that is the learner's (their pair's, or a former pair's
    if they were re-paired after submitting), or None. One query."""
    return (
        Submission.objects.filter(activity=activity, members__anonymous_id=anonymous_id)
        # whether anyone has reviewed it yet (peer, trainer or the pair itself): a view need not
        # look for reviews received when there are none
        .annotate(
            has_reviews=Exists(Review.objects.filter(submission=OuterRef("pk"))),
            # the learner's own statement of what they contributed (``contribution.py``)
            my_contribution=Subquery(
                SubmissionMember.objects.filter(submission=OuterRef("pk"), anonymous_id=anonymous_id).values(
                    "contribution"
                )[:1]
            ),
        )
        .first()
    )


def get_submission(activity: Activity, caller: Caller) -> SubmissionView | None:
    """The caller's submission in this activity, or None (not submitted)."""
    require_caller(caller)
    return submission_view(own_submission(activity, caller.anonymous_id), caller)


def submission_view(submission: Submission | None, caller: Caller) -> SubmissionView | None:
    if submission is None:
        return None
    return SubmissionView(
        submission_id=submission.id,
        pair_id=submission.pair_id,
        text=submission.text,
        draft_version=submission.draft_version,
        submitted_at=submission.submitted_at,
        submitted_by_me=submission.submitted_by == caller.anonymous_id,
        in_review=submission.in_pool,
        contribution=getattr(submission, "my_contribution", None) or "",
    )
