"""Glossary deep links inside the Learning MFE, where the unit is an iframe.

The MFE builds the unit's iframe URL itself (frontend-app-learning
``src/courseware/course/sequence/Unit/urls.ts``: none of the page's query string), so only the
page's hash can point at a term, and it reaches the unit only as the message
``{hashName: location.hash}`` posted to the LMS origin, again whenever the iframe is resized;
the MFE scrolls its page when the unit answers ``{offset}``
(``src/courseware/course/sequence/Unit/hooks/useIFrameBehavior.ts``). In the MFE's iframe the
LMS also adds ``<base target="_parent">`` (edx-platform
``lms/templates/courseware/courseware-chromeless.html``).

``MFE_PAGE`` reproduces that parent page on its own origin (http://mfe.test), framing a unit
served by the workbench; the LMS's ``LEARNING_MICROFRONTEND_URL`` names that origin.
"""

from __future__ import annotations

import json
import re

import pytest

from devisus_xblocks.common.mfe import learning_mfe_origins
from tests.browser_support import phone
from tests.glossary.conftest import UNIT

MFE = "http://mfe.test"
UNIT_PATH = f"/learning/course/course-v1:DEVISUS+USIS+fr/block-v1:seq/block-v1:{UNIT}"

MFE_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Learning MFE</title></head>
<body style="margin:0">
<header style="height:400px">Course header</header>
<iframe id="unit-iframe" title="Unit" src="%(unit)s" style="width:100%%;height:60000px;border:0"></iframe>
<footer style="height:400px">Footer</footer>
<script>
  // As useIFrameBehavior.ts (the iframe taller than the unit, as the MFE sizes it): post the
  // page's hash to the unit (on load and on every resize),
  // scroll to the {offset} the unit answers.
  var frame = document.getElementById("unit-iframe");
  window.received = [];
  window.sendHash = function () {
    if (window.location.hash) {
      frame.contentWindow.postMessage({hashName: window.location.hash}, %(lms)s);
    }
  };
  window.post = function (data) { frame.contentWindow.postMessage(data, %(lms)s); };
  window.addEventListener("message", function (event) {
    window.received.push({origin: event.origin, data: event.data});
    if (event.data && event.data.offset) {
      window.scrollTo(0, event.data.offset + frame.offsetTop);
    }
  });
  frame.addEventListener("load", window.sendHash);
