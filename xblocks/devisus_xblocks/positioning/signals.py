"""Retirement (GDPR): delete a retired learner's positionings.

The LMS sends ``USER_RETIRE_LMS_MISC`` with the retired ``user``; the plugin framework connects
``on_user_retire`` to it (``apps.PositioningConfig.plugin_app``), and ``connect_retirement``
does the same from ``ready()`` where the signal module is importable. The rows are keyed by
anonymous ids, which the LMS maps to users in ``AnonymousUserId``.
"""
from __future__ import annotations

import logging

from .store import retire_learner

log = logging.getLogger(__name__)

RETIREMENT_SIGNAL = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"
DISPATCH_UID = "devisus_positioning.signals.on_user_retire"


def anonymous_ids_of(user) -> list[str]:
    """Every anonymous id the LMS ever gave ``user`` (empty outside the LMS)."""
    try:
        from common.djangoapps.student.models import AnonymousUserId
    except ImportError:
        return []
    return list(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True))


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
    if signal is None:
        try:
            from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC as signal
        except ImportError:
            return False
    signal.connect(on_user_retire, dispatch_uid=DISPATCH_UID)
    return True
