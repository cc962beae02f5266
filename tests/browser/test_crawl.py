"""A crawl of the running preview in Chromium: every page reachable from the index is ours and
accessible.

From the index, every same-origin link is followed (the outline, every unit, every block scenario,
and whatever the pages link to later, such as a progress page), plus the error pages a browser
can reach with a GET: an address that does not exist (404), a query string Django refuses (400)
and a handler the block does not have (500). On each page: no serious or critical axe-core violation on the whole page,
no console error, a <title>, ``lang`` on <html>, one <main>, the language and the learner switch,
a header that scrolls away (neither fixed nor sticky) and, at 320 px, no horizontal scrolling.

Coverage and time: a full crawl is ~90 pages. Two crawls cover every page in both languages and
both widths without visiting each page four times: French at 320 px (French strings are the
longer ones, so a phone's width is tested with them) and English at desktop width. Every
language-switch link met on the way is then fetched (without rendering) to check that it leads
to a page. One browser serves both crawls; the whole takes 3 to 4 minutes on 2 cores.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.browser_support import PageProbe

# Error pages, by the status they answer.
MISSING = "/no-such-page/"
TOO_MANY_FIELDS = "&".join(f"f{number}=1" for number in range(1_500))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
SCENARIO = "devisus_glossary.0"
USAGE = re.compile(r"data-usage=[\"']([^\"']+)[\"']")
# Not pages: the blocks' handler and resource URLs, the static files.
NOT_PAGES = ("/handler/", "/unauth_handler/", "/aside_handler/", "/resource/", "/static/", "/jsi18n/")

# Checked inside the page; a list of failures, empty if the page passes.
PAGE_CHECKS = """(language) => {
  const failures = [];
  const html = document.documentElement;
  if (!document.title.trim()) failures.push("no <title>");
  if (html.lang !== language) failures.push(`lang="${html.lang}", not ${language}`);
  if (document.querySelectorAll("main").length !== 1) failures.push("not exactly one <main>");
  const header = document.querySelector("body > header");
  if (!header) failures.push("no page header");
  for (const code of ["fr", "en"]) {
    if (!document.querySelector(`header nav a[hreflang="${code}"]`)) failures.push(`no ${code} language link`);
  }
  if (!document.querySelector("header select[name=student]")) failures.push("no learner switch");
  for (const element of document.body.querySelectorAll("*")) {
    const position = getComputedStyle(element).position;
    if (position === "fixed" || position === "sticky") {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) failures.push(`${position} element ${element.tagName}.${element.className}`);
    }
  }
  if (html.scrollWidth > window.innerWidth) failures.push(`scrolls sideways: ${html.scrollWidth} px wide`);
  return failures;
}"""


def _key(url: str) -> str:
    """Pages are told apart by path: every link carries the same student and language."""
    return urlsplit(url).path


def _other_language(url: str, language: str) -> bool:
    parts = urlsplit(url)
    asked = parse_qs(parts.query).get("lang", [language])[0]
    return asked != language or (
        parts.path.startswith("/course/") and not parts.path.startswith(f"/course/{language}/")
    )


def error_pages(context, base: str) -> dict[str, int]:
    """URL -> the error status it answers."""
    scenario = context.request.get(f"{base}/scenario/{SCENARIO}/").text()
    usage = next(uid for uid in USAGE.findall(scenario) if ".devisus_glossary." in uid)
    return {
        f"{base}{MISSING}?student=alice": 404,
        f"{base}/?{TOO_MANY_FIELDS}": 400,
        f"{base}/handler/{usage}/no_such_handler/?student=alice": 500,
    }


def crawl(browser, base: str, language: str, viewport: dict) -> tuple[list[str], set[str], int]:
    """(failures, language-switch links to other pages, pages visited)."""
    context = browser.new_context(viewport=viewport, locale=language)
    probe = PageProbe(context.new_page())
    page = probe.page
    failures: list[str] = []
    switch_links: set[str] = set()
    start = f"{base}/?lang={language}&student=alice"
    errors = error_pages(context, base)
    queue = deque([start, *errors])
    seen = {_key(url) for url in queue}
    visited = 0
    try:
        while queue:
            url = queue.popleft()
            probe.errors.clear()
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            visited += 1
            expected = errors.get(url, 200)
            where = _key(url) if expected == 200 else f"{_key(url)} (the {expected} page)"
            if response.status != expected:
                failures.append(f"{where}: HTTP {response.status}")
                continue
            # The browser reports an error page's own status as a console error: that one is expected.
            reported = [e for e in probe.errors if f"status of {expected}" not in e]
            if reported:
                failures.append(f"{where}: console errors {reported}")
            failures.extend(f"{where}: {failure}" for failure in page.evaluate(PAGE_CHECKS, language))
            failures.extend(f"{where}: axe {violation}" for violation in probe.axe_violations())
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                target = urljoin(url, href).split("#")[0]
                if not target.startswith(base + "/") or _key(target).startswith(NOT_PAGES):
                    continue
                if _other_language(target, language):
                    switch_links.add(target)
                elif _key(target) not in seen:
                    seen.add(_key(target))
                    queue.append(target)
    finally:
        context.close()
    return failures, switch_links, visited


@pytest.mark.parametrize(
    "language, viewport",
    [("fr", {"width": 320, "height": 720}), ("en", {"width": 1280, "height": 900})],
    ids=["fr-320px", "en-desktop"],
)
def test_every_reachable_page_is_ours_and_accessible(preview_url, browser, language, viewport):
    failures, switch_links, visited = crawl(browser, preview_url, language, viewport)
    # The index, the outline, every unit, every block scenario, the 404 page at least.
    assert visited > 60, f"only {visited} pages reached"
    context = browser.new_context()
    try:
        for link in sorted(switch_links):
            status = context.request.get(link).status
            if status != 200:
                failures.append(f"language switch {link}: HTTP {status}")
    finally:
        context.close()
    assert switch_links, "no language switch link met"
    assert not failures, f"{len(failures)} problems in {visited} pages:\n" + "\n".join(failures)
