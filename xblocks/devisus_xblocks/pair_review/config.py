"""The block's settings: choices, defaults, validation, and the domain's ``ActivitySettings``.

Plain Python, no runtime. ``settings`` arguments are objects with the block's field names (the
block itself, or Studio's preview of the edited values). The domain modules that need Django
models are imported where they are used, so the block class loads where Django is not
configured (the course validator parses OLX through it).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from ..common.errors import ServiceError
from ..common.i18n import noop
from .reviewing.examples import example_problems, parse_examples
from .reviewing.rubric import default_rubric_data, parse_rubric, rubric_problems

LANGUAGES = ("fr", "en")
PAIRING_MODES = ("automatic", "invitation", "trainer")
REVIEW_UNITS = ("learner", "pair")
PROFILES = ("theoretician", "practitioner")
DEFAULT_LABELS = {"theoretician": noop("Theoretician"), "practitioner": noop("Field practitioner")}
MAX_DISPLAY_NAME = 255
MAX_LABEL = 80
MAX_TEXT_LIMIT = 200_000  # the domain's ceiling for the draft's character limit
MAX_COMMENT = 20_000

# Studio field choices (label msgids are translated for the person editing).
PAIRING_CHOICES = (
    ("automatic", noop("Automatic: complementary profiles, first come first matched")),
    ("invitation", noop("Invitation code: one learner creates a code, the partner joins with it")),
    ("trainer", noop("Trainer-assigned: course staff pair learners (CSV of usernames)")),
)
REVIEW_UNIT_CHOICES = (
    ("learner", noop("Each learner reviews")),
    ("pair", noop("Each pair reviews together")),
)
LANGUAGE_CHOICES = (("fr", noop("French")), ("en", noop("English")))

# ---- due dates ------------------------------------------------------------------------------
#
# Kept as ISO 8601 strings (String fields), as ORA keeps its dates (openassessment/xblock/
# openassessmentblock.py: ``submission_due = String(...)``): Studio's generic editor shows a
# DateTime field as a date only and saves it back at midnight (xblock/utils/studio_editable.py,
# ``_make_field_info``: ``strftime("%m/%d/%Y")``, and public/studio_edit.js sends every set field
# back on Save), while a String field is shown and saved as written. They are read here, once.
DUE_FIELDS = ("submission_due", "review_due")
DUE_EXAMPLE = "2027-03-01T23:59:00+00:00"
_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# What an author types in Studio: a date, a time and its time zone (Z or an offset).
_IN_FULL = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
DUE_MESSAGES = {
    "submission_due": noop(
        "The submission due date must be a date, a time and a time zone (ISO 8601), such as "
        "%(example)s for 23:59 UTC, or empty for no deadline; “%(value)s” is not."
    ),
    "review_due": noop(
        "The review due date must be a date, a time and a time zone (ISO 8601), such as "
        "%(example)s for 23:59 UTC, or empty for no deadline; “%(value)s” is not."
    ),
}


def parse_due(value) -> datetime | None:
    """The deadline a due-date setting holds, in UTC (``None``: no deadline); ``ValueError`` if
    it holds no date and time.

    Reads every value the field has held: ISO 8601 date-times with a time zone, and without one
    (read as UTC, as XBlock's former DateTime field read them: xblock/fields.py
    ``DateTime.from_json``; ORA does the same, openassessment/xblock/utils/resolve_dates.py), such
    as ``2027-03-01T23:59:00.000000`` (what DateTime stored) or ``2027-03-01 23:59:00+00:00`` (a
    YAML date-time written by the course builder); datetimes; ``None`` or an empty string.
    A date without a time is refused: it is the midnight deadline nobody meant.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _HAS_TIME.match(text):
            raise ValueError(f"{value[:40]!r} is not a date and a time")
        parsed = datetime.fromisoformat(text)  # ValueError if it is no date and time
    else:
        raise ValueError(f"{type(value).__name__} is not a date and a time")
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 has no UTC time
        raise ValueError(f"{value!r} is out of range") from None


def due_is_valid(value, typed: bool = False) -> bool:
    """Whether ``value`` is a usable due date; ``typed``: as an author types it in Studio, where
    the time zone must be written (a new value cannot silently mean UTC)."""
    try:
        parse_due(value)
    except ValueError:
        return False
    return not typed or not isinstance(value, str) or not value.strip() or bool(_IN_FULL.match(value.strip()))


