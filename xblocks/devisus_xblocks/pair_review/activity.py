"""The activity (one block in one course), its settings, and helpers shared by the services.

The block builds an :class:`ActivitySettings` from its Studio fields and resolves its
:class:`~.models.Activity` row once per request with :func:`get_activity`; every service then
takes ``(activity, settings, caller, ...)``. Callers are ``common.identity.Caller`` objects
(anonymous id, username, staff flag). Services that depend on time take ``now`` (default: the
current time) so that deadlines, leases and flexible grading are testable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..common.errors import ServiceError
from ..common.i18n import noop
from ..common.identity import Caller
from ..common.keys import fold
from .config import pairing_id_is_valid
from .models import Activity, Profile
from .reviewing.rubric import Rubric, default_rubric, rubric_problems, rubric_to_data

PAIRING_MODES = ("automatic", "invitation", "trainer")
REVIEW_UNITS = ("learner", "pair")
PROFILES = (Profile.THEORETICIAN.value, Profile.PRACTITIONER.value)
MAX_TEXT_LIMIT = 200_000
MAX_LEASE_HOURS = 24 * 366  # a year: longer leases only lock submissions away from other reviewers

__all__ = ["ActivitySettings", "Caller", "get_activity", "require_staff", "resolve_now", "flexible_threshold"]


@dataclass(frozen=True)
class ActivitySettings:
    """What the block's Studio settings say. Defaults are the issue's."""

    pairing_mode: str = "automatic"  # automatic | invitation | trainer
    review_unit: str = "learner"  # learner: each learner reviews; pair: each pair reviews once
    reviews_per_reviewer: int = 2  # N: reviews each reviewer (learner or pair) must give
    reviews_required: int = 2  # reviews a submission needs to be graded by its peers
    lease_hours: float = 8.0
    char_limit: int = 20_000
    submission_due: datetime | None = None
    review_due: datetime | None = None
    flexible_after_days: int = 7  # then a submission with enough reviews is graded with what it has
    flexible_percent: int = 30  # "enough": ceil(percent * reviews_required / 100), at least 1
    min_comment_length: int = 20
    max_comment_length: int = 5_000
    self_assessment: bool = True
    inactive_after_days: int = 14  # a partner silent this long is shown as inactive (0: never)
    # Peer reviews whose scores differ by more percentage points than this wait for a trainer (0: never)
    disagreement_threshold: int = 0
    calibration: tuple = ()  # examples.Example: assessed by each reviewer before their first review
    points: int = 100  # what a full grade is worth in the gradebook (the block's ``points`` setting)
    rubric: Rubric = field(default_factory=default_rubric)

    def problems(self) -> list[ServiceError]:
        """Validation for Studio: every problem, as translatable errors (empty: valid)."""
        found = []
        if self.pairing_mode not in PAIRING_MODES:
            found.append(ServiceError(noop("Unknown pairing mode.")))
        if self.review_unit not in REVIEW_UNITS:
            found.append(ServiceError(noop("Reviews are given either by each learner or by each pair.")))
        if self.reviews_per_reviewer < 1:
            found.append(ServiceError(noop("Each reviewer must give at least 1 review.")))
        if self.reviews_required < 1:
            found.append(ServiceError(noop("A submission must need at least 1 review.")))
        if not 0 < self.lease_hours <= MAX_LEASE_HOURS:
            found.append(
                ServiceError(
                    noop("The review lease must last longer than 0 hours and at most %(limit)s hours."),
                    limit=MAX_LEASE_HOURS,
                )
            )
        if not 1 <= self.char_limit <= MAX_TEXT_LIMIT:
            found.append(
                ServiceError(noop("The character limit must be between 1 and %(limit)s."), limit=MAX_TEXT_LIMIT)
            )
        if self.flexible_after_days < 0 or not 0 <= self.flexible_percent <= 100:
            found.append(
                ServiceError(noop("Flexible grading needs 0 days or more and a percentage between 0 and 100."))
            )
        if not 0 <= self.disagreement_threshold <= 100:
            found.append(ServiceError(noop("The disagreement threshold is between 0 (never) and 100 points.")))
        if not 0 <= self.inactive_after_days <= 365:
            found.append(ServiceError(noop("A partner counts as inactive after 0 (never) to 365 days.")))
        if self.min_comment_length < 0 or self.max_comment_length < max(self.min_comment_length, 1):
            found.append(ServiceError(noop("The comment length limits are inconsistent.")))
        if self.submission_due and self.review_due and self.review_due < self.submission_due:
            found.append(ServiceError(noop("The review due date must come after the submission due date.")))
        found.extend(rubric_problems(rubric_to_data(self.rubric)))
        return found

    @property
    def flexible_threshold(self) -> int:
        return flexible_threshold(self.reviews_required, self.flexible_percent)


def flexible_threshold(required: int, percent: int = 30) -> int:
    """Reviews needed for flexible grading: ceil(percent % of ``required``), and at least one."""
    return max(1, math.ceil(required * percent / 100)) if percent else 1


# "Not read yet": the default of the read services' ``membership=`` parameter, since ``None`` means
# "read, and the learner has no pair". A learner's view reads the row once and hands it on.
UNREAD = object()


def resolve_now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


PAIRING_PREFIX = "pairing:"  # the block key of a pairing's row; a usage key never starts so


def get_activity(course_key: str, block_key: str, pairing_id: str = "") -> Activity:
    """The activity row of a block, created on first use (one query once it exists), with its
    pairs' scope: the course's pairing ``pairing_id`` (one more query), or the block itself.

    Errors: 409 for a ``pairing_id`` that is not a few lower-case letters, digits, ``-`` or ``_``
    (Studio refuses it; an OLX import may bring it).
    """
    activity = _activity_row(course_key, block_key)
    if pairing_id:
        if not pairing_id_is_valid(pairing_id):
            raise ServiceError(
                noop(
                    "The pairing id may hold only lower-case letters, digits, - and _ (at most 64): "
                    "course staff can correct it in Studio."
                ),
                status=409,
            )
        activity.use_pairing(_activity_row(course_key, PAIRING_PREFIX + pairing_id))
    return activity


def _activity_row(course_key: str, block_key: str) -> Activity:
    """The activity row of a block, created on first use (one query once it exists).

    Errors: 409 when the block's id cannot have a row of its own: longer than the column, or
    equal to another block's id under MySQL's collations (``url_name`` values differing only in
    capitals or accents, which Open edX's case-sensitive modulestore allows in an OLX import):
    two blocks never share their pairs, and the behaviour is the same on SQLite.
    """
    course_key, block_key = str(course_key), str(block_key)
    if len(course_key) > 255 or len(block_key) > 255:
        raise ServiceError(
            noop("This block's id is too long to be stored (at most 255 characters): give it a shorter url_name."),
            status=409,
        )
    clash = ServiceError(
        noop(
            "Another block of this course has the same id apart from capital letters or accents: "
            "give this block a different url_name in Studio."
        ),
        status=409,
    )
    try:
        activity = Activity.objects.get(course_key=course_key, block_key=block_key)
    except Activity.DoesNotExist:
        # First use of the block (one more query, once): refuse on SQLite too what MariaDB would
        # take for an existing block. The course's few pair-review blocks are compared in Python.
        others = Activity.objects.filter(course_key=course_key).values_list("block_key", flat=True)
        if any(fold(other) == fold(block_key) for other in others):
            raise clash from None
        try:
            with transaction.atomic():
                activity = Activity.objects.create(course_key=course_key, block_key=block_key)
        except IntegrityError:  # created by a concurrent request
            activity = Activity.objects.get(course_key=course_key, block_key=block_key)
    if (activity.course_key, activity.block_key) != (course_key, block_key):  # MariaDB's match, not ours
        raise clash
    return activity


def require_staff(caller: Caller) -> None:
    """Defence in depth behind the handlers' ``staff_only``: trainer services refuse learners too."""
    if caller is None or not caller.is_staff:
        raise ServiceError(noop("Only course staff can do this."), status=403)


def require_caller(caller: Caller) -> None:
    if caller is None or not caller.anonymous_id:
        raise ServiceError(noop("Please sign in to take part."), status=403)
