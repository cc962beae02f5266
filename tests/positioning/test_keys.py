"""Keys of the self-positioning tables under MySQL's collations (issue 10). A rating is unique on
(positioning, item code) and a positioning on (course, learner, framework id, round): MariaDB
compares them case- and accent-blind and ignores trailing spaces and control characters, so
codes and ids that differ only that way are refused in Studio (or normalised) before the
database is asked. Every test passes on SQLite and MariaDB with the same answer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from workbench.runtime import WorkbenchRuntime

from devisus_course.framework import SUPPORTED_LANGUAGES, load_framework
from devisus_xblocks.common.keys import fold
from devisus_xblocks.positioning import config, store
from devisus_xblocks.positioning.answers import Answers
from devisus_xblocks.positioning.items import COMPETENCES, PRINCIPLES, build_item_set
from devisus_xblocks.positioning.models import Positioning, PositioningRating

from .conftest import BEFORE_AFTER, CUSTOM, TAG, bench, db_snapshot, principle_ratings, scenarios  # noqa: F401

CLASH = "Custom items, line 4: the code a differs from A only in capital letters; codes must differ by more than that."


def _settings(**changes):
    values = {
        "display_name": "Positioning",
        "language": "en",
        "item_set": "custom",
        "custom_items": "A|First\nB|Second\nC|Third",
        "framework_id": "trainer-practice",
        "round": "before",
        "max_justification": 500,
    }
    return SimpleNamespace(**(values | changes))


def _problems(**changes) -> list[str]:
    return [str(error) for _field, error in config.problems(_settings(**changes))]


def test_custom_codes_must_differ_by_more_than_capitals():
    assert _problems() == []
    assert _problems(custom_items="A|First\nB|Second\nC|Third\na|Fourth") == [CLASH]
    assert _problems(custom_items="pair|x\nPEER|y\nPair|z") == [
        "Custom items, line 3: the code Pair differs from pair only in capital letters; "
        "codes must differ by more than that."
    ]
    assert _problems(custom_items="A|First\nB|Second\nA|Again") == ["Custom items, line 3: the code A is used twice."]


def test_a_framework_id_with_a_trailing_line_break_is_refused():
    # "$" let it through; MariaDB ignores the line break, so it shared rows with "trainer-practice".
    for framework_id in ("trainer-practice\n", "trainer-practice ", "Trainer-practice"):
        assert _problems(framework_id=framework_id) == [
            "The framework id must be at most 64 lowercase letters, digits, '-' or '_' (e.g. devisus-principles)."
        ], repr(framework_id)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_frameworks_own_codes_are_distinct_for_the_database(language):
    for kind in (PRINCIPLES, COMPETENCES):
        codes = build_item_set(kind, language).codes
        assert len({fold(code) for code in codes}) == len(codes)
    assert len({fold(code) for code in load_framework(language).codes}) == len(load_framework(language).codes)


@pytest.mark.django_db(transaction=True)
def test_a_block_with_clashing_codes_refuses_answers_and_stores_nothing(bench):
    # Before: SQLite stored "A" and "a" as two ratings, and MariaDB answered 500 (IntegrityError).
    [usage_id] = bench.usage_ids(CUSTOM, TAG)
    block = WorkbenchRuntime("staff").get_block(usage_id)
    block.custom_items = "A|First\nB|Second\nC|Third\na|Fourth"
    block.save()
    assert [message.text for message in block.validate().messages] == [CLASH]
    before = db_snapshot()
    for handler, extra in (("save_draft", {}), ("submit", {"confirm": True})):
        reply = bench.call(usage_id, handler, "ana", {"ratings": {"A": 3, "B": 3, "C": 3, "a": 4}, **extra})
        assert (reply.status, reply.error) == (409, CLASH)
    assert db_snapshot() == before
    assert "This activity is not ready yet: " + CLASH in bench.page(CUSTOM, "ana")


@pytest.mark.django_db(transaction=True)
def test_learners_whose_ids_differ_only_in_case_keep_their_own_answers(bench):
    before_id, _after = bench.usage_ids(BEFORE_AFTER, TAG)
    for student, shift in (("alice", 0), ("Alice", 2)):
        reply = bench.call(before_id, "save_draft", student, {"ratings": principle_ratings(shift)})
        assert reply.status == 200, reply
    # MariaDB: "Alice" wrote over alice's row
    assert bench.call(before_id, "state", "alice").data["ratings"] == principle_ratings(0)
    assert bench.call(before_id, "state", "Alice").data["ratings"] == principle_ratings(2)
    assert Positioning.objects.count() == 2 and PositioningRating.objects.count() == 16


@pytest.mark.django_db
def test_retirement_deletes_only_stored_keys():
    key = store.RoundKey("course-v1:DEVISUS+X+1", "devisus-principles", "before")
    store.save_draft(key, "anon-ana", Answers({"Pr1": 3}))
    assert store.retire_learner(["ANON-ANA", "anon-ana\x00", "anon-ana "]) == 0  # MariaDB: ana's row
    assert Positioning.objects.filter(learner="anon-ana").exists()
    assert store.retire_learner(["anon-ana"]) == 1
