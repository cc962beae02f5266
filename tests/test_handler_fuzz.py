"""No handler answers 5xx to a malformed request, whoever sends it.

Every handler of the three block classes is found by introspection (a new handler is fuzzed
automatically) and sent, through the real workbench with CSRF checks on as in a browser:
nested, oversized, binary, non-UTF-8, lone-surrogate, non-object, empty, NaN/Infinity and
huge-number bodies, wrongly typed and edge values for each declared field (also Studio's
settings editor's fields), deep nesting inside a declared field, a multipart form, and other
methods than POST (GET, PUT, HEAD) — as a learner with state, an anonymous visitor and staff.
Each reply must be < 500; a 4xx must be ``{"error": <text>}`` and change nothing stored.
"""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection

from devisus_xblocks.common.handlers import MAX_DEPTH, MAX_SAFE_INTEGER, Field
from tests.handler_support import (
    BLOCK_TAGS,
    Browser,
    block_class,
    database_state,
    handler_names,
    json_api_handler,
    with_state,
)
from tests.xblock_client import forget_scenarios, load_block_scenarios

# Ids from 1 in every test, so that the ids in the bodies name the rows made by ``with_state``.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

USERS = ("student_1", "anonymous", "staff")
SCENARIO = {
    "devisus_pair_review": "devisus_pair_review.2",  # 1 review each, flexible grading at once, own rubric
    "devisus_self_positioning": "devisus_self_positioning.0",
    "devisus_glossary": "devisus_glossary.2",  # graded practice
}
STUDIO = "submit_studio_edits"

# ---- bodies ----------------------------------------------------------------------------------


