"""A learner's answers: checked against the item set before anything is stored.

Pure functions. The handler contract already checked the JSON shape (``ratings`` a dict of
integers, ``justifications`` a dict of strings); this module checks the content: known item
codes, ratings on the 1-5 scale, justifications within the block's limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common.errors import ServiceError
from ..common.i18n import noop
from .constants import MAX_RATING, MIN_RATING
from .items import ItemSet

# The scale, with the descriptor shown beside each level (translated where it is displayed).
SCALE = (
    (1, noop("Not at all in my practice")),
    (2, noop("Rarely, or only with a lot of help")),
    (3, noop("Sometimes, partly on my own")),
    (4, noop("Often and on my own")),
    (5, noop("Fully and systematically")),
)
assert tuple(level for level, _ in SCALE) == tuple(range(MIN_RATING, MAX_RATING + 1))

_SHOWN_CODE_LENGTH = 40  # an unknown code is echoed in the error message, shortened


@dataclass(frozen=True)
class Answers:
    """Ratings and justifications by item code, in the item set's order."""

    ratings: dict[str, int] = field(default_factory=dict)
    justifications: dict[str, str] = field(default_factory=dict)

    def missing(self, item_set: ItemSet) -> tuple[str, ...]:
        """Codes of the items still unrated."""
        return tuple(code for code in item_set.codes if code not in self.ratings)


def clean_answers(item_set: ItemSet, ratings: dict, justifications: dict, max_justification: int) -> Answers:
    """Checked, normalised answers, or a ServiceError naming the first problem.

    Justifications are stripped; empty ones are dropped. Codes are checked before values so a
    request with an unknown code is refused whatever else it holds.
    """
    for code in sorted(set(ratings) | set(justifications)):
        if code not in item_set:
            raise ServiceError(noop("Unknown item: %(code)s"), code=str(code)[:_SHOWN_CODE_LENGTH])
    clean_ratings: dict[str, int] = {}
    clean_justifications: dict[str, str] = {}
    for code in item_set.codes:
        if code in ratings:
            value = ratings[code]
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
                raise ServiceError(
                    noop("The rating of %(code)s must be a whole number from %(minimum)s to %(maximum)s."),
                    code=code,
                    minimum=MIN_RATING,
                    maximum=MAX_RATING,
                )
            clean_ratings[code] = value
        if code in justifications:
            text = justifications[code]
            if not isinstance(text, str):
                raise ServiceError(noop("The justification of %(code)s must be text."), code=code)
            # NUL is refused by some databases and never meant; line ends are normalised.
            text = text.replace("\x00", "").replace("\r\n", "\n").strip()
            if len(text) > max_justification:
                raise ServiceError(
                    noop("The justification of %(code)s is too long (at most %(limit)s characters)."),
                    code=code,
                    limit=max_justification,
                )
            if text:
                clean_justifications[code] = text
    return Answers(clean_ratings, clean_justifications)


def require_complete(item_set: ItemSet, answers: Answers) -> None:
    """Refuse a submission that leaves items unrated."""
    missing = answers.missing(item_set)
    if missing:
        raise ServiceError(
            noop("Please rate every item before submitting. Not yet rated: %(codes)s."),
            codes=", ".join(missing),
        )
