"""The course calendar (content/calendar.yaml) through the `devisus-course build` CLI: a dated,
instructor-paced build (--start), a self-paced one (the default, or --self-paced), bad start
dates, calendar mistakes named by file and line, and the check of the dates a build wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from devisus_course.calendar_check import check_dates
from devisus_course.cli import main
from devisus_course.source import CONTENT_DIR

from .test_build_cli import _break, _line_of, assert_nothing_written, files_under, run_cli

LANGUAGES = ("fr", "en")
DUE_ATTRIBUTES = ("due", "submission_start", "submission_due", "review_due")

# --start 2027-01-04, a Monday. Deadlines are at 23:59 in Paris (UTC+1 until 28 March 2027).
START = "2027-01-04"
# Module 1 lasts two weeks (its pair piece is reviewed by day 14); the pair pieces of modules 4, 7
# and 8 are submitted on day 4 and reviewed by day 7, the module's last.
GRADED_DUE = {
    "m01": {"Pair work": "2027-01-17T22:59:00Z", "Quiz": "2027-01-17T22:59:00Z"},
    "m02": {"Quiz": "2027-01-24T22:59:00Z"},
    "m03": {"Quiz": "2027-01-31T22:59:00Z"},
    "m04": {"Pair work": "2027-02-07T22:59:00Z", "Quiz": "2027-02-07T22:59:00Z"},
    # Two weeks: the workshop's reviews are due on day 11, the quiz at the end of week 7.
    "m05": {"Workshop": "2027-02-18T22:59:00Z", "Quiz": "2027-02-21T22:59:00Z"},
    "m06": {"Quiz": "2027-02-28T22:59:00Z"},
    "m07": {"Pair work": "2027-03-07T22:59:00Z", "Quiz": "2027-03-07T22:59:00Z"},
    "m08": {"Pair work": "2027-03-14T22:59:00Z", "Quiz": "2027-03-14T22:59:00Z"},
    # Weeks 11 and 12: the plan is due on day 10, its reviews and the quiz on day 14, the day summer
    # time starts in Paris (23:59 is then 21:59 UTC).
    "m09": {"Capstone": "2027-03-28T21:59:00Z", "Quiz": "2027-03-28T21:59:00Z"},
}

# The grade types of the French course, named in French (GRADED_DUE uses the English ones).
GRADE_TYPE_NAMES = {"fr": {"Pair work": "Travail en binôme", "Workshop": "Atelier", "Capstone": "Projet final"}}


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dated")
    assert main(["build", "--lang", "all", "--start", START, "-o", str(out)]) == 0
    return out


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def course_element(tree: Path) -> etree._Element:
    run = etree.parse(str(tree / "course.xml")).getroot().get("url_name")
    return etree.parse(str(tree / "course" / f"{run}.xml")).getroot()


def policy(tree: Path) -> dict:
    run = etree.parse(str(tree / "course.xml")).getroot().get("url_name")
    return json.loads((tree / "policies" / run / "policy.json").read_text(encoding="utf-8"))[f"course/{run}"]


def graded_dues(tree: Path) -> dict[str, dict[str, str | None]]:
    """Chapter url_name -> {grader type: due} of its graded sequentials; ungraded ones must have none."""
    found = {}
    for chapter in course_element(tree).iter("chapter"):
        name = chapter.get("url_name")
        chapter_root = etree.parse(str(tree / "chapter" / f"{name}.xml")).getroot()
        found[name] = {}
        for pointer in chapter_root.iter("sequential"):
            sequential = etree.parse(str(tree / "sequential" / f"{pointer.get('url_name')}.xml")).getroot()
            if sequential.get("graded") == "true":
                found[name][sequential.get("format")] = sequential.get("due")
            else:
                assert sequential.get("due") is None, pointer.get("url_name")
    return found


def component(tree: Path, vertical: str, tag: str) -> etree._Element:
    (element,) = etree.parse(str(tree / "vertical" / f"{vertical}.xml")).getroot().iter(tag)
    return element


def dated_attributes(tree: Path) -> list[str]:
    """Every due-date attribute anywhere in the OLX, as 'file: attr=value'."""
    found = []
    for path in sorted(tree.rglob("*.xml")):
        for element in etree.parse(str(path)).getroot().iter():
            for name in DUE_ATTRIBUTES:
                if element.get(name) is not None:
                    found.append(f"{path.relative_to(tree)}: {name}={element.get(name)}")
    return found


# ---- an instructor-paced build ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_start_dates_the_course_in_both_languages(dated, language):
    tree = dated / "course" / language
    course = course_element(tree)
    assert (course.get("start"), course.get("self_paced")) == ("2027-01-04T00:00:00Z", "false")
    assert (policy(tree)["start"], policy(tree)["self_paced"]) == ("2027-01-04T00:00:00Z", False)
    names = GRADE_TYPE_NAMES.get(language, {})
    assert graded_dues(tree) == {
        module: {names.get(kind, kind): due for kind, due in dues.items()} for module, dues in GRADED_DUE.items()
    }

    capstone = component(tree, "m09_capstone", "devisus_pair_review")
    assert capstone.get("submission_due") == "2027-03-24T22:59:00Z"
    assert capstone.get("review_due") == "2027-03-28T21:59:00Z"
    # A pair review written in its own OLX file (its own rubric) is dated like the inline ones.
    piece = component(tree, "m04_pair_map", "devisus_pair_review")
    assert (piece.get("submission_due"), piece.get("review_due")) == ("2027-02-04T22:59:00Z", "2027-02-07T22:59:00Z")

    workshop = component(tree, "m05_workshop", "openassessment")
    assert workshop.get("submission_start") == "2027-01-04T00:00:00Z"
    assert workshop.get("submission_due") == "2027-02-14T22:59:00Z"
    steps = {step.get("name"): step.get("due") for step in workshop.iter("assessment")}
    assert steps == {"peer-assessment": "2027-02-18T22:59:00Z", "self-assessment": "2027-02-18T22:59:00Z"}
    assert check_dates(tree) == []


def test_a_dated_build_validates_and_is_reproducible(dated, tmp_path, capsys):
    for language in LANGUAGES:
        code, out, _ = run_cli(capsys, "validate", dated / "dist" / f"DEVISUS_USIS_{language}.tar.gz")
        assert code == 0, out
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--start", START, "-o", tmp_path)
    assert code == 0, err
    assert files_under(tmp_path) == files_under(dated)


def test_deadlines_stay_at_23_59_in_paris_across_summer_time(tmp_path, capsys):
    code, _, err = run_cli(capsys, "build", "--lang", "en", "--start", "2027-03-01", "-o", tmp_path)
    assert code == 0, err
    tree = tmp_path / "course" / "en"
    dues = graded_dues(tree)
    assert dues["m01"]["Quiz"] == "2027-03-14T22:59:00Z"  # CET, UTC+1
    assert dues["m09"]["Quiz"] == "2027-05-23T21:59:00Z"  # CEST, UTC+2
    capstone = component(tree, "m09_capstone", "devisus_pair_review")
    assert (capstone.get("submission_due"), capstone.get("review_due")) == (
        "2027-05-19T21:59:00Z",
        "2027-05-23T21:59:00Z",
    )


# ---- self-paced builds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, start",
    [
        ((), "2026-01-05T00:00:00Z"),  # the default: what course/ holds
        (("--self-paced",), "2026-01-05T00:00:00Z"),
        (("--self-paced", "--start", START), "2027-01-04T00:00:00Z"),
    ],
)
def test_a_self_paced_build_has_no_due_date(tmp_path, capsys, options, start):
    code, _, err = run_cli(capsys, "build", "--lang", "all", *options, "-o", tmp_path)
    assert code == 0, err
    for language in LANGUAGES:
        tree = tmp_path / "course" / language
        course = course_element(tree)
        assert (course.get("start"), course.get("self_paced")) == (start, "true")
        assert (policy(tree)["start"], policy(tree)["self_paced"]) == (start, True)
        assert dated_attributes(tree) == []
        assert check_dates(tree) == []
        code, out, _ = run_cli(capsys, "validate", tmp_path / "dist" / f"DEVISUS_USIS_{language}.tar.gz")
        assert code == 0, out


def test_no_far_future_placeholder_date_is_left_anywhere(dated):
    source_text = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(CONTENT_DIR.rglob("*")) if path.is_file()
    )
    built_text = "\n".join(text.decode("utf-8", "replace") for text in files_under(dated / "course").values())
    committed = "\n".join(
        text.decode("utf-8", "replace") for text in files_under(CONTENT_DIR.parents[1] / "course").values()
    )
    for placeholder in ("2030-", "2099-", "9999-"):
        assert placeholder not in source_text and placeholder not in built_text and placeholder not in committed


# ---- bad start dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "next monday", "2027-02-30", "2027-01-04T08:00:00Z", ""])
def test_a_bad_start_is_a_usage_error_and_writes_nothing(tmp_path, capsys, value):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--lang", "all", "--start", value, "-o", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --start" in err, err
    assert f"'{value}' is not a" in err and "YYYY-MM-DD" in err, err
    assert not out.exists()


# ---- mistakes in the calendar, named by file and line -------------------------------------------

CAPSTONE = "09-capstone: {week: 11, weeks: 2, submission: 10, review: 14}"


@pytest.mark.parametrize(
    "old, new, line_of, expected",
    [
        (CAPSTONE, CAPSTONE.replace("review: 14", "review: 9"), "09-capstone", "must be due after the submission"),
        (CAPSTONE, CAPSTONE.replace("review: 14", "review: 10"), "09-capstone", "must be due after the submission"),
        ("06-posture: {week: 8}", "06-posture: {week: 7}", "06-posture", "starts before 05-criteria-and-indicators"),
        ("04-stakeholders: {week: 5,", "04-stakeholders: {week: 4,", "04-stakeholders", "starts before 03-methods"),
        ("review: 11}", "review: 15}", "05-criteria", "falls after the module's 2 week(s) (days 1 to 14)"),
        ("01-why-evaluate: {week: 1,", "01-why-evaluate: {week: 0,", "01-why-evaluate", "from 1, not 0"),
        ("01-why-evaluate: {week: 1, weeks: 2,", "01-why-evaluate: {weeks: 2,", "01-why-evaluate", "missing 'week'"),
        ("02-words-of-evaluation: {week: 3}", "02-words-of-evaluation: {week: three}", "02-words", "not 'three'"),
        (CAPSTONE, CAPSTONE.replace(", review: 14", ""), "09-capstone", "'review' is missing"),
        (
            CAPSTONE,
            "09-capstone: {week: 11, weeks: 2}",
            "09-capstone",
            "devisus_pair_review_1.xml in capstone.md needs",
        ),
        (
            "06-posture: {week: 8}",
            "06-posture: {week: 8, submission: 3, review: 5}",
            "06-posture",
            "this module has none",
        ),
        (
            "  07-designing-accompaniment: {week: 9, submission: 4, review: 7}\n",
            "",
            "modules:",
            "'07-designing-accompaniment' has no line",
        ),
        (CAPSTONE, CAPSTONE + "\n  10-extra: {week: 13}", "10-extra", "'10-extra' is not a module folder"),
        (CAPSTONE, CAPSTONE.replace("}", ", review_days: 3}"), "09-capstone", "unknown key 'review_days'"),
        ('due_time: "23:59"', "due_time: 23:59", "due_time:", 'a time in quotes, hours and minutes, such as "23:59"'),
        ("time_zone: Europe/Paris", "time_zone: Europe/Lille", "time_zone:", "'Europe/Lille' is not a time zone"),
    ],
)
def test_calendar_mistakes_are_named_by_file_and_line(content, tmp_path, capsys, old, new, line_of, expected):
    calendar = content / "calendar.yaml"
    _break(calendar, old, new)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--start", START, "--content", content, "-o", out)
    assert code == 1, err
    assert f"{calendar}:{_line_of(calendar, line_of)}: " in err and expected in err, err
    assert "Traceback" not in err
    assert_nothing_written(out)


def test_a_self_paced_build_checks_the_calendar_too(content, tmp_path, capsys):
    calendar = content / "calendar.yaml"
    _break(calendar, CAPSTONE, CAPSTONE.replace("review: 14", "review: 9"))
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", tmp_path / "out")
    assert code == 1 and f"{calendar}:{_line_of(calendar, '09-capstone')}: " in err, err
    assert_nothing_written(tmp_path / "out")


def test_a_missing_calendar_is_named(content, tmp_path, capsys):
    (content / "calendar.yaml").unlink()
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", tmp_path / "out")
    assert code == 1 and f"{content / 'calendar.yaml'}: file not found" in err, err


@pytest.mark.parametrize(
    "relative, old, new, needle",
    [
        (
            "en/modules/09-capstone/devisus_pair_review_1.xml",
            'char_limit="40000"',
            'char_limit="40000" submission_due="2027-03-01T23:59:00Z"',
            "<devisus_pair_review",
        ),
        (
            "fr/modules/01-why-evaluate/intro.md",
            "---\n",
            "---\ncomponents:\n  - xblock: devisus_glossary\n    attrs: {due: '2027-01-01T00:00:00Z'}\n",
            "xblock: devisus_glossary",
        ),
        (
            "fr/modules/05-criteria-and-indicators/workshop.xml",
            "<openassessment ",
            '<openassessment submission_due="2099-12-31T23:59:59Z" ',
            "<openassessment",
        ),
        (
            "en/modules/05-criteria-and-indicators/workshop.xml",
            '<assessment name="self-assessment"/>',
            '<assessment name="self-assessment" due="2027-02-01T00:00:00Z"/>',
            'name="self-assessment"',
        ),
    ],
)
def test_a_date_written_in_a_unit_is_refused_with_file_and_line(content, tmp_path, capsys, relative, old, new, needle):
    """Dates have one place, the calendar: a date in a unit or component would escape its checks."""
    path = content / relative
    _break(path, old, new)
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--content", content, "-o", tmp_path / "out")
    assert code == 1, err
    assert f"{path}:{_line_of(path, needle)}: " in err and "is set by the builder from content/calendar.yaml" in err, (
        err
    )
    assert_nothing_written(tmp_path / "out")


# ---- the check of what a build wrote --------------------------------------------------------------


def _tree_copy(dated: Path, tmp_path: Path, language: str = "en") -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(dated / "course" / language, tree)
    return tree


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(tree: Path) -> list[str]:
    return [finding.format() for finding in check_dates(tree)]


def test_the_dates_check_finds_a_missing_due_date(dated, tmp_path):
    tree = _tree_copy(dated, tmp_path)
    _edit(tree / "sequential" / "m09_s3.xml", ' due="2027-03-28T21:59:00Z"', "")
    assert _messages(tree) == [
        "sequential/m09_s3.xml:1: error [calendar]: <sequential> due is missing in an instructor-paced course"
    ]


def test_the_dates_check_finds_reviews_due_before_the_submission(dated, tmp_path):
    tree = _tree_copy(dated, tmp_path)
    _edit(
        tree / "vertical" / "m09_capstone.xml", 'review_due="2027-03-28T21:59:00Z"', 'review_due="2027-03-23T22:59:00Z"'
    )
    (message,) = _messages(tree)
    assert message.startswith("vertical/m09_capstone.xml:") and "review_due" in message and "is not after" in message


def test_the_dates_check_finds_a_module_due_before_the_previous_one(dated, tmp_path):
    tree = _tree_copy(dated, tmp_path)
    sequential = next(
        path for path in sorted((tree / "sequential").glob("m02_s*.xml")) if "2027-01-24T22:59:00Z" in path.read_text()
    )
    _edit(sequential, "2027-01-24T22:59:00Z", "2027-01-16T22:59:00Z")
    (message,) = _messages(tree)
    assert (
        message.startswith(f"sequential/{sequential.name}:1: error [calendar]:")
        and "modules follow each other" in message
    )


def test_the_dates_check_finds_a_due_date_before_the_course_start(dated, tmp_path):
    tree = _tree_copy(dated, tmp_path)
    _edit(tree / "course" / "en.xml", 'start="2027-01-04T00:00:00Z"', 'start="2027-01-18T00:00:00Z"')
    messages = _messages(tree)
    assert messages and all("before the course starts" in message for message in messages)


def test_the_dates_check_finds_a_due_date_in_a_self_paced_course(tmp_path, capsys):
    out = tmp_path / "out"
    assert run_cli(capsys, "build", "--lang", "fr", "-o", out)[0] == 0
    tree = out / "course" / "fr"
    _edit(
        tree / "vertical" / "m09_capstone.xml",
        "<devisus_pair_review ",
        '<devisus_pair_review review_due="2027-01-01T00:00:00Z" ',
    )
    (message,) = _messages(tree)
    assert message.startswith("vertical/m09_capstone.xml:") and "a self-paced course has no due dates" in message
