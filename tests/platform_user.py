"""The LMS's user service and its masquerade, reproduced for the workbench.

What the platform does, file by file (openedx/edx-platform):

- ``lms/djangoapps/courseware/masquerade.py``, ``setup_masquerade``: for "view this course as a
  specific learner" it loads the learner's Django ``User`` and sets
  ``masquerade_user.masquerade_settings`` and ``masquerade_user.real_user = request.user``;
- ``lms/djangoapps/courseware/block_render.py``, ``get_block_by_usage_id`` and
  ``get_module_system_for_user``: the handler's block is bound to that user, and the user
  service is ``DjangoXBlockUserService(user, user_is_staff=has_access(user, 'staff', ...),
  user_role=get_user_role(user, course_id), anonymous_user_id=anonymous_id_for_user(user, ...))``;
  ``lms/djangoapps/courseware/access.py`` (``_has_access_to_course``) denies staff access to a
  user masquerading as a learner, so ``user_is_staff`` is False;
- ``common/djangoapps/xblock_django/user_service.py``: the service keeps the Django user as
  ``_django_user`` and fills ``XBlockUser.opt_attrs`` with the ``edx-platform.*`` attributes
  (``is_authenticated`` False and nothing else for an anonymous visitor).

Tests select it with ``settings.WORKBENCH`` (the workbench builds its services per request) and
say who masquerades as whom in ``PlatformUserService.masquerades``. Ids and anonymous ids are
those of the preview's user service, so the learner's data written before is the learner's here.
"""

from __future__ import annotations

import warnings
import zlib

from django.contrib.auth.models import AnonymousUser, User
from xblock.exceptions import UserIdDeprecationWarning
from xblock.reference.user_service import UserService, XBlockUser

from devisus_course.preview.services import ANONYMOUS

STAFF_IDS = ("staff", "trainer")


def django_user(user_id: str) -> User:
    return User(id=zlib.crc32(user_id.encode()) % 1_000_000 + 1, username=user_id, email=f"{user_id}@example.org")


def setup_masquerade(staff_id: str, learner_id: str, course_key: str = "workbench") -> User:
    """The learner's user as ``setup_masquerade`` returns it while ``staff_id`` views as them."""
    staff = django_user(staff_id)
    learner = django_user(learner_id)
    staff.masquerade_settings = {course_key: {"role": "student", "user_name": learner_id}}
    learner.masquerade_settings = staff.masquerade_settings
    learner.real_user = staff
    return learner


class PlatformUserService(UserService):
    """``DjangoXBlockUserService``, bound to the workbench's ``?student=`` id."""

    runtime = None  # set by the workbench runtime
    #: learner id -> id of the staff member viewing the course as that learner
    masquerades: dict[str, str] = {}

    def __init__(self):
        super().__init__()

    @property
    def _django_user(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserIdDeprecationWarning)
            user_id = str(getattr(self.runtime, "user_id", None) or "student_1")
        if user_id == ANONYMOUS:
            return AnonymousUser()
        if user_id in self.masquerades:
            return setup_masquerade(self.masquerades[user_id], user_id)
        return django_user(user_id)

    def get_current_user(self) -> XBlockUser:
        user = self._django_user
        xblock_user = XBlockUser(is_current_user=True)
        if not user.is_authenticated:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
            return xblock_user
        # has_access(user, 'staff') is False while masquerading (access.py), whoever the learner is.
        is_staff = user.username in STAFF_IDS and not hasattr(user, "real_user")
        xblock_user.full_name = user.username
        xblock_user.emails = [user.email]
        xblock_user.opt_attrs.update(
            {
                "edx-platform.anonymous_user_id": f"anon-{user.username}",
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": user.id,
                "edx-platform.username": user.username,
                "edx-platform.user_is_staff": is_staff,
                "edx-platform.user_role": "staff" if is_staff else "student",
            }
        )
        return xblock_user
