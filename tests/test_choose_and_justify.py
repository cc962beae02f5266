"""The "choose and justify" items (issue 12 §3): one problem, two single-choice responses, the
choice then the reason for it. Answered by the real Open edX problem engine (capa, from
xblocks-contrib) on the committed course, as the LMS grades them: full marks need both tiers
right, and each tier earns its own share of the score (capa's partial credit per response)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from devisus_course.validator.capa_grading import _problem

COURSE = Path(__file__).resolve().parent.parent / "course"
LANGUAGES = ("fr", "en")
# Choosing an approach (module 3), an indicator (module 5), a decision in keeping with the stance (module 6).
TWO_TIER = ("m03_check_q7.xml", "m05_check_q3.xml", "m06_check_q7.xml")
REASON = {"fr": "Quelle raison justifie le mieux", "en": "Which reason best justifies"}


def two_tier(language: str) -> dict[str, str]:
    """The choose-and-justify problems of the built course, by file name."""
    return {name: (COURSE / language / "problem" / name).read_text(encoding="utf-8") for name in TWO_TIER}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_item_asks_for_the_choice_then_the_reason(language):
    for name, xml in two_tier(language).items():
        responses = etree.fromstring(xml.encode()).findall("multiplechoiceresponse")
        assert len(responses) == 2, name
        assert responses[1].findtext("label").startswith(REASON[language]), name


def _grade(xml: str, name: str, right: tuple[bool, bool]) -> tuple[float, float]:
    """Score of an answer whose first and second tiers are right or wrong as ``right`` says."""
    problem = _problem(xml, name)
    answers = {}
    for responder, is_right in zip(problem.responders.values(), right, strict=True):
        (answer_id,) = responder.answer_ids
        names = [choice.get("name") for choice in responder.xml.iter("choice")]
        wrong = next(n for n in names if n not in responder.correct_choices)
        answers[answer_id] = responder.correct_choices[0] if is_right else wrong
    score = problem.calculate_score(problem.grade_answers(answers))
    return score["score"], score["total"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_full_marks_need_both_tiers_and_each_tier_earns_its_share(language):
    for name, xml in two_tier(language).items():
        assert _grade(xml, name, (True, True)) == (2, 2), name
        assert _grade(xml, name, (True, False)) == (1, 2), name
        assert _grade(xml, name, (False, True)) == (1, 2), name
        assert _grade(xml, name, (False, False)) == (0, 2), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_tier_is_fair_and_explained(language):
    for name, xml in two_tier(language).items():
        root = etree.fromstring(xml.encode())
        for group in root.iter("choicegroup"):
            choices = list(group.iter("choice"))
            lengths = [len(" ".join("".join(c.itertext()).split())) for c in choices]
            keyed = [i for i, c in enumerate(choices) if c.get("correct") == "true"]
            assert len(choices) == 4 and len(keyed) == 1, name
            # The key is never the one longest option, and no option stands out by its length.
            assert lengths[keyed[0]] < max(lengths) or lengths.count(max(lengths)) > 1, (name, lengths)
            assert max(lengths) <= 1.5 * min(lengths), (name, lengths)
        # The explanation covers both tiers: a paragraph for the choice, one for the reason.
        paragraphs = root.findall(".//solution//p")
        assert len(paragraphs) >= 3, name
