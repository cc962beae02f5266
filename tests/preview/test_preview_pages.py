"""The preview's pages through Django's test client, on the committed course/ trees."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from devisus_course.preview.course_tree import read_course
from devisus_course.preview.views import SIMULATED_USERS

from ..test_build_cli import REPO
from ..xblock_client import forget_scenarios

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client():
    yield Client()
    # The course's block scenarios were registered in this test's (now emptied) database.
    forget_scenarios()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_unit_page_loads_in_course_order(client, language):
    course = read_course(REPO / "course" / language)
    outline = client.get(f"/course/{language}/?student=alice")
    assert outline.status_code == 200
    hrefs = re.findall(rf'href="/course/{language}/([^/"]+)/', outline.content.decode())
    # The header links to the progress page first, then the outline lists the units.
    assert hrefs[0] == "progress"
    assert hrefs[1:] == [unit.url_name for unit in course.units]
    for index, unit in enumerate(course.units):
        response = client.get(f"/course/{language}/{unit.url_name}/?student=alice")
        assert response.status_code == 200, unit.url_name
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert ('rel="next"' in page) == (index + 1 < len(course.units))
        assert ('rel="prev"' in page) == (index > 0)


def test_video_and_discussion_are_shown_as_labelled_summaries(client):
    course = read_course(REPO / "course" / "en")
    unit = next(u for u in course.units if any(c.category == "video" for c in u.components))
    page = client.get(f"/course/en/{unit.url_name}/").content.decode()
    assert "Video (plays in Open edX):" in page


def test_problems_are_rendered_by_the_real_problem_block(client):
    course = read_course(REPO / "course" / "en")
    unit = next(u for u in course.units if any(c.category == "problem" for c in u.components))
    problem = next(c for c in unit.components if c.category == "problem")
    page = client.get(f"/course/en/{unit.url_name}/?student=bob").content.decode()
    # The problem block's own wrapper, with its ajax URL for this learner and its scripts.
    assert f'id="problem_{problem.url_name}"' in page
    assert f'data-url="/course/en/problems/bob/{problem.url_name}"' in page
    assert "data-init='Problem'" in page or 'data-init="Problem"' in page
    assert "/problem-resource/public/js/ProblemBlockDisplay.js" in page


def test_custom_blocks_are_rendered_by_the_workbench_runtime(client):
    course = read_course(REPO / "course" / "fr")
    unit = next((u for u in course.units if any(c.category.startswith("devisus_") for c in u.components)), None)
    if unit is None:
        pytest.fail("the course has no custom block to preview")
    page = client.get(f"/course/fr/{unit.url_name}/?student=bob").content.decode()
    custom = next(c for c in unit.components if c.category.startswith("devisus_"))
    assert f"data-block-type='{custom.category}'" in page or f'data-block-type="{custom.category}"' in page
    assert 'var studentId = "bob"' in page


def test_index_lists_scenarios_courses_and_switches_language(client):
    french = client.get("/?lang=fr&student=carol").content.decode()
    assert "Le cours" in french and "devisus_glossary.0" in french
    assert all(f'value="{user}"' in french for user in SIMULATED_USERS)
    english = client.get("/?lang=en").content.decode()
    assert "The course" in english and "/course/en/" in english and "/course/fr/" in english


def test_unknown_unit_or_language_is_404(client):
    assert client.get("/course/fr/nope/").status_code == 404
    assert client.get("/course/de/").status_code == 404


def test_simulated_user_is_sanitised(client):
    page = client.get("/?student=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'var studentId = "alice"' in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_course_diagrams_are_served_from_the_built_course(client, language):
    """/static/ links of HTML components point to the built course's files, as Open edX rewrites
    them to course assets; the preview serves them, so a page never shows a broken image."""
    page = client.get(f"/course/{language}/m03_impact_approaches/").content.decode()
    assert (
        f'src="/course/{language}/static/impact-value-chain.svg"' in page
        and 'src="/static/impact-value-chain.svg"' not in page
    )
    image = client.get(f"/course/{language}/static/impact-value-chain.svg")
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert b'role="img"' in b"".join(image.streaming_content)
    assert client.get(f"/course/{language}/static/nothing.svg").status_code == 404
    assert client.get(f"/course/{language}/static/..%2Fcourse.xml").status_code == 404