def clean_due(value):
    """A due date as Studio's editor sends it, tidied: surrounding spaces dropped, no deadline
    as an empty string (a ``None`` String would be exported as an ``<option:...>`` element)."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


# ---- points ------------------------------------------------------------------------------------
#
# The gradebook takes an edx-submissions score as already weighted (lms/djangoapps/grades/
# scores.py, ``_get_score_from_submissions``): its points are what the learner's progress shows,
# and a ``weight`` field would be ignored once a grade exists (and used before, for the "0 of ..."
# line, which would then disagree). So the block has ``points``, used both by ``max_score()`` and
# for every published score, as edx-sga does (edx_sga/sga.py ``points``). Whole numbers: the
# submissions API stores integers (submissions/models.py, ``Score.points_earned``); at least 1: the
# LMS asserts a submissions score has points possible (scores.py again).
DEFAULT_POINTS = 100
MAX_POINTS = 1000


def points_are_valid(value) -> bool:
    return _whole(value) and 1 <= value <= MAX_POINTS


def points_of(settings) -> int:
    """The points a full grade is worth: the block's setting, or the default while it is invalid."""
    value = getattr(settings, "points", DEFAULT_POINTS)
    return value if points_are_valid(value) else DEFAULT_POINTS


def legacy_weight_as_points(text: str) -> int | None:
    """The ``points`` an OLX ``weight`` attribute of version 0.1 stands for (Open edX's meaning of a
    problem's weight: the points it is worth), rounded to a whole number; ``None`` if unusable."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return min(MAX_POINTS, max(1, math.floor(value + 0.5)))  # half up: 2.5 is 3


# A pairing id names the pairs several blocks of a course share. Lower-case ASCII: ids that
# MySQL's collations would take for one another ("Pairs" and "pairs") cannot both exist.
PAIRING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def pairing_id_is_valid(value) -> bool:
    """Empty (the activity pairs on its own) or a usable pairing id."""
    return value == "" or (isinstance(value, str) and bool(PAIRING_ID.fullmatch(value)))


def inactive(last_active_at: datetime | None, settings, now: datetime) -> bool:
    """Whether a pair member last active at ``last_active_at`` counts as inactive under the
    settings' ``inactive_after_days`` (never with 0 days; see inactivity.py)."""
    days = getattr(settings, "inactive_after_days", 0)
    if not days or last_active_at is None:
        return False
    return now - last_active_at >= timedelta(days=days)


def rubric_data(settings) -> list:
    """The rubric in force: the block's own, or the default capstone rubric of its language."""
    return settings.rubric or default_rubric_data(settings.language if settings.language in LANGUAGES else "fr")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _own_problems(settings, current=None) -> list[tuple[str, ServiceError]]:
    """Problems of the settings the domain does not check itself (types, labels, languages)."""
    found = []
    name = settings.display_name
    if not isinstance(name, str) or not name.strip():
        found.append(("display_name", ServiceError(noop("The display name cannot be empty."))))
    elif len(name) > MAX_DISPLAY_NAME:
        found.append(
            (
                "display_name",
                ServiceError(
                    noop("The display name is too long (at most %(limit)s characters)."), limit=MAX_DISPLAY_NAME
                ),
            )
        )
    if settings.language not in LANGUAGES:
        found.append(
            ("language", ServiceError(noop("The language must be one of: %(choices)s."), choices=", ".join(LANGUAGES)))
        )
    if not pairing_id_is_valid(getattr(settings, "pairing_id", "") or ""):
        found.append(
            (
                "pairing_id",
                ServiceError(noop("The pairing id may hold only lower-case letters, digits, - and _ (at most 64).")),
            )
        )
    for field in ("theoretician_label", "practitioner_label"):
        label = getattr(settings, field)
        if not isinstance(label, str) or len(label) > MAX_LABEL:
            found.append(
                (field, ServiceError(noop("A profile label has at most %(limit)s characters."), limit=MAX_LABEL))
            )
    for field in (
        "reviews_per_reviewer",
        "reviews_required",
        "char_limit",
        "min_comment_length",
        "max_comment_length",
        "flexible_after_days",
        "flexible_percent",
        "inactive_after_days",
        "disagreement_threshold",
    ):
        if not _whole(getattr(settings, field)):
            found.append((field, ServiceError(noop("%(field)s must be a whole number."), field=field)))
    if not _number(settings.lease_hours):
        found.append(("lease_hours", ServiceError(noop("%(field)s must be a number."), field="lease_hours")))
    if _whole(settings.max_comment_length) and settings.max_comment_length > MAX_COMMENT:
        found.append(
            (
                "max_comment_length",
                ServiceError(noop("Comments can be allowed at most %(limit)s characters."), limit=MAX_COMMENT),
            )
        )
    for field in DUE_FIELDS:
        value = getattr(settings, field)
        typed = current is not None and value != getattr(current, field)  # values saved back untouched read as before
        if not due_is_valid(value, typed=typed):
            shown = value if isinstance(value, str) and len(value) <= 40 else f"{str(value)[:40]}…"
            found.append((field, ServiceError(DUE_MESSAGES[field], example=DUE_EXAMPLE, value=shown)))
    if not points_are_valid(settings.points):
        found.append(
            (
                "points",
                ServiceError(
                    noop("The points must be a whole number from 1 to %(limit)s; %(default)s are used meanwhile."),
                    limit=MAX_POINTS,
                    default=DEFAULT_POINTS,
                ),
            )
        )
    return found


