"""The dates of a built OLX tree, checked the way learners will meet them.

The calendar (content/calendar.yaml) is checked where it is written, with its lines
(``course_calendar``); this check reads what a build actually wrote, so that no template or
component can slip a stray, missing or disordered date into the archive:

- instructor-paced (``self_paced`` not "true"): every graded subsection has a ``due``; every pair
  review has ``submission_due`` and ``review_due``; every ORA has a ``submission_due`` and a
  ``due`` on each assessment step; reviews are due after submissions; every date comes after the
  course start; and each module's dates all come before the next module's;
- self-paced: no due date anywhere (pair review's flexible grading keeps learners moving).

Findings are the validator's (rule ``calendar``), naming the OLX file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .course_calendar import ORA_TAG, PAIR_REVIEW_TAG
from .errors import SourceError
from .validator.blocks import is_pointer
from .validator.report import Finding, error
from .xmlsafe import parse_xml_file

RULE = "calendar"
# Every attribute through which Open edX, ORA or the pair review reads a due date.
DUE_ATTRIBUTES = ("due", "submission_start", "submission_due", "review_due")
_POINTER_TAGS = ("chapter", "sequential", "vertical")


@dataclass(frozen=True)
class _Date:
    value: datetime
    what: str
    file: str
    line: int | None


class _Tree:
    """The course tree of a built OLX folder, each element with the file it was read from."""

    def __init__(self, root: Path):
        self.root = root

    def load(self, relative: str) -> etree._Element | None:
        path = self.root / relative
        if not path.is_file():
            return None  # the validator reports broken pointers
        try:
            return parse_xml_file(path)
        except SourceError:
            return None  # and malformed files

    def children(self, element: etree._Element, file: str):
        """(child, its file) for each block child, following pointers to their files."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in _POINTER_TAGS and child.get("url_name") and is_pointer(child):
                relative = f"{child.tag}/{child.get('url_name')}.xml"
                loaded = self.load(relative)
                if loaded is not None:
                    yield loaded, relative
            else:
                yield child, file


def check_dates(root: Path) -> list[Finding]:
    """Findings about the dates of the OLX folder ``root`` (empty when they are right)."""
    tree = _Tree(root)
    top = tree.load("course.xml")
    if top is None or not top.get("url_name"):
        return []
    course_file = f"course/{top.get('url_name')}.xml"
    course = tree.load(course_file) if is_pointer(top) else top
    if course is None:
        return []
    if not is_pointer(top):
        course_file = "course.xml"
    findings: list[Finding] = []
    start = _date(course, "start", course_file, findings)
    if start is None:
        findings.append(
            error(
                RULE, course_file, "the course has no start date: Open edX would hide it until 2030", course.sourceline
            )
        )
        return findings
    self_paced = course.get("self_paced") == "true"
    modules = []
    for chapter, chapter_file in tree.children(course, course_file):
        if chapter.tag == "chapter":
            modules.append(_module_dates(tree, chapter, chapter_file, self_paced, findings))
    if self_paced:
        return findings
    for dates in modules:
        for date in dates:
            if date.value <= start.value:
                findings.append(
                    error(RULE, date.file, f"{date.what} is due before the course starts ({start.value})", date.line)
                )
    dated = [dates for dates in modules if dates]
    for before, after in zip(dated, dated[1:]):
        last = max(before, key=lambda d: d.value)
        first = min(after, key=lambda d: d.value)
        if first.value <= last.value:
            findings.append(
                error(
                    RULE,
                    first.file,
                    f"{first.what} ({first.value}) is due before the previous module's "
                    f"{last.what} ({last.value}, {last.file}): modules follow each other",
                    first.line,
                )
            )
    return findings


def _module_dates(tree: _Tree, chapter, chapter_file: str, self_paced: bool, findings: list[Finding]) -> list[_Date]:
    """The due dates of one chapter (module), after checking each block's own."""
    dates: list[_Date] = []
    stack = [(chapter, chapter_file)]
    while stack:
        element, file = stack.pop()
        if self_paced:
            _no_dates(element, file, findings)
        elif element.tag == "sequential" and element.get("graded") == "true":
            dates += _required(element, file, ("due",), findings)
        elif element.tag == PAIR_REVIEW_TAG:
            dates += _ordered(_required(element, file, ("submission_due", "review_due"), findings), findings)
        elif element.tag == ORA_TAG:
            dates += _ora(element, file, findings)
        if element.tag not in (PAIR_REVIEW_TAG, ORA_TAG):
            stack.extend(reversed(list(tree.children(element, file))))
    return dates


def _no_dates(element, file: str, findings: list[Finding]) -> None:
    for node in element.iter() if element.tag == ORA_TAG else (element,):
        for name in DUE_ATTRIBUTES:
            if node.get(name):
                findings.append(
                    error(
                        RULE,
                        file,
                        f"<{node.tag} {name}={node.get(name)!r}>: a self-paced course has no due dates",
                        node.sourceline,
                    )
                )


def _ora(element, file: str, findings: list[Finding]) -> list[_Date]:
    dates = _required(element, file, ("submission_due",), findings)
    steps = [node for node in element.iter("assessment")]
    for step in steps:
        dates += _required(step, file, ("due",), findings, what=f"<assessment name={step.get('name')!r}> due")
    return _ordered(dates, findings)


def _required(element, file: str, names, findings: list[Finding], what: str | None = None) -> list[_Date]:
    found = []
    for name in names:
        label = what or f"<{element.tag}> {name}"
        date = _date(element, name, file, findings, label)
        if date is None:
            findings.append(error(RULE, file, f"{label} is missing in an instructor-paced course", element.sourceline))
        else:
            found.append(date)
    return found


def _ordered(dates: list[_Date], findings: list[Finding]) -> list[_Date]:
    """A submission is due before the reviews of it (dates listed submission first)."""
    if dates and dates[0].what.endswith("submission_due"):
        for later in dates[1:]:
            if later.value <= dates[0].value:
                findings.append(
                    error(
                        RULE,
                        later.file,
                        f"{later.what} ({later.value}) is not after {dates[0].what} ({dates[0].value})",
                        later.line,
                    )
                )
    return dates


def _date(element, name: str, file: str, findings: list[Finding], what: str | None = None) -> _Date | None:
    text = element.get(name)
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        findings.append(
            error(RULE, file, f"<{element.tag}> {name}={text!r} is not an ISO 8601 date", element.sourceline)
        )
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # as Open edX reads a date without a time zone
    return _Date(value, what or f"<{element.tag}> {name}", file, element.sourceline)
