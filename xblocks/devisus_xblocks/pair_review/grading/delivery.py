"""How the grades of a flexible-grading sweep reach the gradebook: in the request, or from the
platform's Celery workers.

The sweep itself (``grading.apply_flexible_grading``) is set-based: a fixed number of queries
whatever the number of works due. Publishing is not: in the LMS each member's grade goes through
edx-submissions (a few queries each). With ``DEVISUS_PAIR_REVIEW_PUBLISH_IN_WORKERS = True`` in
the LMS settings, the request only queues one task (``tasks.publish_graded_submissions``) once
its transaction commits, and a worker publishes; the LMS's Celery app finds the task in this
plugin app (``APP.autodiscover_tasks()``, openedx/core/lib/celery/__init__.py). Without it (or
without Celery, e.g. in the preview) the grades are published at once, as before.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import transaction

from ..models import Submission, SubmissionMember
from .gradebook import GradePublisher, PublishedGrade, default_publisher

IN_WORKERS_SETTING = "DEVISUS_PAIR_REVIEW_PUBLISH_IN_WORKERS"


def in_workers() -> bool:
    """Whether grades are published by the platform's workers (the setting, and Celery there)."""
    if not getattr(django_settings, IN_WORKERS_SETTING, False):
        return False
    try:
        import celery  # noqa: F401 - the platform's workers run Celery
    except ImportError:
        return False
    return True


def deliver(submission_ids: list[int], points: int, publisher: GradePublisher | None = None) -> None:
    """Publish the grades of these just-graded submissions to each member: queued for a worker
    once the transaction commits (see the module's docstring), or now. An explicit ``publisher``
    (tests, the preview) is always called now."""
    if not submission_ids:
        return
    if publisher is None and in_workers():
        from ..tasks import publish_graded_submissions

        ids = list(submission_ids)
        transaction.on_commit(lambda: publish_graded_submissions.delay(ids, points))
        return
    publish(submission_ids, points, publisher or default_publisher())


def publish(submission_ids: list[int], points: int, publisher: GradePublisher) -> int:
    """Publish the stored grade of each submission to each of its members (two reads, then the
    publisher's own cost per member); returns how many grades were published. A submission whose
    grade went away meanwhile (a trainer's change) is skipped: its own change published it."""
    rows = {
        submission_id: (course_key, block_key, pair_id, grade, source)
        for submission_id, course_key, block_key, pair_id, grade, source in Submission.objects.filter(
            id__in=submission_ids, grade__isnull=False
        ).values_list("id", "activity__course_key", "activity__block_key", "pair_id", "grade", "grade_source")
    }
    published = 0
    for submission_id, anonymous_id in (
        SubmissionMember.objects.filter(submission_id__in=list(rows))
        .order_by("id")
        .values_list("submission_id", "anonymous_id")
    ):
        course_key, block_key, pair_id, grade, source = rows[submission_id]
        publisher.publish(
            PublishedGrade(
                course_key=course_key,
                block_key=block_key,
                anonymous_id=anonymous_id,
                score=grade,
                source=source,
                pair_id=pair_id,
                submission_id=submission_id,
                points_possible=points,
            )
        )
        published += 1
    return published
