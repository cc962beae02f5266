"""The course validator: a clean hand-written OLX course passes, each broken variant is caught.

Every broken variant is a copy of tests/fixtures/olx_minimal with one thing changed, validated
through the public API only, so each test fails if its rule stops working.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

from devisus_course import xmlsafe
from devisus_course.validator import Finding, Report, archive, jsonfile, validate_path, validate_tree

FIXTURE = Path(__file__).parent / "fixtures" / "olx_minimal"
TOP = "mycourse"


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Route tempfile into a folder of our own, to see what extraction leaves behind."""
    folder = tmp_path / "private-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def caught(report: Report, rule: str, file: str, line: int | None = None, text: str = "") -> Finding:
    """The error finding of ``rule`` on ``file`` (and ``line``), naming the file in its text."""
    assert not report.ok, report.to_json()
    for finding in report.errors:
        if (
            finding.rule == rule
            and finding.file == file
            and (line is None or finding.line == line)
            and text in finding.message
        ):
            location = file + (f":{finding.line}" if finding.line else "")
            assert finding.format().startswith(location + ": error [" + rule + "]: ")
            return finding
    raise AssertionError(
        f"no {rule} error on {file}:{line} mentioning {text!r} in:\n" + "\n".join(f.format() for f in report.findings)
    )


def tar_of(src: Path, dest: Path, top: str = TOP, extra=()) -> Path:
    """A tar(.gz) of ``src`` under ``top/``, plus (TarInfo, bytes | None) extra members."""
    mode = "w:gz" if dest.name.endswith((".gz", ".tgz")) else "w"
    with tarfile.open(dest, mode) as tf:
        tf.add(src, arcname=top)
        for info, data in extra:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return dest


