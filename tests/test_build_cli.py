"""The build pipeline through its real entry point, the `devisus-course` CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from devisus_course.cli import main
from devisus_course.source import CONTENT_DIR

REPO = Path(__file__).resolve().parent.parent
SCRIPT = str(Path(sys.executable).parent / "devisus-course")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    assert main(["build", "--lang", "all", "-o", str(out)]) == 0
    return out


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the course source that a test may break."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def test_build_writes_trees_and_archives_that_validate(built, capsys):
    for language in ("fr", "en"):
        assert (built / "course" / language / "course.xml").is_file()
        archive = built / "dist" / f"DEVISUS_USIS_{language}.tar.gz"
        code, out, _ = run_cli(capsys, "validate", archive)
        assert code == 0, out
        assert "valid (0 errors" in out
        code, out, _ = run_cli(capsys, "validate", built / "course" / language, "--json")
        assert code == 0
        assert json.loads(out)["ok"] is True


def test_archive_layout_is_what_studio_imports(built):
    archive = built / "dist" / "DEVISUS_USIS_fr.tar.gz"
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert {name.split("/")[0] for name in names} == {"course"}
    for required in (
        "course/course.xml",
        "course/policies/fr/policy.json",
        "course/policies/fr/grading_policy.json",
        "course/assets/assets.xml",
        "course/about/overview.html",
        "course/info/handouts.html",
    ):
        assert required in names
    for folder in (
        "course",
        "chapter",
        "sequential",
        "vertical",
        "html",
        "problem",
        "about",
        "info",
        "static",
        "policies",
    ):
        assert f"course/{folder}" in names, folder
    assert all(m.uid == 0 and m.gid == 0 and m.uname == "" and m.mtime == members[0].mtime for m in members)
    assert all(m.isfile() or m.isdir() for m in members)
    header = archive.read_bytes()[:10]
    assert header[4:8] == b"\x00\x00\x00\x00", "gzip header mtime must be 0"
    with tarfile.open(archive) as tar:
        policy = json.loads(tar.extractfile("course/policies/fr/policy.json").read())
    assert list(policy) == ["course/fr"]


def test_two_builds_are_byte_identical(built, tmp_path, capsys):
    code, _, _ = run_cli(capsys, "build", "--lang", "all", "-o", tmp_path)
    assert code == 0
    for language in ("fr", "en"):
        name = f"DEVISUS_USIS_{language}.tar.gz"
        assert (tmp_path / "dist" / name).read_bytes() == (built / "dist" / name).read_bytes()
    assert files_under(tmp_path / "course") == files_under(built / "course")


def test_committed_course_tree_is_exactly_a_fresh_build(built):
    committed = files_under(REPO / "course")
    fresh = files_under(built / "course")
    assert sorted(committed) == sorted(fresh), "course/ is stale: run `devisus-course build`"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"course/ differs from a fresh build in {stale[:5]}: run `devisus-course build`"


def test_institution_keys_are_used_everywhere(tmp_path, capsys):
    code, out, err = run_cli(
        capsys,
        "build",
        "--lang",
        "en",
        "--org",
        "UniBxl",
        "--course",
        "ESS-101",
        "--run",
        "2027_T1",
        "--start",
        "2027-02-01",
        "-o",
        tmp_path,
    )
    assert code == 0, err
    assert "course-v1:UniBxl+ESS-101+2027_T1" in out
    tree = tmp_path / "course" / "en"
    root = etree.parse(str(tree / "course.xml")).getroot()
    assert (root.get("org"), root.get("course"), root.get("url_name")) == ("UniBxl", "ESS-101", "2027_T1")
    course = etree.parse(str(tree / "course" / "2027_T1.xml")).getroot()
    assert course.get("start") == "2027-02-01T00:00:00Z"
    policy = json.loads((tree / "policies" / "2027_T1" / "policy.json").read_text())
    assert list(policy) == ["course/2027_T1"]
    assert (tmp_path / "dist" / "UniBxl_ESS-101_2027_T1.tar.gz").is_file()
    assert not (tmp_path / "course" / "fr").exists()


def test_one_run_for_two_languages_is_refused(tmp_path, capsys):
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--run", "2027", "-o", tmp_path)
    assert code == 1
    assert "{lang}" in err
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("option, value", [("--run", "bad run!"), ("--org", "a/b")])
def test_bad_keys_are_refused_with_a_message(tmp_path, capsys, option, value):
    code, _, err = run_cli(capsys, "build", "--lang", "fr", option, value, "-o", tmp_path)
    assert code == 1
    assert option in err
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--lang", "de"])
    assert exit_info.value.code == 2


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or list(out.iterdir()) == []


def test_missing_module_title_names_file_and_leaves_nothing(content, tmp_path, capsys):
    module = content / "fr" / "modules" / "03-methods-and-tools" / "module.yaml"
    _break(module, "title:", "titre:")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--content", content, "-o", out)
    assert code == 1
    assert f"{module}:" in err and "'title'" in err
    assert_nothing_written(out)


def test_unknown_framework_code_names_file_and_line(content, tmp_path, capsys):
    module = content / "en" / "modules" / "05-criteria-and-indicators" / "module.yaml"
    text = module.read_text(encoding="utf-8")
    first_code_line = next(line for line in text.splitlines() if "codes:" in line)
    module.write_text(
        text.replace(first_code_line, first_code_line.split("codes:")[0] + "codes: [B5, Q9]", 1), encoding="utf-8"
    )
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", "--lang", "en", "--content", content, "-o", out)
    assert code == 1
    assert f"{module}:{_line_of(module, 'Q9')}:" in err and "'Q9'" in err
    assert_nothing_written(out)


def test_bad_yaml_metadata_names_file_and_line(content, tmp_path, capsys):
    unit = content / "fr" / "modules" / "01-why-evaluate" / "intro.md"
    _break(unit, "title:", "title: [unclosed\nteaches: x\n")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", out)
    assert code == 1
    assert f"{unit}:" in err and "invalid YAML" in err
    assert_nothing_written(out)


def test_grader_weights_must_sum_to_one(content, tmp_path, capsys):
    course = content / "fr" / "course.yaml"
    _break(course, "weight: 0.35", "weight: 0.05")
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", tmp_path / "out")
    assert code == 1
    assert f"{course}:{_line_of(course, 'graders:')}:" in err and "add up to 0.7" in err
    assert_nothing_written(tmp_path / "out")


def test_failed_rebuild_keeps_previous_outputs(content, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_cli(capsys, "build", "--lang", "all", "--content", content, "-o", out)[0] == 0
    before = files_under(out)
    # French builds and validates first; English then fails: French must not be published either.
    en_unit = content / "en" / "modules" / "09-capstone" / "intro.md"
    _break(en_unit, "---\n", "---\ncomponents:\n  - xblock: no_such_block\n")
    code, _, err = run_cli(capsys, "build", "--lang", "all", "--content", content, "-o", out)
    assert code == 1
    assert "no_such_block" in err and "nothing was written" in err
    assert files_under(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_validate_reports_missing_path(tmp_path, capsys):
    code, _, err = run_cli(capsys, "validate", tmp_path / "nope.tar.gz")
    assert code == 1
    assert "nope.tar.gz" in err


def test_console_script_is_installed(tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "devisus-course"), "build", "--lang", "fr", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist" / "DEVISUS_USIS_fr.tar.gz").is_file()


def test_validate_works_in_a_process_without_django_settings():
    """Block modules import their models at module level, as they may in the LMS: the validator
    sets Django up with the plugin apps first, as the platform does, even where nothing else did."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [SCRIPT, "validate", str(REPO / "course" / "fr")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "xblock-parse" not in result.stdout + result.stderr


