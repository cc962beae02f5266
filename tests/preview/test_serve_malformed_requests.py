"""The running preview (`devisus-course serve`) answers malformed handler requests with a 4xx and a JSON error.

Deeply nested JSON used to crash every field-declaring handler with a 500 (for anonymous
visitors too), and each such request cost the preview seconds of CPU on an error page. Here the
real server gets them over HTTP, with its CSRF checks, as a browser would send them.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

from ..test_build_cli import REPO
from .test_serve import SCRIPT, _free_port

USAGE = re.compile(r"data-usage=[\"']([^\"']+)[\"']")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    data = tmp_path_factory.mktemp("preview")
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port), "--course-dir", str(REPO / "course"), "--data-dir", str(data / "var")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/course/en/?student=alice", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the preview did not answer"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    def __init__(self, base: str, unit: str, tag: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.opener.open(f"{base}/course/en/{unit}/?student=alice", timeout=30).read().decode()
        self.usage = next(uid for uid in USAGE.findall(page) if f".{tag}." in uid)
        self.token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, handler: str, student: str, body: bytes, content_type: str = "application/json"):
        """(status, JSON reply) of one POST."""
        request = urllib.request.Request(
            f"{self.base}/handler/{self.usage}/{handler}/?student={student}",
            data=body,
            headers={"Content-Type": content_type, "X-CSRFToken": self.token, "Referer": self.base},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=60) as reply:
                status, raw = reply.status, reply.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"raw": raw[:300]}
        return status, payload


# Deep enough that walking the parsed value recursively exhausts Python's stack, shallow enough
# that json.loads parses it: what used to answer 500.
DEEP_IN_FIELD = b'{"profile": ' + b"[" * 600 + b"]" * 600 + b"}"
DEEP = b"[" * 30_000 + b"]" * 30_000


@pytest.mark.parametrize(
    "student, body, status",
    [
        ("alice", DEEP_IN_FIELD, 400),
        ("alice", DEEP, 400),
        ("anonymous", DEEP_IN_FIELD, 403),
        ("anonymous", DEEP, 403),
        ("staff", DEEP_IN_FIELD, 400),
    ],
)
def test_deep_json_is_refused(preview, student, body, status):
    browser = Browser(preview, "m09_capstone", "devisus_pair_review")
    code, payload = browser.post("declare_profile", student, body)
    assert code == status, payload
    assert isinstance(payload.get("error"), str) and payload["error"]


def test_studio_settings_editor_refuses_deep_and_non_object_bodies(preview):
    browser = Browser(preview, "m02_glossary", "devisus_glossary")
    for body in (b'{"values": ' + b"[" * 5_000 + b"]" * 5_000 + b', "defaults": []}', b"[1]", b'{"values": {}}'):
        code, payload = browser.post("submit_studio_edits", "staff", body)
        assert code == 400 and payload.get("error"), payload


def test_a_multipart_form_is_refused_not_crashed(preview):
    """Django's CSRF check reads a multipart form first; the handler cannot read the body after."""
    browser = Browser(preview, "m01_positioning", "devisus_self_positioning")
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{browser.token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="ratings"; filename="r.json"\r\n'
        f"Content-Type: application/json\r\n\r\n{{}}\r\n--{boundary}--\r\n"
    ).encode()
    code, payload = browser.post("save_draft", "alice", body, f"multipart/form-data; boundary={boundary}")
    assert code == 400 and payload.get("error"), payload
