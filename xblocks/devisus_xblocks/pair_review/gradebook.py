"""How pair grades reach the Open edX gradebook, behind a small interface.

``runtime.publish(block, "grade", ...)`` only grades the requesting user, so a pair's grade
(for *both* members, and for trainer overrides) goes through edx-submissions, as ORA2 and
edx-sga do: one edx-submissions "submission" per member and block, then ``set_score``; the LMS
turns the ``score_set`` signal into a gradebook update.

- :class:`SubmissionsPublisher`: the LMS implementation (``submissions.api``; needs the
  ``submissions`` Django app, which every Open edX LMS has).
- :class:`RecordingPublisher`: records what would be published; used by the workbench preview
  (which has no gradebook) and by tests. It is a real implementation, not a mock.
- :func:`default_publisher`: the submissions one when the app is installed, otherwise the
  preview's process-wide recording publisher.

Publishers are called from inside the service transaction, after the grade row is written; a
publish may be repeated (a retried transaction), so implementations set the *latest* score.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

ITEM_TYPE = "devisus_pair_review"
POINTS_POSSIBLE = 100


@dataclass(frozen=True)
class PublishedGrade:
    course_key: str
    block_key: str
    anonymous_id: str
    score: float  # fraction in [0, 1]
    source: str  # peer | flexible | trainer | override
    pair_id: int
    submission_id: int
    by: str = ""  # anonymous id of the trainer, for overrides and trainer grades
    reason: str = ""  # the override's reason


@runtime_checkable
class GradePublisher(Protocol):
    def publish(self, grade: PublishedGrade) -> None:
        """Set ``grade.score`` as the learner's score for the block (replacing any earlier one)."""


class RecordingPublisher:
    """Keeps every publish in ``calls`` and the latest score per learner in ``scores``."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls: list[PublishedGrade] = []
        self.scores: dict[tuple[str, str, str], float] = {}

    def publish(self, grade: PublishedGrade) -> None:
        with self._lock:
            self.calls.append(grade)
            self.scores[(grade.course_key, grade.block_key, grade.anonymous_id)] = grade.score

    def score_of(self, course_key: str, block_key: str, anonymous_id: str) -> float | None:
        with self._lock:
            return self.scores.get((course_key, block_key, anonymous_id))


class SubmissionsPublisher:
    """Publishes through edx-submissions (``create_submission`` once per learner, then ``set_score``)."""

    def __init__(self, points_possible: int = POINTS_POSSIBLE, item_type: str = ITEM_TYPE):
        self.points_possible = points_possible
        self.item_type = item_type

    def publish(self, grade: PublishedGrade) -> None:
        from submissions import api  # edx-submissions: present in the LMS, optional elsewhere

        student_item = {
            "student_id": grade.anonymous_id,
            "course_id": grade.course_key,
            "item_id": grade.block_key,
            "item_type": self.item_type,
        }
        existing = api.get_submissions(student_item, limit=1)
        if existing:
            uuid = existing[0]["uuid"]
        else:
            answer = {"pair_id": grade.pair_id, "submission_id": grade.submission_id}
            uuid = api.create_submission(student_item, answer)["uuid"]
        points = round(max(0.0, min(1.0, grade.score)) * self.points_possible)
        annotation = {}
        if grade.source == "override":
            annotation = {"annotation_creator": grade.by or "staff", "annotation_type": "staff_override",
                          "annotation_reason": grade.reason[:1000]}
        elif grade.source == "trainer":
            annotation = {"annotation_creator": grade.by or "staff", "annotation_type": "staff_grade",
                          "annotation_reason": ""}
        api.set_score(uuid, points, self.points_possible, **annotation)


PREVIEW_PUBLISHER = RecordingPublisher()


def submissions_available() -> bool:
    from django.apps import apps

    return apps.is_installed("submissions")


def default_publisher() -> GradePublisher:
    """edx-submissions where its app is installed (the LMS), else the preview's recorder."""
    return SubmissionsPublisher() if submissions_available() else PREVIEW_PUBLISHER
