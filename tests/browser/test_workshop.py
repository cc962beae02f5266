"""The module 5 workshop (real ORA2) walked in Chromium through the preview's unit page by four
simulated learners: each writes and submits a response, assesses the three others (must_grade="3"),
assesses their own, with the comment per criterion the rubric requires, and reads their grade. The first has answered one problem of every response type before;
the progress page then shows each learner's workshop score and the course grade this test
computes from grading_policy.json (test_problems_and_progress.expected_grade). axe-core runs on
the whole page at each step.

ORA2's own templates (6.17.1) have four serious or critical axe findings, upstream's: an empty
header button on steps not yet available, a peer step's aria-controls naming a missing id, a
<div> inside the list of steps, links told apart by colour alone. The preview repairs them
(static/devisus_preview/workshop.js and preview.css), so the whole page must be clean.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from tests.browser_support import PageProbe

from .test_problems_and_progress import ANSWERED, answer_every_response_type, expected_grade

LEARNERS = ("alice", "bob", "carol", "dave")
OPTIONS = {"chain": "strong", "balance": "balanced", "feasibility": "realistic"}  # 7 out of 9
ORA = ".xblock-v1[data-block-type='openassessment']"


def _unit(preview_url: str, student: str) -> str:
    return f"{preview_url}/course/en/m05_workshop/?student={student}"


def _check_page(probe) -> None:
    assert probe.errors == [], probe.errors
    assert probe.axe_violations() == []  # the whole page, ORA2's markup included


def _fill_rubric(step) -> None:
    # feedback="required": ORA2 keeps the submit button disabled until every comment is written;
    # it checks again on change or keyup, so the comments come first and the levels last.
    for criterion in OPTIONS:
        step.locator(f"textarea[data-criterion-name='{criterion}']").fill(
            "Strength: a clear chain. Suggestion: add a macro indicator."
        )
    for criterion, option in OPTIONS.items():
        step.locator(f"input[type=radio][data-criterion-name='{criterion}'][value='{option}']").check()


@contextmanager
def _as(browser, preview_url: str, name: str):
    """The unit page, opened by one learner in their own browser window."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    probe = PageProbe(context.new_page())
    probe.page.goto(f"{preview_url}/course/en/m05_workshop/?student={name}")
    try:
        yield probe
    finally:
        context.close()


def test_four_learners_walk_the_workshop_and_read_their_grades_on_the_progress_page(own_preview_url, browser):
    preview_url = own_preview_url  # course grades are checked: nobody else's answers on this database
    with _as(browser, preview_url, LEARNERS[0]) as probe:
        answer_every_response_type(preview_url, probe, LEARNERS[0])

    for name in LEARNERS:
        with _as(browser, preview_url, name) as probe:
            page = probe.page
            answer = page.locator(".step--response textarea").first
            answer.wait_for()
            _check_page(probe)
            answer.fill(f"{name}: context, evaluative question, two criteria and their indicators.")
            page.locator("button.step--response__submit").click()
            page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
            page.locator(".step--response .step__status__value").filter(
                has_text=re.compile("Complete", re.I)
            ).wait_for()

    for _round in range(3):
        for name in LEARNERS:
            with _as(browser, preview_url, name) as probe:
                page = probe.page
                peer = page.locator(".step--peer-assessment")
                peer.locator("input[type=radio]").first.wait_for()
                _check_page(probe)
                assert f"{name}: context" not in peer.inner_text(), "a learner was given their own response"
                _fill_rubric(peer)
                assessed = peer.get_attribute("data-submission-uuid")
                peer.locator("button.peer-assessment--001__assessment__submit").click()
                # ORA2 renders the step again once the assessment is saved: another response, or none.
                page.wait_for_function(
                    "uuid => document.querySelector('.step--peer-assessment').dataset.submissionUuid !== uuid",
                    arg=assessed,
                )

    for name in LEARNERS:
        with _as(browser, preview_url, name) as probe:
            page = probe.page
            own = page.locator(".step--self-assessment")
            own.locator("input[type=radio]").first.wait_for()
            _fill_rubric(own)
            own.locator("button.self-assessment--001__assessment__submit").click()
            page.locator(".step--grade").filter(has_text="7 out of 9").wait_for()
            page.wait_for_load_state("networkidle")
            _check_page(probe)
            if name == LEARNERS[-1]:
                probe.screenshot("preview-workshop-grade")

    # The progress page: each learner's workshop score, and the course grade computed here.
    for name in LEARNERS:
        with _as(browser, preview_url, name) as probe:
            page = probe.page
            page.goto(f"{preview_url}/course/en/progress/?student={name}")
            workshop = page.locator(".devisus-preview-items tr").filter(has_text="(Workshop)")
            assert workshop.locator("td").nth(1).inner_text() == "7/9"
            expected, averages = expected_grade(ANSWERED if name == LEARNERS[0] else {}, (7, 9))
            assert float(page.locator(".devisus-preview-grade").get_attribute("data-percent")) == expected, name
            assert (
                page.locator("tr[data-type=Workshop] td").nth(2).inner_text() == f"{round(averages['Workshop'] * 100)}%"
            )
            assert probe.axe_violations() == [] and probe.errors == []
    with _as(browser, preview_url, "staff") as probe:
        probe.page.goto(f"{preview_url}/course/en/progress/?student=staff")
        for name in LEARNERS:
            row = probe.page.locator(f"tr[data-learner={name}]")
            expected, _averages = expected_grade(ANSWERED if name == LEARNERS[0] else {}, (7, 9))
            assert float(row.get_attribute("data-percent")) == expected, name
        assert probe.axe_violations() == []
        probe.screenshot("progress-with-workshop")
