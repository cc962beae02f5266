"""Masquerade ("view this course as a specific learner"): staff may look, never write in the learner's name.

The platform binds the learner's identity with the staff member kept as ``real_user`` and protects
only its own per-learner store, so every handler that writes must refuse (403, translated), and
reading must still work. ``tests/platform_user.py`` reproduces the platform's user service and
masquerade; requests go through the real workbench handlers.
"""

from __future__ import annotations

import pytest

from devisus_course.typography import catalog_spacing as spaced
from tests.glossary.pages import block_html
from tests.handler_support import (
    BLOCK_APPS,
    BLOCK_TAGS,
    block_class,
    database_state,
    handler_names,
    json_api_handler,
)
from tests.platform_user import PlatformUserService
from tests.xblock_client import Workbench, forget_scenarios, load_block_scenarios

pytestmark = pytest.mark.django_db(transaction=True)

MASQUERADE = (
    "You are viewing this course as a specific learner: you can look, but nothing can be changed in their name."
)
MASQUERADE_FR = spaced(
    "Vous consultez ce cours avec le compte d'une personne inscrite : vous pouvez regarder, "
    "mais rien ne peut être modifié en son nom."
)
# The handlers that only read (``json_api(writes=False)``); every other json_api handler writes.
READ_ONLY = {
    "devisus_pair_review": {"state", "staff_state", "staff_pair", "staff_targets", "staff_worklist"},
    "devisus_self_positioning": {"state"},
    "devisus_glossary": set(),
}
SCENARIO = {
    "devisus_pair_review": "devisus_pair_review.1",  # automatic pairing, English
    "devisus_self_positioning": "devisus_self_positioning.0",
    "devisus_glossary": "devisus_glossary.3",  # practice, not graded
}
RATINGS = {f"Pr{n}": n % 5 + 1 for n in range(1, 9)}


@pytest.fixture
def platform(settings):
    """The workbench with the LMS's user service; yields its masquerade table."""
    settings.WORKBENCH = {
        **settings.WORKBENCH,
        "services": {**settings.WORKBENCH["services"], "user": "tests.platform_user.PlatformUserService"},
    }
    PlatformUserService.masquerades = {}
    yield PlatformUserService.masquerades
    PlatformUserService.masquerades = {}
    forget_scenarios()


def usage_of(bench: Workbench, tag: str) -> str:
    load_block_scenarios(tag)
    return bench.usage_ids(SCENARIO[tag], tag)[0]


def writing_handlers(tag: str) -> list[str]:
    cls = block_class(tag)
    return [name for name in handler_names(cls) if json_api_handler(cls, name) and json_api_handler(cls, name).writes]


@pytest.mark.parametrize("tag", BLOCK_TAGS)
def test_handlers_declare_whether_they_write(tag):
    cls = block_class(tag)
    declared = {name: json_api_handler(cls, name) for name in handler_names(cls)}
    assert {name for name, handler in declared.items() if handler and not handler.writes} == READ_ONLY[tag]
    assert writing_handlers(tag), "every block has handlers that write"


@pytest.mark.parametrize("tag", BLOCK_TAGS)
def test_every_writing_handler_refuses_while_masquerading_and_changes_nothing(platform, tag):
    bench = Workbench("en")
    usage = usage_of(bench, tag)
    platform["learner_1"] = "staff"
    before = database_state()
    for name in writing_handlers(tag):
        for body in ({}, {"anything": [1, 2]}):
            reply = bench.call(usage, name, "learner_1", body)
            assert (reply.status, reply.error) == (403, MASQUERADE), (name, reply)
    assert database_state() == before


def test_the_refusal_is_translated(platform):
    bench = Workbench("fr")
    usage = usage_of(bench, "devisus_self_positioning")
    platform["learner_1"] = "staff"
    reply = bench.call(usage, "save_draft", "learner_1", {"ratings": RATINGS})
    assert (reply.status, reply.error) == (403, MASQUERADE_FR)


