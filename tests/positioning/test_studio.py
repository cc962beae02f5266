"""Settings: OLX round trip and Studio editing with validation."""

from __future__ import annotations

import io
import json

import pytest
from django.utils import translation
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from devisus_course.typography import catalog_spacing as spaced

from .conftest import BEFORE_AFTER, TAG

SETTINGS = {
    "display_name": "Où j'en suis <vraiment> & pourquoi",
    "language": "en",
    "item_set": "custom",
    "custom_items": 'PAIR|Working as a pair\nPEER|Assessing peers "fairly"\nFIELD|Field cases & theory',
    "framework_id": "trainer-practice",
    "round": "after",
    "max_justification": 800,
    "participation_credit": True,
}


def _olx(settings: dict) -> str:
    element = etree.Element(TAG)
    for name, value in settings.items():
        element.set(name, json.dumps(value) if isinstance(value, bool) else str(value))
    return etree.tostring(element, encoding="unicode")


def _fields(block) -> dict:
    return {name: getattr(block, name) for name in SETTINGS}


@pytest.mark.django_db
def test_olx_round_trip_keeps_every_setting():
    runtime = WorkbenchRuntime("author")
    block = runtime.get_block(runtime.parse_xml_string(_olx(SETTINGS)))
    assert _fields(block) == SETTINGS

    exported = io.BytesIO()
    runtime.export_to_xml(block, exported)
    element = etree.fromstring(exported.getvalue())
    assert element.tag == TAG
    assert element.get("custom_items") == SETTINGS["custom_items"]

    again = runtime.get_block(runtime.parse_xml_string(etree.tostring(element)))
    assert _fields(again) == SETTINGS


@pytest.mark.django_db
def test_defaults_need_no_attribute():
    runtime = WorkbenchRuntime("author")
    block = runtime.get_block(runtime.parse_xml_string(f"<{TAG}/>"))
    assert (block.item_set, block.round, block.framework_id, block.max_justification) == (
        "principles",
        "before",
        "devisus-principles",
        500,
    )
    assert block.has_score is False and block.max_score() is None
    assert not block.validate().messages


@pytest.mark.django_db
def test_validation_names_every_defect():
    runtime = WorkbenchRuntime("author")
    olx = _olx(
        {
            "display_name": " ",
            "language": "de",
            "item_set": "custom",
            "custom_items": "A|a\nB",
            "framework_id": "Bad Id!",
            "round": "during",
            "max_justification": 10,
        }
    )
    block = runtime.get_block(runtime.parse_xml_string(olx))
    with translation.override("fr"):
        assert block.validate().messages[0].text == "Le nom affiché ne peut pas être vide."
    with translation.override("en"):
        messages = [message.text for message in block.validate().messages]
    assert messages == [
        "The display name cannot be empty.",
        "The language must be one of: fr, en.",
        "Custom items, line 2: write CODE|Label.",
        "The framework id must be at most 64 lowercase letters, digits, '-' or '_' (e.g. devisus-principles).",
        "The round must be one of: before, after.",
        "The justification limit must be from 50 to 2000 characters.",
    ]


@pytest.mark.django_db(transaction=True)
def test_studio_editor_refuses_invalid_settings_in_french_and_saves_valid_ones(bench_fr):
    before_id, _after = bench_fr.usage_ids(BEFORE_AFTER, TAG)
    studio = bench_fr.page(BEFORE_AFTER, "staff", view="studio_view")
    assert "Identifiant du référentiel" in studio and "Les 8 principes" in studio

    reply = bench_fr.call(
        before_id,
        "submit_studio_edits",
        "staff",
        {"values": {"item_set": "custom", "custom_items": "A|a"}, "defaults": []},
    )
    assert reply.status == 400
    assert spaced("Une liste personnalisée compte de 3 à 40 éléments (trouvés : 1).") in json.dumps(
        reply.data, ensure_ascii=False
    )
    assert bench_fr.call(before_id, "state", "ana").status == 200  # still the principles

    reply = bench_fr.call(
        before_id,
        "submit_studio_edits",
        "staff",
        {"values": {"item_set": "competences", "framework_id": "devisus-competences"}, "defaults": []},
    )
    assert reply.status == 200
    assert bench_fr.call(before_id, "save_draft", "ana", {"ratings": {"T1": 4}}).status == 200


@pytest.mark.django_db(transaction=True)
def test_learners_see_a_message_instead_of_a_broken_block(bench):
    before_id, _after = bench.usage_ids(BEFORE_AFTER, TAG)
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(before_id)
    block.framework_id = "x" * 65
    block.save()
    assert "This activity is not ready yet: The framework id must be at most 64" in bench.page(BEFORE_AFTER, "ana")
    reply = bench.call(before_id, "save_draft", "ana", {"ratings": {"Pr1": 3}})
    assert reply.status == 409
    assert reply.error.startswith("The framework id must be at most 64")
