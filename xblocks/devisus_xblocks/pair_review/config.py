"""The block's settings: choices, defaults, validation, and the domain's ``ActivitySettings``.

Plain Python, no runtime. ``settings`` arguments are objects with the block's field names (the
block itself, or Studio's preview of the edited values). The domain modules that need Django
models are imported where they are used, so the block class loads where Django is not
configured (the course validator parses OLX through it).
"""
from __future__ import annotations

import math
from datetime import datetime

from ..common.errors import ServiceError
from ..common.i18n import noop
from .rubric import default_rubric_data, parse_rubric, rubric_problems

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


def rubric_data(settings) -> list:
    """The rubric in force: the block's own, or the default capstone rubric of its language."""
    return settings.rubric or default_rubric_data(settings.language if settings.language in LANGUAGES else "fr")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _own_problems(settings) -> list[tuple[str, ServiceError]]:
    """Problems of the settings the domain does not check itself (types, labels, languages)."""
    found = []
    name = settings.display_name
    if not isinstance(name, str) or not name.strip():
        found.append(("display_name", ServiceError(noop("The display name cannot be empty."))))
    elif len(name) > MAX_DISPLAY_NAME:
        found.append(("display_name", ServiceError(noop("The display name is too long (at most %(limit)s characters)."),
                                                   limit=MAX_DISPLAY_NAME)))
    if settings.language not in LANGUAGES:
        found.append(("language", ServiceError(noop("The language must be one of: %(choices)s."), choices=", ".join(LANGUAGES))))
    for field in ("theoretician_label", "practitioner_label"):
        label = getattr(settings, field)
        if not isinstance(label, str) or len(label) > MAX_LABEL:
            found.append((field, ServiceError(noop("A profile label has at most %(limit)s characters."), limit=MAX_LABEL)))
    for field in ("reviews_per_reviewer", "reviews_required", "char_limit", "min_comment_length", "max_comment_length",
                  "flexible_after_days", "flexible_percent"):
        if not _whole(getattr(settings, field)):
            found.append((field, ServiceError(noop("%(field)s must be a whole number."), field=field)))
    if not _number(settings.lease_hours):
        found.append(("lease_hours", ServiceError(noop("%(field)s must be a number."), field="lease_hours")))
    if _whole(settings.max_comment_length) and settings.max_comment_length > MAX_COMMENT:
        found.append(("max_comment_length", ServiceError(noop("Comments can be allowed at most %(limit)s characters."),
                                                         limit=MAX_COMMENT)))
    for field in ("submission_due", "review_due"):
        if getattr(settings, field) is not None and not isinstance(getattr(settings, field), datetime):
            found.append((field, ServiceError(noop("Due dates must be a date and time, or empty."))))
    if not _number(settings.weight) or settings.weight < 0:
        found.append(("weight", ServiceError(noop("The weight must be a number of 0 or more."))))
    return found


NUMBERS = ("reviews_per_reviewer", "reviews_required", "char_limit", "min_comment_length", "max_comment_length",
           "flexible_after_days", "flexible_percent", "lease_hours", "submission_due", "review_due")


def problems(settings) -> list[tuple[str, ServiceError]]:
    """Everything wrong with ``settings``, by field: ours, the rubric's, then the domain's checks."""
    found = _own_problems(settings)
    rubric_errors = rubric_problems(rubric_data(settings))
    found.extend(("rubric", error) for error in rubric_errors)
    if not any(field in NUMBERS for field, _error in found):  # the domain's checks need the right types
        rubric = parse_rubric(default_rubric_data("en")) if rubric_errors else None
        found.extend(("settings", error) for error in activity_settings_of(settings, rubric).problems())
    return found


def activity_settings_of(settings, rubric=None):
    """The domain's ``ActivitySettings`` for these settings (``rubric``: the parsed one to use)."""
    from .activity import ActivitySettings  # Django models: imported when a request needs them

    return ActivitySettings(
        pairing_mode=settings.pairing_mode,
        review_unit=settings.review_unit,
        reviews_per_reviewer=settings.reviews_per_reviewer,
        reviews_required=settings.reviews_required,
        lease_hours=float(settings.lease_hours),
        char_limit=settings.char_limit,
        submission_due=settings.submission_due,
        review_due=settings.review_due,
        flexible_after_days=settings.flexible_after_days,
        flexible_percent=settings.flexible_percent,
        min_comment_length=settings.min_comment_length,
        max_comment_length=settings.max_comment_length,
        self_assessment=bool(settings.self_assessment),
        rubric=rubric or parse_rubric(rubric_data(settings)),
    )


# Settings whose defects do not stop the activity: a default stands in (title, labels, rubric language).
NOT_BLOCKING = frozenset({"display_name", "weight", "theoretician_label", "practitioner_label", "language"})


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
