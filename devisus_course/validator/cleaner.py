"""olxcleaner's structural checks, mapped to findings and reconciled with our own rules.

olxcleaner reports file names but no lines, names policy files without their folder, and
repeats several of our checks; this module locates its errors and drops its repeats of
what our rules already reported with a line, so each problem is listed once.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .blocks import BUILTIN_BLOCKS
from .olx import Olx
from .policy import Policy
from .report import Finding, error, warning
from .tags import custom_usages

# olxcleaner error name -> our rules that already report the same problem, with a line.
_COVERED_BY = {
    "InvalidXML": {"xml"},
    "CourseXMLDoesNotExist": {"refs"},
    "FileDoesNotExist": {"refs"},
    "TagMismatch": {"refs"},
    "UnexpectedTag": {"tags"},
    "PolicyNotFound": {"policy", "grading"},
    "BadPolicy": {"policy", "grading"},
    "BadPolicyFormat": {"policy"},
    "GradingPolicyIssue": {"grading"},
}

# Studio exports <wiki slug="..."/> with neither a display_name nor a url_name.
_WIKI_NOISE = {"MissingDisplayName", "MissingURLName"}

# Same-category duplicates are all reported by our url-name rule; a duplicated pointer also
# makes olxcleaner read one file twice and report everything inside it as duplicated.
_RETRAVERSAL = {"DuplicateURLName", "DuplicateHTMLName"}
_DUPLICATE_PAIR = re.compile(r"appears as <([^>]+)> in .* and also as <([^>]+)> in |is referenced in (.+) and (.+)$")

# olxcleaner checks html files with lxml's HTML parser. libxml2 before 2.14 (lxml 5.x, which Open
# edX pins) is an HTML 4 parser and calls every HTML5 element an invalid tag; the LMS stores and
# serves html blocks as they are (xmodule/html_block.py), and browsers know these elements.
_HTML5_ELEMENTS = frozenset(
    "article aside audio bdi canvas data datalist details dialog figcaption figure footer header main mark meter "
    "nav output picture progress rp rt ruby search section source summary template time track video wbr".split()
)
_INVALID_TAG = re.compile(r"^Tag (\w+) invalid")

_OBJECT_REF = re.compile(r"<([\w.-]+) url_name='([^']*)'")
# olxcleaner requires ORA's submission dates; ORA does not: without them it is open from the
# course start and never closes (openassessment/xblock/resolve_dates.py), which is what a
# self-paced course wants. An instructor-paced course still needs them (calendar_check).
_ORA_DATES = re.compile(r"^The tag <openassessment .*> does not have the required setting 'submission_(start|due)'\.$")
_OVERRIDE = re.compile(r"overriding the setting for '([^']+)'")


def _utf8_open(file, mode="r", *args, **kwargs):
    if "b" not in mode and "encoding" not in kwargs and not args:
        kwargs["encoding"] = "utf-8"
    return open(file, mode, *args, **kwargs)


def _load_olxcleaner():
    import olxcleaner
    import olxcleaner.loader.policy
    import olxcleaner.loader.xml

    # olxcleaner opens policy JSON and html files in the locale's encoding: under LC_ALL=C it
    # crashes on any accented character. OLX is UTF-8, so its two open() calls are pinned to it.
    for module in (olxcleaner.loader.policy, olxcleaner.loader.xml):
        module.open = _utf8_open
    return olxcleaner


def run_olxcleaner(olx: Olx, policy: Policy, ours: list[Finding]) -> list[Finding]:
    olxcleaner = _load_olxcleaner()
    allowed = sorted({u.tag for u in custom_usages(olx)} | BUILTIN_BLOCKS)
    try:
        _course, store, _names = olxcleaner.validate(str(olx.root), steps=8, allowed_xblocks=allowed)
    except Exception as exc:  # third-party code on hostile input: report, never propagate
        return [
            error("olxcleaner", None, f"olxcleaner stopped with {type(exc).__name__}: {exc}; its checks did not run")
        ]

    reported = {(f.rule, f.file) for f in ours if f.severity == "error"}
    findings = []
    for err in store.errors:
        file = _relative_file(olx, err.filename)
        covered = _COVERED_BY.get(err.name, set())
        if any((rule, file) in reported for rule in covered):
            continue
        if err.name == "SettingOverride" and _same_setting(olx, policy, err.description):
            continue
        if err.name in _WIKI_NOISE and err.description.startswith("The tag <wiki>"):
            continue
        if err.name == "InvalidHTML" and _is_html5_tag_complaint(err.description):
            continue
        if err.name in _RETRAVERSAL and _same_twice(err.description):
            # olxcleaner reads a file once per pointer to it; our url-name rule reports the
            # duplicated pointer itself, with its line.
            continue
        if err.name == "InvalidSetting" and _ORA_DATES.match(err.description) and _self_paced(olx, policy):
            continue
        is_error = err.level_val >= 3  # olxcleaner.exceptions.ErrorLevel.ERROR
        message = f"{err.name}: {err.description}"
        if err.name == "InvalidSetting" and err.description.endswith("required setting 'end'."):
            # Open edX imports and runs courses without an end date (self-paced, evergreen).
            is_error = False
            message += " (Open edX accepts a course without an end date)"
        make = error if is_error else warning
        findings.append(make("olxcleaner", file, message, _line(olx, file, err.description)))
    return findings


def _self_paced(olx: Olx, policy: Policy) -> bool:
    value = (policy.settings or {}).get("self_paced", olx.course_attrs.get("self_paced"))
    return value is True or value == "true"


def _is_html5_tag_complaint(description: str) -> bool:
    match = _INVALID_TAG.match(description)
    return match is not None and match.group(1).lower() in _HTML5_ELEMENTS


def _relative_file(olx: Olx, filename: str | None) -> str | None:
    if not filename:
        return None
    if olx.run is not None and filename in ("policy.json", "grading_policy.json"):
        return f"policies/{olx.run}/{filename}"
    path = Path(filename)
    if path.is_absolute():
        try:
            return path.relative_to(olx.root).as_posix()
        except ValueError:
            return path.name
    return Path(os.path.normpath(filename)).as_posix()


def _line(olx: Olx, file: str | None, description: str) -> int | None:
    match = _OBJECT_REF.search(description)
    if match is None or file is None:
        return None
    tag, url_name = match.groups()
    if tag == "course" and file == olx.course_file and olx.course_element is not None:
        return olx.course_element.sourceline
    for usage in olx.usages:
        if usage.tag == tag and usage.url_name == url_name:
            if file == usage.content_file:
                return usage.content_line
            if file == usage.file:
                return usage.line
    return None


def _same_twice(description: str) -> bool:
    match = _DUPLICATE_PAIR.search(description)
    if match is None:
        return False
    first, second = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return first == second


def _same_setting(olx: Olx, policy: Policy, description: str) -> bool:
    """A policy.json value equal to the course XML attribute is repetition, not an override."""
    match = _OVERRIDE.search(description)
    ref = _OBJECT_REF.search(description)
    if match is None or ref is None or ref.group(1) != "course" or policy.settings is None:
        return False
    setting = match.group(1)
    attrs = dict(olx.docs.get("course.xml").attrib) if "course.xml" in olx.docs else {}
    attrs.update(olx.course_attrs)
    if setting not in attrs or setting not in policy.settings:
        return False
    in_xml, in_policy = attrs[setting], policy.settings[setting]
    if in_xml == in_policy:
        return True
    try:
        return json.loads(in_xml) == in_policy
    except (ValueError, RecursionError):
        return False
