"""Fixtures and helpers of the pair-review domain tests (services called directly, real database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from devisus_xblocks.common.identity import Caller
from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
from devisus_xblocks.pair_review.grading.gradebook import RecordingPublisher
from devisus_xblocks.pair_review.models import Submission
from devisus_xblocks.pair_review.pairing import drafts, formation

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THEO, PRAC = "theoretician", "practitioner"


def learner(name: str) -> Caller:
    return Caller(anonymous_id=f"anon-{name}", username=name, is_staff=False)


STAFF = Caller(anonymous_id="anon-trainer", username="trainer", is_staff=True)


def at(minutes: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, days=days)


def assessment(
    settings: ActivitySettings,
    level: str | dict = "proficient",
    comment: str = "A clear strength; one suggestion to go further.",
):
    """Rubric answers: one level for every criterion (or {criterion: level}) and a long-enough comment."""
    choices = {c.id: (level[c.id] if isinstance(level, dict) else level) for c in settings.rubric.criteria}
    comments = {c.id: comment for c in settings.rubric.criteria}
    return choices, comments


@pytest.fixture
def settings_():
    return ActivitySettings()


@pytest.fixture
def activity(db):
    return get_activity("course-v1:DEVISUS+PR+2026", "block-v1:DEVISUS+PR+2026+type@devisus_pair_review+block@capstone")


@pytest.fixture
def publisher():
    return RecordingPublisher()


def make_pair(activity, settings, a: str, b: str, now=None, profiles=(THEO, PRAC)) -> int:
    """Two learners paired automatically (complementary profiles); returns the pair id."""
    for name, profile in zip((a, b), profiles):
        formation.declare_profile(activity, settings, learner(name), profile)
    auto = ActivitySettings(pairing_mode="automatic")
    formation.join_automatic(activity, auto, learner(a), now=now or T0)
    state = formation.join_automatic(activity, auto, learner(b), now=now or T0)
    assert state.status == "paired", state
    return state.pair_id


def submitted_pair(activity, settings, a: str, b: str, now=None, text: str | None = None) -> tuple[int, int]:
    """A pair (a theoretician, b practitioner) that has written and submitted; (pair id, submission id)."""
    now = now or T0
    pair_id = make_pair(activity, settings, a, b, now)
    view = drafts.save_draft(activity, settings, learner(a), pair_id, text or f"Plan of {a} and {b}.", 0, now=now)
    sub = drafts.submit_pair(activity, settings, learner(b), pair_id, expected_version=view.version, now=now)
    return pair_id, sub.submission_id


def counters_consistent(submission_id: int) -> None:
    """The denormalised counters of a submission equal what the assignment rows say."""
    from devisus_xblocks.pair_review.models import Assignment

    s = Submission.objects.get(id=submission_id)
    rows = list(Assignment.objects.filter(submission_id=submission_id).values_list("state", "reviewer_profile"))
    active = [p for st, p in rows if st == "active"]
    done = [p for st, p in rows if st == "done"]
    assert s.lease_count == len(active)
    assert s.review_count == len(done)
    assert s.theoretician_leases == active.count(THEO)
    assert s.practitioner_leases == active.count(PRAC)
    assert s.theoretician_reviews == done.count(THEO)
    assert s.practitioner_reviews == done.count(PRAC)
    assert s.load == len(active) + len(done)
    assert s.has_theoretician == (THEO in active + done)
    assert s.has_practitioner == (PRAC in active + done)
