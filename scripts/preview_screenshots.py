#!/usr/bin/env python3
"""The README's screenshots of the preview, taken from a fresh `devisus-course serve`.

    python scripts/preview_screenshots.py [--out docs]

Writes docs/preview-unit.png (a unit page, desktop), docs/pair-review-joint-draft.png (a pair's
joint draft on a 320 px phone) and docs/pair-review-trainer-dashboard.png (the trainer's view of
the pairs). The learners' state is set up through the block's own handlers, as its JavaScript
calls them. Needs what the browser tests need (Debian's chromium, `make install-test`).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from pathlib import Path

from preview_server import REPO, running_preview

# One place for the browser's path and flags: the browser tests' (tests/browser_support.py).
sys.path.insert(0, str(REPO))
from tests.browser_support import chromium  # noqa: E402

PAIR_REVIEW = "devisus_pair_review.5"  # the French small-group scenario (two pairs, capstone rubric)
DRAFT = (
    "Diagnostic partagé de la ressourcerie : ce que les bénévoles observent, ce que les chiffres de "
    "collecte montrent, et les trois questions évaluatives retenues avec le conseil d'administration."
)


class Learners:
    """Calls the pair-review block's handlers as several simulated learners, with the page's
    CSRF cookie echoed in X-CSRFToken like the block's JavaScript does."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context()
        self.base = base
        page = self.context.new_page()
        page.goto(f"{base}/scenario/{PAIR_REVIEW}/?student=staff")
        self.usage = page.get_attribute("[data-block-type=devisus_pair_review]", "data-usage")
        self.token = next(c["value"] for c in self.context.cookies() if c["name"] == "csrftoken")

    def call(self, handler: str, student: str, data: dict) -> dict:
        reply = self.context.request.post(
            f"{self.base}/handler/{self.usage}/{handler}/?student={student}",
            data=json.dumps(data),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.token, "Referer": self.base},
        )
        if not reply.ok:
            raise SystemExit(f"{handler} as {student}: HTTP {reply.status} {reply.text()[:300]}")
        return reply.json()["state"]

    def pair(self, theoretician: str, practitioner: str) -> None:
        self.call("declare_profile", theoretician, {"profile": "theoretician"})
        self.call("declare_profile", practitioner, {"profile": "practitioner"})

    def save(self, student: str, text: str) -> dict:
        draft = self.call("state", student, {})["draft"]
        saved = self.call(
            "save_draft", student, {"pair_id": draft["pair_id"], "text": text, "base_version": draft["version"]}
        )
        return saved["draft"]

    def submit(self, student: str, text: str) -> None:
        draft = self.save(student, text)
        self.call("submit", student, {"pair_id": draft["pair_id"], "version": draft["version"], "confirm": True})


def save_png(data: bytes, path: Path) -> None:
    """Screenshots with few colours: a 256-colour palette keeps them small (if Pillow is there)."""
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(data)
        return
    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def shoot(browser, url: str, path: Path, viewport: dict, full_page: bool, locale: str = "fr-FR") -> None:
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    save_png(page.screenshot(full_page=full_page), path)
    context.close()
    print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {path.stat().st_size // 1024} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    desktop = {"width": 1100, "height": 900}
    phone = {"width": 320, "height": 720}
    with tempfile.TemporaryDirectory() as data, running_preview(Path(data) / "var") as (base, _), chromium() as browser:
        shoot(browser, f"{base}/course/fr/m01_intro/?student=alice", args.out / "preview-unit.png", desktop, False)
        learners = Learners(browser, base)
        learners.pair("anais", "bruno")
        learners.submit("anais", DRAFT)
        learners.pair("chloe", "damien")
        learners.save("damien", "Plan de la coopérative de soins : premières idées de Damien (terrain).")
        url = f"{base}/scenario/{PAIR_REVIEW}/?student=chloe"
        shoot(browser, url, args.out / "pair-review-joint-draft.png", phone, True)
        url = f"{base}/scenario/{PAIR_REVIEW}/?student=staff"
        shoot(browser, url, args.out / "pair-review-trainer-dashboard.png", {"width": 1000, "height": 900}, True)


if __name__ == "__main__":
    main()
