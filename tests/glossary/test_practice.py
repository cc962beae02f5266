"""Practice service: per-learner randomisation, grading and refusals (no runtime)."""

from __future__ import annotations

import pytest

from devisus_course.framework import load_framework
from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.glossary import practice

SLUGS = load_framework("fr").glossary_slugs
BLOCK = "course-v1:Org+DEVISUS+2026/block@glossary"


def round_for(learner="anon-alice", number=0, size=6, block=BLOCK):
    return practice.build_round(SLUGS, size, anonymous_id=learner, block_id=block, number=number)


def answering(current, chosen):
    """Answers choosing, for each term, the definition of ``chosen[term]`` (by its letter)."""
    return {term: current.letter(slug) for term, slug in chosen.items()}


def right(current):
    return answering(current, {slug: slug for slug in current.terms})


def test_a_round_is_stable_for_one_learner():
    assert round_for() == round_for()
    assert round_for(number=3) == round_for(number=3)


def test_rounds_differ_between_learners_blocks_and_round_numbers():
    alice = round_for("anon-alice")
    assert round_for("anon-bob") != alice
    assert round_for(block=BLOCK + "2") != alice
    assert round_for(number=1) != alice


def test_many_learners_get_many_different_rounds():
    rounds = {round_for(f"anon-{n}").terms for n in range(50)}
    assert len(rounds) > 40


def test_a_round_has_size_distinct_terms_and_their_definitions_shuffled():
    current = round_for(size=6)
    assert len(current.terms) == len(set(current.terms)) == 6
    assert set(current.terms) <= set(SLUGS)
    assert sorted(current.definitions) == sorted(current.terms)


def test_definitions_are_never_in_the_order_of_the_terms():
    for n in range(200):
        current = round_for(f"anon-{n}", size=4)
        assert current.definitions != current.terms


@pytest.mark.parametrize("size, expected", [(4, 4), (24, 24), (1, 4), (99, 24)])
def test_round_size_is_kept_within_4_and_24(size, expected):
    assert len(round_for(size=size).terms) == expected


def test_letters_follow_the_definition_order():
    current = round_for()
    assert [current.letter(slug) for slug in current.definitions] == list("ABCDEF")
    assert current.letters == tuple("ABCDEF")
    assert [current.definition_at(letter) for letter in "ABCDEF"] == list(current.definitions)
    for unknown in ("G", "a", "", "AB", current.definitions[0], "\u0041\u0301"):
        assert current.definition_at(unknown) is None


def test_answering_each_term_with_its_own_slug_is_refused():
    # The slug of a definition is the slug of its term: answers must not be able to name it.
    current = round_for()
    error = _refusal(current, {slug: slug for slug in current.terms})
    assert error.message == "Unknown definition: %(letter)s" and error.params == {"letter": current.terms[0]}


def test_grading_all_correct_and_all_wrong():
    current = round_for()
    full = practice.grade(current, right(current))
    assert (full.correct, full.total, full.score) == (6, 6, 1.0)
    assert all(item.correct for item in full.items)
    assert [item.chosen for item in full.items] == list(current.terms)
    shifted = dict(zip(current.terms, current.terms[1:] + current.terms[:1]))
    wrong = practice.grade(current, answering(current, shifted))
    assert (wrong.correct, wrong.score) == (0, 0.0)
    assert [item.term for item in wrong.items] == list(current.terms)
    assert [item.chosen for item in wrong.items] == [shifted[slug] for slug in current.terms]


def test_grading_a_partly_right_answer_gives_per_item_feedback():
    current = round_for()
    first, second = current.terms[:2]
    answers = right(current)
    answers[first], answers[second] = answers[second], answers[first]
    result = practice.grade(current, answers)
    assert result.correct == 4 and result.score == pytest.approx(4 / 6)
    assert {item.term: item.correct for item in result.items}[first] is False
    assert {item.term: item.correct for item in result.items}[current.terms[2]] is True


def _refusal(current, answers):
    with pytest.raises(ServiceError) as caught:
        practice.grade(current, answers)
    return caught.value


def test_grading_refuses_unknown_terms_and_letters():
    current = round_for()
    outside = next(slug for slug in SLUGS if slug not in current.terms)
    answers = right(current)
    error = _refusal(current, {**answers, outside: "A"})
    assert error.message == "Unknown term: %(slug)s" and error.params == {"slug": outside} and error.status == 400
    error = _refusal(current, {**answers, current.terms[0]: "G"})
    assert error.message == "Unknown definition: %(letter)s" and error.params == {"letter": "G"}
    error = _refusal(current, {**answers, current.terms[0]: "x" * 500})
    assert len(error.params["letter"]) <= 41  # a huge value is not echoed back whole


def test_grading_refuses_missing_terms_and_duplicated_definitions():
    current = round_for()
    answers = right(current)
    del answers[current.terms[-1]]
    error = _refusal(current, answers)
    assert error.message == "Choose a definition for each of the %(count)s terms." and error.params == {"count": 6}
    duplicated = {slug: current.letter(current.terms[0]) for slug in current.terms}
    error = _refusal(current, duplicated)
    assert error.message == "Definition %(letter)s is chosen for more than one term."
    assert error.params == {"letter": current.letter(current.terms[0])}


@pytest.mark.parametrize("answers", [["a"], "a", {"a": 1}, None])
def test_grading_refuses_answers_that_are_not_a_mapping_of_texts(answers):
    assert _refusal(round_for(), answers).message == "The answers must map each term to a definition."


def test_check_current_refuses_another_round_number_with_409():
    current = round_for(number=2)
    practice.check_current(current, 2)
    with pytest.raises(ServiceError) as caught:
        practice.check_current(current, 1)
    assert caught.value.status == 409


def test_check_open_refuses_a_round_already_answered():
    current = round_for()
    answered = {"round": 0, "answers": right(current)}
    practice.check_open(current, {})
    practice.check_open(current, {**answered, "round": 1})
    practice.check_open(current, {"round": 0, "answers": {"other": "other"}})  # answers of another round size
    with pytest.raises(ServiceError) as caught:
        practice.check_open(current, answered)
    assert caught.value.status == 409


def test_stored_answers_are_the_letters_of_the_current_round_only():
    current = round_for()
    assert practice.stored_answers(current, {"round": 0, "answers": right(current)}) == right(current)
    assert practice.stored_answers(current, {}) is None
    assert practice.stored_answers(current, {"round": 1, "answers": right(current)}) is None
    assert practice.stored_answers(current, {"round": 0, "answers": {"other": "A"}}) is None


def test_answers_stored_by_slug_before_letters_are_read_as_letters():
    current = round_for()
    legacy = {"round": 0, "answers": {slug: slug for slug in current.terms}}
    assert practice.stored_answers(current, legacy) == right(current)
    with pytest.raises(ServiceError):
        practice.check_open(current, legacy)