def test_pair_review_learner_state_is_read_but_never_written_by_a_masquerading_trainer(platform):
    bench = Workbench("en")
    usage = usage_of(bench, "devisus_pair_review")
    bench.call(usage, "declare_profile", "learner_1", {"profile": "theoretician"})
    paired = bench.call(usage, "declare_profile", "learner_2", {"profile": "practitioner"}).data["state"]
    pair_id = paired["pairing"]["pair_id"]
    assert bench.call(usage, "save_draft", "learner_1", {"pair_id": pair_id, "text": "Our plan.", "base_version": 0})
    platform["learner_1"] = "trainer"
    before = database_state()

    attempts = [
        ("save_draft", {"pair_id": pair_id, "text": "Written by the trainer.", "base_version": 1}),
        ("submit", {"pair_id": pair_id, "version": 1, "confirm": True}),
        ("leave_pair", {}),
        ("declare_profile", {"profile": "practitioner"}),
        ("next_review", {}),
    ]
    for name, body in attempts:
        reply = bench.call(usage, name, "learner_1", body)
        assert (reply.status, reply.error) == (403, MASQUERADE), name
    assert database_state() == before

    # Reading: our tables do not change (the per-learner field store, the workbench's stand-in
    # for the platform's, is the platform's to protect: MasqueradingKeyValueStore).
    ours = database_state(BLOCK_APPS)
    reply = bench.call(usage, "state", "learner_1")
    assert reply.status == 200
    assert reply.data["state"]["draft"]["text"] == "Our plan."
    assert "Our plan." in bench.page(SCENARIO["devisus_pair_review"], "learner_1")
    # As on the platform, the masquerading user is no course staff (access.py denies it).
    assert bench.call(usage, "staff_state", "learner_1").status == 403
    assert database_state(BLOCK_APPS) == ours

    platform.clear()  # the same platform user service, without masquerade: the learner may write
    reply = bench.call(usage, "save_draft", "learner_1", {"pair_id": pair_id, "text": "Mine.", "base_version": 1})
    assert reply.status == 200, reply


def test_positioning_answers_and_download_are_read_but_never_written_while_masquerading(platform):
    bench = Workbench("en")
    usage = usage_of(bench, "devisus_self_positioning")
    assert bench.call(usage, "save_draft", "learner_1", {"ratings": RATINGS}).status == 200
    platform["learner_1"] = "staff"
    before = database_state()

    for name, body in (("save_draft", {"ratings": {"Pr1": 1}}), ("submit", {"ratings": RATINGS, "confirm": True})):
        reply = bench.call(usage, name, "learner_1", body)
        assert (reply.status, reply.error) == (403, MASQUERADE), name
    reply = bench.call(usage, "state", "learner_1")
    assert (reply.status, reply.data["status"], reply.data["ratings"]) == (200, "draft", RATINGS)
    download = bench.client.get(f"/handler/{usage}/my_csv/?student=learner_1")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert database_state() == before

    platform.clear()
    assert bench.call(usage, "submit", "learner_1", {"ratings": RATINGS, "confirm": True}).status == 200


def test_glossary_practice_is_shown_but_never_played_while_masquerading(platform):
    bench = Workbench("en")
    usage = usage_of(bench, "devisus_glossary")
    page = block_html(bench.page(SCENARIO["devisus_glossary"], "learner_1"))
    platform["learner_1"] = "staff"
    before = database_state()

    for name, body in (("new_round", {"round": 0}), ("submit_practice", {"round": 0, "answers": {}})):
        reply = bench.call(usage, name, "learner_1", body)
        assert (reply.status, reply.error) == (403, MASQUERADE), name
    assert database_state() == before
    assert block_html(bench.page(SCENARIO["devisus_glossary"], "learner_1")) == page

    platform.clear()
    before = database_state()
    assert bench.call(usage, "new_round", "learner_1", {"round": 0}).status == 200
    assert database_state() != before
