"""Glossary handlers through the real xblock-sdk workbench, with several learners.

Every request goes through the workbench runtime, the preview's user service, the handler
contract (``json_api``) and the database. Published events are read from what the workbench
runtime's ``publish`` really emits (it logs them).
"""

from __future__ import annotations

import json
import re

import pytest

from devisus_course.framework import load_framework
from devisus_course.typography import catalog_spacing as spaced
from tests.glossary.conftest import GRADED, REFERENCE_FR, UNGRADED, UNIT
from tests.glossary.pages import block_html, practice_page, slug_of_definition

pytestmark = pytest.mark.django_db


def usage(wb, scenario, index=0):
    return [uid for uid in wb.usage_ids(scenario, "devisus_glossary")][index]


def state(wb, scenario, student, index=0):
    return practice_page(wb.page(scenario, student), index)


# --- practice: rounds per learner ----------------------------------------------------------


def test_each_learner_has_a_stable_round_of_the_configured_size(wb_fr):
    alice = state(wb_fr, GRADED, "alice")
    assert len(alice.terms) == 6 and sorted(alice.definitions) == sorted(alice.terms)
    assert alice.letters == list("ABCDEF")
    assert state(wb_fr, GRADED, "alice") == alice
    bob = state(wb_fr, GRADED, "bob")
    assert (bob.terms, bob.definitions) != (alice.terms, alice.definitions)
    assert len(state(wb_fr, UNGRADED, "alice").terms) == 4


# --- practice: the page does not give the answers away -------------------------------------


def definition_choices(body):
    """(select name, [option values]) for each select of a practice block's HTML."""
    selects = re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S)
    return [
        (name, [value for value in re.findall(r'<option value="([^"]*)"', options) if value])
        for name, options in selects
    ]


def test_no_option_value_or_definition_id_reveals_its_term(wb_fr):
    page = wb_fr.page(GRADED, "alice")
    body = block_html(page)
    alice = practice_page(page)
    slugs = set(load_framework("fr").glossary_slugs)
    choices = definition_choices(body)
    assert len(choices) == 6
    for name, values in choices:
        assert values == list("ABCDEF")
        assert name not in values and not slugs & set(values)
    definition_ids = re.findall(r'<li class="devisus-glossary-definition-item" id="([^"]+)"', body)
    assert [identifier.rsplit("-", 1)[1] for identifier in definition_ids] == list("abcdef")
    assert not [identifier for identifier in definition_ids if any(slug in identifier for slug in alice.terms)]


def test_posting_each_term_slug_as_its_own_answer_does_not_score(wb_fr, published):
    block = usage(wb_fr, GRADED)
    alice = state(wb_fr, GRADED, "alice")
    reply = wb_fr.call(
        block, "submit_practice", "alice", {"round": alice.round, "answers": {slug: slug for slug in alice.terms}}
    )
    assert (reply.status, reply.error) == (400, spaced(f"Définition inconnue : {alice.terms[0]}"))
    assert "score" not in reply.data
    assert published.of_type("grade") == [] and published.of_type("devisus.glossary.practice.checked") == []
    assert state(wb_fr, GRADED, "alice") == alice


def test_a_new_rounds_reply_names_definitions_by_letter_only(wb_fr):
    block = usage(wb_fr, GRADED)
    reply = wb_fr.call(block, "new_round", "alice", {"round": 0})
    assert reply.status == 200
    slugs = set(load_framework("fr").glossary_slugs)
    for definition in reply.data["definitions"]:
        assert set(definition) == {"letter", "id", "text", "option"}
        assert not any(slug in definition["id"] for slug in slugs)
    assert [d["letter"] for d in reply.data["definitions"]] == list("ABCDEF")
    page = state(wb_fr, GRADED, "alice")
    assert page.round == 1
    posted = wb_fr.call(block, "submit_practice", "alice", {"round": 1, "answers": {slug: slug for slug in page.terms}})
    assert posted.status == 400
    assert (
        wb_fr.call(block, "submit_practice", "alice", {"round": 1, "answers": page.correct_answers()}).data["score"]
        == 1.0
    )


# --- practice: submitting -------------------------------------------------------------------


def test_correct_answers_score_full_marks_and_publish_the_learners_grade(wb_fr, published):
    block = usage(wb_fr, GRADED)
    alice = state(wb_fr, GRADED, "alice")
    reply = wb_fr.call(block, "submit_practice", "alice", {"round": alice.round, "answers": alice.correct_answers()})
    assert reply.status == 200, reply.data
    assert (reply.data["correct"], reply.data["total"], reply.data["score"]) == (6, 6, 1.0)
    assert [item["feedback"] for item in reply.data["items"]] == ["Correct."] * 6
    assert reply.data["summary"] == spaced("Bonnes réponses : 6 sur 6.")
    assert published.of_type("grade") == [{"value": 1.0, "max_value": 1.0}]
    after = state(wb_fr, GRADED, "alice")
    assert after.answered and after.chosen == alice.correct_answers()
    assert after.progress == spaced("Séries terminées : 1. Meilleur score : 100 %.")
    assert after.status == spaced("Bonnes réponses : 6 sur 6.")


