"""Checking a block's settings (Studio editor, OLX import): plain Python, no runtime.

``problems(settings)`` returns (field, ServiceError) pairs (English msgids with parameters) that
the block translates into Studio validation messages; ``check_usable`` refuses to take answers
with settings that would store them under a wrong key.
"""

from __future__ import annotations

import re

from devisus_course.framework import SUPPORTED_LANGUAGES

from ..common.errors import ServiceError
from ..common.i18n import noop
from .constants import FRAMEWORK_ID_LENGTH, ROUNDS
from .items import CUSTOM, ITEM_SETS, MAX_ITEMS, parse_custom_items

FRAMEWORK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
JUSTIFICATION_MIN = 50
JUSTIFICATION_MAX = 2000
DEFAULT_JUSTIFICATION = 500
# The largest save/submit request: every item with a full justification, each character sent as
# a 6-byte JSON escape at worst, plus room for the ratings and the JSON syntax.
MAX_REQUEST_BYTES = MAX_ITEMS * JUSTIFICATION_MAX * 6 + 16 * 1024


# Settings without which the block cannot take answers; other defects fall back to defaults.
BLOCKING = frozenset({"item_set", "custom_items", "framework_id", "round"})


def problems(settings) -> list[tuple[str, ServiceError]]:
    """Everything wrong with ``settings`` (an object with the block's field names), by field."""
    found = []
    if not str(settings.display_name or "").strip():
        found.append(("display_name", ServiceError(noop("The display name cannot be empty."))))
    if settings.language not in SUPPORTED_LANGUAGES:
        found.append(
            (
                "language",
                ServiceError(noop("The language must be one of: %(choices)s."), choices=", ".join(SUPPORTED_LANGUAGES)),
            )
        )
    if settings.item_set not in ITEM_SETS:
        found.append(
            ("item_set", ServiceError(noop("The item set must be one of: %(choices)s."), choices=", ".join(ITEM_SETS)))
        )
    elif settings.item_set == CUSTOM:
        try:
            parse_custom_items(settings.custom_items)
        except ServiceError as error:
            found.append(("custom_items", error))
    framework_id = str(settings.framework_id or "")
    # fullmatch: "$" would let a trailing newline through, which MariaDB ignores in the key.
    if len(framework_id) > FRAMEWORK_ID_LENGTH or not FRAMEWORK_ID.fullmatch(framework_id):
        found.append(
            (
                "framework_id",
                ServiceError(
                    noop(
                        "The framework id must be at most %(limit)s lowercase letters, digits, '-' or '_' (e.g. devisus-principles)."
                    ),
                    limit=FRAMEWORK_ID_LENGTH,
                ),
            )
        )
    if settings.round not in ROUNDS:
        found.append(("round", ServiceError(noop("The round must be one of: %(choices)s."), choices=", ".join(ROUNDS))))
    limit = settings.max_justification
    if isinstance(limit, bool) or not isinstance(limit, int) or not JUSTIFICATION_MIN <= limit <= JUSTIFICATION_MAX:
        found.append(
            (
                "max_justification",
                ServiceError(
                    noop("The justification limit must be from %(minimum)s to %(maximum)s characters."),
                    minimum=JUSTIFICATION_MIN,
                    maximum=JUSTIFICATION_MAX,
                ),
            )
        )
    return found


def check_usable(settings) -> None:
    """Raise the first defect that stops the block from taking answers (409: fix it in Studio)."""
    for name, error in problems(settings):
        if name in BLOCKING:
            raise ServiceError(error.message, status=409, **error.params)


def justification_limit(value) -> int:
    """The limit in force: an out-of-range setting (e.g. from a hand-edited OLX) is clamped."""
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_JUSTIFICATION
    return min(max(value, JUSTIFICATION_MIN), JUSTIFICATION_MAX)
