"""Celery tasks of the pair-review app, run by the platform's workers (the LMS's Celery app
autodiscovers ``tasks`` modules of installed apps: openedx/core/lib/celery/__init__.py).
Imported only where Celery is installed (see ``grade_delivery``)."""

from __future__ import annotations

from celery import shared_task

from .grading.gradebook import default_publisher


@shared_task(name="devisus_xblocks.pair_review.publish_graded_submissions", ignore_result=True)
def publish_graded_submissions(submission_ids: list[int], points: int) -> int:
    """Publish grades stored in the request that queued this task (``grading.delivery.deliver``):
    a flexible-grading sweep's, or a peer review's that completed a work's reviews."""
    from .grading.delivery import publish

    return publish(submission_ids, points, default_publisher())
