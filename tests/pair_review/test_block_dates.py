"""Due dates keep their time: through Studio's settings editor (as its JavaScript saves them),
through OLX import and export and the course builder, from values stored by earlier versions,
and in the learner's and the trainer's views."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.pair_review import config
from tests import studio_editor
from tests.xblock_client import export_olx, olx_runtime, parse_olx

from .block_support import DEFAULT_FR, ENGLISH, TAG, Block, bench, bench_fr, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

DUE = "2027-03-01T23:59:00+00:00"
REVIEWS_DUE = "2027-03-15T23:59:00+00:00"
DUE_AT = datetime(2027, 3, 1, 23, 59, tzinfo=UTC)


def stored_block(usage_id: str):
    from workbench.runtime import WorkbenchRuntime

    return WorkbenchRuntime("staff").get_block(usage_id)


def store(usage_id: str, **values) -> None:
    """Field values as the modulestore holds them (e.g. written by an earlier version)."""
    block = stored_block(usage_id)
    for name, value in values.items():
        setattr(block, name, value)
    block.save()


def shown_in_editor(bench, scenario: str, usage_id: str) -> dict:
    rows = studio_editor.editor_fields(bench.page(scenario, "staff", view="studio_view"), usage_id)
    return {name: rows[name]["shown"] for name in config.DUE_FIELDS}


def studio_errors(reply) -> list[str]:
    assert reply.status == 400, reply
    return [message["text"] for message in reply.error["messages"]]


def test_a_studio_save_of_other_settings_keeps_the_deadline_time(bench):
    """Studio's editor sends every set field back as it shows it (tests/studio_editor.py)."""
    block = Block(bench, ENGLISH)
    reply = studio_editor.save(
        bench, ENGLISH, block.usage_id, "staff", {"submission_due": DUE, "review_due": REVIEWS_DUE}
    )
    assert reply.status == 200, reply
    assert shown_in_editor(bench, ENGLISH, block.usage_id) == {"submission_due": DUE, "review_due": REVIEWS_DUE}

    reply = studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"char_limit": "30000"})  # dates untouched
    assert reply.status == 200, reply
    block.pair("ana", "bob")
    assert block.state("ana")["deadlines"] == {
        "submission": "March 1, 2027, 11:59 p.m. UTC",
        "review": "March 15, 2027, 11:59 p.m. UTC",
        "submission_passed": False,
        "review_passed": False,
    }
    assert "Submit before March 1, 2027, 11:59 p.m. UTC." in block.page("ana")
    trainer = block.page("staff")
    assert "Submission due: March 1, 2027, 11:59 p.m. UTC" in trainer
    assert "Reviews due: March 15, 2027, 11:59 p.m. UTC" in trainer
    assert stored_block(block.usage_id).char_limit == 30000
    assert config.parse_due(stored_block(block.usage_id).submission_due) == DUE_AT


def test_french_views_show_the_time_and_an_offset_is_kept_as_typed(bench_fr):
    block = Block(bench_fr, DEFAULT_FR)
    paris = "2027-03-01T23:59:00+01:00"
    reply = studio_editor.save(bench_fr, DEFAULT_FR, block.usage_id, "staff", {"submission_due": f"  {paris} "})
    assert reply.status == 200, reply
    assert shown_in_editor(bench_fr, DEFAULT_FR, block.usage_id)["submission_due"] == paris
    block.pair("ana", "bob")
    assert "Remettez avant le 1 mars 2027 22:59 UTC." in block.page("ana")
    assert spaced("Date limite de remise : 1 mars 2027 22:59 UTC") in block.page("staff")


@pytest.mark.parametrize(
    "typed",
    [
        "03/01/2027",  # what Studio's editor showed for the former DateTime field
        "2027-03-01",  # a date without its time: midnight nobody meant
        "2027-03-01T23:59",  # no time zone
        "2027-02-30T23:59:00+00:00",
        "soon",
    ],
)
def test_studio_refuses_a_due_date_without_time_or_time_zone_and_changes_nothing(bench, bench_fr, typed):
    block = Block(bench, ENGLISH)
    assert studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"submission_due": DUE}).status == 200

    reply = studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"review_due": typed, "char_limit": "1000"})
    assert studio_errors(reply) == [
        "The review due date must be a date, a time and a time zone (ISO 8601), such as "
        f"2027-03-01T23:59:00+00:00 for 23:59 UTC, or empty for no deadline; “{typed}” is not."
    ]
    reply = studio_editor.save(bench_fr, ENGLISH, block.usage_id, "staff", {"submission_due": typed})
    assert studio_errors(reply) == [
        spaced(
            "La date limite de remise doit être une date, une heure et un fuseau horaire (ISO 8601), par exemple "
            f"2027-03-01T23:59:00+00:00 pour 23 h 59 UTC, ou rester vide s'il n'y a pas de date limite ; "
            f"« {typed} » n'en est pas une."
        )
    ]
    saved = stored_block(block.usage_id)
    assert (saved.submission_due, saved.review_due, saved.char_limit) == (DUE, None, 20_000)


