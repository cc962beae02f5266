"""Real-browser tests: Debian's Chromium driven by Playwright against `devisus-course serve`.

The browser is the system's /usr/bin/chromium (installed with apt by the README's test command);
Playwright never downloads one. axe-core comes from the npm registry (package.json).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DEVISUS_CHROMIUM", "/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


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
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "devisus-course"), "serve", "--port", str(port),
         "--course-dir", str(REPO / "course"), "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
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


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the README's test command installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageProbe:
    """A page plus what it reported: console errors and uncaught exceptions."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def axe_violations(self, impacts=("serious", "critical")) -> list[str]:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in impacts
        ]

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def probe(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield PageProbe(page)
    context.close()


def pytest_sessionstart(session):
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=REPO, check=False)
