"""The block's handlers and views through the real xblock-sdk workbench, with several learners."""

from __future__ import annotations

import csv
import io
import json
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from devisus_course.source import load_course_source
from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.positioning.models import Positioning, PositioningRating

from .conftest import BEFORE_AFTER, COMPETENCES, CUSTOM, TAG, db_snapshot, principle_ratings

pytestmark = pytest.mark.django_db(transaction=True)

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_NS = "{http://www.w3.org/2000/svg}"


def _ids(bench, scenario=BEFORE_AFTER):
    return bench.usage_ids(scenario, TAG)


def _submit(bench, usage_id, student, ratings, justifications=None):
    reply = bench.call(
        usage_id, "submit", student, {"ratings": ratings, "justifications": justifications or {}, "confirm": True}
    )
    assert reply.status == 200, reply
    return reply


def _series(html: str) -> list[str]:
    charts = SVG.findall(html)
    assert len(charts) == 1, "expected one radar chart"
    root = etree.fromstring(charts[0].encode("utf-8"))
    return [polygon.getparent().get("data-series") for polygon in root.iter(f"{SVG_NS}polygon")]


def _events(caplog) -> list[str]:
    """Event types the workbench runtime logged as published (it logs instead of publishing)."""
    return [r.args[0] for r in caplog.records if isinstance(r.msg, str) and r.msg.startswith("XBlock event")]


def _download(bench, usage_id, handler, student):
    response = bench.client.get(f"/handler/{usage_id}/{handler}/?student={student}")
    text = response.content.decode("utf-8")
    return response, list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) if response.status_code == 200 else text


# ---- rounds ------------------------------------------------------------------------------


def test_the_after_block_shows_the_before_answers(bench):
    before_id, after_id = _ids(bench)
    bench.call(before_id, "save_draft", "ana", {"ratings": {"Pr1": 2}, "justifications": {"Pr1": "Draft only"}})
    assert bench.call(after_id, "state", "ana").data["before"] is None  # a draft is not shown

    _submit(bench, before_id, "ana", principle_ratings(1), {"Pr1": "We <always> pick the method for them"})
    _submit(bench, before_id, "bob", principle_ratings(3))

    state = bench.call(after_id, "state", "ana").data
    assert state["status"] == "new"
    assert state["before"] == {
        "ratings": principle_ratings(1),
        "justifications": {"Pr1": "We <always> pick the method for them"},
    }

    page = bench.page(BEFORE_AFTER, "ana")
    after_part = page[page.index("(end of course)") :]
    assert "First self-assessment: 3 – Sometimes, partly on my own" in after_part
    assert "Your justification then: We &lt;always&gt; pick the method for them" in after_part

    reply = _submit(bench, after_id, "ana", principle_ratings(4))
    assert _series(reply.data["html"]) == ["learner", "before"]
    assert '<th scope="col">First self-assessment</th>' in reply.data["html"]

    # The before block of another learner knows nothing of ana's rounds.
    assert bench.call(after_id, "state", "bob").data["before"] == {
        "ratings": principle_ratings(3),
        "justifications": {},
    }
    assert bench.call(after_id, "state", "carl").data["before"] is None


def test_the_results_name_the_modules_of_the_development_plan(bench):
    before_id, _after = _ids(bench)
    ratings = {code: 5 for code in principle_ratings()}
    ratings.update({"Pr7": 1, "Pr5": 2, "Pr2": 2})
    html = _submit(bench, before_id, "ana", ratings).data["html"]
    plan = html[html.index("Your development plan") :]
    assert [code for code in re.findall(r'devisus-positioning-code">(Pr\d)', plan)] == ["Pr7", "Pr2", "Pr5"]
    # The modules come from the packaged course source: those whose objectives name Pr7.
    source = load_course_source("en")
    pr7 = [m for m in source.modules if any("Pr7" in objective.codes for objective in m.objectives)]
    assert pr7
    for module in pr7:
        assert f"Module {module.number}: {module.title}" in plan
    state = bench.call(before_id, "state", "ana").data
    assert [entry["code"] for entry in state["plan"]] == ["Pr7", "Pr2", "Pr5"]
    assert state["plan"][0]["modules"] == [{"number": m.number, "title": m.title} for m in pr7]


# ---- cohort average and privacy floor -------------------------------------------------------


