"""Signal receivers of the plugin app: the LMS's retirement signal (see common/retirement.py)."""

from __future__ import annotations

import logging

from ..common import retirement
from .retirement import retire_learner, retire_username

log = logging.getLogger(__name__)

SIGNAL_PATH = retirement.SIGNAL_PATH
DISPATCH_UID = "devisus_xblocks.pair_review.signals.on_user_retire"


def on_user_retire(sender=None, user=None, **kwargs):
    """Remove the retiring user's personal data from the pair-review models."""
    if user is None:
        return
    changed = sum(retire_learner(anonymous_id) for anonymous_id in retirement.lms_anonymous_ids(user))
    changed += retire_username(getattr(user, "username", "") or "")
    log.info("pair review: retired user %s (%s rows)", getattr(user, "id", "?"), changed)


def connect_retirement_receiver(signal=None) -> bool:
    return retirement.connect(on_user_retire, DISPATCH_UID, signal)