def test_wrong_answers_get_item_feedback_naming_the_right_definition(wb_fr, published):
    block = usage(wb_fr, GRADED)
    bob = state(wb_fr, GRADED, "bob")
    reply = wb_fr.call(block, "submit_practice", "bob", {"round": bob.round, "answers": bob.wrong_answers()})
    assert reply.status == 200, reply.data
    assert reply.data["correct"] == 0 and reply.data["score"] == 0.0
    letters = {slug: "ABCDEF"[bob.definitions.index(slug)] for slug in bob.terms}
    for item in reply.data["items"]:
        assert item["correct"] is False
        assert item["feedback"] == spaced(f"Pas tout à fait : la bonne définition est la {letters[item['slug']]}.")
    assert published.of_type("grade") == [{"value": 0.0, "max_value": 1.0}]
    page = state(wb_fr, GRADED, "bob")
    assert page.feedback[bob.terms[0]].startswith("Pas tout à fait")
    assert page.progress == spaced("Séries terminées : 1. Meilleur score : 0 %.")


def test_state_and_grades_belong_to_each_learner(wb_fr, published):
    block = usage(wb_fr, GRADED)
    alice = state(wb_fr, GRADED, "alice")
    assert wb_fr.call(block, "submit_practice", "alice", {"round": 0, "answers": alice.correct_answers()}).status == 200
    bob = state(wb_fr, GRADED, "bob")
    assert not bob.answered and bob.progress == "Aucune série terminée pour l'instant."
    # Bob cannot answer Alice's round: her terms are not all in his.
    reply = wb_fr.call(block, "submit_practice", "bob", {"round": 0, "answers": alice.correct_answers()})
    assert set(alice.terms) != set(bob.terms)
    assert reply.status == 400 and reply.error.startswith("Terme inconnu")
    answers = bob.correct_answers()
    first, second = bob.terms[:2]
    answers[first], answers[second] = answers[second], answers[first]
    reply = wb_fr.call(block, "submit_practice", "bob", {"round": 0, "answers": answers})
    assert reply.data["correct"] == 4
    assert published.of_type("grade") == [
        {"value": 1.0, "max_value": 1.0},
        {"value": pytest.approx(4 / 6), "max_value": 1.0},
    ]
    assert state(wb_fr, GRADED, "alice").progress == spaced("Séries terminées : 1. Meilleur score : 100 %.")
    assert state(wb_fr, GRADED, "bob").progress == spaced("Séries terminées : 1. Meilleur score : 67 %.")


def test_ungraded_practice_publishes_no_grade(wb_en, published):
    block = usage(wb_en, UNGRADED)
    alice = state(wb_en, UNGRADED, "alice")
    reply = wb_en.call(block, "submit_practice", "alice", {"round": 0, "answers": alice.correct_answers()})
    assert reply.status == 200 and reply.data["summary"] == "Correct matches: 4 out of 4."
    assert published.of_type("grade") == []
    assert published.of_type("devisus.glossary.practice.checked") == [{"round": 0, "correct": 4, "total": 4}]


def test_a_round_is_answered_once_then_a_new_round_starts(wb_fr, published):
    block = usage(wb_fr, GRADED)
    alice = state(wb_fr, GRADED, "alice")
    assert wb_fr.call(block, "submit_practice", "alice", {"round": 0, "answers": alice.wrong_answers()}).status == 200
    again = wb_fr.call(block, "submit_practice", "alice", {"round": 0, "answers": alice.correct_answers()})
    assert again.status == 409
    assert again.error == "Vous avez déjà répondu à cette série. Commencez une nouvelle série pour réessayer."
    assert state(wb_fr, GRADED, "alice").progress == spaced("Séries terminées : 1. Meilleur score : 0 %.")

    fresh = wb_fr.call(block, "new_round", "alice", {"round": 0})
    assert fresh.status == 200 and fresh.data["round"] == 1
    assert fresh.data["message"] == spaced("Nouvelle série prête. Termes à associer : 6.")
    page = state(wb_fr, GRADED, "alice")
    assert (page.round, page.answered, page.chosen) == (1, False, {slug: "" for slug in page.terms})
    assert [item["slug"] for item in fresh.data["items"]] == page.terms
    assert [d["letter"] for d in fresh.data["definitions"]] == page.letters
    assert [slug_of_definition()[d["text"]] for d in fresh.data["definitions"]] == page.definitions
    assert (page.terms, page.definitions) != (alice.terms, alice.definitions)

    # The old round is gone: its answers are refused; the new one is graded, best score kept.
    stale = wb_fr.call(block, "submit_practice", "alice", {"round": 0, "answers": alice.correct_answers()})
    assert stale.status == 409 and "n'est plus la série en cours" in stale.error
    reply = wb_fr.call(block, "submit_practice", "alice", {"round": 1, "answers": page.correct_answers()})
    assert reply.status == 200 and reply.data["attempts"] == 2
    assert published.of_type("grade") == [{"value": 0.0, "max_value": 1.0}, {"value": 1.0, "max_value": 1.0}]