def test_cohort_average_is_hidden_under_five_respondents_and_shown_from_five(bench):
    before_id, _after = _ids(bench)
    for number in range(3):
        _submit(bench, before_id, f"learner{number}", principle_ratings(number))
    bench.call(before_id, "save_draft", "drafting", {"ratings": principle_ratings(2)})  # drafts do not count

    fourth = _submit(bench, before_id, "learner3", principle_ratings(3))
    assert _series(fourth.data["html"]) == ["learner"]
    assert "Cohort average" not in fourth.data["html"]
    state = bench.call(before_id, "state", "learner3").data
    assert state["cohort"] == {"respondents": 4, "min_respondents": 5, "averages": None}
    assert "Cohort average" not in bench.page(BEFORE_AFTER, "learner3")

    fifth = _submit(bench, before_id, "learner4", principle_ratings(4))
    assert _series(fifth.data["html"]) == ["learner", "cohort"]
    state = bench.call(before_id, "state", "learner3").data
    assert state["cohort"]["respondents"] == 5
    # Shifts 0..4 give each principle every rating once: the average is 3 everywhere.
    assert state["cohort"]["averages"] == {code: 3.0 for code in principle_ratings()}
    assert "Cohort average (5 learners)" in bench.page(BEFORE_AFTER, "learner0")


# ---- refusals: translated 4xx, nothing changed ------------------------------------------------

REFUSALS = [
    ({"ratings": {"Pr1": 0}}, "La note de Pr1 doit être un nombre entier de 1 à 5."),
    ({"ratings": {"Pr1": 6}}, "La note de Pr1 doit être un nombre entier de 1 à 5."),
    ({"ratings": {"Pr9": 3}}, spaced("Élément inconnu : Pr9")),
    ({"ratings": {}, "justifications": {"T1": "x"}}, spaced("Élément inconnu : T1")),
    (
        {"ratings": {"Pr1": 3}, "justifications": {"Pr1": "x" * 501}},
        spaced("La justification de Pr1 est trop longue (500 caractères au maximum)."),
    ),
    ({"ratings": {"Pr1": "3"}}, spaced("Type incorrect pour le champ : ratings")),
    ({"ratings": {"Pr1": 3.0}}, spaced("Type incorrect pour le champ : ratings")),
    ({"ratings": {"Pr1": True}}, spaced("Type incorrect pour le champ : ratings")),
    ({"ratings": [3, 4]}, spaced("Type incorrect pour le champ : ratings")),
    ({"ratings": {"Pr1": 3}, "justifications": {"Pr1": 12}}, spaced("Type incorrect pour le champ : justifications")),
    ({"ratings": {"Pr1": 3}, "learner": "someone-else"}, spaced("Champ inconnu : learner")),
    ({}, spaced("Champ manquant : ratings")),
]


@pytest.mark.parametrize("handler", ["save_draft", "submit"])
@pytest.mark.parametrize("data, message", REFUSALS)
def test_bad_answers_are_refused_in_french_and_change_nothing(bench_fr, handler, data, message):
    before_id, _after = _ids(bench_fr)
    bench_fr.call(before_id, "save_draft", "ana", {"ratings": {"Pr1": 2}, "justifications": {"Pr1": "kept"}})
    snapshot = db_snapshot()
    if handler == "submit":
        data = {**data, "confirm": True}

    reply = bench_fr.call(before_id, handler, "ana", data)

    assert reply.status == 400
    assert reply.error == message
    assert db_snapshot() == snapshot


@pytest.mark.parametrize(
    "raw, status, message",
    [
        (b"{not json", 400, "La requête n'est pas un JSON valide."),
        (b"\xff\xfe", 400, "La requête n'est pas un JSON valide."),
        (b"[1, 2]", 400, "La requête doit être un objet JSON."),
        (
            b'{"ratings": {"Pr1": 3}, "justifications": {"Pr1": "' + b"x" * 600_000 + b'"}}',
            413,
            "La requête est trop volumineuse.",
        ),
        (b"[" * 20_000 + b"]" * 20_000, 400, "La requête contient trop de niveaux imbriqués."),
        (
            b'{"ratings": {"Pr1": 3}, "justifications": {"Pr1": "x\\ud800y"}}',
            400,
            "La requête contient un texte invalide.",
        ),
        (b'{"ratings": {"Pr1": 3}, "justifications": {"\\udfff": "x"}}', 400, "La requête contient un texte invalide."),
    ],
)
def test_malformed_requests_are_refused_in_french_and_change_nothing(bench_fr, raw, status, message):
    before_id, _after = _ids(bench_fr)
    _submit(bench_fr, before_id, "bob", principle_ratings())
    snapshot = db_snapshot()
    reply = bench_fr.call(before_id, "save_draft", "ana", raw=raw)
    assert (reply.status, reply.error) == (status, message)
    assert db_snapshot() == snapshot


