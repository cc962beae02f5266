"""Calibration and accuracy-weighted grades through the block's handlers (workbench runtime), the
"needs trainer" list on the dashboard, and the calibration examples in OLX and Studio."""

from __future__ import annotations

import pytest
from lxml import etree

from devisus_xblocks.pair_review.models import AccuracySample, Submission
from devisus_xblocks.pair_review.scenarios import SCENARIOS
from tests.xblock_client import export_olx, olx_runtime, parse_olx

from .block_support import CALIBRATED, SMALL, TAG, Block, bench, scenarios  # noqa: F401 - fixtures
from .test_block_handlers import refused

pytestmark = pytest.mark.django_db(transaction=True)

MATCHING = {  # the reference levels of the scenario's two examples
    "funder-plan": {"plan": "partly", "pair": "apart"},
    "shared-plan": {"plan": "fully", "pair": "joined"},
}


@pytest.fixture
def block(bench):
    return Block(bench, CALIBRATED)


def submitted(block):
    block.pair("ana", "bob")
    block.pair("cy", "dee")
    block.write_and_submit("ana", "Plan of ana and bob")
    block.write_and_submit("cy", "Plan of cy and dee")


def calibrate(block, student, levels):
    for example_id in ("funder-plan", "shared-plan"):
        block.ok("calibrate", student, {"example_id": example_id, "choices": levels[example_id]})


def review(block, student, choices):
    task = block.ok("next_review", student)["state"]["review"]["task"]
    comments = dict.fromkeys(choices, "One strength, and one suggestion.")
    data = {"assignment_id": task["assignment_id"], "choices": choices, "comments": comments}
    return block.ok("submit_review", student, data)["state"]


def test_a_reviewer_calibrates_before_the_first_review(block):
    submitted(block)
    state = block.state("ana")
    assert state["step"] == "review"
    assert (state["calibration"]["count"], state["calibration"]["done"]) == (2, 0)
    assert state["calibration"]["pending"]["id"] == "funder-plan"
    assert (
        refused(block, "next_review", "ana", status=409) == "Assess the calibration examples before your first review."
    )
    assert 'data-form="calibrate"' in block.page("ana") and 'data-action="next-review"' not in block.page("ana")

    reply = block.ok("calibrate", "ana", {"example_id": "funder-plan", "choices": {"plan": "fully", "pair": "apart"}})
    assert reply["message"].startswith("Your assessment of the example is recorded")
    result = reply["state"]["calibration"]["results"][0]
    assert result["agreement"] == "60.0%"  # "fully" for "partly": 2 of 3 points off on the 60 % criterion
    assert [(row["yours"], row["reference"], row["same"]) for row in result["criteria"]] == [
        ("Fully", "Partly", False),
        ("Side by side", "Side by side", True),
    ]
    assert "It answers the funder&#39;s question, not the organisation&#39;s own." in reply["html"]
    assert reply["state"]["calibration"]["pending"]["id"] == "shared-plan"

    block.ok("calibrate", "ana", {"example_id": "shared-plan", "choices": MATCHING["shared-plan"]})
    assert block.state("ana")["calibration"]["pending"] is None
    assert block.ok("next_review", "ana")["state"]["review"]["task"]["text"] == "Plan of cy and dee"


@pytest.mark.parametrize(
    "data, status, message",
    [
        (
            {"example_id": "shared-plan-of-another-block", "choices": {"plan": "fully", "pair": "joined"}},
            404,
            "This calibration example does not exist in this activity.",
        ),
        ({"example_id": "funder-plan", "choices": {"plan": "fully"}}, 400, "Choose a level for every criterion."),
        (
            {"example_id": "funder-plan", "choices": {"plan": "fully", "pair": "c1"}},
            400,
            "Choose a level for every criterion.",
        ),
        ({"example_id": ["funder-plan"], "choices": {}}, 400, None),
        ({"choices": {"plan": "fully", "pair": "joined"}}, 400, None),
    ],
)
def test_bad_calibration_answers_get_a_clear_4xx_and_change_nothing(block, data, status, message):
    submitted(block)
    text = refused(block, "calibrate", "ana", data, status=status)
    assert text if message is None else text == message
    assert not AccuracySample.objects.exists()


def test_calibration_answers_for_a_block_without_examples_are_refused(bench):
    small = Block(bench, SMALL)
    small.pair("ana", "bob")
    small.write_and_submit("ana", "Plan")
    assert refused(
        small, "calibrate", "ana", {"example_id": "funder-plan", "choices": MATCHING["funder-plan"]}, status=404
    )
    assert small.state("ana")["calibration"] is None


