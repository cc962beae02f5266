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
    port = _free_port()
    data = tmp_path_factory.mktemp("preview-data")
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    # The server's log goes to a file: a pipe nobody reads fills up (64 KiB) and then blocks the
    # server mid-request (ORA2's workshop alone makes about ten requests per page).
    log = (data / "server.log").open("w+", encoding="utf-8")
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
        stdout=log,
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
                pytest.fail("the preview stopped: " + (data / "server.log").read_text(encoding="utf-8"))
            if time.monotonic() > deadline:
                server.terminate()
                pytest.fail("the preview did not answer within 60 s")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


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