def test_visitors_who_are_not_signed_in_may_not_answer(bench_fr):
    before_id, _after = _ids(bench_fr)
    snapshot = db_snapshot()
    reply = bench_fr.call(before_id, "save_draft", "anonymous", {"ratings": principle_ratings()})
    assert (reply.status, reply.error) == (403, "Veuillez vous connecter pour participer.")
    assert db_snapshot() == snapshot


def test_submission_needs_confirmation_and_every_item(bench_fr):
    before_id, _after = _ids(bench_fr)
    incomplete = principle_ratings()
    del incomplete["Pr3"]
    cases = [
        ({"ratings": principle_ratings()}, spaced("Champ manquant : confirm")),
        (
            {"ratings": principle_ratings(), "confirm": False},
            "Veuillez confirmer que vous voulez valider ce positionnement.",
        ),
        (
            {"ratings": incomplete, "confirm": True},
            spaced("Veuillez noter chaque élément avant de valider. Pas encore notés : Pr3."),
        ),
    ]
    for data, message in cases:
        reply = bench_fr.call(before_id, "submit", "ana", data)
        assert (reply.status, reply.error) == (400, message)
    assert Positioning.objects.count() == 0


def test_a_submitted_positioning_is_final(bench_fr):
    before_id, _after = _ids(bench_fr)
    _submit(bench_fr, before_id, "ana", principle_ratings())
    snapshot = db_snapshot()
    for handler, data in (
        ("save_draft", {"ratings": {"Pr1": 1}}),
        ("submit", {"ratings": principle_ratings(2), "confirm": True}),
    ):
        reply = bench_fr.call(before_id, handler, "ana", data)
        assert (reply.status, reply.error) == (
            409,
            spaced("Ce positionnement a déjà été validé ; il ne peut plus être modifié."),
        )
    assert db_snapshot() == snapshot


def test_handlers_need_a_post(bench_fr):
    before_id, _after = _ids(bench_fr)
    reply = bench_fr.call(before_id, "save_draft", "ana", method="get")
    assert (reply.status, reply.error) == (405, "Cette action nécessite une requête POST.")
    reply = bench_fr.call(before_id, "my_csv", "ana", {})
    assert (reply.status, reply.error) == (405, "Ce téléchargement nécessite une requête GET.")


# ---- downloads -----------------------------------------------------------------------------


def test_the_cohort_csv_is_for_staff_only(bench_fr):
    before_id, _after = _ids(bench_fr)
    _submit(bench_fr, before_id, "ana", principle_ratings(), {"Pr1": "secret reasons"})
    response, body = _download(bench_fr, before_id, "cohort_csv", "ana")
    assert response.status_code == 403
    assert json.loads(body) == {"error": "Seule l'équipe pédagogique peut effectuer cette action."}

    response, rows = _download(bench_fr, before_id, "cohort_csv", "staff")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="self-positioning-devisus-principles-cohort.csv"'
    assert rows[0][:5] == ["Référentiel", "Tour", "Répondant·es", "Code de l'élément", "Élément"]
    before_rows = [row for row in rows[1:] if row[1] == "avant la formation"]
    assert [row[3] for row in before_rows] == list(principle_ratings())
    assert before_rows[0][2] == "1" and before_rows[0][5:10] == ["0", "1", "0", "0", "0"]
    assert "secret reasons" not in response.content.decode("utf-8")
    assert "anon-ana" not in response.content.decode("utf-8")


def test_my_csv_holds_only_my_rows_with_formulas_neutralised(bench):
    before_id, after_id = _ids(bench)
    _submit(bench, before_id, "ana", principle_ratings(), {"Pr1": '=HYPERLINK("http://evil")', "Pr2": "@risk"})
    bench.call(after_id, "save_draft", "ana", {"ratings": {"Pr1": 5}, "justifications": {"Pr1": "+better now"}})
    _submit(bench, before_id, "bob", principle_ratings(2), {"Pr1": "bob's own words"})

    response, rows = _download(bench, before_id, "my_csv", "ana")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8")
    assert "bob's own words" not in text
    assert rows[0] == ["Framework", "Round", "Status", "Submitted at", "Item code", "Item", "Rating", "Justification"]
    assert len(rows) == 1 + 8 + 8
    assert rows[1][4:] == ["Pr1", "Freedom to choose the method", "2", '\'=HYPERLINK("http://evil")']
    assert rows[2][7] == "'@risk"
    after_pr1 = next(row for row in rows if row[1] == "after the course" and row[4] == "Pr1")
    assert after_pr1[2:] == ["draft", "", "Pr1", "Freedom to choose the method", "5", "'+better now"]

    response, rows = _download(bench, before_id, "my_csv", "nobody")
    assert response.status_code == 200 and len(rows) == 1


