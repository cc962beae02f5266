"""Who is calling: the learner's anonymous id, display name and staff role, from the user service.

The LMS fills the ``edx-platform.*`` attributes; the preview's user service (see
``devisus_course/preview/services.py``) fills the same ones, so blocks have one code path.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    anonymous_id: str
    username: str
    is_staff: bool


def caller_of(block) -> Caller | None:
    """The requesting user, or None for an anonymous visitor (who may only read)."""
    user = block.runtime.service(block, "user").get_current_user()
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
        anonymous_id=str(anonymous_id),
        username=str(username or anonymous_id),
        is_staff=bool(attrs.get("edx-platform.user_is_staff")),
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
