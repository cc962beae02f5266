"""Grades the pair-review block published, read back from edx-submissions.

The preview installs edx-submissions (ORA2, the module 5 workshop, needs it), so the block
publishes through the real gradebook path there, as in the LMS (gradebook.default_publisher).
"""

from __future__ import annotations

from dataclasses import dataclass

from submissions.models import Score

# Score annotations the publisher writes (gradebook.SubmissionsPublisher); none: learners' reviews.
SOURCES = {"staff_override": "override", "staff_grade": "trainer"}


@dataclass(frozen=True)
class Published:
    anonymous_id: str
    score: float
    source: str
    reason: str


def published_since(start: int) -> list[Published]:
    """Every score set after the Score row ``start`` (see :func:`last_score_id`), in order."""
    found = []
    for score in Score.objects.filter(id__gt=start, reset=False).select_related("student_item").order_by("id"):
        annotation = score.scoreannotation_set.first()
        found.append(
            Published(
                anonymous_id=score.student_item.student_id,
                score=score.points_earned / score.points_possible,
                source=SOURCES.get(annotation.annotation_type, "peer") if annotation else "peer",
                reason=annotation.reason if annotation else "",
            )
        )
    return found


def last_score_id() -> int:
    latest = Score.objects.order_by("-id").values_list("id", flat=True).first()
    return latest or 0