def test_disagreeing_reviews_go_to_the_trainer_who_sees_each_reviewers_accuracy(block):
    submitted(block)
    calibrate(block, "ana", MATCHING)  # accuracy 100 %
    calibrate(
        block, "bob", {"funder-plan": {"plan": "fully", "pair": "joined"}, "shared-plan": MATCHING["shared-plan"]}
    )
    calibrate(block, "cy", MATCHING)
    calibrate(block, "dee", MATCHING)
    review(block, "ana", {"plan": "fully", "pair": "joined"})  # cy and dee's plan: 100 %
    review(block, "bob", {"plan": "partly", "pair": "apart"})  # 40 %: 60 points apart, threshold 40
    review(block, "cy", {"plan": "mostly", "pair": "joined"})
    review(block, "dee", {"plan": "mostly", "pair": "joined"})

    waiting = Submission.objects.get(text="Plan of cy and dee")
    assert (waiting.needs_trainer_reason, waiting.grade) == ("60;40;100", None)
    dashboard = block.ok("staff_state", "staff")["html"]
    assert "1 pair needs the trainer (the reviews disagree)" in dashboard
    assert "Needs the trainer: the peer reviews differ by 60 points (from 40.0% to 100.0%)." in dashboard
    assert "accuracy as a reviewer 100.0%" in dashboard  # ana
    assert "accuracy as a reviewer 70.0%" in dashboard  # bob: 40 % on one example, 100 % on the other

    pair_id = block.state("cy")["pairing"]["pair_id"]
    detail = block.ok("staff_pair", "staff", {"pair_id": pair_id})["detail"]
    assert "This reviewer&#39;s accuracy: 100.0%" in detail and "This reviewer&#39;s accuracy: 70.0%" in detail
    assert "Your review below sets the grade." in detail

    comments = {"plan": "Adapted, chosen by the team.", "pair": "Both views meet in each step."}
    block.ok(
        "trainer_review",
        "staff",
        {"submission_id": waiting.id, "choices": {"plan": "mostly", "pair": "joined"}, "comments": comments},
    )
    waiting.refresh_from_db()
    assert (waiting.grade, waiting.grade_source) == (0.8, "trainer")  # the trainer's review decides
    assert "0 pairs need the trainer" in block.ok("staff_state", "staff")["html"]
    # the other pair's work: two agreeing reviews by reviewers of equal accuracy: their median
    other = Submission.objects.get(text="Plan of ana and bob")
    assert (other.grade, other.grade_source, other.needs_trainer_reason) == (0.8, "peer", "")


def test_calibration_examples_round_trip_through_olx(scenarios):
    runtime = olx_runtime()
    first = parse_olx(runtime, SCENARIOS[7][1])
    assert [e["id"] for e in first.calibration] == ["funder-plan", "shared-plan"]
    assert first.calibration[0]["levels"] == MATCHING["funder-plan"]
    assert first.calibration[0]["comments"]["plan"] == "It answers the funder's question, not the organisation's own."
    assert first.validate().messages == []
    exported = export_olx(runtime, first)
    node = etree.fromstring(exported)
    assert [child.tag for child in node] == ["rubric", "calibration"] and "calibration" not in node.attrib
    second = parse_olx(runtime, exported)
    assert (second.calibration, second.rubric) == (first.calibration, first.rubric)
    assert export_olx(runtime, second) == exported


@pytest.mark.parametrize(
    "inner, problem",
    [
        ("<calibration><sample/></calibration>", "holds <example> elements only"),
        ("<calibration><example id='a'><score/></example></calibration>", "holds <label>, <text> and <answer>"),
        ("<calibration><example id='a'><text>x<b>y</b></text></example></calibration>", "plain text only"),
        ("<calibration/><calibration/>", "holds one <rubric> and one <calibration> only"),
        ("<calibration>" + "<example id='a'><text>x</text></example>" * 4 + "</calibration>", "at most 3"),
    ],
)
def test_malformed_calibration_olx_is_refused(scenarios, inner, problem):
    with pytest.raises(ValueError, match=problem):
        parse_olx(olx_runtime(), f"<{TAG}>{inner}</{TAG}>")


def test_examples_that_do_not_fit_the_rubric_are_reported_by_validation(scenarios):
    xml = SCENARIOS[7][1].replace('level="joined"', 'level="perfect"')
    block = parse_olx(olx_runtime(), xml)
    assert [m.text for m in block.validate().messages] == ["Calibration example 2 needs a level for every criterion."]


def test_studio_saves_valid_examples_and_refuses_invalid_ones(bench):
    usage = bench.usage_ids(CALIBRATED, TAG)[0]
    good = [{"id": "only", "title": "One", "text": "A work.", "levels": {"plan": "mostly", "pair": "apart"}}]
    bad = good + [{"id": "only", "text": "", "levels": {"plan": "mostly"}}]
    reply = bench.call(usage, "submit_studio_edits", "staff", {"values": {"calibration": bad}, "defaults": []})
    assert reply.status == 400
    assert [m["text"] for m in reply.error["messages"]] == [
        "Calibration example 2 needs its own short id (letters, digits, - and _).",
        "Calibration example 2 needs a text of at most 20000 characters.",
        "Calibration example 2 needs a level for every criterion.",
    ]
    reply = bench.call(usage, "submit_studio_edits", "staff", {"values": {"calibration": good}, "defaults": []})
    assert reply.status == 200, reply
    block = Block(bench, CALIBRATED)
    submitted(block)
    calibration = block.state("ana")["calibration"]
    assert (calibration["count"], calibration["pending"]["id"]) == (1, "only")