def deep(depth: int, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    return open_ * depth + close * depth


BODIES: dict[str, bytes] = {
    "empty": b"",
    "blank": b" \r\n\t ",
    "null": b"null",
    "array": b"[1, 2]",
    "string": b'"text"',
    "number": b"42",
    "true": b"true",
    "truncated": b'{"a": [1, ',
    "utf-8 BOM": b"\xef\xbb\xbf{}",
    "utf-16": '{"a": 1}'.encode("utf-16"),
    "binary": bytes(range(256)) * 4,
    "NUL bytes": b"\x00" * 128,
    "invalid UTF-8 in a string": b'{"a": "\xff\xfe\xc3"}',
    "lone surrogate value": b'{"a": "x\\ud800y"}',
    "lone surrogate key": b'{"\\udfff": 1}',
    "NaN": b'{"a": NaN}',
    "Infinity": b'{"a": Infinity}',
    "-Infinity list": b"[-Infinity]",
    "float overflow": b'{"a": 1e999}',
    "long integer": b'{"a": ' + b"9" * 5000 + b"}",
    "deep arrays": deep(30_000),
    "deep objects": b'{"a":' * 6_000 + b"1" + b"}" * 6_000,
    # json.loads parses ~600 levels, a recursive walk of them (2 frames a level) exhausts the stack
    "600 levels in an object": b'{"a": ' + deep(600) + b"}",
    "nesting near the recursion limit": deep(950),
    "nesting just over the limit": b'{"a": ' + deep(MAX_DEPTH) + b"}",
    "unbalanced": b"[" * 5_000,
    "brackets inside a string": b'{"a": "' + b"[" * 5_000 + b'"}',
    "wide object": json.dumps({f"k{n}": n for n in range(3_000)}).encode(),
    "duplicate keys": b'{"a": 1, "a": 2}',
    "oversized": b'{"a": "' + b"x" * (2 * 1024 * 1024) + b'"}',
}
# One value of each JSON type; a field gets those of the types it does not accept.
ONE_OF_EACH_TYPE = {bool: True, int: 7, float: 1.5, str: "x", list: [[1]], dict: {"a": {"b": [1]}}}
RAW_VALUES = {  # spliced into a declared field as raw JSON text
    "NaN": b"NaN",
    "Infinity": b"Infinity",
    "1e999": b"1e999",
    "2**53": str(MAX_SAFE_INTEGER + 1).encode(),
    "40-digit integer": b"-" + b"9" * 40,
    "lone surrogate": b'"\\udc00"',
    "lone surrogate key": b'{"\\ud800": "x"}',
    "deep": deep(600),
    "deeper": deep(950),
    "just too deep": deep(MAX_DEPTH),
}
EDGE_VALUES = {  # accepted types, odd values
    int: [0, 2**31, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER],
    float: [0.0, 1e308, 5e-324],
    str: ["", "\x00\u202e", "😀" * 50],
    dict: [{"": ""}, {"😀" * 100: "x"}, {str(n): n for n in range(300)}],
    bool: [False],
}
STUDIO_VALUES = [True, "x", None, [[[]]]]  # every setting of Studio's editor gets these
STUDIO_VALUES_BY_FIELD = {  # and these, by XBlock field class
    "Integer": ["nan", "1e999", 1.5, 1e308],
    "Float": ["nan", "inf", "1e999", 1e308],
    "DateTime": ["2026-13-45", "99999999999999999999", ""],
    "List": [[1, 2], [{"id": "c", "weight": "NaN", "levels": 5}]],
    "String": ["\x00", "😀" * 300],
    "Boolean": ["nan"],
}


def wrong_values(spec: Field) -> list:
    kinds = spec.type if isinstance(spec.type, tuple) else (spec.type,)
    return [value for kind, value in ONE_OF_EACH_TYPE.items() if kind not in kinds]


def sample(spec: Field):
    """A value of the field's type within its limits, so that only the fuzzed field is wrong."""
    if spec.choices:
        return spec.choices[0]
    kind = spec.type[0] if isinstance(spec.type, tuple) else spec.type
    return {int: max(1, spec.minimum or 0), float: 1.0, str: "x", dict: {}, list: [], bool: True}[kind]


def splice(base: dict, name: str, raw: bytes) -> bytes:
    """``base`` as JSON with ``name`` set to the raw JSON text ``raw``."""
    others = {key: value for key, value in base.items() if key != name}
    head = json.dumps(others).encode()[:-1]
    return head + (b", " if others else b"") + json.dumps(name).encode() + b": " + raw + b"}"


def field_bodies(fields: dict[str, Field]) -> dict[str, bytes]:
    base = {name: sample(spec) for name, spec in fields.items() if spec.required}
    bodies = {"valid-typed": json.dumps(base).encode(), "unknown field": json.dumps({**base, "zz": 1}).encode()}
    for name, spec in fields.items():
        kinds = spec.type if isinstance(spec.type, tuple) else (spec.type,)
        values = [*wrong_values(spec), None]
        for kind in kinds:
            values += EDGE_VALUES.get(kind, [])
        if spec.max_length:
            values += ["x" * spec.max_length, "x" * (spec.max_length + 1)]
        for index, value in enumerate(values):
            bodies[f"{name}={value!r:.40} #{index}"] = json.dumps({**base, name: value}).encode()
        for label, raw in RAW_VALUES.items():
            bodies[f"{name}={label}"] = splice(base, name, raw)
        bodies[f"without {name}"] = json.dumps({k: v for k, v in base.items() if k != name}).encode()
    return bodies


def studio_bodies(cls) -> dict[str, bytes]:
    bodies = {
        "values missing": b'{"defaults": []}',
        "defaults missing": b'{"values": {}}',
        "values a list": b'{"values": [], "defaults": []}',
        "defaults a string": b'{"values": {}, "defaults": "display_name"}',
        "defaults of numbers": b'{"values": {}, "defaults": [1, 2]}',
        "values deep": b'{"defaults": [], "values": ' + b'{"a":' * 950 + b"1" + b"}" * 950 + b"}",
    }
    field_classes = set()
    for name in cls.editable_fields:
        for index, value in enumerate(STUDIO_VALUES + STUDIO_VALUES_BY_FIELD.get(type(cls.fields[name]).__name__, [])):
            body = {"values": {name: value}, "defaults": []}
            bodies[f"values.{name}={value!r:.40} #{index}"] = json.dumps(body).encode()
        if type(cls.fields[name]) not in field_classes:  # raw values: once per kind of field
            field_classes.add(type(cls.fields[name]))
            for label, raw in RAW_VALUES.items():
                bodies[f"values.{name}={label}"] = splice(
                    {"defaults": []}, "values", b'{"' + name.encode() + b'": ' + raw + b"}"
                )
    return bodies


def requests_for(cls, name: str) -> list[tuple[str, str, bytes, str]]:
    """(label, method, body, content type) of every request sent to handler ``name``."""
    requests = [(label, "post", body, "application/json") for label, body in BODIES.items()]
    handler = json_api_handler(cls, name)
    if handler is not None:
        requests += [
            (label, "post", body, "application/json") for label, body in field_bodies(handler.json_api_fields).items()
        ]
    if name == STUDIO:
        requests += [(label, "post", body, "application/json") for label, body in studio_bodies(cls).items()]
    requests += [
        ("form fields", "post", b"a=1&b=%ff%fe", "application/x-www-form-urlencoded"),
        ("multipart form", "multipart", b"", ""),
        ("text/plain JSON", "post", b"{}", "text/plain"),
        ("GET", "get", b"", ""),
        ("GET with odd query", "get", b"", "?usernames=%ff%fe&usernames=1&x=" + "y" * 4000),
        ("HEAD", "head", b"", ""),
        ("PUT", "put", b"{}", "application/json"),
        ("DELETE", "delete", b"", ""),
    ]
    return requests


# ---- the test -----------------------------------------------------------------------------------------


def ordered_handlers(cls) -> list[str]:
    """Studio's settings editor last: the settings it accepts would change what the others do."""
    names = handler_names(cls)
    return [name for name in names if name != STUDIO] + [name for name in names if name == STUDIO]


def error_message(payload) -> bool:
    """``{"error": "<text>"}``, or XBlock's validation shape that Studio's settings editor shows
    (``{"error": {"messages": [{"text": ...}]}}``, from ``submit_studio_edits``)."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        messages = error.get("messages")
        return bool(messages) and all(isinstance(m, dict) and m.get("text") for m in messages)
    return isinstance(error, str) and bool(error)


class WriteStatements:
    """Counts the SQL statements that write, sent while it is installed (``connection.execute_wrapper``)."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.WRITES):
            self.count += 1
        return execute(sql, params, many, context)


def problem_with(response, method: str, before: dict, writes: int) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.content[:200]!r}"
    if 400 <= status < 500:
        if method != "head":  # a reply to HEAD has no body
            try:
                payload = json.loads(response.content)
            except ValueError:
                return f"{status} without a JSON body: {response.content[:200]!r}"
            if not error_message(payload):
                return f"{status} without an error message: {payload!r:.200}"
        # Only a request that sent a write statement can have changed something: compare then.
        if writes and database_state() != before:
            return f"{status} but the database changed"
    return None


