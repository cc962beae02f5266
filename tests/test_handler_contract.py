"""What the handler contract answers to bodies a browser never sends, through the real handlers.

The fuzzing (``test_handler_fuzz.py``) shows that nothing answers 5xx; this shows the exact
refusals: who is refused before the body is read, and what deep nesting (once a 500), NaN/Infinity
and numbers beyond JavaScript's range (once handed to the services) get.
"""

from __future__ import annotations

import json

import pytest

from devisus_xblocks.common.handlers import MAX_DEPTH, MAX_SAFE_INTEGER
from tests.handler_support import BLOCK_TAGS, Browser, block_class, database_state, handler_names, json_api_handler
from tests.handler_support import with_state as with_state_of
from tests.xblock_client import forget_scenarios, load_block_scenarios

# Ids from 1 in every test, so that the ids in the bodies name the rows made by ``with_state``.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

SIGN_IN = "Please sign in to take part."
NOT_JSON = "The request is not valid JSON."
TOO_DEEP = "The request is nested too deeply."
TOO_LARGE_NUMBER = "The request contains a number that is too large."
SCENARIO = {
    "devisus_pair_review": "devisus_pair_review.2",
    "devisus_self_positioning": "devisus_self_positioning.0",
    "devisus_glossary": "devisus_glossary.2",
}


@pytest.fixture
def pair_review():
    load_block_scenarios("devisus_pair_review")
    browser = Browser(SCENARIO["devisus_pair_review"], "devisus_pair_review")
    with_state_of("devisus_pair_review", browser)
    yield browser
    forget_scenarios()


def reply(response) -> tuple[int, str | None]:
    return response.status_code, json.loads(response.content).get("error")


def post(browser, handler: str, student: str, body: bytes):
    return reply(browser.send(handler, student, "post", body, "application/json"))


@pytest.mark.parametrize("tag", BLOCK_TAGS)
def test_anonymous_visitors_are_refused_before_their_body_is_read(tag):
    """Oversized (413 otherwise), deep, non-UTF-8: an anonymous visitor gets the same 403, at no cost."""
    load_block_scenarios(tag)
    try:
        browser = Browser(SCENARIO[tag], tag)
        cls = block_class(tag)
        for name in handler_names(cls):
            if json_api_handler(cls, name) is None:
                continue
            for body in (b"[" * 60_000, b'{"a": "' + b"x" * 3_000_000 + b'"}', b"\xff\xfe{", b"[" * 600 + b"]" * 600):
                assert post(browser, name, "anonymous", body) == (403, SIGN_IN), name
    finally:
        forget_scenarios()


def test_deep_nesting_inside_a_field_is_refused_before_parsing(pair_review):
    before = database_state()
    for depth in (MAX_DEPTH + 1, 600, 950, 30_000):
        body = b'{"profile": ' + b"[" * depth + b"]" * depth + b"}"
        assert post(pair_review, "declare_profile", "student_5", body) == (400, TOO_DEEP), depth
    assert database_state() == before
    # Brackets inside strings are text, not nesting: this one reaches the service (the pair has submitted).
    pair_id = pair_review.ok("state", "student_1", {})["state"]["pairing"]["pair_id"]
    body = json.dumps({"pair_id": pair_id, "text": "[{" * 5_000, "base_version": 1}).encode()
    assert post(pair_review, "save_draft", "student_1", body) == (
        409,
        "Your pair has already submitted its work: the draft can no longer change.",
    )


def test_nan_and_infinity_never_reach_a_service(pair_review):
    """Python's json accepts NaN and Infinity (JSON does not); NaN passes every range check."""
    before = database_state()
    for literal in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):
        body = b'{"submission_id": 1, "grade": ' + literal + b', "reason": "Checked again."}'
        status, error = post(pair_review, "override_grade", "staff", body)
        assert status == 400 and error in (NOT_JSON, TOO_LARGE_NUMBER), literal
    assert database_state() == before


def test_integers_beyond_what_a_browser_sends_are_refused(pair_review):
    before = database_state()
    for number in (MAX_SAFE_INTEGER + 1, 2**63, -(2**64), int("9" * 400)):
        body = json.dumps({"pair_id": number}).encode()
        assert post(pair_review, "staff_pair", "staff", body) == (400, TOO_LARGE_NUMBER), number
    assert database_state() == before
    assert post(pair_review, "staff_pair", "staff", json.dumps({"pair_id": MAX_SAFE_INTEGER}).encode()) == (
        404,
        "This pair does not exist.",
    )
