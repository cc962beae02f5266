"""`devisus-course coverage`: every framework item taught and assessed, fr and en alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from devisus_course.cli import main
from devisus_course.framework import load_framework
from devisus_course.source import CONTENT_DIR

ALL_CODES = [*load_framework("fr").codes, *load_framework("fr").glossary_slugs]


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def _cover_everything(
    content: Path, language: str, teach: list[str] = ALL_CODES, assess: list[str] = ALL_CODES
) -> None:
    """Make module 1's quiz unit teach, and its first problem assess, exactly the given codes."""
    unit = content / language / "modules" / "01-why-evaluate" / "check.md"
    _, front, body = unit.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data["teaches"] = list(teach)
    for component in data["components"]:
        component.pop("assesses", None)
    data["components"][0]["assesses"] = list(assess)
    unit.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    # Nothing else in the course may teach or assess anything, so the test sees only the above.
    for other in (content / language / "modules").glob("*/*.md"):
        if other == unit:
            continue
        _, front, body = other.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        data.pop("teaches", None)
        for component in data.get("components", []):
            component.pop("assesses", None)
        other.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8")


def _run(capsys, *args) -> tuple[int, str]:
    code = main(["coverage", *map(str, args)])
    return code, capsys.readouterr().out


def test_complete_coverage_in_both_languages_passes(content, capsys):
    for language in ("fr", "en"):
        _cover_everything(content, language)
    code, out = _run(capsys, "--content", content, "--json")
    result = json.loads(out)
    assert code == 0, out
    assert result["ok"] and result["structure_differences"] == []
    items = result["languages"]["en"]["items"]
    assert {item["code"] for item in items} == set(ALL_CODES)
    social_utility = next(item for item in items if item["code"] == "social-utility")
    assert "vertical:m01_check" in social_utility["taught_by"]
    assert social_utility["assessed_by"] == ["problem:m01_check_q1"]


def test_an_item_never_assessed_fails_and_is_named(content, capsys):
    for language in ("fr", "en"):
        _cover_everything(content, language, assess=[c for c in ALL_CODES if c != "T4"])
    code, out = _run(capsys, "--content", content, "--lang", "fr")
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("-- T4 "))
    assert "taught: vertical:m01_check" in line
    assert "NOT ASSESSED" in out.split("-- T4 ", 1)[1].splitlines()[1]


def test_languages_with_different_structure_fail(content, capsys):
    _cover_everything(content, "fr")
    _cover_everything(content, "en")
    shutil.rmtree(content / "en" / "modules" / "09-capstone")
    (content / "en" / "modules" / "08-awareness-training-advocacy").rename(content / "en" / "modules" / "08-awareness")
    code, out = _run(capsys, "--content", content, "--json")
    result = json.loads(out)
    assert code == 1
    assert any(line.startswith("-chapter m09") for line in result["structure_differences"])


def test_unknown_assessed_code_is_a_located_source_error(content, capsys):
    _cover_everything(content, "fr", assess=["Pr1", "Z9"])
    code = main(["coverage", "--content", str(content), "--lang", "fr"])
    err = capsys.readouterr().err
    assert code == 1
    assert "check.md:" in err and "'Z9'" in err


def test_grade_types_may_be_named_per_language_but_must_play_the_same_part(capsys, tmp_path):
    """The French course names its grade types in French: the outline compares each sequence's
    grader by its place and weight in the grading policy, so a real difference still shows."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    code, out = _run(capsys, "--content", copy, "--json")
    assert code == 0 and json.loads(out)["structure_differences"] == []
    module = copy / "fr" / "modules" / "05-criteria-and-indicators" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("graded: Atelier", "graded: Quiz"), encoding="utf-8")
    code, out = _run(capsys, "--content", copy, "--json")
    differences = json.loads(out)["structure_differences"]
    assert code == 1 and any(line.startswith("-  sequential m05_s3 graded=#1:") for line in differences), differences
