"""The course calendar: when each module is studied and its peer work is due.

Written once for every language in ``content/calendar.yaml`` (see content/AUTHORING.md). An
instructor-paced build (``devisus-course build --start DATE``) turns it into dates: the course
start, the due date of every graded subsection, and the submission and review due dates of every
peer activity (pair review and ORA). A self-paced build writes no due date at all.

Every defect is a SourceError naming calendar.yaml and the line, raised before anything is
written, in every build (a self-paced build checks the calendar it does not use, so that a later
dated build of the same source cannot fail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import SourceError
from .source import CONTENT_DIR, CourseSource, FileComponent, Module, XBlockComponent
from .yamlfile import LineDict, line_of, load_yaml, require_mapping, require_text

CALENDAR_FILE = "calendar.yaml"
PAIR_REVIEW_TAG = "devisus_pair_review"
ORA_TAG = "openassessment"
# The opening of a build without --start: a self-paced course, open as soon as it is imported.
# Fixed, so that two builds of the same source are byte-identical (never "today").
SELF_PACED_OPENING = date(2026, 1, 5)
_START_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DAYS_PER_WEEK = 7


def parse_start(text: str) -> date:
    """``--start``: a calendar date written YYYY-MM-DD; ``ValueError`` with the reason otherwise."""
    if not _START_PATTERN.match(text.strip()):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD, such as 2027-01-04")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc}); write YYYY-MM-DD, such as 2027-01-04") from None


@dataclass(frozen=True)
class ModulePlan:
    """One module's line of the calendar: its weeks and the days its peer work is due."""

    slug: str
    week: int  # the module's first week, 1 being the week that starts on the course start date
    weeks: int
    submission: int | None  # day of the submission due date, day 1 being the module's first day
    review: int | None
    entry: LineDict = field(compare=False)

    def line(self, key: str | None = None) -> int:
        return self.entry.line_of(key) if key else self.entry.line

    @property
    def first_day(self) -> int:
        """The module's first day, counted from the course start (day 1)."""
        return (self.week - 1) * DAYS_PER_WEEK + 1

    @property
    def last_day(self) -> int:
        return self.first_day + self.weeks * DAYS_PER_WEEK - 1


@dataclass(frozen=True)
class ModuleDates:
    end: datetime  # graded subsections without peer work are due at the module's end
    submission_due: datetime | None = None
    review_due: datetime | None = None


@dataclass(frozen=True)
class Schedule:
    """What a build writes: the course start and pacing, and each module's dates (by folder)."""

    start: datetime
    self_paced: bool
    modules: dict[str, ModuleDates]

    def of(self, module: Module) -> ModuleDates | None:
        return None if self.self_paced else self.modules[module.slug]


@dataclass(frozen=True)
class Calendar:
    path: Path
    time_zone: ZoneInfo
    due_time: time
    modules: tuple[ModulePlan, ...]
    modules_line: int | None = None

    def schedule(self, start: date | None, self_paced: bool) -> Schedule:
        """The dates of a build from ``start`` (``None``: the self-paced opening)."""
        opening = start or SELF_PACED_OPENING
        try:
            # At 00:00 UTC, as Studio shows it: the date given, whatever the time zone of the dates.
            course_start = datetime.combine(opening, time(0, 0), UTC)
            if self_paced:
                return Schedule(course_start, True, {})
            return Schedule(course_start, False, {plan.slug: self._dates(opening, plan) for plan in self.modules})
        except OverflowError:
            raise SourceError(
                None, f"--start {opening.isoformat()}: the calendar would run past the year 9999"
            ) from None

    def _dates(self, opening: date, plan: ModulePlan) -> ModuleDates:
        def due(day: int) -> datetime:
            return datetime.combine(opening + timedelta(days=day - 1), self.due_time, self.time_zone)

        return ModuleDates(
            end=due(plan.last_day),
            submission_due=due(plan.first_day + plan.submission - 1) if plan.submission else None,
            review_due=due(plan.first_day + plan.review - 1) if plan.review else None,
        )

    def check_against(self, source: CourseSource) -> None:
        """Every module has its line, and peer work is dated exactly where the course has some."""
        plans = {plan.slug: plan for plan in self.modules}
        for module in source.modules:
            plan = plans.get(module.slug)
            if plan is None:
                raise SourceError(self.path, f"module {module.slug!r} has no line under 'modules'", self.modules_line)
            activities = peer_activities(module)
            if activities and plan.submission is None:
                unit, what = activities[0]
                raise SourceError(
                    self.path,
                    f"{module.slug}: {what} in {unit} needs the module's 'submission' and 'review' days",
                    plan.line(),
                )
            if not activities and plan.submission is not None:
                raise SourceError(
                    self.path,
                    f"{module.slug}: 'submission' and 'review' date peer work, and this module has none "
                    f"(no {PAIR_REVIEW_TAG}, no {ORA_TAG})",
                    plan.line("submission"),
                )
        known = {module.slug for module in source.modules}
        for plan in self.modules:
            if plan.slug not in known:
                raise SourceError(self.path, f"{plan.slug!r} is not a module folder", plan.line())


