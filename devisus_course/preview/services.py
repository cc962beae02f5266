"""The preview's user service: simulated learners and staff, shaped like the LMS's.

The xblock-sdk workbench only knows a user id (``?student=<id>``). This service exposes the same
``edx-platform.*`` attributes the LMS does (anonymous id, username, staff flag), so the blocks
run one code path in both places. Ids listed in ``DEVISUS_PREVIEW_STAFF`` act as course staff;
``?student=anonymous`` is a visitor who is not signed in.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from xblock.exceptions import UserIdDeprecationWarning
from xblock.reference.user_service import UserService, XBlockUser

ANONYMOUS = "anonymous"
ANONYMOUS_ID_PREFIX = "anon-"


def anonymous_user_id(user_id: str) -> str:
    """The simulated learner's anonymous id, as the LMS gives one per learner and course."""
    return f"{ANONYMOUS_ID_PREFIX}{user_id}"


def user_id_for_anonymous_id(anonymous_id: str) -> str | None:
    """The simulated learner behind an anonymous id of :func:`anonymous_user_id`, or None."""
    return anonymous_id.removeprefix(ANONYMOUS_ID_PREFIX) if anonymous_id.startswith(ANONYMOUS_ID_PREFIX) else None


class PreviewUserService(UserService):
    """Loaded by the workbench runtime (``WORKBENCH['services']``), which sets ``runtime``."""

    runtime = None

    def __init__(self):
        super().__init__(user=None)

    def get_current_user(self) -> XBlockUser:
        with warnings.catch_warnings():
            # The workbench runtime only knows its user through the deprecated ``user_id``.
            warnings.simplefilter("ignore", UserIdDeprecationWarning)
            user_id = str(getattr(self.runtime, "user_id", None) or "student_1")
        if user_id == ANONYMOUS:
            # A visitor who is not signed in: the LMS gives no ids, so blocks must only let them read.
            return XBlockUser(is_current_user=True)
        user = XBlockUser(is_current_user=True, emails=[f"{user_id}@example.org"], full_name=user_id)
        user.opt_attrs.update(
            {
                "xblock-workbench.user_id": user_id,
                "edx-platform.is_authenticated": True,
                "edx-platform.anonymous_user_id": anonymous_user_id(user_id),
                "edx-platform.username": user_id,
                "edx-platform.user_is_staff": user_id in getattr(settings, "DEVISUS_PREVIEW_STAFF", ()),
                "edx-platform.user_role": "staff"
                if user_id in getattr(settings, "DEVISUS_PREVIEW_STAFF", ())
                else "student",
            }
        )
        return user
