"""Retiring a learner (GDPR): remove or anonymise their personal data in this app.

What :func:`retire_learner` does, for one anonymous id, in every activity:

- the anonymous id is replaced everywhere by a placeholder (``retired-<hash>``: the same for all
  of this learner's rows, so pairs, reviews and counters stay consistent; not reversible);
- their username is blanked and they leave the automatic-pairing queue;
- the comments of every review they wrote (peer, or as trainer) are erased; the levels they
  chose stay, so the grades of the pairs they reviewed do not change;
- the comments they wrote when rating reviews are erased (the 1-5 rating stays);
- the username recorded with any grade override they made is blanked (the reason, written about
  the pair's grade, stays);
- their pair's draft and submission stay: that text is the joint work of the pair and still
  belongs to the partner; only the record of which member saved or submitted it is anonymised.

Grades already published to the gradebook are the platform's to retire (edx-submissions).
"""

from __future__ import annotations

import hashlib

from django.db.models import Q

from ..common.keys import is_learner_key
from .db import atomic
from .models import (
    AccuracySample,
    Assignment,
    Draft,
    GradeOverride,
    Membership,
    Participant,
    Review,
    Submission,
    SubmissionMember,
)

PREFIX = "retired-"


def retired_id(anonymous_id: str) -> str:
    return PREFIX + hashlib.sha256(anonymous_id.encode("utf-8")).hexdigest()[:32]


def retire_learner(anonymous_id: str) -> int:
    """Anonymise every row of the learner with this anonymous id; returns the rows changed."""
    anonymous_id = str(anonymous_id or "")
    if not is_learner_key(anonymous_id) or anonymous_id.startswith(PREFIX):
        return 0  # not a stored key: on MariaDB "ANON-A" would retire "anon-a"
    placeholder = retired_id(anonymous_id)

    def body():
        changed = Participant.objects.filter(anonymous_id=anonymous_id).update(
            anonymous_id=placeholder, username="", waiting_since=None
        )
        changed += Membership.objects.filter(anonymous_id=anonymous_id).update(anonymous_id=placeholder)
        changed += SubmissionMember.objects.filter(anonymous_id=anonymous_id).update(anonymous_id=placeholder)
        changed += Draft.objects.filter(saved_by=anonymous_id).update(saved_by=placeholder)
        changed += Submission.objects.filter(submitted_by=anonymous_id).update(submitted_by=placeholder)
        changed += Submission.objects.filter(removed_by=anonymous_id).update(removed_by=placeholder)
        changed += Assignment.objects.filter(reviewer_key=anonymous_id).update(reviewer_key=placeholder)
        changed += Review.objects.filter(reviewer_key=anonymous_id).update(reviewer_key=placeholder, comments={})
        changed += Review.objects.filter(rated_by=anonymous_id).update(rated_by=placeholder, helpfulness_comment="")
        changed += AccuracySample.objects.filter(reviewer_key=anonymous_id).update(reviewer_key=placeholder)
        changed += GradeOverride.objects.filter(by=anonymous_id).update(by=placeholder, by_username="")
        return changed

    return atomic(body)


def retire_username(username: str) -> int:
    """Retire every learner known here under ``username`` (for callers that only know the user)."""
    if not username:
        return 0
    # MariaDB's collations match "Ana" or "ana " for "ana": retire only the exact username.
    rows = Participant.objects.filter(username=username).values_list("anonymous_id", "username")
    ids = {anonymous_id for anonymous_id, stored in rows if stored == username}
    changed = sum(retire_learner(anonymous_id) for anonymous_id in ids)
    overrides = GradeOverride.objects.filter(Q(by_username=username)).values_list("id", "by_username")
    exact = [row_id for row_id, stored in overrides if stored == username]
    if exact:
        changed += GradeOverride.objects.filter(id__in=exact).update(by_username="")
    return changed