# ---- staff view ------------------------------------------------------------------------------


def test_staff_see_the_distribution_per_item_and_learners_do_not(bench):
    before_id, _after = _ids(bench)
    for number, student in enumerate(["ana", "bob", "carl"]):
        _submit(bench, before_id, student, principle_ratings(number))
    staff_page = bench.page(BEFORE_AFTER, "staff")
    section = staff_page[staff_page.index('class="devisus-positioning-staff"') :]
    assert "Learners who have submitted this round: 3." in section
    pr1 = re.search(r"Pr1</span>[^<]*</th>((?:<td>[^<]*</td>)+)", section.replace("\n", "").replace("  ", ""))
    assert re.findall(r"<td>([^<]*)</td>", pr1.group(1)) == ["0", "1", "1", "1", "0", "3.0"]
    assert "cohort_csv" in section
    assert 'class="devisus-positioning-staff"' not in bench.page(BEFORE_AFTER, "ana")


# ---- other item sets, scoring ------------------------------------------------------------------


def test_competences_are_rated_by_list(bench):
    (usage_id,) = bench.usage_ids(COMPETENCES, TAG)
    page = bench.page(COMPETENCES, "ana")
    assert page.count('class="devisus-positioning-item"') == 21
    assert "T – Theoretical knowledge" in page and "S – Soft skills" in page
    ratings = {f"{letter}{n}": 3 for letter, count in (("T", 7), ("P", 8), ("S", 6)) for n in range(1, count + 1)}
    reply = _submit(bench, usage_id, "ana", ratings)
    assert _series(reply.data["html"]) == ["learner"]
    assert bench.call(usage_id, "save_draft", "bob", {"ratings": {"Pr1": 3}}).error == "Unknown item: Pr1"


def test_custom_list_with_participation_credit_publishes_a_grade(bench, caplog):
    (usage_id,) = bench.usage_ids(CUSTOM, TAG)
    caplog.set_level(logging.INFO, logger="workbench.runtime")
    reply = bench.call(usage_id, "save_draft", "ana", {"ratings": {"PAIR": 2}, "justifications": {"PAIR": "x" * 201}})
    assert reply.error == "The justification of PAIR is too long (at most 200 characters)."
    assert _events(caplog) == []

    _submit(bench, usage_id, "ana", {"PAIR": 2, "PEER": 4, "FIELD": 3, "ADAPT": 5})

    assert _events(caplog) == ["grade", "completion"]
    assert {"value": 1.0, "max_value": 1.0} in [record.msg for record in caplog.records]


def test_without_participation_credit_only_completion_is_published(bench, caplog):
    before_id, _after = _ids(bench)
    caplog.set_level(logging.INFO, logger="workbench.runtime")
    _submit(bench, before_id, "ana", principle_ratings())
    assert _events(caplog) == ["completion"]


# ---- constant cost -------------------------------------------------------------------------------


def test_save_draft_and_submit_cost_the_same_with_1_or_20_earlier_learners(bench):
    before_id, _after = _ids(bench)

    def cost(student):
        counts = []
        for handler, data in (
            ("save_draft", {"ratings": {"Pr1": 2}, "justifications": {"Pr1": "draft"}}),
            ("save_draft", {"ratings": principle_ratings(), "justifications": {"Pr2": "more"}}),
            ("submit", {"ratings": principle_ratings(1), "justifications": {"Pr2": "final"}, "confirm": True}),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert bench.call(before_id, handler, student, data).status == 200
            counts.append(len(queries))
        return counts

    _submit(bench, before_id, "learner0", principle_ratings())
    with_one = cost("measured1")
    for number in range(1, 20):
        _submit(bench, before_id, f"learner{number}", principle_ratings(number))
    with_twenty = cost("measured2")

    assert Positioning.objects.filter(status="submitted").count() == 22
    assert PositioningRating.objects.count() == 22 * 8
    assert with_one == with_twenty
    assert all(count > 0 for count in with_one)