def is_peer_activity(component) -> bool:
    """A component with a submission and reviews of it: a pair review or an ORA."""
    if isinstance(component, XBlockComponent):
        return component.tag == PAIR_REVIEW_TAG
    return isinstance(component, FileComponent) and component.category in (ORA_TAG, PAIR_REVIEW_TAG)


def peer_activities(module: Module) -> list[tuple[str, str]]:
    """(unit file, what) for each peer activity of ``module``."""
    return [
        (
            unit.path.name,
            f"the {component.tag}"
            if isinstance(component, XBlockComponent)
            else f"the {component.category} {component.stem}.xml",
        )
        for sequence in module.sequences
        for unit in sequence.units
        for component in unit.components
        if is_peer_activity(component)
    ]


def load_calendar(content_dir: Path | None = None) -> Calendar:
    """Read and check ``content/calendar.yaml`` on its own (see ``Calendar.check_against``)."""
    path = (content_dir or CONTENT_DIR) / CALENDAR_FILE
    if not path.is_file():
        raise SourceError(path, "file not found: the course calendar (see content/AUTHORING.md)")
    data = require_mapping(load_yaml(path), path)
    unknown = sorted(set(data) - {"time_zone", "due_time", "modules"}, key=str)
    if unknown:
        raise SourceError(path, f"unknown key {unknown[0]!r}", line_of(data, unknown[0]))
    modules = require_mapping(data.get("modules"), path, "'modules'")
    if not modules:
        raise SourceError(path, "'modules' needs one line per module folder", line_of(data, "modules"))
    plans = [_plan(path, slug, entry, modules.line_of(slug)) for slug, entry in modules.items()]
    plans.sort(key=lambda plan: plan.slug)  # module folders are numbered: their names sort in order
    _check_order(path, plans)
    return Calendar(
        path=path,
        time_zone=_time_zone(path, data),
        due_time=_due_time(path, data),
        modules=tuple(plans),
        modules_line=line_of(data, "modules"),
    )


def _time_zone(path: Path, data: LineDict) -> ZoneInfo:
    name = require_text(data, "time_zone", path)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(
            path, f"time_zone {name!r} is not a time zone name such as Europe/Paris or UTC", line_of(data, "time_zone")
        ) from None


def _due_time(path: Path, data: LineDict) -> time:
    value = data.get("due_time")
    match = _TIME_PATTERN.match(value) if isinstance(value, str) else None
    if match is None:
        # Unquoted, YAML reads 23:59 as the number 1439: the hint says to quote it.
        raise SourceError(
            path, 'due_time must be a time in quotes, hours and minutes, such as "23:59"', line_of(data, "due_time")
        )
    return time(int(match.group(1)), int(match.group(2)))


def _plan(path: Path, slug, entry, line: int) -> ModulePlan:
    if not isinstance(entry, LineDict):
        raise SourceError(path, f"{slug}: expected a mapping such as {{week: 1}}", line)
    unknown = sorted(set(entry) - {"week", "weeks", "submission", "review"}, key=str)
    if unknown:
        raise SourceError(path, f"{slug}: unknown key {unknown[0]!r}", entry.line_of(unknown[0]))

    def whole(key: str, default: int | None = None) -> int | None:
        value = entry.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SourceError(path, f"{slug}: {key!r} must be a whole number from 1, not {value!r}", entry.line_of(key))
        return value

    if "week" not in entry:
        raise SourceError(path, f"{slug}: missing 'week' (the module's first week, from 1)", line)
    plan = ModulePlan(
        slug=str(slug),
        week=whole("week"),
        weeks=whole("weeks", 1),
        submission=whole("submission"),
        review=whole("review"),
        entry=entry,
    )
    if (plan.submission is None) != (plan.review is None):
        missing = "review" if plan.review is None else "submission"
        raise SourceError(path, f"{slug}: 'submission' and 'review' go together; {missing!r} is missing", line)
    days = plan.weeks * DAYS_PER_WEEK
    for key in ("submission", "review"):
        day = getattr(plan, key)
        if day is not None and day > days:
            raise SourceError(
                path,
                f"{slug}: {key} on day {day} falls after the module's {plan.weeks} week(s) (days 1 to {days})",
                entry.line_of(key),
            )
    if plan.submission is not None and plan.review <= plan.submission:
        raise SourceError(
            path,
            f"{slug}: reviews (day {plan.review}) must be due after the submission (day {plan.submission})",
            entry.line_of("review"),
        )
    return plan


def _check_order(path: Path, plans: list[ModulePlan]) -> None:
    """Module N's weeks (and so all its dates) come before module N+1's."""
    for before, after in zip(plans, plans[1:]):
        if after.first_day <= before.last_day:
            last_week = before.week + before.weeks - 1
            weeks = f"week {before.week}" if before.weeks == 1 else f"weeks {before.week} to {last_week}"
            raise SourceError(
                path,
                f"{after.slug}: week {after.week} starts before {before.slug} ends ({weeks}); "
                f"modules follow each other, so start it in week {last_week + 1} or later",
                after.line("week"),
            )
