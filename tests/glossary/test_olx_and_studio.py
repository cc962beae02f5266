"""OLX import/export round trip and Studio editing of the glossary block."""

from __future__ import annotations

import pytest
from django.utils import translation
from lxml import etree

from devisus_course.typography import catalog_spacing as spaced
from tests.glossary.conftest import GRADED
from tests.glossary.pages import practice_page
from tests.xblock_client import export_olx, olx_runtime, parse_olx

pytestmark = pytest.mark.django_db

SETTINGS = ("display_name", "language", "mode", "practice_size", "graded", "weight")
OLX = (
    '<devisus_glossary url_name="glossary_practice" display_name="Entraînement &amp; &lt;révision&gt;" '
    'language="en" mode="practice" practice_size="9" graded="true" weight="2.5"/>'
)


@pytest.fixture
def runtime(glossary_scenarios):
    return olx_runtime()


parse, export = parse_olx, export_olx


def test_olx_attributes_become_settings(runtime):
    block = parse(runtime, OLX)
    assert {name: getattr(block, name) for name in SETTINGS} == {
        "display_name": "Entraînement & <révision>",
        "language": "en",
        "mode": "practice",
        "practice_size": 9,
        "graded": True,
        "weight": 2.5,
    }
    assert block.has_score and block.max_score() == 1


def test_olx_round_trip_keeps_every_setting(runtime):
    first = parse(runtime, OLX)
    exported = export(runtime, first)
    node = etree.fromstring(exported)
    assert node.tag == "devisus_glossary"
    assert (node.get("language"), node.get("mode"), node.get("practice_size"), node.get("graded")) == (
        "en",
        "practice",
        "9",
        "true",
    )
    second = parse(runtime, exported)
    assert {name: getattr(second, name) for name in SETTINGS} == {name: getattr(first, name) for name in SETTINGS}
    assert etree.fromstring(export(runtime, second)).attrib == node.attrib


def test_defaults_are_not_exported_and_reference_mode_is_not_scored(runtime):
    block = parse(runtime, "<devisus_glossary/>")
    node = etree.fromstring(export(runtime, block))
    assert not set(SETTINGS) & set(node.attrib)
    assert (block.language, block.mode, block.practice_size, block.graded) == ("fr", "reference", 6, False)
    assert not block.has_score and block.max_score() is None


def test_validate_reports_an_out_of_range_practice_size(runtime):
    with translation.override("en"):
        messages = [
            m.text for m in parse(runtime, '<devisus_glossary mode="practice" practice_size="30"/>').validate().messages
        ]
        assert messages == ["Pairs per practice round must be a whole number from 4 to 24."]
        assert parse(runtime, '<devisus_glossary mode="practice" practice_size="24"/>').validate().messages == []
        graded_reference = parse(runtime, '<devisus_glossary graded="true"/>').validate()
        assert [m.type for m in graded_reference.messages] == ["error"]


def test_studio_view_lists_the_editable_settings(wb_fr):
    page = wb_fr.page(GRADED, "staff", view="studio_view")
    for name in SETTINGS:
        assert f'data-field-name="{name}"' in page
    # Choice labels are translated for the request (field names use the platform's ugettext,
    # a no-op in the workbench).
    assert spaced("Entraînement : associer les termes à leur définition") in page


def test_studio_refuses_invalid_settings_in_french_and_keeps_the_old_ones(wb_fr):
    block = wb_fr.usage_ids(GRADED, "devisus_glossary")[0]
    reply = wb_fr.call(block, "submit_studio_edits", "staff", {"values": {"practice_size": 30}, "defaults": []})
    assert reply.status == 400
    assert [m["text"] for m in reply.error["messages"]] == [
        "Le nombre de paires par série doit être un nombre entier de 4 à 24."
    ]
    assert len(practice_page(wb_fr.page(GRADED, "alice")).terms) == 6

    reply = wb_fr.call(
        block,
        "submit_studio_edits",
        "staff",
        {"values": {"practice_size": 4, "display_name": "  Vocabulaire  "}, "defaults": []},
    )
    assert reply.status == 200, reply.data
    page = wb_fr.page(GRADED, "alice")
    assert len(practice_page(page).terms) == 4
    assert ">Vocabulaire</h2>" in page
