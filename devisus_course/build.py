"""The build pipeline: course source -> OLX tree -> validated -> archive, published atomically.

Everything is produced in a staging folder next to the outputs first. Only when every language
has rendered and validated cleanly are the trees and archives moved into place, so a failed
build leaves the previous outputs untouched and no half-written tree or archive behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .archive import write_archive
from .calendar_check import check_dates
from .course_calendar import load_calendar
from .errors import SourceError
from .framework import SUPPORTED_LANGUAGES, check_languages_agree
from .olx import CourseKeys, render_course
from .source import load_course_source
from .validator import Report, validate_tree


class BuildError(Exception):
    """The build stopped; ``findings`` holds validator findings when validation failed."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class BuildResult:
    language: str
    keys: CourseKeys
    tree: Path
    archive: Path
    report: Report


def archive_name(keys: CourseKeys) -> str:
    return f"{keys.org}_{keys.course}_{keys.run}.tar.gz"


def build(
    languages: tuple[str, ...],
    keys: CourseKeys,
    output_root: Path,
    content_dir: Path | None = None,
    start: date | None = None,
    self_paced: bool = False,
) -> list[BuildResult]:
    """Build ``languages`` into ``output_root/course/<lang>`` and ``output_root/dist/``.

    With ``start`` the course is instructor-paced and dated from content/calendar.yaml (unless
    ``self_paced``, when it only opens on ``start``); without it, it is self-paced, without due
    dates, and open from ``course_calendar.SELF_PACED_OPENING``.
    """
    for language in languages:
        if language not in SUPPORTED_LANGUAGES:
            raise SourceError(None, f"unknown language {language!r}")
    # Content and blocks join languages by code and slug: they must not drift apart.
    check_languages_agree()
    per_language = {language: keys.for_language(language) for language in languages}
    if len(languages) > 1 and len({k.course_key for k in per_language.values()}) < len(languages):
        raise SourceError(None, "every language needs its own course key: put {lang} in --run (e.g. --run 2026_{lang})")
    calendar = load_calendar(content_dir)
    schedule = calendar.schedule(start, self_paced or start is None)

    output_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".devisus-build-", dir=output_root))
    try:
        staged = []
        for language, language_keys in per_language.items():
            source = load_course_source(language, content_dir)
            calendar.check_against(source)
            tree = staging / "course" / language
            tree.mkdir(parents=True)
            render_course(source, language_keys, tree, schedule)
            report = validate_tree(tree)
            report = Report.of(report.findings + check_dates(tree))
            if not report.ok:
                raise BuildError(f"the {language} course does not validate", report)
            archive = staging / "dist" / archive_name(language_keys)
            archive.parent.mkdir(parents=True, exist_ok=True)
            write_archive(tree, archive)
            staged.append((language, language_keys, tree, archive, report))
        return [_publish(output_root, *item) for item in staged]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(
    output_root: Path, language: str, keys: CourseKeys, tree: Path, archive: Path, report: Report
) -> BuildResult:
    target_tree = output_root / "course" / language
    target_archive = output_root / "dist" / archive.name
    target_tree.parent.mkdir(parents=True, exist_ok=True)
    target_archive.parent.mkdir(parents=True, exist_ok=True)
    # Swap the tree with two renames, so readers never see a half-written folder.
    retired = None
    if target_tree.exists():
        retired = tree.parent / f".{language}-previous"
        os.replace(target_tree, retired)
    os.replace(tree, target_tree)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    os.replace(archive, target_archive)
    return BuildResult(language, keys, target_tree, target_archive, report)
