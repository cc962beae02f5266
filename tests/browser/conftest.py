"""Real-browser tests against `devisus-course serve` (see tests/browser_support.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser_support import AXE, REPO, PageProbe, chromium


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def preview_url(tmp_path_factory):
    """A running preview on a fresh SQLite database (the UI, not the database, is under test)."""
    yield from _serve_preview(tmp_path_factory)


@pytest.fixture(scope="module")
def own_preview_url(tmp_path_factory):
    """A preview of its own, for a test that needs the simulated learners without anyone's
    scores from other tests (the preview has five learners, and the session's preview is shared)."""
    yield from _serve_preview(tmp_path_factory)


def _serve_preview(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("preview-data")
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    # Its console (one line per request, tracebacks of 500s) goes to a file: a pipe nobody reads
    # fills up after some hundred pages and the server then blocks on its next log line.
    log = data / "serve.log"
    with log.open("w") as output:  # the server keeps its own copy of the file
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "devisus-course"),
                "serve",
                "--port",
                str(port),
                "--course-dir",
                str(REPO / "course"),
                "--data-dir",
                str(data),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
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
                pytest.fail("the preview stopped: " + log.read_text())
            if time.monotonic() > deadline:
                server.terminate()
                pytest.fail("the preview did not answer within 60 s")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def probe(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield PageProbe(page)
    context.close()
