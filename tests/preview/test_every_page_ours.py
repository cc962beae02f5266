"""Every page of the preview is its own (base.html): block scenarios and error pages included.

Through Django's test client on the preview's URLs: a scenario page has the scenario as its
title, the chosen language, landmarks, both switches and none of the workbench's debugging
(fields, scenario XML, admin and reset links); the workbench's debugging URLs are gone; error
pages (400, 403, 404, 500) use the same template.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ..xblock_client import USAGE_ID, forget_scenarios, load_block_scenarios

pytestmark = pytest.mark.django_db(transaction=True)

SCENARIO = "devisus_glossary.1"  # the English reference glossary
# What xblock-sdk's workbench/templates/workbench/block.html shows under the block.
WORKBENCH_DEBUG = ("Scenario State", "Reset State", "reset_state", "/admin/", "&lt;devisus_glossary", "<pre>")


@pytest.fixture
def glossary(client):
    scenarios = load_block_scenarios("devisus_glossary")
    yield scenarios
    forget_scenarios()


@pytest.fixture
def client():
    yield Client(raise_request_exception=False)
    forget_scenarios()


def assert_preview_page(page: str, language: str) -> None:
    """The preview's frame: title, lang, landmarks, the language and the learner switch."""
    assert f'<html lang="{language}">' in page
    assert re.search(r"<title>[^<]+</title>", page)
    for landmark in ("<header", "<nav", '<main id="main"'):
        assert landmark in page, landmark
    assert 'class="devisus-preview-languages"' in page
    assert 'hreflang="fr"' in page and 'hreflang="en"' in page
    assert '<select id="devisus-preview-student" name="student">' in page


def test_a_scenario_page_is_the_previews_own(client, glossary):
    response = client.get(f"/scenario/{SCENARIO}/?student=bob&lang=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert_preview_page(page, "en")
    description = glossary[SCENARIO].description
    assert f"<title>{description} · DEVISUS course preview</title>" in page
    assert f"<h1>{description}</h1>" in page
    assert 'var studentId = "bob"' in page
    assert any(".devisus_glossary." in usage for usage in USAGE_ID.findall(page))
    for marker in WORKBENCH_DEBUG:
        assert marker not in page, marker
    # The blocks' JavaScript echoes this cookie to their handlers.
    assert response.cookies["csrftoken"].value


def test_a_scenario_page_follows_the_interface_language(client, glossary):
    page = client.get(f"/scenario/{SCENARIO}/?lang=fr").content.decode()
    assert_preview_page(page, "fr")
    assert "Aperçu du cours DEVISUS</title>" in page
    assert f'href="/scenario/{SCENARIO}/?lang=en&amp;student=alice"' in page


def test_the_studio_view_of_a_scenario_is_shown_without_debugging(client, glossary):
    page = client.get(f"/scenario/{SCENARIO}/studio_view/?student=staff").content.decode()
    assert_preview_page(page, "fr")
    assert "<code>studio_view</code>" in page
    for marker in WORKBENCH_DEBUG:
        assert marker not in page, marker


@pytest.mark.parametrize(
    "path",
    [
        "/scenario/no_such_scenario/",
        # XBlock's Runtime.render calls whatever attribute is named: only views are reachable.
        f"/scenario/{SCENARIO}/save/",
        f"/scenario/{SCENARIO}/force_save_fields/",
        # The workbench's debugging pages and its chromeless /view/ pages are not served.
        "/admin/",
        "/admin/workbench/xblockstate/",
        "/userlist/",
        f"/view/{SCENARIO}/",
    ],
)
def test_what_is_not_a_preview_page_is_a_404_page(client, glossary, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = response.content.decode()
    assert_preview_page(page, "en")
    assert "<h1>Page not found</h1>" in page
    assert "<title>Page not found – DEVISUS course preview</title>" in page


def test_the_reset_state_url_deletes_nothing(client, glossary):
    response = client.post("/reset_state", HTTP_REFERER="/")
    assert response.status_code == 404
    assert client.get(f"/scenario/{SCENARIO}/").status_code == 200


def test_a_404_page_switches_language_towards_the_index(client):
    page = client.get("/course/fr/no-such-unit/?student=carol", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert_preview_page(page, "fr")
    assert "<h1>Page introuvable</h1>" in page
    assert 'href="/?lang=en&amp;student=carol"' in page
    assert 'value="carol" selected' in page


def test_a_query_string_django_refuses_is_a_400_page(client):
    fields = "&".join(f"f{number}=1" for number in range(1_500))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.get(f"/?{fields}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert_preview_page(page, "en")
    assert "<h1>Bad request</h1>" in page


def test_a_handler_call_without_the_csrf_token_is_a_403_page(glossary):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")
    page = browser.get(f"/scenario/{SCENARIO}/").content.decode()
    usage = next(usage for usage in USAGE_ID.findall(page) if ".devisus_glossary." in usage)
    response = browser.post(f"/handler/{usage}/check/?student=alice", data="{}", content_type="application/json")
    assert response.status_code == 403
    page = response.content.decode()
    assert_preview_page(page, "fr")
    assert "<h1>Accès refusé</h1>" in page
    assert "jeton de sécurité" in page


def test_a_crashing_handler_is_a_500_page(client, glossary):
    page = client.get(f"/scenario/{SCENARIO}/").content.decode()
    usage = next(usage for usage in USAGE_ID.findall(page) if ".devisus_glossary." in usage)
    # The workbench raises NoSuchHandlerError (a 500) for a handler the block does not have.
    response = client.get(f"/handler/{usage}/no_such_handler/?student=alice", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    page = response.content.decode()
    assert_preview_page(page, "en")
    assert "<h1>Server error</h1>" in page


@pytest.mark.parametrize("language, other", [("fr", "en"), ("en", "fr")])
def test_course_pages_switch_to_the_same_page_of_the_other_course(client, language, other):
    outline = client.get(f"/course/{language}/?student=dave").content.decode()
    assert_preview_page(outline, language)
    assert f'href="/course/{other}/?lang={other}&amp;student=dave"' in outline
    unit = client.get(f"/course/{language}/m01_intro/?student=dave").content.decode()
    assert_preview_page(unit, language)
    assert f'href="/course/{other}/m01_intro/?lang={other}&amp;student=dave"' in unit
    assert client.get(f"/course/{other}/m01_intro/?lang={other}&student=dave").status_code == 200


def test_the_index_has_the_switches_in_its_header(client):
    page = client.get("/?lang=en&student=erin").content.decode()
    assert_preview_page(page, "en")
    header = page[page.index("<header") : page.index("</header>")]
    assert 'href="/?lang=fr&amp;student=erin"' in header
    assert 'aria-current="true">English</a>' in header


def test_a_learner_id_typed_in_the_address_is_shown_in_the_switch(client):
    page = client.get("/?student=ana").content.decode()
    assert '<option value="ana" selected>ana' in page
    assert 'value="alice" selected' not in page
