"""Plumbing for GDPR retirement, shared by the plugin apps.

The LMS sends ``USER_RETIRE_LMS_MISC`` (``send(sender=..., user=<User>)``) when a learner is
retired. Each app declares its receiver in ``plugin_app`` (edx-django-utils connects it in the
LMS) and also connects it from ``ready()`` where the signal is importable, with the same
``dispatch_uid``, so it is connected exactly once. Rows are keyed by anonymous ids, which the
LMS maps to users in ``AnonymousUserId``.
"""

from __future__ import annotations

from .keys import learner_key

SIGNAL_PATH = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"


def plugin_signals_config(dispatch_uid: str) -> dict:
    """The ``signals_config`` entry of an app's ``plugin_app`` for its ``on_user_retire``."""
    receiver = {"receiver_func_name": "on_user_retire", "signal_path": SIGNAL_PATH, "dispatch_uid": dispatch_uid}
    return {"lms.djangoapp": {"relative_path": "signals", "receivers": [receiver]}}


def lms_anonymous_ids(user) -> list[str]:
    """Every per-course anonymous id the LMS issued to ``user`` (none outside the LMS)."""
    try:
        from common.djangoapps.student.models import AnonymousUserId
    except ImportError:
        try:
            from student.models import AnonymousUserId  # older releases
        except ImportError:
            return []
    ids = AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True)
    return [learner_key(anonymous_id) for anonymous_id in ids]  # as ``identity.caller_of`` stores them


def connect(receiver, dispatch_uid: str, signal=None) -> bool:
    """Connect ``receiver`` to ``signal`` (default: the LMS's, if importable); True if connected."""
    if signal is None:
        try:
            from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC as signal
        except ImportError:
            return False
    signal.connect(receiver, dispatch_uid=dispatch_uid)
    return True
