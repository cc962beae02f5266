"""The default capstone rubric and rubric validation."""

from __future__ import annotations

import copy

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.reviewing.rubric import (
    default_rubric,
    default_rubric_data,
    parse_rubric,
    rubric_problems,
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_default_rubric_is_the_capstone_rubric(language):
    rubric = default_rubric(language)
    assert [c.id for c in rubric.criteria] == ["c1", "c2", "c3", "c4", "c5"]
    assert [c.weight for c in rubric.criteria] == [20, 20, 25, 20, 15]
    for criterion in rubric.criteria:
        assert [lv.points for lv in criterion.levels] == [1, 2, 3, 4]
        assert [lv.id for lv in criterion.levels] == ["emerging", "developing", "proficient", "exemplary"]
        assert all(lv.description for lv in criterion.levels)
    assert rubric_problems(default_rubric_data(language)) == []


def test_french_and_english_texts_differ_but_ids_match():
    en, fr = default_rubric("en"), default_rubric("fr")
    assert en.ids == fr.ids
    assert fr.criteria[0].title == "Diagnostic et adaptation à la structure"
    assert en.criteria[0].levels[0].title == "Emerging" and fr.criteria[0].levels[0].title == "Émergent"
    assert default_rubric("de") == en  # unknown language: English


def test_round_trip_through_data():
    rubric = default_rubric("fr")
    assert parse_rubric(rubric.to_data()) == rubric


def _broken(change):
    data = copy.deepcopy(default_rubric_data())
    change(data)
    return [p.message for p in rubric_problems(data)]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.clear(), "The rubric needs at least one criterion."),
        (lambda d: d[0].update(weight=25), "The criterion weights must add up to 100 (they add up to %(total)s)."),
        (lambda d: d[1].update(id="c1"), "Two criteria use the id %(id)s."),
        (lambda d: d[0].update(id="c 1"), "Criterion %(number)s needs an id made of letters, digits, '-' or '_'."),
        (lambda d: d[0].update(weight=True), "The weight of criterion %(id)s must be a whole number above 0."),
        (lambda d: d[0].update(weight=0), "The weight of criterion %(id)s must be a whole number above 0."),
        (
            lambda d: d[0]["levels"][2].update(points=2),
            "The levels of criterion %(id)s must have strictly increasing points.",
        ),
        (lambda d: d[0]["levels"][1].update(id="emerging"), "The levels of criterion %(id)s need unique ids."),
        (lambda d: d[0].update(levels=d[0]["levels"][:1]), "Criterion %(id)s needs between 2 and %(limit)s levels."),
        (
            lambda d: d[0].update(title=" "),
            "Criterion %(id)s needs a title (and texts of at most %(limit)s characters).",
        ),
        (
            lambda d: d[0]["levels"][0].update(points=-1),
            "Level points of criterion %(id)s must be whole numbers of 0 or more.",
        ),
    ],
)
def test_rubric_problems(change, expected):
    assert expected in _broken(change)


def test_parse_raises_the_first_problem_as_a_400():
    with pytest.raises(ServiceError) as error:
        parse_rubric([])
    assert error.value.status == 400


def test_one_criterion_rubric_is_valid():
    data = [
        {
            "id": "only",
            "weight": 100,
            "title": "All",
            "levels": [{"id": "no", "points": 0, "title": "No"}, {"id": "yes", "points": 1, "title": "Yes"}],
        }
    ]
    assert parse_rubric(data).criteria[0].max_points == 1


def test_settings_validation():
    assert ActivitySettings().problems() == []
    problems = [
        p.message
        for p in ActivitySettings(reviews_per_reviewer=0, reviews_required=0, pairing_mode="x", char_limit=0).problems()
    ]
    assert "Each reviewer must give at least 1 review." in problems
    assert "A submission must need at least 1 review." in problems
    assert "Unknown pairing mode." in problems
    assert ActivitySettings(flexible_percent=30, reviews_required=3).flexible_threshold == 1
    assert ActivitySettings(flexible_percent=30, reviews_required=4).flexible_threshold == 2
    assert ActivitySettings(flexible_percent=30, reviews_required=10).flexible_threshold == 3
