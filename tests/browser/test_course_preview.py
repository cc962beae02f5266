"""Every unit page of the course preview, in Chromium: loads cleanly and passes axe-core."""

from __future__ import annotations

import pytest

from devisus_course.preview.course_tree import read_course

from .conftest import REPO


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_unit_page_loads_without_errors_and_passes_axe(preview_url, probe, language):
    course = read_course(REPO / "course" / language)
    failures = []
    for index, unit in enumerate(course.units):
        response = probe.page.goto(f"{preview_url}/course/{language}/{unit.url_name}/?student=alice")
        if response.status != 200:
            failures.append(f"{unit.url_name}: HTTP {response.status}")
            continue
        probe.page.wait_for_load_state("networkidle")
        if probe.errors:
            failures.append(f"{unit.url_name}: console errors {probe.errors}")
            probe.errors.clear()
        violations = probe.axe_violations()  # the whole page, the real ORA2 workshop's included
        if violations:
            failures.append(f"{unit.url_name}: axe {violations}")
        if index == 0:
            probe.screenshot(f"preview-{language}-first-unit")
    assert not failures, "\n".join(failures)


def test_outline_and_index_pass_axe_and_navigate_by_keyboard(preview_url, probe):
    page = probe.page
    page.goto(f"{preview_url}/?lang=en&student=alice")
    assert probe.axe_violations() == []
    probe.screenshot("preview-index")
    page.goto(f"{preview_url}/course/en/?student=alice")
    assert probe.axe_violations() == []
    # Tab from the top: the skip link comes first and leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "devisus-preview-skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert probe.errors == []