def test_ora_and_discussions_are_inline_and_ora_opens_with_the_course(tmp_path, capsys):
    """In a dated build; the calendar's own dates are in tests/test_calendar.py."""
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--start", "2027-03-01", "-o", tmp_path)
    assert code == 0, err
    tree = tmp_path / "course" / "fr"
    ora = [
        el
        for path in (tree / "vertical").glob("*.xml")
        for el in etree.parse(str(path)).getroot().iter("openassessment")
    ]
    assert ora, "the course has an ORA workshop"
    for element in ora:
        assert element.get("url_name") and len(element) > 0
        assert element.get("submission_start") == "2027-03-01T00:00:00Z"
    discussions = [
        el for path in (tree / "vertical").glob("*.xml") for el in etree.parse(str(path)).getroot().iter("discussion")
    ]
    assert discussions and all(el.get("discussion_id") for el in discussions)
    assert not (tree / "openassessment").exists() and not (tree / "discussion").exists()


def test_real_course_covers_every_framework_item_in_both_languages(capsys):
    assert main(["coverage"]) == 0, capsys.readouterr().out


def test_builds_in_separate_processes_are_byte_identical(tmp_path):
    """Hash seeds, umask, locale and time zone of the building process change nothing."""
    archives = []
    for index, env_extra in enumerate(
        ({"PYTHONHASHSEED": "1", "TZ": "UTC"}, {"PYTHONHASHSEED": "2", "TZ": "Asia/Tokyo", "LC_ALL": "C"})
    ):
        out = tmp_path / f"out{index}"
        command = f"umask {'022' if index == 0 else '077'} && exec '{SCRIPT}' build --lang fr -o '{out}'"
        result = subprocess.run(["sh", "-c", command], env={**os.environ, **env_extra}, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        archives.append((out / "dist" / "DEVISUS_USIS_fr.tar.gz").read_bytes())
    assert archives[0] == archives[1]


@pytest.mark.parametrize(
    "relative, old, new, expected",
    [
        ("fr/course.yaml", "title:", "\ufffetitle:", "invalid YAML"),
        ("fr/modules/02-words-of-evaluation/module.yaml", "graded: Quiz", "graded: [Quiz]", "'graded: ['Quiz']'"),
        ("fr/course.yaml", "title:", "? [a]\n: 1\ntitle:", "keys must be plain words or numbers"),
        ("fr/course.yaml", "cutoffs: {Pass: 0.6}", "cutoffs: {Pass: true}", "'cutoffs'"),
        ("fr/course.yaml", "min_count: 9", "min_count: 8.5", "whole numbers"),
    ],
)
def test_malformed_source_is_refused_with_file_and_line(content, tmp_path, capsys, relative, old, new, expected):
    path = content / relative
    _break(path, old, new)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", out)
    assert code == 1, err
    assert f"{path}:" in err and expected in err, err
    assert "Traceback" not in err
    assert_nothing_written(out)


def test_non_utf8_source_is_refused_by_name(content, tmp_path, capsys):
    path = content / "fr" / "about.md"
    path.write_bytes("Réseau".encode("latin-1"))
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", tmp_path / "out")
    assert code == 1 and f"{path}: not UTF-8 text" in err


def test_unit_with_byte_order_mark_is_read(content, tmp_path, capsys):
    path = content / "fr" / "modules" / "01-why-evaluate" / "intro.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_cli(capsys, "build", "--lang", "fr", "--content", content, "-o", tmp_path / "out")[0] == 0


def test_output_that_is_a_file_gives_a_message_not_a_traceback(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "-o", target)
    assert code == 1 and str(target) in err


def test_validate_reports_an_invalid_tree_with_files_and_lines(built, tmp_path, capsys):
    tree = tmp_path / "tree"
    shutil.copytree(built / "course" / "en", tree)
    vertical = tree / "vertical" / "m01_intro.xml"
    vertical.write_text(
        vertical.read_text().replace('<html url_name="m01_intro_html"/>', '<html url_name="m01_missing"/>')
    )
    code, out, _ = run_cli(capsys, "validate", tree)
    assert code == 1
    assert "vertical/m01_intro.xml:2: error [refs]" in out and "INVALID" in out
    code, out, _ = run_cli(capsys, "validate", tree, "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["errors"] >= 1


def test_dot_only_run_is_refused_up_front(tmp_path, capsys):
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--run", "..", "-o", tmp_path)
    assert code == 1 and "--run" in err


def test_french_pages_and_problems_get_no_break_spaces(tmp_path):
    """A French line never starts with a colon or a question mark: the builder turns the spaces
    authors type before ; : ! ? and inside « » into no-break spaces, in pages and problems, and
    leaves English, URLs, times and the keyed answers alone."""
    from devisus_course.typography import NBSP, NNBSP, french_spacing

    assert french_spacing("Pourquoi ? « Oui » : voir /jump?term=x à 10:30 ; fin !") == (
        f"Pourquoi{NNBSP}? «{NBSP}Oui{NBSP}»{NBSP}: voir /jump?term=x à 10:30{NNBSP}; fin{NNBSP}!"
    )
    assert main(["build", "-o", str(tmp_path)]) == 0
    french = (tmp_path / "course" / "fr" / "html").glob("*.html")
    text = "".join(path.read_text(encoding="utf-8") for path in french)
    assert f"{NNBSP}?" in text and f"{NBSP}:" in text and " ?" not in text.replace("<", " <")
    problem = (tmp_path / "course" / "fr" / "problem" / "m01_check_q1.xml").read_text(encoding="utf-8")
    assert f"DEVISUS{NNBSP}?" in problem
    english = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "course" / "en" / "html").glob("*.html"))
    assert NNBSP not in english
