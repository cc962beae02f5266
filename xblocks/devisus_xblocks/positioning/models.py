"""Self-positioning answers, shared across blocks: one row per learner and round, one per rating.

Blocks cannot read each other's user state, so the "after" block finds the "before" answers
here, keyed by course, learner (anonymous id), framework id and round. Ratings live in their own
table so the cohort distribution is one GROUP BY in the database, whatever the cohort size.

Index sizes stay within MariaDB's 3072-byte key limit in utf8mb4 (4 bytes a character): the
unique key is (255 + 128 + 64 + 10) * 4 = 1828 bytes.

MySQL's collations compare these keys case- and accent-blind, ignoring trailing spaces and
control characters, so the code keeps them collation-proof (``common/keys.py``): learners are
``learner_key`` forms, framework ids lowercase ASCII (``config``), custom item codes ASCII and
distinct by more than capitals (``items.parse_custom_items``).
"""

from __future__ import annotations

import django
from django.db import models

from .constants import (
    COURSE_KEY_LENGTH,
    FRAMEWORK_ID_LENGTH,
    ITEM_CODE_LENGTH,
    LEARNER_LENGTH,
    MAX_RATING,
    MIN_RATING,
    ROUND_AFTER,
    ROUND_BEFORE,
    STATUS_DRAFT,
    STATUS_SUBMITTED,
)

# Django 5.1 renamed CheckConstraint(check=...) to condition=...; the package supports 4.2 too.
_CONDITION = "condition" if django.VERSION >= (5, 1) else "check"


def rating_range_constraint(name: str) -> models.CheckConstraint:
    """A rating is empty (a draft with only a justification) or from 1 to 5."""
    condition = models.Q(rating__isnull=True) | models.Q(rating__gte=MIN_RATING, rating__lte=MAX_RATING)
    return models.CheckConstraint(name=name, **{_CONDITION: condition})


class Positioning(models.Model):
    """One learner's answers to one round ("before"/"after") of one framework in one course."""

    ROUND_CHOICES = [(ROUND_BEFORE, "before"), (ROUND_AFTER, "after")]
    STATUS_CHOICES = [(STATUS_DRAFT, "draft"), (STATUS_SUBMITTED, "submitted")]

    course_key = models.CharField(max_length=COURSE_KEY_LENGTH)
    learner = models.CharField(max_length=LEARNER_LENGTH, help_text="The learner's anonymous user id.")
    framework_id = models.CharField(max_length=FRAMEWORK_ID_LENGTH)
    round = models.CharField(max_length=10, choices=ROUND_CHOICES)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=STATUS_DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "learner", "framework_id", "round"],
                name="devisus_pos_one_per_round",
            ),
        ]
        indexes = [
            # The cohort aggregate: submitted answers of one framework and round in a course.
            models.Index(fields=["course_key", "framework_id", "round", "status"], name="devisus_pos_cohort"),
            # Retirement deletes by learner across courses.
            models.Index(fields=["learner"], name="devisus_pos_learner"),
        ]

    def __str__(self):
        return f"{self.course_key} {self.framework_id} {self.round} {self.learner} ({self.status})"


class PositioningRating(models.Model):
    """One item of a positioning: its rating (1-5; empty in a draft) and optional justification."""

    positioning = models.ForeignKey(Positioning, on_delete=models.CASCADE, related_name="ratings")
    item_code = models.CharField(max_length=ITEM_CODE_LENGTH)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    justification = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["positioning", "item_code"], name="devisus_pos_one_rating_per_item"),
            rating_range_constraint("devisus_pos_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.item_code}={self.rating}"
