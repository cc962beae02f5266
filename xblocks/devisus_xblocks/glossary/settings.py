"""Author settings of the glossary block: choices and the checks Studio runs before saving."""

from __future__ import annotations

import math

from ..common.i18n import noop
from .practice import MAX_SIZE, MIN_SIZE
from .terms import LANGUAGES

MODES = ("reference", "practice")
MAX_DISPLAY_NAME_LENGTH = 255


def problems(*, display_name, language, mode, practice_size, graded, weight) -> list[tuple[str, dict]]:
    """Every problem with these settings, as (English msgid, parameters) pairs; [] if none."""
    found = []
    if not isinstance(display_name, str) or not display_name.strip():
        found.append((noop("The display name must not be empty."), {}))
    elif len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        found.append(
            (noop("The display name is too long (at most %(limit)s characters)."), {"limit": MAX_DISPLAY_NAME_LENGTH})
        )
    if language not in LANGUAGES:
        found.append((noop("The language must be one of: %(choices)s."), {"choices": ", ".join(LANGUAGES)}))
    if mode not in MODES:
        found.append((noop("The mode must be one of: %(choices)s."), {"choices": ", ".join(MODES)}))
    if (
        isinstance(practice_size, bool)
        or not isinstance(practice_size, int)
        or not MIN_SIZE <= practice_size <= MAX_SIZE
    ):
        found.append(
            (
                noop("Pairs per practice round must be a whole number from %(min)s to %(max)s."),
                {"min": MIN_SIZE, "max": MAX_SIZE},
            )
        )
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight < 0:
        found.append((noop("The weight must be a number of 0 or more."), {}))
    if graded and mode == "reference":
        found.append((noop("Only the practice mode can be graded: set the mode to practice or turn grading off."), {}))
    return found
