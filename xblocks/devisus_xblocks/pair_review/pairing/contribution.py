"""Each member's statement of what they brought to a joint work, read by the teaching team only.

Both members of a pair get the pair's grade; the statement lets the teaching team see who did
what (round-1 SSE trainer review, sse_trainer-24) and, where a member's contribution is plainly
missing, adjust that member's grade. The pair tool keeps one grade per pair; a single learner's
grade is changed with the platform's writable gradebook, which overrides one learner's subsection
grade (lms/djangoapps/grades/rest_api/v1/gradebook_views.py, ``GradebookBulkUpdateView``). A
member writes it after the pair has submitted, and may change it until the review deadline.
"""

from __future__ import annotations

from datetime import datetime

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import ActivitySettings, require_caller, resolve_now
from ..models import Activity, SubmissionMember

MAX_LENGTH = 1_000


def save_contribution(
    activity: Activity, settings: ActivitySettings, caller: Caller, text: str, now: datetime | None = None
) -> str:
    """Store the caller's statement on their submission of this activity; returns it as kept.

    Errors: 400 too long; 409 nothing submitted yet, or the review period is over.
    """
    require_caller(caller)
    now = resolve_now(now)
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ServiceError(noop("Your statement is too long: %(max)s characters at most."), status=400, max=MAX_LENGTH)
    if settings.review_due is not None and now > settings.review_due:
        raise ServiceError(noop("The review period has ended: your statement can no longer be changed."), status=409)
    changed = SubmissionMember.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).update(
        contribution=text
    )
    if not changed:
        raise ServiceError(noop("Your pair has not submitted its work yet."), status=409)
    return text
