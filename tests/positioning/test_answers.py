"""Checking a learner's answers against the item set (no runtime, no database)."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.positioning.answers import SCALE, clean_answers, require_complete
from devisus_xblocks.positioning.items import build_item_set

ITEMS = build_item_set("principles", "en")


def test_scale_has_a_descriptor_for_each_level():
    assert [level for level, _label in SCALE] == [1, 2, 3, 4, 5]
    assert all(label.strip() for _level, label in SCALE)


def test_answers_are_normalised_in_item_order():
    answers = clean_answers(ITEMS, {"Pr3": 5, "Pr1": 1}, {"Pr2": "  why\r\nnot \x00 ", "Pr1": "   "}, 500)
    assert list(answers.ratings.items()) == [("Pr1", 1), ("Pr3", 5)]
    assert answers.justifications == {"Pr2": "why\nnot"}
    assert answers.missing(ITEMS) == ("Pr2", "Pr4", "Pr5", "Pr6", "Pr7", "Pr8")


@pytest.mark.parametrize("value", [0, 6, -1, True, 2.5, "3", None])
def test_a_rating_off_the_scale_is_refused(value):
    with pytest.raises(ServiceError) as caught:
        clean_answers(ITEMS, {"Pr2": value}, {}, 500)
    assert caught.value.params == {"code": "Pr2", "minimum": 1, "maximum": 5}


@pytest.mark.parametrize("ratings, justifications", [({"Pr9": 3}, {}), ({}, {"T1": "x"}), ({"Pr1": 3, "pr1": 3}, {})])
def test_an_unknown_item_is_refused(ratings, justifications):
    with pytest.raises(ServiceError) as caught:
        clean_answers(ITEMS, ratings, justifications, 500)
    assert caught.value.message == "Unknown item: %(code)s"


def test_a_justification_over_the_limit_is_refused_and_one_at_the_limit_passes():
    assert clean_answers(ITEMS, {}, {"Pr1": "x" * 20}, 20).justifications == {"Pr1": "x" * 20}
    with pytest.raises(ServiceError) as caught:
        clean_answers(ITEMS, {}, {"Pr1": "x" * 21}, 20)
    assert caught.value.params == {"code": "Pr1", "limit": 20}


def test_a_justification_that_is_not_text_is_refused():
    with pytest.raises(ServiceError):
        clean_answers(ITEMS, {}, {"Pr1": 12}, 20)


def test_submitting_needs_every_item_rated():
    complete = {f"Pr{n}": 3 for n in range(1, 9)}
    require_complete(ITEMS, clean_answers(ITEMS, complete, {}, 500))
    del complete["Pr4"], complete["Pr8"]
    with pytest.raises(ServiceError) as caught:
        require_complete(ITEMS, clean_answers(ITEMS, complete, {}, 500))
    assert caught.value.params == {"codes": "Pr4, Pr8"}
