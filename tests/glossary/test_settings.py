"""Author settings checks (the service behind Studio validation)."""

from __future__ import annotations

import pytest

from devisus_xblocks.glossary.settings import problems

VALID = dict(display_name="Glossaire", language="fr", mode="practice", practice_size=6, graded=True, weight=1.0)


def messages(**changes):
    return [message for message, _params in problems(**{**VALID, **changes})]


def test_valid_settings_have_no_problem():
    assert problems(**VALID) == []
    assert problems(**{**VALID, "mode": "reference", "graded": False, "language": "en", "practice_size": 24}) == []
    assert problems(**{**VALID, "practice_size": 4, "weight": 0}) == []


@pytest.mark.parametrize("size", [3, 25, 0, -1, "6", None, True, 6.5])
def test_practice_size_outside_4_to_24_is_refused(size):
    found = problems(**{**VALID, "practice_size": size})
    assert found == [
        ("Pairs per practice round must be a whole number from %(min)s to %(max)s.", {"min": 4, "max": 24})
    ]


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"language": "de"}, "The language must be one of: %(choices)s."),
        ({"mode": "quiz"}, "The mode must be one of: %(choices)s."),
        ({"weight": -1}, "The weight must be a number of 0 or more."),
        ({"weight": float("nan")}, "The weight must be a number of 0 or more."),
        ({"weight": None}, "The weight must be a number of 0 or more."),
        ({"display_name": "  "}, "The display name must not be empty."),
        ({"display_name": "x" * 256}, "The display name is too long (at most %(limit)s characters)."),
        (
            {"mode": "reference", "graded": True},
            "Only the practice mode can be graded: set the mode to practice or turn grading off.",
        ),
    ],
)
def test_each_bad_setting_is_reported(changes, expected):
    assert messages(**changes) == [expected]
