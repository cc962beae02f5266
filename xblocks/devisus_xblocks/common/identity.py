"""Who is calling: the learner's anonymous id, display name and staff role, from the user service,
and whether a staff member is masquerading as that learner.

The LMS fills the ``edx-platform.*`` attributes; the preview's user service (see
``devisus_course/preview/services.py``) fills the same ones, so blocks have one code path.
"""

from __future__ import annotations

from dataclasses import dataclass

from .keys import learner_key


@dataclass(frozen=True)
class Caller:
    anonymous_id: str
    username: str
    is_staff: bool
    # A staff member "viewing as a specific learner": the ids above are the learner's.
    masquerading: bool = False


def is_masquerading(user_service) -> bool:
    """True when the request's user is a learner a staff member is masquerading as.

    The user service exposes no masquerade attribute, so this reads what the platform binds:
    - ``lms/djangoapps/courseware/masquerade.py`` (``setup_masquerade``): for "view this course
      as a specific learner" it returns the learner's Django user with ``real_user`` set to the
      staff member (``masquerade_user.real_user = request.user``);
    - ``lms/djangoapps/courseware/block_render.py`` (``get_block_by_usage_id`` then
      ``get_module_system_for_user``): that user is the one the handler's block is bound to,
      and it is given to ``DjangoXBlockUserService(user, ...)``;
    - ``common/djangoapps/xblock_django/user_service.py`` keeps it as ``_django_user``, the
      attribute the platform's own blocks read (``xmodule/discussion_block.py``, ``django_user``);
      its ``opt_attrs`` carry only the learner's ids, and ``user_is_staff`` is False
      (``lms/djangoapps/courseware/access.py``, ``_has_access_to_course``, denies staff access
      while masquerading as a learner).
    The platform protects only its own per-learner field store (``MasqueradingKeyValueStore`` in
    ``masquerade.py``) and grade/completion events (``xmodule/services.py``,
    ``EventPublishingService.publish``), not a block's own tables.
    Elsewhere (workbench, Studio) there is no ``real_user``: never masquerading.
    """
    django_user = getattr(user_service, "_django_user", None)
    real_user = getattr(django_user, "real_user", None)
    if django_user is None or real_user is None or real_user is django_user:
        return False
    return getattr(real_user, "pk", None) != getattr(django_user, "pk", None)


def caller_of(block) -> Caller | None:
    """The requesting user, or None for an anonymous visitor (who may only read)."""
    service = block.runtime.service(block, "user")
    user = service.get_current_user()
    attrs = getattr(user, "opt_attrs", {}) or {}
    if attrs.get("edx-platform.is_authenticated") is False:
        return None
    anonymous_id = attrs.get("edx-platform.anonymous_user_id")
    username = attrs.get("edx-platform.username")
    if not anonymous_id:
        # Plain xblock-sdk workbench: only its own user id attribute is there.
        anonymous_id = username = attrs.get("xblock-workbench.user_id")
    if not anonymous_id:
        return None
    return Caller(
        # The key rows are stored under: the LMS's own id, or a collation-proof form of other ids
        # (``keys.learner_key``: workbench ids "Alice" and "alice" stay two learners on MariaDB).
        anonymous_id=learner_key(str(anonymous_id)),
        username=str(username or anonymous_id),
        is_staff=bool(attrs.get("edx-platform.user_is_staff")),
        masquerading=is_masquerading(service),
    )


def course_key_of(block) -> str:
    """The course the block belongs to ('workbench' where the runtime has no course)."""
    usage_id = block.scope_ids.usage_id
    for attribute in ("context_key", "course_key"):
        key = getattr(usage_id, attribute, None)
        if key:
            return str(key)
    return str(getattr(block.runtime, "course_id", None) or "workbench")


def block_key_of(block) -> str:
    """A stable id of this block in its course, for rows shared between learners."""
    return str(block.scope_ids.usage_id)