def test_a_new_round_asked_from_an_old_page_changes_nothing(wb_fr):
    block = usage(wb_fr, GRADED)
    assert wb_fr.call(block, "new_round", "alice", {"round": 0}).status == 200
    reply = wb_fr.call(block, "new_round", "alice", {"round": 0})  # e.g. a second tab
    assert reply.status == 409
    assert state(wb_fr, GRADED, "alice").round == 1


# --- refusals: translated 4xx, nothing changes --------------------------------------------------

REFUSALS = [
    ("not JSON", None, b"{answers:", 400, "La requête n'est pas un JSON valide."),
    ("JSON list", None, b"[1, 2]", 400, "La requête doit être un objet JSON."),
    ("unknown field", {"round": 0, "answers": {}, "score": 1}, None, 400, spaced("Champ inconnu : score")),
    ("missing round", {"answers": {}}, None, 400, spaced("Champ manquant : round")),
    ("round as text", {"round": "0", "answers": {}}, None, 400, spaced("Type incorrect pour le champ : round")),
    ("round as boolean", {"round": False, "answers": {}}, None, 400, spaced("Type incorrect pour le champ : round")),
    ("negative round", {"round": -1, "answers": {}}, None, 400, "round doit valoir au moins 0."),
    ("answers as list", {"round": 0, "answers": ["a"]}, None, 400, spaced("Type incorrect pour le champ : answers")),
    (
        "answer not text",
        {"round": 0, "answers": {"tool": 3}},
        None,
        400,
        spaced("Type incorrect pour le champ : answers"),
    ),
    (
        "too many answers",
        {"round": 0, "answers": {f"t{n}": "x" for n in range(25)}},
        None,
        400,
        spaced("Trop d’éléments dans le champ : answers"),
    ),
    (
        "oversized body",
        None,
        json.dumps({"round": 0, "answers": {"a": "x" * 70000}}).encode(),
        413,
        "La requête est trop volumineuse.",
    ),
    ("unknown term", {"round": 0, "answers": {"not-a-term": "tool"}}, None, 400, spaced("Terme inconnu : not-a-term")),
]


@pytest.mark.parametrize("name, data, raw, status, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_malformed_practice_answers_are_refused_in_french_and_change_nothing(
    wb_fr, published, name, data, raw, status, message
):
    block = usage(wb_fr, GRADED)
    before = state(wb_fr, GRADED, "alice")
    reply = wb_fr.call(block, "submit_practice", "alice", data, raw=raw)
    assert (reply.status, reply.error) == (status, message)
    assert state(wb_fr, GRADED, "alice") == before
    assert published.of_type("grade") == [] and published.of_type("devisus.glossary.practice.checked") == []


def test_answers_outside_the_round_or_incomplete_or_repeated_are_refused(wb_fr, published):
    block = usage(wb_fr, GRADED)
    alice = state(wb_fr, GRADED, "alice")
    answers = alice.correct_answers()
    cases = [
        ({**answers, alice.terms[0]: "unknown-definition"}, spaced("Définition inconnue : unknown-definition")),
        ({slug: answers[slug] for slug in alice.terms[1:]}, "Choisissez une définition pour chacun des 6 termes."),
        ({slug: "A" for slug in alice.terms}, "La définition A est choisie pour plusieurs termes."),
    ]
    for answers_sent, message in cases:
        reply = wb_fr.call(block, "submit_practice", "alice", {"round": 0, "answers": answers_sent})
        assert (reply.status, reply.error) == (400, message)
    assert state(wb_fr, GRADED, "alice") == alice
    assert published.of_type("grade") == []


def test_get_requests_are_refused(wb_fr):
    reply = wb_fr.call(usage(wb_fr, GRADED), "new_round", "alice", method="get")
    assert (reply.status, reply.error) == (405, "Cette action nécessite une requête POST.")


def test_practice_handlers_are_refused_on_a_reference_glossary(wb_fr):
    block = usage(wb_fr, REFERENCE_FR)
    for handler, data in (("new_round", {"round": 0}), ("submit_practice", {"round": 0, "answers": {}})):
        reply = wb_fr.call(block, handler, "alice", data)
        assert (reply.status, reply.error) == (400, "Ce glossaire ne propose pas d'exercice d'entraînement.")


def test_english_learners_get_english_errors(wb_en):
    reply = wb_en.call(usage(wb_en, GRADED), "submit_practice", "alice", {"round": 0, "answers": {"x": "y"}})
    assert (reply.status, reply.error) == (400, "Unknown term: x")


# --- several blocks on one page -------------------------------------------------------------------


def test_blocks_on_one_page_keep_separate_state(wb_fr):
    reference, practice_block = wb_fr.usage_ids(UNIT, "devisus_glossary")
    page = wb_fr.page(UNIT, "alice")
    alice = practice_page(page, 1)
    assert len(alice.terms) == 4
    reply = wb_fr.call(practice_block, "submit_practice", "alice", {"round": 0, "answers": alice.correct_answers()})
    assert reply.status == 200
    assert practice_page(wb_fr.page(UNIT, "alice"), 1).answered
    assert not state(wb_fr, GRADED, "alice").answered
