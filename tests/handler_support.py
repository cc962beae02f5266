"""Helpers shared by the handler-wide tests (masquerade, fuzzing): every handler of every block,
found by introspection, and the whole stored state, to show that a refused request changed nothing."""

from __future__ import annotations

import json

from django.test import Client
from xblock.core import XBlock

from tests.xblock_client import USAGE_ID

BLOCK_TAGS = ("devisus_pair_review", "devisus_self_positioning", "devisus_glossary")
COMMENT = "A clear strength, and one suggestion."
# The apps whose tables hold what handlers write: our blocks' own tables and the workbench's
# per-learner/settings field store (the preview's stand-in for the platform's).
BLOCK_APPS = ("devisus_pair_review", "devisus_positioning")
STATE_APPS = (*BLOCK_APPS, "workbench")


def block_class(tag: str):
    return XBlock.load_class(tag)


def handler_names(cls) -> list[str]:
    """Every handler of a block class, ours and inherited (``@XBlock.handler`` marks them)."""
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def json_api_handler(cls, name: str):
    """The ``json_api`` wrapper (with ``json_api_fields``, ``writes``, ``staff_only``), or None."""
    method = getattr(cls, name)
    return method if hasattr(method, "json_api_fields") else None


def database_state(labels=STATE_APPS) -> dict:
    """Every row of every table handlers may write (of the apps ``labels``), in a stable order."""
    from django.apps import apps

    state = {}
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            rows = model.objects.all()
            if model._meta.label == "workbench.XBlockState":
                # The workbench's field store creates an empty row when a learner's fields are
                # first read; the platform's creates nothing on reads. Empty rows are no state.
                rows = rows.exclude(state="{}")
            state[model._meta.label] = sorted(rows.values_list(), key=repr)
    return state


# ---- the workbench, as a browser would call it ------------------------------------------------------


class Browser:
    """A workbench client with CSRF checks on, sending the token as the blocks' JavaScript does."""

    def __init__(self, scenario: str, tag: str):
        # A 500 is an answer to report, not an exception that stops the fuzzing.
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        page = self.client.get(f"/scenario/{scenario}/student_view/", {"student": "student_1"})
        assert page.status_code == 200
        self.usage = next(uid for uid in USAGE_ID.findall(page.content.decode()) if f".{tag}." in uid)
        self.token = self.client.cookies["csrftoken"].value

    def send(self, handler: str, student: str, method: str, body: bytes, content_type: str):
        url = f"/handler/{self.usage}/{handler}/?student={student}"
        headers = {"HTTP_X_CSRFTOKEN": self.token}
        if method == "multipart":  # the token in the form: Django's CSRF check reads the form
            return self.client.post(url, {"csrfmiddlewaretoken": self.token, "file": b"x" * 10, "a": "[[["})
        if method in ("get", "head"):
            return getattr(self.client, method)(url + content_type.replace("?", "&"), **headers)
        return getattr(self.client, method)(url, data=body, content_type=content_type, **headers)

    def ok(self, handler: str, student: str, data: dict) -> dict:
        response = self.send(handler, student, "post", json.dumps(data).encode(), "application/json")
        assert response.status_code == 200, (handler, student, response.content[:300])
        return json.loads(response.content)


def with_state(tag: str, browser: Browser) -> None:
    """Rows for the fuzzed ids to point at, so that valid-typed values reach the services."""
    if tag == "devisus_pair_review":
        for a, b in (("student_1", "student_2"), ("student_3", "student_4")):
            browser.ok("declare_profile", a, {"profile": "theoretician"})
            pair_id = browser.ok("declare_profile", b, {"profile": "practitioner"})["state"]["pairing"]["pair_id"]
            browser.ok("save_draft", a, {"pair_id": pair_id, "text": f"Plan of {a}.", "base_version": 0})
            browser.ok("submit", b, {"pair_id": pair_id, "version": 1, "confirm": True})
        task = browser.ok("next_review", "student_1", {})["state"]["review"]["task"]
        rubric = browser.ok("state", "student_1", {})["state"]["rubric"]
        choices = {c["id"]: c["levels"][0]["id"] for c in rubric}
        comments = {c["id"]: COMMENT for c in rubric}
        body = {"assignment_id": task["assignment_id"], "choices": choices, "comments": comments}
        browser.ok("submit_review", "student_1", body)
    elif tag == "devisus_self_positioning":
        ratings = {f"Pr{n}": n % 5 + 1 for n in range(1, 9)}
        browser.ok("save_draft", "student_1", {"ratings": ratings})
        browser.ok("submit", "student_2", {"ratings": ratings, "confirm": True})
