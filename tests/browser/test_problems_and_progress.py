"""A learner answers the course's problems in Chromium (the real problem block and its JavaScript),
then reads the progress page; the expected grade is computed here from grading_policy.json."""

from __future__ import annotations

import json
import math

from lxml import etree

from ..problem_keys import responses
from .conftest import REPO

COURSE = REPO / "course" / "en"
# Not one of the workshop's learners (test_workshop.py), whose progress includes the workshop.
LEARNER = "dave"
# The weighted scores answer_every_response_type leaves: right last, except q6 (wrong twice).
ANSWERED = {"m01_check_q1": 1.0, "m01_check_q2": 1.0, "m01_check_q3": 1.0, "m01_check_q6": 0.0, "m02_check_q2": 1.0}


def _problem_xml(url_name: str) -> str:
    return (COURSE / "problem" / f"{url_name}.xml").read_text(encoding="utf-8")


def _answer(page, url_name: str, pick: str) -> str:
    """Fill every response of the problem with its right or wrong answer, submit, and return the
    problem's text once the block has shown the result."""
    wrapper = page.locator(f"#problem_{url_name}")
    selects = wrapper.locator("select")
    texts = wrapper.locator("input[type=text]")
    select_index = text_index = 0
    for response in responses(_problem_xml(url_name)):
        value = getattr(response, pick)
        if response.kind == "multiple choice":
            wrapper.locator(f"input[type=radio][value={value}]").check()
        elif response.kind == "checkboxes":
            for box in wrapper.locator("input[type=checkbox]").all():
                box.set_checked(box.get_attribute("value") in value)
        elif response.kind == "drop-down":
            selects.nth(select_index).select_option(label=value)
            select_index += 1
        else:
            texts.nth(text_index).fill(value)
            text_index += 1
    # The block draws the problem again with its result: a notification already on the page (from
    # an earlier answer) is marked, so that only the new one is waited for.
    wrapper.evaluate(
        "w => w.querySelectorAll('.notification-message, .notification').forEach(n => n.dataset.stale = '1')"
    )
    with page.expect_response(lambda r: r.url.endswith(f"/{url_name}/problem_check")):
        wrapper.locator("button.submit").click()
    wrapper.locator(".notification-message:not([data-stale]), .notification:not([data-stale])").first.wait_for()
    return wrapper.inner_text()


def _show_answer(page, url_name: str) -> str:
    wrapper = page.locator(f"#problem_{url_name}")
    with page.expect_response(lambda r: r.url.endswith(f"/{url_name}/problem_show")):
        wrapper.locator("button.show").click()
    wrapper.locator(".detailed-solution").first.wait_for()
    return wrapper.locator(".detailed-solution").first.inner_text()


def _solution_text(url_name: str) -> str:
    solution = etree.fromstring(_problem_xml(url_name).encode("utf-8")).find("solution")
    return " ".join("".join(solution.itertext()).split())


# --- The expected grade, computed by hand from the course files (not with the preview's code). ---


def _round_half_away(number: float) -> float:
    return math.floor(number + 0.5)


def _workshop_possible(element) -> float:
    """An unanswered ORA's points: its ``weight``, or else the sum of its rubric's best options."""
    if element.get("weight") is not None:
        return float(element.get("weight"))
    return float(
        sum(max(int(o.get("points")) for o in criterion.iter("option")) for criterion in element.iter("criterion"))
    )


def expected_grade(
    earned_by_problem: dict[str, float], workshop_raw: tuple[float, float] | None = None
) -> tuple[float, dict[str, float]]:
    """Course percent and per-type averages, given the learner's weighted score per problem and
    their raw workshop (ORA) score, if any."""
    policy = json.loads(next(COURSE.glob("policies/*/grading_policy.json")).read_text(encoding="utf-8"))
    course_xml = etree.parse(str(COURSE / "course.xml")).getroot()
    course = etree.parse(str(COURSE / "course" / f"{course_xml.get('url_name')}.xml")).getroot()
    percents_by_type: dict[str, list[float]] = {}
    for chapter_ref in course.iter("chapter"):
        chapter = etree.parse(str(COURSE / "chapter" / f"{chapter_ref.get('url_name')}.xml")).getroot()
        for sequential_ref in chapter.iter("sequential"):
            sequential = etree.parse(str(COURSE / "sequential" / f"{sequential_ref.get('url_name')}.xml")).getroot()
            if sequential.get("graded") != "true":
                continue
            earned = possible = 0.0
            for vertical_ref in sequential.iter("vertical"):
                vertical = etree.parse(str(COURSE / "vertical" / f"{vertical_ref.get('url_name')}.xml")).getroot()
                for problem_ref in vertical.iter("problem"):
                    name = problem_ref.get("url_name")
                    weight = float(etree.fromstring(_problem_xml(name).encode()).get("weight"))
                    earned += earned_by_problem.get(name, 0.0)
                    possible += weight
                # The LMS takes a published ORA score as it is (edx-platform grades/scores.py).
                for workshop in vertical.iter("openassessment"):
                    earned += workshop_raw[0] if workshop_raw else 0.0
                    possible += workshop_raw[1] if workshop_raw else _workshop_possible(workshop)
                # Pair reviews: nobody has a grade in this fresh preview; 0 of their points.
                for review in vertical.iter("devisus_pair_review"):
                    possible += float(review.get("points", 100))
            percent = round(earned / possible, 2) if possible else 0.0
            percents_by_type.setdefault(sequential.get("format"), []).append(percent)
    total, averages = 0.0, {}
    for entry in policy["GRADER"]:
        scores = percents_by_type.get(entry["type"], [])
        scores = scores + [0.0] * max(0, int(entry["min_count"]) - len(scores))
        kept = sorted(scores, reverse=True)[: len(scores) - int(entry["drop_count"])]
        averages[entry["type"]] = sum(kept) / len(kept) if kept else 0.0
        total += averages[entry["type"]] * float(entry["weight"])
    return _round_half_away(total * 100 + 0.05) / 100, averages