def test_every_handler_is_found():
    found = {tag: handler_names(block_class(tag)) for tag in BLOCK_TAGS}
    assert {"state", "declare_profile", "grades_csv", STUDIO} <= set(found["devisus_pair_review"])
    assert {"save_draft", "my_csv", "cohort_csv", STUDIO} <= set(found["devisus_self_positioning"])
    assert {"submit_practice", "new_round", STUDIO} <= set(found["devisus_glossary"])


@pytest.mark.parametrize("student", USERS)
@pytest.mark.parametrize("tag", BLOCK_TAGS)
def test_no_handler_answers_5xx_to_a_malformed_request(tag, student):
    load_block_scenarios(tag)
    try:
        browser = Browser(SCENARIO[tag], tag)
        with_state(tag, browser)
        cls = block_class(tag)
        problems, count = [], 0
        before = database_state()
        for name in ordered_handlers(cls):
            for label, method, body, content_type in requests_for(cls, name):
                writes = WriteStatements()
                with connection.execute_wrapper(writes):
                    response = browser.send(name, student, method, body, content_type)
                count += 1
                problem = problem_with(response, method, before, writes.count)
                if problem:
                    problems.append(f"{name} [{label}] as {student}: {problem}")
                if (response.status_code < 400 and writes.count) or problem:
                    before = database_state()
        assert not problems, f"{len(problems)} of {count} requests:\n" + "\n".join(problems[:60])
    finally:
        forget_scenarios()