</script>
</body></html>
"""


@pytest.fixture
def mfe_setting(settings):
    settings.LEARNING_MICROFRONTEND_URL = MFE + "/learning"


def open_in_mfe(page, lms: str, parent: str = MFE, hash_: str = ""):
    """Serve the fake parent page on ``parent`` and open it; return the unit's frame."""
    unit = f"{lms}/scenario/{UNIT}/?student=alice"
    body = MFE_PAGE % {"unit": unit, "lms": json.dumps(lms)}

    def chromeless(route):
        # The LMS's chromeless unit page in the MFE: links navigate the parent window.
        response = route.fetch()
        html = response.text().replace("<head>", '<head><base target="_parent">', 1)
        route.fulfill(response=response, body=html)

    page.context.route(f"{parent}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=body))
    page.context.route(re.compile(re.escape(lms) + r"/scenario/"), chromeless)
    page.goto(parent + UNIT_PATH + hash_)
    frame = page.frame(url=re.compile(re.escape(lms) + r"/scenario/"))
    frame.wait_for_load_state("networkidle")
    frame.wait_for_selector(".devisus-glossary-search:not([hidden])")
    return frame


def focused(frame) -> str:
    return frame.evaluate("document.activeElement ? document.activeElement.id : ''")


def offsets(page) -> list:
    return page.evaluate("window.received.filter(m => m.data && m.data.offset).map(m => [m.origin, m.data.offset])")


def test_the_mfe_hash_reveals_the_term_and_scrolls_the_mfe_page(live_glossary, mfe_setting):
    lms = live_glossary
    with phone() as page:
        frame = open_in_mfe(page, lms, hash_="#devisus-glossary-value")
        frame.wait_for_function("document.activeElement && document.activeElement.id.endsWith('-term-value')")
        entry = frame.locator(".devisus-glossary-highlight")
        assert entry.get_attribute("data-slug") == "value"
        # Rounded as the block rounds it (JavaScript's Math.round: Python's round() goes to even on .5)
        top = frame.evaluate("Math.round(document.activeElement.getBoundingClientRect().top + window.pageYOffset)")
        page.wait_for_function("window.received.some(m => m.data && m.data.offset)")
        assert offsets(page) == [[lms, top]]
        frame_top = page.evaluate("document.getElementById('unit-iframe').offsetTop")
        assert page.evaluate("window.scrollY") == top + frame_top

        # The MFE posts the hash again at every resize: once handled, it must not undo a search.
        frame.fill(".devisus-glossary-search-input", "impact")
        page.evaluate("sendHash()")
        page.evaluate("sendHash()")
        frame.wait_for_timeout(300)
        assert frame.locator(".devisus-glossary-search-input").input_value() == "impact"
        assert frame.locator(".devisus-glossary-results").is_visible()
        assert len(offsets(page)) == 1

        # A new hash in the MFE (the learner followed another link) is followed.
        page.evaluate("history.replaceState(null, '', '#devisus-glossary-criteria'); sendHash()")
        frame.wait_for_function("document.activeElement && document.activeElement.id.endsWith('-term-criteria')")
        assert frame.locator(".devisus-glossary-search-input").input_value() == ""
        assert len(offsets(page)) == 2
        assert page.errors == []


def test_messages_of_the_wrong_shape_are_ignored(live_glossary, mfe_setting):
    with phone() as page:
        frame = open_in_mfe(page, live_glossary)
        before = focused(frame)
        for data in (
            "'#devisus-glossary-tool'",
            "{hashName: 42}",
            "{hashName: ['#devisus-glossary-tool']}",
            "{hashName: '#devisus-glossary-<img src=x onerror=window.pwned=1>'}",
            "{hashName: '#devisus-glossary-tool' + 'x'.repeat(300)}",
            "{hashName: '#devisus-glossary-%E0'}",
            "{hashName: '#devisus-glossary-no-such-term'}",
            "{hashname: '#devisus-glossary-tool'}",
            "null",
        ):
            page.evaluate(f"post({data})")
        frame.wait_for_timeout(300)
        assert focused(frame) == before
        assert frame.locator(".devisus-glossary-highlight").count() == 0
        assert frame.evaluate("window.pwned === undefined && !document.querySelector('img')")
        assert offsets(page) == []
        assert page.errors == []


def test_a_page_on_another_origin_cannot_drive_the_glossary(live_glossary, mfe_setting):
    with phone() as page:
        frame = open_in_mfe(page, live_glossary, parent="http://elsewhere.test", hash_="#devisus-glossary-tool")
        page.evaluate("sendHash()")
        frame.wait_for_timeout(300)
        assert frame.locator(".devisus-glossary-highlight").count() == 0
        assert offsets(page) == []


def test_without_the_mfe_setting_only_the_own_origin_is_trusted(live_glossary, settings):
    settings.LEARNING_MICROFRONTEND_URL = None
    with phone() as page:
        frame = open_in_mfe(page, live_glossary, hash_="#devisus-glossary-tool")
        page.evaluate("sendHash()")
        frame.wait_for_timeout(300)
        assert frame.locator(".devisus-glossary-highlight").count() == 0


def test_a_link_in_the_unit_stays_in_the_unit(live_glossary, mfe_setting):
    with phone() as page:
        frame = open_in_mfe(page, live_glossary)
        frame.focus("a[href='#devisus-glossary-social-utility']")
        frame.press("a[href='#devisus-glossary-social-utility']", "Enter")
        frame.wait_for_function("document.activeElement && document.activeElement.id.endsWith('-term-social-utility')")
        assert page.url == MFE + UNIT_PATH  # the MFE page was not replaced by the unit's LMS page
        assert frame.evaluate("window.location.hash") == "#devisus-glossary-social-utility"
        assert page.errors == []


# Server side: the origin the script trusts ----------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "origins"),
    [
        ("https://apps.example.org/learning", ["https://apps.example.org"]),
        ("http://apps.local.openedx.io:2000/learning", ["http://apps.local.openedx.io:2000"]),
        ("HTTPS://Apps.Example.org", ["https://apps.example.org"]),
        (None, []),
        ("", []),
        ("javascript:alert(1)", []),
        ("//apps.example.org/learning", []),
        ("https://user@apps.example.org/", []),
    ],
)
def test_the_trusted_origin_comes_from_the_lms_setting(settings, configured, origins):
    settings.LEARNING_MICROFRONTEND_URL = configured
    assert learning_mfe_origins() == origins


def test_the_page_hands_the_mfe_origin_to_the_script(wb_fr, settings):
    settings.LEARNING_MICROFRONTEND_URL = "https://apps.example.org/learning"
    page = wb_fr.page(UNIT, "alice")
    assert page.count('"parent_origins": ["https://apps.example.org"]') == 2
    del settings.LEARNING_MICROFRONTEND_URL
    assert wb_fr.page(UNIT, "alice").count('"parent_origins": []') == 2