def answer_every_response_type(preview_url: str, probe, learner: str) -> None:
    """The learner answers one problem of every response type the course uses, wrong and right,
    in the browser; the scores left are ANSWERED."""
    page = probe.page
    page.goto(f"{preview_url}/course/en/m01_check/?student={learner}")
    page.wait_for_load_state("networkidle")

    # Multiple choice: wrong, then right on the second and last attempt; then the explanation.
    assert "Incorrect" in _answer(page, "m01_check_q1", "wrong")
    assert "Correct" in _answer(page, "m01_check_q1", "right")
    explanation = _show_answer(page, "m01_check_q1")
    assert " ".join(explanation.split())[:60] in _solution_text("m01_check_q1")
    # Checkboxes and six drop-downs: wrong, then right (the last score counts).
    assert "Incorrect" in _answer(page, "m01_check_q2", "wrong")
    assert "Correct" in _answer(page, "m01_check_q2", "right")
    wrong_drop_downs = _answer(page, "m01_check_q3", "wrong")
    assert "Incorrect" in wrong_drop_downs and "0/1 point" in wrong_drop_downs
    assert "Correct" in _answer(page, "m01_check_q3", "right")
    # Text: wrong twice; the explanation is offered only once the two attempts are used.
    assert "Incorrect" in _answer(page, "m01_check_q6", "wrong")
    assert page.locator("#problem_m01_check_q6 button.show").count() == 0
    assert "Incorrect" in _answer(page, "m01_check_q6", "wrong")
    assert "self-evaluation" in _show_answer(page, "m01_check_q6")
    assert probe.axe_violations() == []
    probe.screenshot("problems-answered")

    # Numerical input, on another unit; then a reload keeps the answer and the score.
    page.goto(f"{preview_url}/course/en/m02_check/?student={learner}")
    page.wait_for_load_state("networkidle")
    assert "Incorrect" in _answer(page, "m02_check_q2", "wrong")
    assert "Correct" in _answer(page, "m02_check_q2", "right")
    page.reload()
    page.wait_for_load_state("networkidle")
    kept = page.locator("#problem_m02_check_q2")
    assert kept.locator("input[type=text]").input_value() == responses(_problem_xml("m02_check_q2"))[0].right
    assert "1.0/1.0 point" in kept.inner_text()
    assert probe.errors == [], "\n".join(probe.errors)


def test_a_learner_answers_every_response_type_and_reads_the_grade(preview_url, probe):
    answer_every_response_type(preview_url, probe, LEARNER)
    page = probe.page
    # The progress page: the grade the course's policy gives these answers.
    expected, averages = expected_grade(ANSWERED)
    page.goto(f"{preview_url}/course/en/progress/?student={LEARNER}")
    grade = page.locator(".devisus-preview-grade")
    assert float(grade.get_attribute("data-percent")) == expected
    assert f"{round(expected * 100)}%" in grade.inner_text()
    quiz_row = page.locator("tr[data-type=Quiz] td").nth(2)
    assert quiz_row.inner_text() == f"{round(averages['Quiz'] * 100)}%"
    assert probe.axe_violations() == []
    probe.screenshot("progress-learner")

    # A trainer sees every learner; another learner's grade is untouched.
    page.goto(f"{preview_url}/course/en/progress/?student=staff")
    assert float(page.locator(f"tr[data-learner={LEARNER}]").get_attribute("data-percent")) == expected
    assert float(page.locator("tr[data-learner=erin]").get_attribute("data-percent")) == 0.0
    assert probe.axe_violations() == []
    assert probe.errors == []


def test_problems_and_progress_page_fit_a_phone_and_are_translated(preview_url, browser):
    context = browser.new_context(viewport={"width": 320, "height": 720}, locale="fr-FR")
    page = context.new_page()
    try:
        for student in ("alice", "staff"):
            page.goto(f"{preview_url}/course/fr/progress/?student={student}&learner=alice")
            assert page.locator("h1").inner_text().startswith("Progression")
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
        # Drop-downs with long options (m01, m02) and a numerical input (m02) in the problem block.
        for unit in ("m01_check", "m02_check"):
            page.goto(f"{preview_url}/course/fr/{unit}/?student=alice")
            page.wait_for_load_state("networkidle")
            assert page.locator(".problems-wrapper").count() >= 7
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, unit
    finally:
        context.close()
