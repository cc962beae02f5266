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
publish may be repeated (a retried transaction), so implementations set the *latest* score, and
only when the gradebook does not already hold it: what is published is read from edx-submissions
itself, never from a copy of ours (an instructor may have reset the learner's score since, from the
instructor dashboard: lms/djangoapps/instructor/enrollment.py, ``reset_student_attempts``).
When a pair's grade goes away (an override cleared with no other grade), :meth:`reset` takes the
score out of the gradebook (``submissions.api.reset_score``, as the LMS does on a reset).
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
    points_possible: int = POINTS_POSSIBLE  # the block's ``points`` setting

    @property
    def points_earned(self) -> int:
        return round(max(0.0, min(1.0, self.score)) * self.points_possible)


@runtime_checkable
class GradePublisher(Protocol):
    def publish(self, grade: PublishedGrade) -> None:
        """Set ``grade.score`` as the learner's score for the block (replacing any earlier one)."""

    def reset(self, course_key: str, block_key: str, anonymous_id: str) -> None:
        """Take the learner's score for the block out of the gradebook (no grade any more)."""


class RecordingPublisher:
    """Keeps every publish in ``calls`` and the latest score per learner in ``scores``."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls: list[PublishedGrade] = []
        self.resets: list[tuple[str, str, str]] = []
        self.scores: dict[tuple[str, str, str], float] = {}
        self.points: dict[tuple[str, str, str], tuple[int, int]] = {}

    def publish(self, grade: PublishedGrade) -> None:
        key = (grade.course_key, grade.block_key, grade.anonymous_id)
        with self._lock:
            self.calls.append(grade)
            self.scores[key] = grade.score
            self.points[key] = (grade.points_earned, grade.points_possible)

    def reset(self, course_key: str, block_key: str, anonymous_id: str) -> None:
        key = (course_key, block_key, anonymous_id)
        with self._lock:
            self.resets.append(key)
            self.scores.pop(key, None)
            self.points.pop(key, None)

    def score_of(self, course_key: str, block_key: str, anonymous_id: str) -> float | None:
        with self._lock:
            return self.scores.get((course_key, block_key, anonymous_id))


class SubmissionsPublisher:
    """Publishes through edx-submissions (``create_submission`` once per learner, then ``set_score``)."""

    def __init__(self, item_type: str = ITEM_TYPE):
        self.item_type = item_type

    def publish(self, grade: PublishedGrade) -> None:
        from submissions import api  # edx-submissions: present in the LMS, optional elsewhere

        student_item = {
            "student_id": grade.anonymous_id,
            "course_id": grade.course_key,
            "item_id": grade.block_key,
            "item_type": self.item_type,
        }
        current = api.get_score(student_item)  # None: never scored, or reset since
        if current is not None and (current["points_earned"], current["points_possible"]) == (
            grade.points_earned,
            grade.points_possible,
        ):
            return
        # get_submissions skips the submissions a reset with clear_state deleted: a new one is made
        existing = api.get_submissions(student_item, limit=1)
        if existing:
            uuid = existing[0]["uuid"]
        else:
            answer = {"pair_id": grade.pair_id, "submission_id": grade.submission_id}
            uuid = api.create_submission(student_item, answer)["uuid"]
        annotation = {}
        if grade.source == "override":
            annotation = {
                "annotation_creator": grade.by or "staff",
                "annotation_type": "staff_override",
                "annotation_reason": grade.reason[:1000],
            }
        elif grade.source == "trainer":
            annotation = {
                "annotation_creator": grade.by or "staff",
                "annotation_type": "staff_grade",
                "annotation_reason": "",
            }
        api.set_score(uuid, grade.points_earned, grade.points_possible, **annotation)

    def reset(self, course_key: str, block_key: str, anonymous_id: str) -> None:
        from submissions import api

        api.reset_score(anonymous_id, course_key, block_key)  # no score yet: nothing happens


PREVIEW_PUBLISHER = RecordingPublisher()


def submissions_available() -> bool:
    from django.apps import apps

    return apps.is_installed("submissions")


def default_publisher() -> GradePublisher:
    """edx-submissions where its app is installed (the LMS), else the preview's recorder."""
    return SubmissionsPublisher() if submissions_available() else PREVIEW_PUBLISHER
