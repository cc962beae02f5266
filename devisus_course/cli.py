"""`devisus-course`: build, validate, preview and check the coverage of the DEVISUS course.

Exit codes: 0 success, 1 the input is wrong (message names the file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course_calendar import SELF_PACED_OPENING, parse_start
from .errors import SourceError
from .framework import SUPPORTED_LANGUAGES
from .olx import CourseKeys

EXIT_OK, EXIT_INVALID = 0, 1  # argparse exits with 2 on bad usage


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devisus-course", description="Build and validate the DEVISUS Open edX course."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the OLX tree(s) and importable .tar.gz archive(s)")
    build.add_argument(
        "--lang", choices=(*SUPPORTED_LANGUAGES, "all"), default="all", help="language to build (default: all)"
    )
    defaults = CourseKeys()
    build.add_argument("--org", default=defaults.org, help=f"organisation key (default: {defaults.org})")
    build.add_argument("--course", default=defaults.course, help=f"course number (default: {defaults.course})")
    build.add_argument(
        "--run",
        default=defaults.run,
        help="course run; '{lang}' is replaced by the language (default: '{lang}', i.e. fr / en)",
    )
    build.add_argument(
        "--start",
        type=_start_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="course start date: the course is instructor-paced, its due dates computed from "
        "content/calendar.yaml (default: self-paced, without due dates, open from "
        f"{SELF_PACED_OPENING.isoformat()})",
    )
    build.add_argument(
        "--self-paced",
        action="store_true",
        help="a self-paced course without due dates, opening on --start if given (the default without --start)",
    )
    build.add_argument(
        "-o", "--output", type=Path, default=Path("."), help="folder receiving course/<lang>/ and dist/ (default: .)"
    )
    build.add_argument("--content", type=Path, default=None, help=argparse.SUPPRESS)

    validate = commands.add_parser("validate", help="check an OLX folder or a course archive")
    validate.add_argument("path", type=Path, help="an OLX folder (holding course.xml) or a .tar.gz/.zip archive")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")

    serve = commands.add_parser("serve", help="preview the course and its blocks locally (xblock-sdk workbench)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--course-dir", type=Path, default=Path("course"), help="built OLX trees, <dir>/<lang>/ (default: ./course)"
    )
    serve.add_argument("--data-dir", type=Path, default=Path("var"), help="preview database and files (default: ./var)")

    lint = commands.add_parser(
        "lint-items", help="check that graded items cannot be passed by test-taking tricks (see AUTHORING.md)"
    )
    lint.add_argument(
        "--lang", choices=(*SUPPORTED_LANGUAGES, "all"), default="all", help="language to check (default: all)"
    )
    lint.add_argument("--json", action="store_true", help="print the figures and problems as JSON")
    lint.add_argument("--content", type=Path, default=None, help=argparse.SUPPRESS)

    coverage = commands.add_parser(
        "coverage", help="show which units teach and which activities assess each framework item"
    )
    coverage.add_argument(
        "--lang", choices=(*SUPPORTED_LANGUAGES, "all"), default="all", help="language to check (default: all)"
    )
    coverage.add_argument("--json", action="store_true", help="print the report as JSON")
    coverage.add_argument("--content", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {
            "build": _build,
            "validate": _validate,
            "coverage": _coverage,
            "serve": _serve,
            "lint-items": _lint_items,
        }
        return commands[args.command](args)
    except SourceError as error:
        print(f"devisus-course: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        # An output folder that is a file, a full disk, no permission: say so, no traceback.
        print(f"devisus-course: error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID


def _build(args) -> int:
    from .build import BuildError, build

    languages = SUPPORTED_LANGUAGES if args.lang == "all" else (args.lang,)
    keys = CourseKeys(org=args.org, course=args.course, run=args.run)
    try:
        results = build(
            languages, keys, args.output, content_dir=args.content, start=args.start, self_paced=args.self_paced
        )
    except BuildError as error:
        if error.report is not None:
            for finding in error.report.findings:
                print(finding.format(), file=sys.stderr)
        print(f"devisus-course: error: {error}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    for result in results:
        for finding in result.report.warnings:
            print(finding.format(), file=sys.stderr)
        print(f"{result.language}: {result.keys.course_key} -> {result.tree} and {result.archive}")
    return EXIT_OK


def _start_date(text: str):
    """``--start``, read by argparse: a bad date is a usage error (exit code 2, nothing written)."""
    try:
        return parse_start(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _validate(args) -> int:
    from .validator import validate_path

    if not args.path.exists():
        raise SourceError(args.path, "no such file or folder")
    report = validate_path(args.path)
    if args.json:
        print(report.to_json())
    else:
        for finding in report.findings:
            print(finding.format())
        verdict = "valid" if report.ok else "INVALID"
        print(f"{args.path}: {verdict} ({len(report.errors)} errors, {len(report.warnings)} warnings)")
    return EXIT_OK if report.ok else EXIT_INVALID


def _lint_items(args) -> int:
    import json

    from .source import CONTENT_DIR
    from .validator.item_lint import THRESHOLDS, lint_folder

    content = args.content or CONTENT_DIR
    languages = SUPPORTED_LANGUAGES if args.lang == "all" else (args.lang,)
    reports = {language: lint_folder(content / language / "modules") for language in languages}
    if args.json:
        print(
            json.dumps(
                {
                    "thresholds": THRESHOLDS,
                    "languages": {k: {"figures": r.figures, "problems": r.problems} for k, r in reports.items()},
                },
                ensure_ascii=False,
            )
        )
    else:
        for language, report in reports.items():
            print(f"{language}: {report.figures}")
            for problem in report.problems:
                print(f"{language}: item lint: {problem}")
    return EXIT_OK if all(r.ok for r in reports.values()) else EXIT_INVALID


def _serve(args) -> int:
    from .preview.server import serve

    return serve(args.host, args.port, args.course_dir, args.data_dir)


def _coverage(args) -> int:
    from .coverage import format_json, format_text, report
    from .source import load_course_source

    languages = SUPPORTED_LANGUAGES if args.lang == "all" else (args.lang,)
    result = report([load_course_source(language, args.content) for language in languages])
    print(format_json(result) if args.json else format_text(result))
    return EXIT_OK if result["ok"] else EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
