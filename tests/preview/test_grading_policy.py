"""The LMS's grade aggregation rules (xmodule/graders.py, lms/djangoapps/grades/), on fixtures."""

from __future__ import annotations

import json

import pytest

from devisus_course.preview.grading_policy import (
    GradingPolicyError,
    SubsectionScore,
    grade,
    load_policy,
    weighted_score,
)


def _policy(tmp_path, grader, cutoffs=None):
    path = tmp_path / "grading_policy.json"
    path.write_text(json.dumps({"GRADER": grader, "GRADE_CUTOFFS": cutoffs or {"Pass": 0.5}}), encoding="utf-8")
    return load_policy(path)


def _sub(fmt, earned, possible=1.0, title="s"):
    return SubsectionScore(title, fmt, earned, possible)


def test_lowest_scores_are_dropped_and_the_rest_averaged(tmp_path):
    policy = _policy(tmp_path, [{"type": "Quiz", "min_count": 4, "drop_count": 1, "weight": 1.0}])
    result = grade(policy, [_sub("Quiz", 1), _sub("Quiz", 0.5), _sub("Quiz", 0), _sub("Quiz", 0.75)])
    quiz = result.types[0]
    assert [slot.dropped for slot in quiz.slots] == [False, False, True, False]
    assert quiz.average == pytest.approx((1 + 0.5 + 0.75) / 3)
    assert result.percent == 0.75


def test_missing_subsections_count_as_zero_up_to_min_count(tmp_path):
    policy = _policy(tmp_path, [{"type": "Quiz", "min_count": 5, "drop_count": 1, "weight": 1.0}])
    result = grade(policy, [_sub("Quiz", 1), _sub("Quiz", 1)])
    quiz = result.types[0]
    assert len(quiz.slots) == 5 and [s.subsection is None for s in quiz.slots] == [False, False, True, True, True]
    # One of the placeholder zeros is dropped (among equal scores, the last one).
    assert [s.dropped for s in quiz.slots] == [False, False, False, False, True]
    assert quiz.average == pytest.approx(2 / 4)


def test_more_subsections_than_min_count_all_count(tmp_path):
    policy = _policy(tmp_path, [{"type": "Quiz", "min_count": 1, "drop_count": 0, "weight": 1.0}])
    result = grade(policy, [_sub("Quiz", 1), _sub("Quiz", 0), _sub("Quiz", 0.5)])
    assert len(result.types[0].slots) == 3 and result.types[0].average == pytest.approx(0.5)


def test_weights_combine_types_and_zero_weight_types_count_for_nothing(tmp_path):
    policy = _policy(
        tmp_path,
        [
            {"type": "Quiz", "min_count": 1, "drop_count": 0, "weight": 0.6},
            {"type": "Practice", "min_count": 2, "drop_count": 0, "weight": 0.0},
            {"type": "Exam", "min_count": 1, "drop_count": 0, "weight": 0.4},
        ],
    )
    result = grade(policy, [_sub("Quiz", 0.5), _sub("Practice", 1), _sub("Practice", 1), _sub("Exam", 1)])
    practice = result.types[1]
    assert practice.average == 1.0 and practice.weighted == 0.0
    assert result.raw_percent == pytest.approx(0.5 * 0.6 + 1.0 * 0.4)
    assert result.percent == 0.7


def test_subsection_percent_uses_weighted_problem_scores():
    # A problem of six responses with weight 1, four right: 4 * 1 / 6 of 1 point.
    earned, possible = weighted_score(4, 6, 1.0)
    assert (round(earned, 4), possible) == (0.6667, 1.0)
    assert weighted_score(3, 4, None) == (3.0, 4.0)
    assert weighted_score(0, 0, 2.0) == (0.0, 0.0)
    assert _sub("Quiz", 2 / 3, 2).percent == 0.33  # rounded to two places
    assert _sub("Quiz", 0, 0).percent == 0.0  # nothing possible: 0 %


def test_cutoffs_letter_and_pass(tmp_path):
    grader = [{"type": "Quiz", "min_count": 1, "drop_count": 0, "weight": 1.0}]
    policy = _policy(tmp_path, grader, {"A": 0.9, "B": 0.8, "Pass": 0.6})
    assert (grade(policy, [_sub("Quiz", 0.95)]).letter, grade(policy, [_sub("Quiz", 0.95)]).passed) == ("A", True)
    assert grade(policy, [_sub("Quiz", 0.81)]).letter == "B"
    low = grade(policy, [_sub("Quiz", 0.59)])
    assert (low.letter, low.passed) == (None, False)
    # The LMS adds 0.05 percent before rounding half away from zero: 0.5949 becomes 0.60, a pass.
    edge = grade(policy, [_sub("Quiz", 0.5949, 1)])
    assert edge.percent == pytest.approx(0.59)  # the subsection percent is rounded first (0.59)
    assert grade(_policy(tmp_path, grader, {"Pass": 0.6}), [_sub("Quiz", 0.596)]).passed


def test_a_subsection_format_outside_the_policy_counts_for_nothing(tmp_path):
    policy = _policy(tmp_path, [{"type": "Quiz", "min_count": 1, "drop_count": 0, "weight": 1.0}])
    assert grade(policy, [_sub("Homework", 1)]).percent == 0.0


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps({"GRADER": [{"type": "Quiz"}]}), json.dumps({"GRADER": "x"}), json.dumps([])],
)
def test_unreadable_policy_is_a_clear_error(tmp_path, content):
    path = tmp_path / "grading_policy.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GradingPolicyError, match="grading_policy.json"):
        load_policy(path)