def test_an_emptied_due_date_means_no_deadline(bench):
    block = Block(bench, ENGLISH)
    assert studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"submission_due": DUE}).status == 200
    assert studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"submission_due": " "}).status == 200
    assert block.state("ana")["deadlines"]["submission"] == ""
    assert "submission_due" not in etree.fromstring(export_olx(olx_runtime(), stored_block(block.usage_id))).attrib


def test_values_stored_by_the_former_datetime_field_keep_working(bench):
    """The DateTime field stored ``to_json``: naive UTC with microseconds, or None once emptied."""
    block = Block(bench, ENGLISH)
    store(block.usage_id, submission_due="2027-03-01T23:59:00.000000", review_due=None)
    assert block.state("ana")["deadlines"]["submission"] == "March 1, 2027, 11:59 p.m. UTC"

    reply = studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"char_limit": "30000"})  # sent back as shown
    assert reply.status == 200, reply
    assert block.state("ana")["deadlines"]["submission"] == "March 1, 2027, 11:59 p.m. UTC"
    assert block.state("ana")["deadlines"]["review"] == ""

    # exported and imported again: no <option:review_due none="true"/> element the import refuses
    runtime = olx_runtime()
    node = etree.fromstring(export_olx(runtime, stored_block(block.usage_id)))
    assert list(node) == [] and "review_due" not in node.attrib
    assert config.parse_due(parse_olx(runtime, etree.tostring(node)).submission_due) == DUE_AT

    # a changed value must say its time zone
    reply = studio_editor.save(
        bench, ENGLISH, block.usage_id, "staff", {"submission_due": "2027-03-02T23:59:00.000000"}
    )
    assert studio_errors(reply)[0].startswith("The submission due date must be a date, a time and a time zone")


@pytest.mark.parametrize(
    "written, instant",
    [
        (DUE, DUE_AT),
        ("2027-03-01T23:59:00+01:00", datetime(2027, 3, 1, 22, 59, tzinfo=UTC)),
        ("2027-03-01T23:59Z", DUE_AT),
        ("2027-03-01 23:59:00+00:00", DUE_AT),  # a YAML date-time written by the course builder
        ("2027-03-01T23:59:00.000000", DUE_AT),  # exported by the former DateTime field
        ("2027-03-01T23:59:00", DUE_AT),
    ],
)
def test_olx_round_trip_keeps_due_dates_as_written(scenarios, written, instant):
    runtime = olx_runtime()
    block = parse_olx(runtime, f'<{TAG} submission_due="{written}" review_due="{written}"/>')
    node = etree.fromstring(export_olx(runtime, block))
    assert (node.get("submission_due"), node.get("review_due")) == (written, written)
    again = parse_olx(runtime, etree.tostring(node))
    assert (again.submission_due, again.review_due) == (written, written)
    assert config.activity_settings_of(again).submission_due == instant
    assert again.validate().messages == []


@pytest.mark.parametrize("written", ["2027-03-01", "03/01/2027 23:59", "soon"])
def test_olx_import_refuses_an_unreadable_due_date(scenarios, written):
    with pytest.raises(ValueError, match="submission_due='.*' is not a date and time"):
        parse_olx(olx_runtime(), f'<{TAG} submission_due="{written}"/>')


def test_a_deadline_of_the_course_calendar_reaches_the_block_with_its_time(scenarios, tmp_path):
    """A dated build (--start) writes the deadlines of content/calendar.yaml as ISO 8601
    date-times in UTC, which the block reads at their minute."""
    from devisus_course.cli import main

    out = tmp_path / "out"
    assert main(["build", "--lang", "en", "--start", "2027-01-04", "-o", str(out)]) == 0
    vertical = etree.parse(str(out / "course" / "en" / "vertical" / "m09_capstone.xml")).getroot()
    element = vertical.find(TAG)
    assert element.get("submission_due") == "2027-03-24T22:59:00Z"  # day 10 of weeks 11-12, 23:59 in Paris
    element.attrib.pop("url_name")
    block = parse_olx(olx_runtime(), etree.tostring(element))
    assert config.activity_settings_of(block).submission_due == datetime(2027, 3, 24, 22, 59, tzinfo=UTC)
    assert block.validate().messages == []


def test_a_waiting_learner_is_told_the_trainer_places_them_before_the_deadline(bench):
    block = Block(bench, ENGLISH)
    studio_editor.save(bench, ENGLISH, block.usage_id, "staff", {"submission_due": DUE})
    html = " ".join(block.ok("declare_profile", "ana", {"profile": "theoretician"})["html"].split())
    deadline = block.state("ana")["deadlines"]["submission"]
    assert deadline and (
        f"places you in a pair or adds you to a pair as a trio before the submission deadline ({deadline})." in html
    )