def zip_of(src: Path, dest: Path, top: str = TOP, extra=()) -> Path:
    """A zip of ``src`` under ``top/``, plus (ZipInfo | name, bytes) extra members."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(src.rglob("*")):
            zf.write(path, f"{top}/{path.relative_to(src).as_posix()}")
        for info, data in extra:
            zf.writestr(info, data)
    return dest


def member(name: str, kind: bytes = tarfile.REGTYPE, data: bytes | None = b"", **attrs):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if (data is not None and kind == tarfile.REGTYPE) else 0
    for key, value in attrs.items():
        setattr(info, key, value)
    return info, (data if kind == tarfile.REGTYPE else None)


# --- the clean course ----------------------------------------------------------------------


def test_clean_fixture_passes_every_rule():
    report = validate_path(FIXTURE)
    assert report.ok, report.to_json()
    assert report.findings == [], "\n".join(f.format() for f in report.findings)
    assert validate_tree(FIXTURE).findings == []


@pytest.mark.parametrize("name", ["course.tar.gz", "course.tgz", "course.tar"])
def test_clean_tar_archives_pass(tmp_path, private_tmp, name):
    report = validate_path(tar_of(FIXTURE, tmp_path / name))
    assert report.ok and report.findings == [], report.to_json()
    assert list(private_tmp.iterdir()) == [], "the extraction folder was not removed"


def test_clean_zip_passes(tmp_path, private_tmp):
    report = validate_path(zip_of(FIXTURE, tmp_path / "course.zip"))
    assert report.ok and report.findings == [], report.to_json()
    assert list(private_tmp.iterdir()) == []


def test_report_json_and_format():
    findings = [
        Finding("error", "refs", "vertical/a.xml", 12, "dangling"),
        Finding("warning", "tags", None, None, "note"),
        Finding("warning", "grading", "policies/r/grading_policy.json", None, "hm"),
    ]
    report = Report(findings)
    assert findings[0].format() == "vertical/a.xml:12: error [refs]: dangling"
    assert findings[1].format() == "warning [tags]: note"
    assert findings[2].format() == "policies/r/grading_policy.json: warning [grading]: hm"
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["errors"] == 1 and data["warnings"] == 2
    assert data["findings"][0] == {
        "severity": "error",
        "rule": "refs",
        "file": "vertical/a.xml",
        "line": 12,
        "message": "dangling",
    }
    assert list(data) == sorted(data)
    assert report.to_json() == Report(list(findings)).to_json()
    assert Report([]).ok and json.loads(Report([]).to_json())["ok"] is True


# --- rule: xml -----------------------------------------------------------------------------


def test_malformed_xml_is_reported_with_line(course):
    (course / "vertical" / "unit1.xml").write_text(
        '<vertical display_name="W">\n  <html url_name="welcome">\n</vertical>\n'
    )
    report = validate_path(course)
    caught(report, "xml", "vertical/unit1.xml", 3, "malformed XML")


def test_external_entity_in_olx_is_refused(course):
    (course / "chapter" / "ch1.xml").write_text(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<chapter display_name="&e;">\n  <sequential url_name="seq1"/>\n</chapter>\n'
    )
    report = validate_path(course)
    finding = caught(report, "xml", "chapter/ch1.xml")
    assert "root:" not in finding.message
    assert not [f for f in report.findings if f.rule == "olxcleaner"], "olxcleaner must not re-read a hostile tree"


def test_doctype_in_olx_is_refused(course):
    edit(
        course / "problem" / "check1.xml", "<problem", '<!DOCTYPE problem SYSTEM "http://127.0.0.1:9/x.dtd">\n<problem'
    )
    caught(validate_path(course), "xml", "problem/check1.xml", 1, "DOCTYPE")


def test_oversized_xml_is_refused(course, monkeypatch):
    monkeypatch.setattr(xmlsafe, "MAX_XML_BYTES", 200)
    edit(course / "problem" / "check1.xml", "<problem", "<!-- " + "padding " * 40 + "-->\n<problem")
    report = validate_path(course)
    caught(report, "xml", "problem/check1.xml", None, "larger than 200 bytes")
    assert not [f for f in report.findings if f.rule == "olxcleaner"]


# --- rule: refs ----------------------------------------------------------------------------


def test_dangling_pointer_names_the_referencing_element(course):
    (course / "problem" / "check1.xml").unlink()
    finding = caught(validate_path(course), "refs", "vertical/unit1.xml", 3, "problem/check1.xml")
    assert "check1" in finding.message


def test_missing_html_file_is_reported(course):
    (course / "html" / "welcome.html").unlink()
    caught(validate_path(course), "refs", "html/welcome.xml", 1, "html/welcome.html")


def test_pointer_to_a_file_of_another_tag(course):
    (course / "problem" / "check1.xml").write_text('<html display_name="Oops" filename="welcome"/>\n')
    caught(validate_path(course), "refs", "problem/check1.xml", 1, "points here as <problem>")


def test_missing_course_file(course):
    (course / "course" / "2025.xml").unlink()
    caught(validate_path(course), "refs", "course.xml", 1, "course/2025.xml")


def test_missing_course_xml(course):
    (course / "course.xml").unlink()
    caught(validate_path(course), "refs", "course.xml", None, "course.xml")


def test_circular_pointer(course):
    edit(course / "vertical" / "unit1.xml", "</vertical>", '  <vertical url_name="unit1"/>\n</vertical>')
    caught(validate_path(course), "refs", "vertical/unit1.xml", 4, "circular")


def test_orphan_file_is_a_warning(course):
    (course / "problem" / "stray.xml").write_text('<problem display_name="Stray"><p>x</p></problem>\n')
    report = validate_path(course)
    assert report.ok
    assert [f.format() for f in report.warnings] == [
        "problem/stray.xml: warning [refs]: not referenced from the course tree: Studio will not import it"
    ]


# --- rule: url-name ------------------------------------------------------------------------


def test_duplicate_url_name_in_one_category(course):
    edit(course / "sequential" / "seq1.xml", '<vertical url_name="unit2"/>', '<vertical url_name="unit1"/>')
    finding = caught(validate_path(course), "url-name", "sequential/seq1.xml", 3, "'unit1'")
    assert "sequential/seq1.xml:2" in finding.message  # where it was first used


def test_duplicate_url_name_of_inline_custom_blocks(course):
    edit(course / "vertical" / "unit2.xml", "</vertical>", '  <thumbs url_name="opinion"/>\n</vertical>')
    caught(validate_path(course), "url-name", "vertical/unit2.xml", 3, "duplicate url_name 'opinion'")


def test_path_like_url_name_is_refused(course):
    edit(course / "vertical" / "unit1.xml", 'url_name="check1"', 'url_name="../../../etc/passwd"')
    report = validate_path(course)
    caught(report, "url-name", "vertical/unit1.xml", 3, "unsafe url_name")
    assert not [f for f in report.findings if f.rule == "olxcleaner"]


def test_path_like_html_filename_is_refused(course):
    edit(course / "html" / "welcome.xml", 'filename="welcome"', 'filename="../../secret"')
    caught(validate_path(course), "url-name", "html/welcome.xml", 1, "unsafe html filename")


# --- rule: tags ----------------------------------------------------------------------------


def test_unknown_tag_is_an_error(course):
    edit(course / "vertical" / "unit2.xml", "</vertical>", '  <mystery_block url_name="m1"/>\n</vertical>')
    caught(validate_path(course), "tags", "vertical/unit2.xml", 3, "unknown tag <mystery_block>")


def test_installed_xblock_not_in_advanced_modules_is_an_error(course):
    edit(course / "vertical" / "unit2.xml", "</vertical>", '  <slider_demo url_name="s1"/>\n</vertical>')
    caught(
        validate_path(course),
        "tags",
        "vertical/unit2.xml",
        3,
        "<slider_demo> is not listed in the course's advanced_modules",
    )


def test_policy_advanced_modules_win_over_course_xml(course):
    edit_json(course / "policies" / "2025" / "policy.json", lambda d: d["course/2025"].update(advanced_modules=[]))
    caught(validate_path(course), "tags", "vertical/unit2.xml", 2, "<thumbs> is not listed")


def test_tag_missing_from_course_xml_list_is_a_warning(course):
    edit(course / "course" / "2025.xml", "advanced_modules='[\"thumbs\"]'", "advanced_modules='[]'")
    report = validate_path(course)
    assert any(f.rule == "tags" and f.file == "course/2025.xml" and "'thumbs'" in f.message for f in report.warnings), (
        report.to_json()
    )


def test_malformed_advanced_modules_attribute(course):
    edit(course / "course" / "2025.xml", "advanced_modules='[\"thumbs\"]'", "advanced_modules='thumbs'")
    caught(validate_path(course), "tags", "course/2025.xml", 1, "JSON list")


def test_block_in_the_wrong_place(course):
    edit(
        course / "chapter" / "ch1.xml",
        "</chapter>",
        '  <thumbs url_name="t2"/>\n  <problem url_name="check1"/>\n</chapter>',
    )
    report = validate_path(course)
    caught(report, "tags", "chapter/ch1.xml", 3, "must sit inline in a <vertical>")
    caught(report, "tags", "chapter/ch1.xml", 4, "<problem> is not allowed inside <chapter>")


def test_tags_inside_problem_and_html_are_not_blocks(course):
    edit(course / "problem" / "check1.xml", "<label>", "<solution><div><p>Because.</p></div></solution>\n    <label>")
    (course / "vertical" / "unit1.xml").write_text(
        '<vertical display_name="Welcome">\n  <html url_name="inline1" display_name="Inline"><p>Hi <b>there</b></p></html>\n'
        '  <problem url_name="check1"/>\n  <html url_name="welcome"/>\n</vertical>\n'
    )
    report = validate_path(course)
    assert report.ok, report.to_json()


# --- rule: xblock-parse --------------------------------------------------------------------


def test_invalid_field_value_fails_in_the_real_xblock_class(course):
    edit(course / "vertical" / "unit2.xml", 'upvotes="0"', 'upvotes="many"')
    finding = caught(validate_path(course), "xblock-parse", "vertical/unit2.xml", 2, "ThumbsBlock")
    assert "ValueError" in finding.message and "'many'" in finding.message


def test_unknown_child_fails_in_the_real_xblock_class(course):
    edit(course / "vertical" / "unit2.xml", 'downvotes="0"/>', 'downvotes="0">\n    <not_a_block/>\n  </thumbs>')
    finding = caught(validate_path(course), "xblock-parse", "vertical/unit2.xml", 2, "not_a_block")
    assert "sample_xblocks.thumbs" in finding.message


def test_custom_block_children_parse_through_the_runtime(course):
    """A custom container may hold built-in blocks (the LMS provides them) but not unknown ones."""
    for name in ("policies/2025/policy.json", "course/2025.xml"):
        edit(course / name, '"thumbs"]', '"thumbs", "vertical_demo"]')
    edit(
        course / "vertical" / "unit2.xml",
        "</vertical>",
        '  <vertical_demo url_name="demo">\n    <html url_name="inner"><p>Hi</p></html>\n  </vertical_demo>\n</vertical>',
    )
    report = validate_path(course)
    assert report.ok, report.to_json()
    edit(course / "vertical" / "unit2.xml", "</vertical_demo>", "  <not_a_block/>\n  </vertical_demo>")
    caught(validate_path(course), "xblock-parse", "vertical/unit2.xml", 3, "PluginMissingError")


def test_attribute_that_is_no_field_is_a_warning(course):
    edit(course / "vertical" / "unit2.xml", 'upvotes="0"', 'upvotes="0" colour="red"')
    report = validate_path(course)
    assert report.ok
    assert any(f.rule == "xblock-parse" and f.line == 2 and "'colour'" in f.message for f in report.warnings)


# --- rule: grading -------------------------------------------------------------------------


def test_weights_must_sum_to_one(course):
    edit(course / "policies" / "2025" / "grading_policy.json", '"weight": 1.0', '"weight": 0.8')
    caught(validate_path(course), "grading", "policies/2025/grading_policy.json", 2, "sum to 0.8")


def test_weight_out_of_range(course):
    edit_json(
        course / "policies" / "2025" / "grading_policy.json",
        lambda d: d["GRADER"].extend(
            [
                {"type": "Exam", "weight": 1.5, "min_count": 1, "drop_count": 0},
                {"type": "Lab", "weight": -0.5, "min_count": 1, "drop_count": 0},
            ]
        ),
    )
    report = validate_path(course)
    caught(report, "grading", "policies/2025/grading_policy.json", None, "'Exam'): weight must be a number in [0, 1]")
    caught(report, "grading", "policies/2025/grading_policy.json", None, "'Lab'): weight must be a number in [0, 1]")


def test_graded_format_needs_a_grader_entry(course):
    edit(course / "sequential" / "seq1.xml", 'format="Quiz"', 'format="Exam"')
    caught(validate_path(course), "grading", "sequential/seq1.xml", 1, "'Exam'")


def test_grade_cutoffs_must_be_in_range_and_present(course):
    edit(course / "policies" / "2025" / "grading_policy.json", '"Pass": 0.5', '"Pass": 1.5')
    caught(validate_path(course), "grading", "policies/2025/grading_policy.json", 12, "GRADE_CUTOFFS 'Pass'")
    edit_json(course / "policies" / "2025" / "grading_policy.json", lambda d: d.update(GRADE_CUTOFFS={}))
    caught(validate_path(course), "grading", "policies/2025/grading_policy.json", None, "non-empty")


def test_grading_policy_must_exist_and_parse(course):
    path = course / "policies" / "2025" / "grading_policy.json"
    path.write_text('{\n  "GRADER": [\n    {"type": "Quiz",}\n  ]\n}\n')
    caught(validate_path(course), "grading", "policies/2025/grading_policy.json", 3, "invalid JSON")
    path.unlink()
    caught(validate_path(course), "grading", "policies/2025/grading_policy.json", None, "not found")


# --- rule: policy --------------------------------------------------------------------------


def test_policy_has_exactly_the_course_key(course):
    edit_json(course / "policies" / "2025" / "policy.json", lambda d: d.update({"course/other": {}}))
    caught(validate_path(course), "policy", "policies/2025/policy.json", None, "'course/other'")


def test_policy_without_the_course_key(course):
    path = course / "policies" / "2025" / "policy.json"
    path.write_text('{"course/2024": {}}\n')
    caught(validate_path(course), "policy", "policies/2025/policy.json", None, "missing key 'course/2025'")


def test_policy_must_parse(course):
    path = course / "policies" / "2025" / "policy.json"
    path.write_text('{\n  "course/2025": {\n    "start": NaN\n  }\n}\n')
    caught(validate_path(course), "policy", "policies/2025/policy.json", None, "invalid JSON")
    path.write_text('{\n  "course/2025": {\n    "start": "x",\n  }\n}\n')
    caught(validate_path(course), "policy", "policies/2025/policy.json", 4, "invalid JSON")
    path.write_text('{"course/2025": {}, "course/2025": {}}')
    caught(validate_path(course), "policy", "policies/2025/policy.json", None, "duplicate key")


def test_oversized_policy_is_refused_unread(course, monkeypatch):
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 64)
    report = validate_path(course)
    caught(report, "policy", "policies/2025/policy.json", None, "larger than 64 bytes")
    assert not [f for f in report.findings if f.rule == "olxcleaner"], "olxcleaner would json.load it whole"


def test_missing_policy(course):
    (course / "policies" / "2025" / "policy.json").unlink()
    caught(validate_path(course), "policy", "policies/2025/policy.json", None, "not found")


def test_advanced_modules_must_be_a_list(course):
    edit_json(
        course / "policies" / "2025" / "policy.json", lambda d: d["course/2025"].update(advanced_modules="thumbs")
    )
    caught(validate_path(course), "policy", "policies/2025/policy.json", 3, "advanced_modules")


# --- rule: olxcleaner ----------------------------------------------------------------------


def test_olxcleaner_errors_become_findings_with_a_line(course):
    edit(
        course / "chapter" / "ch1.xml",
        'display_name="Getting started"',
        'display_name="Getting started" start="not a date"',
    )
    finding = caught(validate_path(course), "olxcleaner", "chapter/ch1.xml", 1, "InvalidSetting")
    assert "not a date" in finding.message


def test_olxcleaner_cross_category_duplicate_url_name(course):
    edit(course / "chapter" / "ch1.xml", 'url_name="seq1"', 'url_name="unit1"')
    (course / "sequential" / "seq1.xml").rename(course / "sequential" / "unit1.xml")
    caught(validate_path(course), "olxcleaner", "sequential/unit1.xml", None, "DuplicateURLName")


def test_html5_elements_are_not_invalid_html(course):
    # Open edX pins lxml 5.x, whose libxml2 HTML 4 parser calls <section> and <details> invalid
    # tags; the LMS serves html blocks as written and browsers know these elements.
    (course / "html" / "welcome.html").write_text(
        "<section><h2>Welcome</h2><details><summary>More</summary><p>Text</p></details></section>\n",
        encoding="utf-8",
    )
    report = validate_path(course)
    assert report.ok, [f.message for f in report.errors]
    assert not any("InvalidHTML" in f.message for f in report.findings)


def test_olxcleaner_still_reports_broken_html(course):
    (course / "html" / "welcome.html").write_text("<p>Text</p></div><p\n", encoding="utf-8")
    report = validate_path(course)
    assert any(f.rule == "olxcleaner" and "InvalidHTML" in f.message for f in report.findings)


def test_olxcleaner_warnings_stay_warnings(course):
    edit(course / "vertical" / "unit1.xml", 'display_name="Welcome"', "")
    report = validate_path(course)
    assert report.ok
    assert any(
        f.rule == "olxcleaner" and f.file == "vertical/unit1.xml" and "MissingDisplayName" in f.message
        for f in report.warnings
    )


def test_course_without_end_date_is_only_a_warning(course):
    edit_json(course / "policies" / "2025" / "policy.json", lambda d: d["course/2025"].pop("end"))
    report = validate_path(course)
    assert report.ok, report.to_json()
    assert any(f.rule == "olxcleaner" and "'end'" in f.message for f in report.warnings)


def test_policy_overriding_the_course_xml_is_a_warning(course):
    edit_json(
        course / "policies" / "2025" / "policy.json", lambda d: d["course/2025"].update(display_name="Other name")
    )
    report = validate_path(course)
    assert any(
        f.rule == "olxcleaner" and "SettingOverride" in f.message and "display_name" in f.message
        for f in report.warnings
    )


def test_olxcleaner_reads_utf8_whatever_the_locale(course):
    """olxcleaner opens files in the locale encoding; under LC_ALL=C accents used to crash it."""
    for name in ("policies/2025/policy.json", "course/2025.xml"):
        edit(course / name, "Minimal DEVISUS course", "Évaluation d'utilité sociale")
    edit(course / "html" / "welcome.html", "Welcome", "Bienvenue à l'évaluation")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8"))}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONIOENCODING="utf-8")
    script = (
        "import sys; from devisus_course.validator import validate_path; print(validate_path(sys.argv[1]).to_json())"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(course)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    report = json.loads(done.stdout)
    assert report["ok"] and report["findings"] == [], done.stdout


# --- rule: archive -------------------------------------------------------------------------

HOSTILE_TAR_MEMBERS = {
    "absolute path": (member("/tmp/evil", data=b"x"), "/tmp/evil", "absolute path"),
    "parent folder": (member("../evil", data=b"x"), "../evil", "'..'"),
    "nested parent": (member(f"{TOP}/static/../../evil", data=b"x"), f"{TOP}/static/../../evil", "'..'"),
    "symlink": (
        member(f"{TOP}/static/link", tarfile.SYMTYPE, linkname="/etc/passwd"),
        f"{TOP}/static/link",
        "symbolic link",
    ),
    "hard link": (
        member(f"{TOP}/static/hard", tarfile.LNKTYPE, linkname="/etc/passwd"),
        f"{TOP}/static/hard",
        "hard link",
    ),
    "fifo": (member(f"{TOP}/static/pipe", tarfile.FIFOTYPE), f"{TOP}/static/pipe", "FIFO"),
    "char device": (
        member(f"{TOP}/static/null", tarfile.CHRTYPE, devmajor=1, devminor=3),
        f"{TOP}/static/null",
        "device",
    ),
    "block device": (
        member(f"{TOP}/static/sda", tarfile.BLKTYPE, devmajor=8, devminor=0),
        f"{TOP}/static/sda",
        "device",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TAR_MEMBERS))
def test_hostile_tar_member_is_refused_before_anything_is_written(tmp_path, private_tmp, case):
    extra, file, text = HOSTILE_TAR_MEMBERS[case]
    path = tar_of(FIXTURE, tmp_path / "hostile.tar.gz", extra=[extra])
    report = validate_path(path)
    caught(report, "archive", file, None, text)
    assert list(private_tmp.iterdir()) == [], "nothing may be extracted from a refused archive"
    assert not (tmp_path / "evil").exists() and not (tmp_path.parent / "evil").exists()


def test_oversized_tar_member(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    path = tar_of(FIXTURE, tmp_path / "big.tar.gz", extra=[member(f"{TOP}/static/big.bin", data=b"0" * 1001)])
    caught(validate_path(path), "archive", f"{TOP}/static/big.bin", None, "over the 1000-byte limit")
    assert list(private_tmp.iterdir()) == []


def test_oversized_tar_total(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    caught(
        validate_path(tar_of(FIXTURE, tmp_path / "c.tar.gz")), "archive", "c.tar.gz", None, "over the 1000-byte limit"
    )
    assert list(private_tmp.iterdir()) == []


def test_too_many_members(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    caught(validate_path(tar_of(FIXTURE, tmp_path / "c.tar")), "archive", "c.tar", None, "more than 5 members")


def test_two_top_folders(tmp_path, private_tmp):
    path = tar_of(FIXTURE, tmp_path / "two.tar.gz", extra=[member("other/readme.txt", data=b"hi")])
    caught(validate_path(path), "archive", "two.tar.gz", None, "exactly one top-level folder")
    assert list(private_tmp.iterdir()) == []


def test_files_at_the_top_level(tmp_path, private_tmp):
    with tarfile.open(tmp_path / "flat.tar.gz", "w:gz") as tf:
        for path in sorted(FIXTURE.rglob("*")):
            tf.add(path, arcname=path.relative_to(FIXTURE).as_posix(), recursive=False)
    caught(validate_path(tmp_path / "flat.tar.gz"), "archive", "flat.tar.gz", None, "exactly one top-level folder")


def test_top_folder_without_course_xml(tmp_path, course):
    (course / "course.xml").unlink()
    caught(validate_path(tar_of(course, tmp_path / "c.tar.gz")), "archive", f"{TOP}/course.xml", None, "no course.xml")


def test_garbage_archive_and_unknown_paths(tmp_path):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"this is not a tarball")
    caught(validate_path(bad), "archive", "bad.tar.gz", None, "cannot read archive")
    badzip = tmp_path / "bad.zip"
    badzip.write_bytes(b"PK\x03\x04 truncated")
    caught(validate_path(badzip), "archive", "bad.zip", None, "cannot read archive")
    other = tmp_path / "course.rar"
    other.write_bytes(b"x")
    caught(validate_path(other), "archive", str(other), None, "not an OLX folder")
    caught(validate_path(tmp_path / "missing"), "archive", str(tmp_path / "missing"), None, "no such file")
    caught(validate_path(tmp_path), "refs", "course.xml", None, "no course.xml")


def test_errors_inside_an_archive_name_the_member(tmp_path, course, private_tmp):
    (course / "problem" / "check1.xml").unlink()
    report = validate_path(tar_of(course, tmp_path / "c.tar.gz"))
    caught(report, "refs", f"{TOP}/vertical/unit1.xml", 3, "problem/check1.xml")
    assert list(private_tmp.iterdir()) == []


def _zip_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


HOSTILE_ZIP_MEMBERS = {
    "parent folder": (("../evil", b"x"), "../evil", "'..'"),
    "absolute path": (("/tmp/evil", b"x"), "/tmp/evil", "absolute path"),
    "drive letter": (("C:/evil", b"x"), "C:/evil", "absolute path"),
    "backslash": ((f"{TOP}\\..\\evil", b"x"), f"{TOP}\\..\\evil", "backslash"),
    "symlink": (
        (_zip_info(f"{TOP}/static/link", stat.S_IFLNK | 0o777), b"/etc/passwd"),
        f"{TOP}/static/link",
        "symbolic link",
    ),
    "fifo": ((_zip_info(f"{TOP}/static/pipe", stat.S_IFIFO | 0o644), b""), f"{TOP}/static/pipe", "FIFO"),
    "two top folders": (("other/readme.txt", b"hi"), "hostile.zip", "exactly one top-level folder"),
    "duplicate": ((f"{TOP}/course.xml", b"<course/>"), f"{TOP}/course.xml", "twice"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ZIP_MEMBERS))
def test_hostile_zip_member_is_refused_before_anything_is_written(tmp_path, private_tmp, case):
    extra, file, text = HOSTILE_ZIP_MEMBERS[case]
    with pytest.warns(UserWarning) if case == "duplicate" else _nothing():
        path = zip_of(FIXTURE, tmp_path / "hostile.zip", extra=[extra])
    caught(validate_path(path), "archive", file, None, text)
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "evil").exists() and not (tmp_path.parent / "evil").exists()


def test_oversized_zip_member(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    path = zip_of(FIXTURE, tmp_path / "big.zip", extra=[(f"{TOP}/static/big.bin", b"0" * 5000)])
    caught(validate_path(path), "archive", f"{TOP}/static/big.bin", None, "over the 1000-byte limit")
    assert list(private_tmp.iterdir()) == []


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
