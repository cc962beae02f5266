"""Shared by every browser test: Debian's Chromium through Playwright, axe-core, screenshots.

The browser is the system's /usr/bin/chromium (the README's test command installs it with apt);
Playwright never downloads one. axe-core comes from the npm registry (package.json).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("DEVISUS_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# Headless as root on a machine with no outside network: no sandbox, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def chromium():
    """A headless Chromium browser for the duration of the block."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the README's test command installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageProbe:
    """A page plus what it reported: console errors and uncaught exceptions."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        # The workbench's own pages link no favicon; the browser's request for one is not ours.
        if message.type == "error" and "favicon" not in str(message.location.get("url")):
            self.errors.append(f"{message.text} {message.location.get('url', '')}")

    def axe_violations(
        self, selector: str | None = None, impacts=("serious", "critical"), exclude: str | None = None
    ) -> list[str]:
        """Serious and critical axe-core violations in the page (or in ``selector``), leaving out
        ``exclude`` (a third party's markup whose violations a test checks on their own)."""
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run `npm install` (package.json) first")
        self.page.add_script_tag(path=str(AXE))
        target = f"document.querySelector({selector!r})" if selector else "document"
        if exclude:
            target = f"{{include: [{target}], exclude: [{exclude!r}]}}" if selector else f"{{exclude: [{exclude!r}]}}"
        result = self.page.evaluate(f"async () => await axe.run({target}, {{resultTypes: ['violations']}})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in impacts
        ]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def phone(locale: str = "fr-FR"):
    """A 320 px wide page; ``page.errors`` collects console errors and uncaught exceptions and
    ``page.probe`` is its PageProbe."""
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 320, "height": 720}, locale=locale).new_page()
        page.probe = PageProbe(page)
        page.errors = page.probe.errors
        yield page
