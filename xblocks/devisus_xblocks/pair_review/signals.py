"""Signal receivers of the plugin app: the LMS's retirement signal.

``USER_RETIRE_LMS_MISC`` lives in the LMS (``openedx.core.djangoapps.user_api.accounts.signals``)
and is sent as ``send(sender=..., user=<User>)``. The receiver is declared in the app's
``plugin_app`` (edx-django-utils connects it in the LMS) and is also connected lazily by
``PairReviewConfig.ready()`` when the signal is importable, with the same ``dispatch_uid``, so
it is connected once. Elsewhere (Studio, the workbench) nothing is connected.
"""
from __future__ import annotations

import logging

from .retirement import retire_learner, retire_username

log = logging.getLogger(__name__)

SIGNAL_PATH = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"
DISPATCH_UID = "devisus_xblocks.pair_review.signals.on_user_retire"


def _lms_anonymous_ids(user) -> list[str]:
    """Every per-course anonymous id the LMS issued to ``user`` (none outside the LMS)."""
    try:
        from common.djangoapps.student.models import AnonymousUserId
    except ImportError:
        try:
            from student.models import AnonymousUserId  # older releases
        except ImportError:
            return []
    return list(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True))


def on_user_retire(sender=None, user=None, **kwargs):
    """Remove the retiring user's personal data from the pair-review models."""
    if user is None:
        return
    changed = sum(retire_learner(anonymous_id) for anonymous_id in _lms_anonymous_ids(user))
    changed += retire_username(getattr(user, "username", "") or "")
    log.info("pair review: retired user %s (%s rows)", getattr(user, "id", "?"), changed)


def connect_retirement_receiver(signal=None) -> bool:
    """Connect :func:`on_user_retire` to ``signal`` (default: the LMS's, if importable)."""
    if signal is None:
        try:
            from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC as signal
        except ImportError:
            return False
    signal.connect(on_user_retire, dispatch_uid=DISPATCH_UID)
    return True
