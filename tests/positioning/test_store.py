"""Storing positionings: drafts, submission, rounds, retirement (database, no runtime)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.positioning import store
from devisus_xblocks.positioning.answers import Answers
from devisus_xblocks.positioning.models import Positioning, PositioningRating

from .conftest import db_snapshot

COURSE = "course-v1:Org+C+1"
BEFORE = store.RoundKey(COURSE, "devisus-principles", "before")
AFTER = store.RoundKey(COURSE, "devisus-principles", "after")

pytestmark = pytest.mark.django_db


def test_a_draft_is_replaced_by_the_next_one_then_submitted():
    store.save_draft(BEFORE, "anon-a", Answers({"Pr1": 2, "Pr2": 3}, {"Pr1": "first"}))
    store.save_draft(BEFORE, "anon-a", Answers({"Pr2": 4}, {"Pr3": "only a justification"}))
    record = store.rounds_of(COURSE, "devisus-principles", "anon-a")["before"]
    assert record.status == "draft"
    assert record.answers.ratings == {"Pr2": 4}
    assert record.answers.justifications == {"Pr3": "only a justification"}

    submitted = store.submit(BEFORE, "anon-a", Answers({"Pr1": 1, "Pr2": 5}, {}))
    assert submitted.submitted and submitted.submitted_at is not None
    assert Positioning.objects.count() == 1
    assert PositioningRating.objects.count() == 2


def test_a_submitted_positioning_cannot_change():
    store.submit(BEFORE, "anon-a", Answers({"Pr1": 1}, {}))
    before = db_snapshot()
    for write in (store.save_draft, store.submit):
        with pytest.raises(ServiceError) as caught:
            write(BEFORE, "anon-a", Answers({"Pr1": 5}, {}))
        assert caught.value.status == 409
    assert db_snapshot() == before


def test_rounds_are_kept_apart_and_read_together():
    store.submit(BEFORE, "anon-a", Answers({"Pr1": 1}, {"Pr1": "before"}))
    store.save_draft(AFTER, "anon-a", Answers({"Pr1": 4}, {}))
    store.submit(BEFORE, "anon-b", Answers({"Pr1": 5}, {}))
    store.submit(store.RoundKey(COURSE, "devisus-competences", "before"), "anon-a", Answers({"T1": 2}, {}))
    with CaptureQueriesContext(connection) as queries:
        rounds = store.rounds_of(COURSE, "devisus-principles", "anon-a")
    assert len(queries) == 2
    assert set(rounds) == {"before", "after"}
    assert rounds["before"].answers.ratings == {"Pr1": 1} and rounds["before"].submitted
    assert rounds["after"].answers.ratings == {"Pr1": 4} and not rounds["after"].submitted
    assert store.rounds_of(COURSE, "devisus-principles", "anon-nobody") == {}


def test_the_database_refuses_out_of_range_ratings_and_duplicates():
    positioning = Positioning.objects.create(course_key=COURSE, learner="x", framework_id="f", round="before")
    with pytest.raises(IntegrityError), transaction.atomic():
        PositioningRating.objects.create(positioning=positioning, item_code="Pr1", rating=6)
    PositioningRating.objects.create(positioning=positioning, item_code="Pr1", rating=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PositioningRating.objects.create(positioning=positioning, item_code="Pr1", rating=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Positioning.objects.create(course_key=COURSE, learner="x", framework_id="f", round="before")


def test_retirement_deletes_only_the_learners_rows():
    for learner in ("anon-a", "anon-a-other-course", "anon-b"):
        store.submit(BEFORE, learner, Answers({"Pr1": 2}, {"Pr1": f"{learner} wrote this"}))
    store.save_draft(AFTER, "anon-a", Answers({"Pr1": 3}, {}))

    assert store.retire_learner(["anon-a", "anon-a-other-course", ""]) == 3

    assert list(Positioning.objects.values_list("learner", flat=True)) == ["anon-b"]
    assert list(PositioningRating.objects.values_list("justification", flat=True)) == ["anon-b wrote this"]
    assert store.retire_learner([]) == 0
    assert store.retire_learner(["anon-unknown"]) == 0
