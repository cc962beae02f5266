"""Cohort statistics (pure) and their database query (store.cohort_stats)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devisus_xblocks.positioning import store
from devisus_xblocks.positioning.aggregates import CohortStats
from devisus_xblocks.positioning.answers import Answers
from devisus_xblocks.positioning.constants import MIN_COHORT

KEY = store.RoundKey("course-v1:Org+C+1", "devisus-principles", "before")


def test_distribution_counts_and_mean():
    stats = CohortStats.from_rows(4, [("Pr1", 1, 1), ("Pr1", 4, 2), ("Pr1", 5, 1), ("Pr2", 3, 4), ("Pr1", 9, 7)])
    assert stats.counts("Pr1") == (1, 0, 0, 2, 1)
    assert stats.answered("Pr1") == 4
    assert stats.mean("Pr1") == pytest.approx((1 + 8 + 5) / 4)
    assert stats.mean("Pr2") == 3
    assert stats.counts("Pr3") == (0, 0, 0, 0, 0)
    assert stats.mean("Pr3") is None


def test_learners_see_the_average_only_from_the_privacy_floor():
    assert MIN_COHORT == 5
    rows = [("Pr1", 2, 4)]
    assert CohortStats.from_rows(4, rows).learner_mean("Pr1") is None
    assert CohortStats.from_rows(4, rows).mean("Pr1") == 2  # staff still see it
    assert CohortStats.from_rows(5, rows + [("Pr1", 4, 1)]).learner_mean("Pr1") == pytest.approx(2.4)


def _answers(**ratings):
    return Answers(dict(ratings), {})


@pytest.mark.django_db
def test_cohort_stats_count_submitted_answers_of_one_course_framework_and_round():
    store.submit(KEY, "a", _answers(Pr1=1, Pr2=5))
    store.submit(KEY, "b", _answers(Pr1=3, Pr2=5))
    store.save_draft(KEY, "c", _answers(Pr1=5))  # a draft does not count
    store.submit(store.RoundKey(KEY.course_key, KEY.framework_id, "after"), "a", _answers(Pr1=4))
    store.submit(store.RoundKey("course-v1:Org+Other+1", KEY.framework_id, "before"), "d", _answers(Pr1=5))
    store.submit(store.RoundKey(KEY.course_key, "devisus-competences", "before"), "e", _answers(T1=5))

    stats = store.cohort_stats(KEY.course_key, KEY.framework_id)

    assert stats["before"].respondents == 2
    assert stats["before"].counts("Pr1") == (1, 0, 1, 0, 0)
    assert stats["before"].counts("Pr2") == (0, 0, 0, 0, 2)
    assert stats["after"].respondents == 1
    assert stats["after"].counts("Pr1") == (0, 0, 0, 1, 0)


@pytest.mark.django_db
def test_cohort_stats_cost_two_queries_whatever_the_cohort_size():
    def cost():
        with CaptureQueriesContext(connection) as queries:
            store.cohort_stats(KEY.course_key, KEY.framework_id)
        return len(queries)

    store.submit(KEY, "first", _answers(Pr1=2))
    small = cost()
    for number in range(30):
        store.submit(KEY, f"learner-{number}", _answers(Pr1=number % 5 + 1, Pr2=3))
    assert cost() == small == 2
