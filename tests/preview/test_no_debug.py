"""The running preview (`devisus-course serve`) has Django's DEBUG off and still serves its files.

A failing request shows a short translated page, never a traceback, the settings or the URL
patterns; the static files the pages link (the workbench runtime's JavaScript, the preview's
CSS) are still served, although Django's runserver serves none with DEBUG off.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from devisus_course.preview import settings as preview_settings

from ..test_build_cli import REPO
from .test_serve import SCRIPT, _free_port

DEBUG_MARKERS = ("Traceback", "DEBUG = True", "URLconf", "SECRET_KEY", "Request Method:", "Django Version")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    data = tmp_path_factory.mktemp("preview-data")
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port), "--course-dir", str(REPO / "course"), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5).read()
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("the preview stopped: " + server.stdout.read())
            if time.monotonic() > deadline:
                server.terminate()
                pytest.fail("the preview did not answer within 60 s")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def fetch(url: str, language: str = "en") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read()
    except urllib.error.HTTPError as failure:
        return failure.code, failure.headers.get("Content-Type", ""), failure.read()


def assert_no_debug_page(body: bytes) -> None:
    text = body.decode("utf-8", "replace")
    for marker in DEBUG_MARKERS:
        assert marker not in text, f"debug output ({marker!r}) in the page"


def test_settings_turn_debug_off():
    assert preview_settings.DEBUG is False
    assert all(engine["OPTIONS"]["debug"] is False for engine in preview_settings.TEMPLATES)


def test_an_unknown_page_is_a_plain_translated_404(preview):
    status, _type, body = fetch(preview + "/course/zz/", "fr")
    assert status == 404
    assert_no_debug_page(body)
    assert "<h1>Page introuvable</h1>" in body.decode()
    status, _type, body = fetch(preview + "/course/fr/no-such-unit/", "en")
    assert status == 404
    assert_no_debug_page(body)
    assert "<h1>Page not found</h1>" in body.decode()


def test_a_crashing_request_is_a_plain_500(preview):
    page = fetch(preview + "/scenario/devisus_glossary.0/?student=alice")[2].decode()
    usage_id = re.search(r"data-usage(?:-id)?=[\"']([^\"']+)[\"']", page).group(1)
    # The workbench raises NoSuchHandlerError (a 500) for a handler the block does not have.
    status, _type, body = fetch(f"{preview}/handler/{usage_id}/no_such_handler/?student=alice")
    assert status == 500
    assert_no_debug_page(body)
    assert "The details are in the terminal running devisus-course serve." in body.decode()


def test_every_static_file_a_unit_page_links_is_served(preview):
    page = fetch(preview + "/course/fr/m01_intro/?student=alice")[2].decode()
    linked = sorted(set(re.findall(r"""(?:src|href)=["'](/static/[^"'?#]+)""", page)))
    assert "/static/devisus_preview/preview.css" in linked
    assert any(path.startswith("/static/workbench/js/") for path in linked), linked
    for path in linked:
        status, content_type, body = fetch(preview + path)
        assert status == 200, path
        assert body, path
        if path.endswith(".css"):
            assert content_type.startswith("text/css"), (path, content_type)
        if path.endswith(".js"):
            assert "javascript" in content_type, (path, content_type)
    css = Path(preview_settings.__file__).parent / "static" / "devisus_preview" / "preview.css"
    assert fetch(preview + "/static/devisus_preview/preview.css")[2] == css.read_bytes()


def test_static_serving_stays_inside_the_static_folders(preview):
    for path in ("/static/../settings.py", "/static/%2e%2e/settings.py", "/static/devisus_preview/"):
        status, _type, body = fetch(preview + path)
        assert status in (400, 404), path
        assert_no_debug_page(body)
