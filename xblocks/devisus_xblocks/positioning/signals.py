"""Retirement (GDPR): delete a retired learner's positionings (see common/retirement.py)."""

from __future__ import annotations

import logging

from ..common import retirement
from .store import retire_learner

log = logging.getLogger(__name__)

RETIREMENT_SIGNAL = retirement.SIGNAL_PATH
DISPATCH_UID = "devisus_positioning.signals.on_user_retire"
anonymous_ids_of = retirement.lms_anonymous_ids


def retire_user(user) -> int:
    """Delete the positionings of ``user``; returns how many were deleted."""
    return retire_learner(anonymous_ids_of(user))


def on_user_retire(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    if user is None:
        return
    deleted = retire_user(user)
    log.info("Self-positioning: retired user %s, %d positioning(s) deleted", getattr(user, "id", "?"), deleted)


def connect_retirement(signal=None) -> bool:
    """Connect ``on_user_retire`` to the platform's signal, if there is one; True if connected."""
    return retirement.connect(on_user_retire, DISPATCH_UID, signal)
