"""The formulas of accuracy.py: agreement with a reference, weighted median, weights, spread."""

from __future__ import annotations

import random
import statistics

import pytest

from devisus_xblocks.pair_review.reviewing.accuracy import (
    MIN_WEIGHT,
    agreement,
    reviewer_weights,
    spread,
    weighted_median,
)
from devisus_xblocks.pair_review.reviewing.rubric import default_rubric

RUBRIC = default_rubric("en")  # five criteria, 1 to 4 points, weights 20/20/25/20/15


def points(value):
    return {c.id: value for c in RUBRIC.criteria}


def test_agreement_is_one_for_the_same_assessment_and_zero_for_opposite_ends():
    assert agreement(RUBRIC, points(3), points(3)) == 1.0
    assert agreement(RUBRIC, points(4), points(0)) == 0.0


def test_agreement_weighs_each_criterion_by_its_weight():
    given = points(3)
    given["c3"] = 1  # 2 points off on the 25 % criterion, out of 4: 0.5 × 25 / 100
    assert agreement(RUBRIC, given, points(3)) == pytest.approx(1 - 0.125)
    given = points(3)
    given["c5"] = 1  # the same gap on the 15 % criterion weighs less
    assert agreement(RUBRIC, given, points(3)) == pytest.approx(1 - 0.075)


def test_agreement_needs_a_shared_criterion():
    assert agreement(RUBRIC, {"c1": 2}, {"c2": 2}) is None


def test_equal_weights_give_the_plain_median():
    generator = random.Random(2026)
    for _ in range(500):
        values = [generator.randint(0, 4) for _ in range(generator.randint(1, 7))]
        assert weighted_median((v, 1.0) for v in values) == pytest.approx(statistics.median(values)), values


def test_an_accurate_reviewer_outweighs_an_inaccurate_one():
    assert weighted_median([(1, 0.5), (4, 1.0)]) == 4
    assert weighted_median([(1, 1.0), (4, 0.5)]) == 1
    assert weighted_median([(1, 0.2), (2, 0.2), (4, 1.0)]) == 4
    assert weighted_median([(1, 0.5), (2, 0.5), (4, 1.0)]) == 3  # exactly half below: mean of 2 and 4


def test_a_zero_accuracy_still_counts_a_little():
    assert weighted_median([(1, 0.0)]) == 1
    assert weighted_median([(1, 0.0), (3, 0.0)]) == 2  # both at MIN_WEIGHT: plain median
    assert MIN_WEIGHT > 0


def test_no_value_no_median():
    assert weighted_median([]) is None


def test_reviewers_without_accuracy_weigh_the_mean_of_the_known_ones():
    assert reviewer_weights(["a", "b", "c"], {"a": 1.0, "b": 0.5}) == {"a": 1.0, "b": 0.5, "c": 0.75}
    assert reviewer_weights(["a", "b"], {}) == {"a": 1.0, "b": 1.0}


def test_spread_in_percentage_points():
    assert spread([0.25, 1.0, 0.5]) == 75.0
    assert spread([0.6]) == 0.0
    assert spread([]) == 0.0
