"""Studio's preview: ``author_view`` shows the settings and the items, in French and English,
without cohort data and without touching the database (Studio previews every author as one
shared learner); the workbench and the course preview still show ``student_view``."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import html as lxml_html

from devisus_course.framework import load_framework
from devisus_xblocks.positioning.block import SelfPositioningBlock

from .conftest import BEFORE_AFTER, COMPETENCES, CUSTOM, TAG, principle_ratings

pytestmark = pytest.mark.django_db(transaction=True)

FRENCH = f"{TAG}.3"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def render(usage_id: str, view: str = "author_view", language: str = "en", student: str = "student"):
    """A view rendered by the workbench runtime for Studio's shared preview learner ('student'),
    with the SQL it ran."""
    from workbench.runtime import WorkbenchRuntime

    block = WorkbenchRuntime(student).get_block(usage_id)
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        fragment = block.render(view, {})
    return fragment.body_html(), [q["sql"] for q in queries.captured_queries]


def author_root(page: str):
    tree = lxml_html.fromstring(page)
    return tree.xpath("//div[contains(concat(' ', @class, ' '), ' devisus-positioning-author ')]")[0]


def texts(elements) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def settings_of(root) -> dict[str, str]:
    return dict(zip(texts(root.xpath(".//dl/div/dt")), texts(root.xpath(".//dl/div/dd")), strict=True))


def test_studio_renders_the_author_view():
    # cms/djangoapps/contentstore/views/preview.py: AUTHOR_VIEW if has_author_view(block) else STUDENT_VIEW
    assert SelfPositioningBlock.has_author_view is True


def test_author_view_shows_settings_and_items_and_no_cohort_data(bench):
    before_id, after_id = bench.usage_ids(BEFORE_AFTER, TAG)
    for number in range(5):  # enough answers for the cohort average to be shown to learners
        assert (
            bench.call(
                before_id, "submit", f"learner{number}", {"ratings": principle_ratings(number), "confirm": True}
            ).status
            == 200
        )
    assert "Cohort average (5 learners)" in bench.page(BEFORE_AFTER, "learner0")

    page, queries = render(after_id, student="staff")  # even course staff see no cohort data there
    assert not [sql for sql in queries if WRITES.match(sql)]
    assert not [sql for sql in queries if "devisus_positioning" in sql]  # no learner's or cohort's row read
    root = author_root(page)
    assert texts(root.xpath("./h2")) == ["Where I stand on the 8 principles (end of course)"]
    assert settings_of(root) == {
        "Items": "The 8 principles",
        "Round": "After: compared with the first",
        "Framework id": "devisus-principles",
        "Language of the items": "English",
        "Justification length limit": "500 characters",
        "Participation credit": "None: nothing is graded.",
    }
    principles = load_framework("en").principles
    assert "Learners rate themselves from 1 to 5 on 8 items." in texts(root.xpath(".//p"))
    assert texts(root.xpath(".//section[2]//li")) == [f"{p.code} {p.title}" for p in principles]
    text = root.text_content()
    assert "Cohort average" not in text and "respondents" not in text and "learner0" not in text
    assert not root.xpath(".//svg | .//table")  # no chart, no data table
    assert "devisus-positioning-download" not in page and "DevisusSelfPositioning" not in page
    assert not root.xpath(".//button | .//input | .//textarea | .//form")


def test_author_view_of_the_competences_groups_the_items(bench):
    (usage_id,) = bench.usage_ids(COMPETENCES, TAG)
    root = author_root(render(usage_id)[0])
    framework = load_framework("en")
    assert texts(root.xpath(".//section[2]/h4")) == [f"{g.code} – {g.title}" for g in framework.competence_lists]
    for heading in root.xpath(".//section[2]/h4"):
        (items,) = root.xpath(f".//ul[@aria-labelledby='{heading.get('id')}']")
        assert items.xpath("./li")


def test_author_view_in_french(bench):
    (usage_id,) = bench.usage_ids(FRENCH, TAG)
    page, queries = render(usage_id, language="fr")
    assert not [sql for sql in queries if WRITES.match(sql)]
    root = author_root(page)
    found = settings_of(root)
    assert found["Éléments"] == "Les 8 principes"
    assert found["Tour"] == "Avant : premier positionnement"
    assert found["Identifiant du référentiel"] == "devisus-principes-fr"
    assert found["Langue des éléments"] == "Français"
    assert found["Longueur maximale des justifications"] == "500 caractères"
    assert "Les apprenant·es se positionnent de 1 à 5 sur 8 éléments." in texts(root.xpath(".//p"))
    principles = load_framework("fr").principles
    assert texts(root.xpath(".//section[2]//li")) == [f"{p.code} {p.title}" for p in principles]
    assert "rien n'est enregistré ici" in root.text_content()


def test_author_view_names_the_settings_to_fix(bench):
    (usage_id,) = bench.usage_ids(CUSTOM, TAG)
    from workbench.runtime import WorkbenchRuntime

    block = WorkbenchRuntime("staff").get_block(usage_id)
    block.custom_items = "A|a"
    block.save()
    root = author_root(render(usage_id)[0])
    assert texts(root.xpath(".//*[@role='alert']//li")) == ["A custom list needs from 3 to 40 items (found 1)."]
    assert settings_of(root)["Participation credit"] == "Submitting earns full credit; the answers are never graded."
    assert not root.xpath(".//section[2]")  # no item list shown as if it worked


def test_the_workbench_still_shows_the_student_view(bench):
    page = bench.page(BEFORE_AFTER, "ana")
    assert "Rate where you stand today on each item" in page and "nothing is recorded here" not in page
