"""Nobody stranded by a partner who leaves: activity tracking, leaving an inactive partner, splits.

A pairing lasts the whole course, so a partner may drop out after the first pieces. Each member's
latest request to any block of the pairing is kept (``Membership.last_active_at``, to the hour);
a partner silent for the block's ``inactive_after_days`` is shown as inactive to the other member
and to the trainer. The active member may then leave and be paired again (:func:`leave_inactive_partner`);
a trainer may split any pair (:func:`split_pair`). Work already submitted stays with whoever it
was submitted for (``SubmissionMember``), with its grades; the inactive member keeps the old pair.

Neither is allowed while a review of the pair's work is under way (a lease is active): the
reviewer would otherwise review a pair that no longer exists as such. The learner is told to try
again once the lease ends (at most the block's ``lease_hours``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import UNREAD, ActivitySettings, require_caller, require_staff, resolve_now
from ..config import inactive
from ..db import atomic, for_update
from ..models import Activity, Draft, Membership, Pair, Participant, Submission
from .formation import PairingState, join_automatic, lock_pairing, pairing_state

TOUCH_EVERY = timedelta(hours=1)  # one write per member and hour at most


def touch(activity: Activity, caller: Caller | None, now: datetime | None = None, membership=UNREAD) -> None:
    """Record that ``caller`` is active in the pairing (one UPDATE, which writes at most hourly;
    no query at all when the caller's ``membership``, already read, says it is not time yet).
    Staff viewing the course as the learner do not count: they are not the learner."""
    if caller is None or not caller.anonymous_id or caller.masquerading:
        return
    now = resolve_now(now)
    if membership is None:
        return  # not in a pair: nothing to record
    if membership is not UNREAD and (membership.last_active_at or membership.joined_at) > now - TOUCH_EVERY:
        return
    Membership.objects.filter(activity=activity.scope, anonymous_id=caller.anonymous_id).filter(
        Q(last_active_at__isnull=True) | Q(last_active_at__lt=now - TOUCH_EVERY)
    ).update(last_active_at=now)


def _no_review_under_way(pair_id: int) -> None:
    if Submission.objects.filter(pair_id=pair_id, lease_count__gt=0).exists():
        raise ServiceError(
            noop(
                "Another pair is reviewing your pair's work right now: try again once the review is "
                "finished (within the review time limit)."
            ),
            status=409,
        )


def _leave(scope: Activity, membership: Membership) -> None:
    """Take one member out of their pair. A pair left empty is deleted only if it holds no work
    (never submitted, no draft saved): work stays readable by the trainer."""
    pair = for_update(Pair.objects.filter(id=membership.pair_id)).first()
    membership.delete()
    holds_work = pair.submitted_at is not None or Draft.objects.filter(pair_id=pair.id, version__gt=0).exists()
    if pair.member_count <= 1 and not holds_work:
        pair.delete()
    else:
        # Closed to newcomers: a pair that submitted keeps its remaining member and its work.
        Pair.objects.filter(id=pair.id).update(member_count=F("member_count") - 1, invite_code=None)


def _back_to_pairing(scope: Activity, anonymous_id: str, now: datetime) -> None:
    """The learner waits for a partner again (the queue in automatic mode, the trainer's list otherwise)."""
    Participant.objects.filter(activity=scope, anonymous_id=anonymous_id).update(waiting_since=now)


def leave_inactive_partner(
    activity: Activity, settings: ActivitySettings, caller: Caller, now: datetime | None = None
) -> PairingState:
    """Leave a pair whose other members have all been inactive for ``inactive_after_days``, and
    look for a new partner: matched at once in automatic mode if someone of the other profile
    waits, otherwise on the waiting list (automatic) or back to invitation codes or the trainer.

    Errors: 409 not in a pair, partner still active (or inactivity not enabled), a review of the
    pair's work under way.
    """
    require_caller(caller)
    now = resolve_now(now)
    scope = activity.scope

    def body():
        lock_pairing(scope)
        membership = for_update(Membership.objects.filter(activity=scope, anonymous_id=caller.anonymous_id)).first()
        if membership is None:
            raise ServiceError(noop("You are not in a pair yet."), status=409)
        others = list(
            Membership.objects.filter(pair_id=membership.pair_id)
            .exclude(id=membership.id)
            .values_list("last_active_at", "joined_at")
        )
        if not others or not all(inactive(last or joined, settings, now) for last, joined in others):
            raise ServiceError(
                noop("You can leave your pair only when your partner has been inactive for %(days)s days."),
                status=409,
                days=settings.inactive_after_days,
            )
        _no_review_under_way(membership.pair_id)
        _leave(scope, membership)
        _back_to_pairing(scope, caller.anonymous_id, now)

    atomic(body)
    if settings.pairing_mode == "automatic":
        return join_automatic(activity, settings, caller, now=now)
    return pairing_state(activity, caller)


def split_pair(
    activity: Activity, settings: ActivitySettings, staff: Caller, pair_id: int, now: datetime | None = None
) -> list[str]:
    """A trainer splits a pair (e.g. a partner dropped out): every member waits for a partner
    again, to be re-paired automatically, by invitation or by the trainer. Submitted work and its
    grades stay with the members it was submitted for. Returns the members' anonymous ids.

    Errors: 403 not staff; 404 no such pair; 409 a review of the pair's work under way.
    """
    require_staff(staff)
    now = resolve_now(now)
    scope = activity.scope

    def body():
        lock_pairing(scope)
        if not Pair.objects.filter(activity=scope, id=pair_id).exists():
            raise ServiceError(noop("This pair does not exist."), status=404)
        _no_review_under_way(pair_id)
        members = list(for_update(Membership.objects.filter(activity=scope, pair_id=pair_id).order_by("id")))
        for membership in members:
            _leave(scope, membership)
            _back_to_pairing(scope, membership.anonymous_id, now)
        return [m.anonymous_id for m in members]

    return atomic(body)