NUMBERS = (
    "inactive_after_days",
    "disagreement_threshold",
    "reviews_per_reviewer",
    "reviews_required",
    "char_limit",
    "min_comment_length",
    "max_comment_length",
    "flexible_after_days",
    "flexible_percent",
    "lease_hours",
    "submission_due",
    "review_due",
)


def problems(settings, current=None) -> list[tuple[str, ServiceError]]:
    """Everything wrong with ``settings``, by field: ours, the rubric's, then the domain's checks.
    ``current``: the block, when ``settings`` are Studio edits of it (due dates typed anew must
    carry their time zone)."""
    found = _own_problems(settings, current)
    rubric_errors = rubric_problems(rubric_data(settings))
    found.extend(("rubric", error) for error in rubric_errors)
    found.extend(
        ("calibration", error)
        for error in example_problems(
            getattr(settings, "calibration", []), None if rubric_errors else parse_rubric(rubric_data(settings))
        )
    )
    if not any(field in NUMBERS for field, _error in found):  # the domain's checks need the right types
        rubric = parse_rubric(default_rubric_data("en")) if rubric_errors else None
        found.extend(("settings", error) for error in activity_settings_of(settings, rubric).problems())
    return found


def activity_settings_of(settings, rubric=None):
    """The domain's ``ActivitySettings`` for these settings (``rubric``: the parsed one to use)."""
    from .activity import ActivitySettings  # Django models: imported when a request needs them

    rubric = rubric or parse_rubric(rubric_data(settings))
    calibration_errors = example_problems(getattr(settings, "calibration", []), rubric)

    return ActivitySettings(
        pairing_mode=settings.pairing_mode,
        review_unit=settings.review_unit,
        reviews_per_reviewer=settings.reviews_per_reviewer,
        reviews_required=settings.reviews_required,
        lease_hours=float(settings.lease_hours),
        char_limit=settings.char_limit,
        submission_due=parse_due(settings.submission_due),
        review_due=parse_due(settings.review_due),
        flexible_after_days=settings.flexible_after_days,
        flexible_percent=settings.flexible_percent,
        min_comment_length=settings.min_comment_length,
        max_comment_length=settings.max_comment_length,
        self_assessment=bool(settings.self_assessment),
        inactive_after_days=settings.inactive_after_days,
        disagreement_threshold=settings.disagreement_threshold,
        points=points_of(settings),
        rubric=rubric,
        calibration=() if calibration_errors else parse_examples(getattr(settings, "calibration", []), rubric),
    )


# Settings whose defects do not stop the activity: a default stands in (title, labels, rubric language).
NOT_BLOCKING = frozenset({"display_name", "points", "theoretician_label", "practitioner_label", "language"})


def usable_settings(settings):
    """The ``ActivitySettings`` to serve learners with, or the first blocking problem as a 409
    (course staff fix it in Studio; learners are told the activity is not ready)."""
    for field, error in problems(settings):
        if field not in NOT_BLOCKING:
            raise ServiceError(error.message, status=409, **error.params)
    return activity_settings_of(settings)


def profile_labels(settings, gettext) -> dict[str, str]:
    """The two profile labels: the author's, or the translated defaults."""
    labels = {}
    for profile in PROFILES:
        own = getattr(settings, f"{profile}_label", "")
        usable = isinstance(own, str) and own.strip() and len(own) <= MAX_LABEL
        labels[profile] = own.strip() if usable else gettext(DEFAULT_LABELS[profile])
    return labels
