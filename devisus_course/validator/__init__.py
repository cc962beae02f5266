"""Validate an OLX course (a folder holding course.xml, or a course archive) for Open edX import.

Each rule lives in its own module and returns findings; this module runs them in order and
never raises for bad input: every problem, even an unexpected crash, becomes a finding.
"""

from __future__ import annotations

from pathlib import Path

from .archive import extracted, is_archive
from .assets import check_assets
from .capa_grading import check_capa_grading
from .cleaner import run_olxcleaner
from .grading import check_grading
from .item_lint import check_item_lint
from .jsonfile import too_large
from .olx import load_olx
from .policy import check_policy
from .report import Finding, Report, error
from .tags import check_tags
from .xblocks import check_custom_blocks

__all__ = ["Finding", "Report", "validate_path", "validate_tree"]


def validate_tree(root: str | Path) -> Report:
    """Validate an OLX directory holding course.xml."""
    try:
        return Report.of(_validate_tree(Path(root)))
    except Exception as exc:  # a validator bug must still come out as a failed report
        return Report.of([error("internal", None, f"validator crashed: {type(exc).__name__}: {exc}")])


def validate_path(path: str | Path) -> Report:
    """Validate an OLX directory or a .tar.gz/.tgz/.tar/.zip course archive."""
    path = Path(path)
    try:
        if path.is_dir():
            return validate_tree(path)
        if not path.is_file():
            return Report.of([error("archive", str(path), "no such file or directory")])
        if not is_archive(path):
            return Report.of(
                [error("archive", str(path), "not an OLX folder nor a .tar.gz, .tgz, .tar or .zip archive")]
            )
        with extracted(path) as result:
            if result.course_root is None:
                return Report.of(result.findings)
            findings = _validate_tree(result.course_root)
            # Name files as archive members, so they can be found in the archive itself.
            return Report.of([f.under(result.top) for f in findings])
    except Exception as exc:  # see validate_tree
        return Report.of([error("internal", None, f"validator crashed: {type(exc).__name__}: {exc}")])


def _validate_tree(root: Path) -> list[Finding]:
    if not (root / "course.xml").is_file():
        return [error("refs", "course.xml", f"no course.xml in {root}: not an OLX course folder")]
    olx = load_olx(root)
    policy = check_policy(olx)
    findings = olx.findings + policy.findings
    findings += check_tags(olx, policy)
    findings += check_custom_blocks(olx)
    findings += check_grading(olx)
    findings += check_assets(olx)
    findings += check_item_lint(olx)
    xml_broken = any(f.rule == "xml" and f.severity == "error" for f in olx.findings)
    json_too_large = olx.run is not None and any(
        too_large(root, f"policies/{olx.run}/{name}") for name in ("policy.json", "grading_policy.json")
    )
    if olx.run is not None and not olx.unsafe and not xml_broken and not json_too_large:
        # olxcleaner opens files with its own unhardened parser: only hand it a tree whose
        # every XML file already passed xmlsafe and whose paths all stay inside the tree.
        findings += run_olxcleaner(olx, policy, findings)
        # The same holds for capa, which parses each problem with lxml's default parser.
        findings += check_capa_grading(olx)
    return findings
