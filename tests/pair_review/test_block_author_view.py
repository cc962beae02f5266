"""Studio's preview: ``author_view`` shows the settings, how the activity grades and the rubric,
in French and English, and never writes (Studio previews every author as one shared learner);
the workbench and the course preview still show ``student_view``."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import html as lxml_html

from devisus_xblocks.pair_review.block import PairReviewBlock
from devisus_xblocks.pair_review.models import Activity
from tests import studio_editor

from .block_support import CALIBRATED, DEFAULT_FR, SMALL, TAG, Block, bench, bench_fr, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]


def render(usage_id: str, view: str = "author_view", language: str = "en") -> tuple[str, list[str]]:
    """A view rendered by the workbench runtime for Studio's shared preview learner ('student'),
    and the SQL writes the rendering made. (The workbench's page itself is left out: its template
    prints ``{{ block }}``, whose repr reads every field and makes the workbench's store create
    empty rows.)"""
    from workbench.runtime import WorkbenchRuntime

    block = WorkbenchRuntime("student").get_block(usage_id)
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        fragment = block.render(view, {})
    return fragment.body_html(), writes(queries)


def author_page(bench, scenario: str, language: str = "en") -> tuple[str, list[str]]:
    return render(bench.usage_ids(scenario, TAG)[0], "author_view", language)


def author_root(page: str):
    tree = lxml_html.fromstring(page)
    return tree.xpath("//div[contains(concat(' ', @class, ' '), ' devisus-pair-review-author ')]")[0]


def settings_of(root) -> dict[str, str]:
    return {
        " ".join(row.xpath("./dt")[0].text_content().split()): " ".join(row.xpath("./dd")[0].text_content().split())
        for row in root.xpath(".//dl/div")
    }


def test_studio_renders_the_author_view():
    # cms/djangoapps/contentstore/views/preview.py: AUTHOR_VIEW if has_author_view(block) else STUDENT_VIEW
    assert PairReviewBlock.has_author_view is True


def test_author_view_shows_settings_grading_and_rubric_and_writes_nothing(bench):
    block = Block(bench, SMALL)
    due = {"submission_due": "2027-03-01T23:59:00+00:00", "review_due": "2027-03-15T23:59:00+01:00"}
    assert studio_editor.save(bench, SMALL, block.usage_id, "staff", due).status == 200

    page, written = author_page(bench, SMALL)
    assert written == []  # not even the activity row a learner's first visit creates
    root = author_root(page)
    assert root.xpath("./h2")[0].text_content() == "Small-group pair project"
    assert "nothing is recorded here" in root.text_content()
    assert settings_of(root) == {
        "Pairing": "Automatic: complementary profiles, first come first matched",
        "Shared pairs": "Pairs of this activity only",
        "Profiles": "Theory-oriented trainer and Field practitioner",
        "Who reviews": "Each learner reviews",
        "Reviews to give": "1",
        "Reviews needed for a grade": "1",
        "Hours to finish a review": "8",
        "Character limit of the joint work": "20000",
        "Comment length": "From 10 to 5000 characters for each criterion",
        "Submission due": "March 1, 2027, 11:59 p.m. UTC",
        "Reviews due": "March 15, 2027, 10:59 p.m. UTC",
        "Pair's own review": "Not offered",
        "Language of the default rubric": "English",
    }
    grading = [" ".join(li.text_content().split()) for li in root.xpath(".//section[2]//li")]
    assert grading[:4] == [
        "The median of the peer reviews on each criterion, weighted.",
        "Each review is weighted by its reviewer's accuracy: how close their assessments came to the reference levels "
        "of the calibration examples and to the trainer's reviews of the same submissions (agreement = 1 - the "
        "weighted mean of the gaps in points, each divided by the criterion's most points). The median is then "
        "the level where half the total weight is reached; without a known accuracy, the plain median.",
        "A submission is graded by its peers once 1 review is in.",
        "Flexible grading: 0 days after it is submitted, a submission with at least 1 review is graded with "
        "the reviews it has.",
    ]
    assert grading[-1].startswith("Every member of the pair gets the pair's grade, out of ")
    criteria = root.xpath(".//section[3]/ol/li")
    assert [" ".join(c.xpath("./h4")[0].text_content().split()) for c in criteria] == [
        "A plan the organisation can use (weight 60 %)",
        "Theory and field together (weight 40 %)",
    ]
    assert [" ".join(li.text_content().split()) for li in criteria[1].xpath("./ul/li")] == [
        "Side by side (1 point): Two views without dialogue.",
        "One voice (2 points): Each view enriches the other.",
    ]
    # read only: no script, so nothing on the preview can call a handler
    assert "DevisusPairReview" not in page and not root.xpath(".//button | .//textarea | .//input")
    ids = [e.get("id") for e in root.xpath(".//*[@id]")]
    assert len(ids) == len(set(ids))
    for section in root.xpath(".//section"):
        assert section.xpath(f".//*[@id='{section.get('aria-labelledby')}']")


def test_author_view_in_french(bench):
    page, written = author_page(bench, DEFAULT_FR, "fr")
    assert written == []
    root = author_root(page)
    found = settings_of(root)
    assert found["Formation des binômes"] == "Automatique : profils complémentaires, par ordre d'arrivée"
    assert found["Date limite de remise"] == "Pas de date limite"
    assert found["Date limite des évaluations"] == "Pas de date limite"
    assert found["Relecture par le binôme de son travail"] == "Proposée aux binômes, jamais notée"
    text = " ".join(root.text_content().split())
    assert "Comment l'activité est notée" in text
    assert "La médiane des évaluations des pairs sur chaque critère, pondérée." in text
    assert "Diagnostic et adaptation à la structure" in text  # the capstone rubric in French
    assert "rien n'est enregistré ici" in text


def test_author_view_names_the_settings_to_fix(bench):
    block = Block(bench, SMALL)
    from workbench.runtime import WorkbenchRuntime

    stored = WorkbenchRuntime("staff").get_block(block.usage_id)
    stored.reviews_required = 0
    stored.submission_due = "next Monday"
    stored.save()
    page, written = author_page(bench, SMALL)
    assert written == []
    root = author_root(page)
    problems = [" ".join(li.text_content().split()) for li in root.xpath(".//*[@role='alert']//li")]
    assert problems == [
        "The submission due date must be a date, a time and a time zone (ISO 8601), such as "
        "2027-03-01T23:59:00+00:00 for 23:59 UTC, or empty for no deadline; “next Monday” is not."
    ]
    assert settings_of(root)["Submission due"] == "next Monday"
    assert not root.xpath(".//section[h3[text()='Rubric']]")  # nothing is shown as if it worked


def test_the_workbench_still_shows_the_student_view(bench):
    """The workbench (and the course preview) render student_view: the learner's steps. Rendered
    for the shared preview learner, it writes (the activity row of a learner's first visit), which
    is why Studio must not show it."""
    page = bench.page(SMALL, "student")
    assert "Step 1 of 5: Choose your profile" in page and "nothing is recorded here" not in page
    usage_id = bench.usage_ids(SMALL, TAG)[0]
    Activity.objects.all().delete()  # as before anyone opened the activity
    _page, written = render(usage_id, "author_view")
    assert written == [] and not Activity.objects.exists()
    page, written = render(usage_id, "student_view")
    assert "Step 1 of 5: Choose your profile" in page
    assert [sql for sql in written if "devisus_pair_review_activity" in sql]


def test_author_view_tells_about_calibration_and_disagreements(bench):
    page, written = author_page(bench, CALIBRATED)
    assert written == []
    grading = [" ".join(li.text_content().split()) for li in author_root(page).xpath(".//section[2]//li")]
    assert "Before their first review, each reviewer assesses 2 calibration examples." in grading
    assert (
        "When the peer reviews' scores differ by more than 40 points, the submission waits for a trainer's review, "
        "which sets the grade." in grading
    )
