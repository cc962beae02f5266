"""Practice mode: match terms to definitions, randomised per learner, graded item by item.

A round is a pure function of (learner, block, round number, size): the same learner sees the
same round on every page load without anything being stored, two learners see different
rounds, and "try again" is just the next round number.

Answers map a term slug to the letter (A, B, C...) under which the chosen definition is shown
in this round. The page never names a definition by its slug, which is the slug of the term it
defines: that would give the answers away. The letters are mapped back to definitions here.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..common.errors import ServiceError
from ..common.i18n import noop

MIN_SIZE = 4
MAX_SIZE = 24
DEFAULT_SIZE = 6
_SHOWN_SLUG_LENGTH = 40


@dataclass(frozen=True)
class Round:
    number: int
    terms: tuple[str, ...]  # term slugs, in the order the terms are shown
    definitions: tuple[str, ...]  # the same slugs, in the (shuffled) order definitions are shown

    def letter(self, slug: str) -> str:
        """The letter a definition is shown under: A, B, C..."""
        return chr(ord("A") + self.definitions.index(slug))

    @property
    def letters(self) -> tuple[str, ...]:
        """The letters of the definitions, in the order shown."""
        return tuple(chr(ord("A") + position) for position in range(len(self.definitions)))

    def definition_at(self, letter: str) -> str | None:
        """The slug of the definition shown under ``letter``, or None if there is no such letter."""
        return self.definitions[self.letters.index(letter)] if letter in self.letters else None


@dataclass(frozen=True)
class ItemResult:
    term: str
    chosen: str  # the slug of the chosen definition

    @property
    def correct(self) -> bool:
        return self.chosen == self.term


@dataclass(frozen=True)
class Result:
    round: int
    items: tuple[ItemResult, ...]

    @property
    def correct(self) -> int:
        return sum(item.correct for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def score(self) -> float:
        """Fraction of correct matches, 0.0 to 1.0."""
        return self.correct / self.total if self.total else 0.0


def seed_of(anonymous_id: str, block_id: str, number: int) -> int:
    """A stable seed: Python's ``hash`` is salted per process, so a digest is used instead."""
    digest = hashlib.sha256(f"{anonymous_id}\n{block_id}\n{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def clamp_size(size: int, available: int) -> int:
    return max(min(MIN_SIZE, available), min(int(size), MAX_SIZE, available))


def build_round(slugs: Iterable[str], size: int, *, anonymous_id: str, block_id: str, number: int) -> Round:
    """Pick ``size`` terms and shuffle their definitions, deterministically for this learner."""
    pool = sorted(set(slugs))
    rng = random.Random(seed_of(anonymous_id, block_id, number))
    terms = tuple(rng.sample(pool, clamp_size(size, len(pool))))
    definitions = list(terms)
    rng.shuffle(definitions)
    if len(definitions) > 1 and tuple(definitions) == terms:
        # Never hand out the answer key as "first term, first definition".
        definitions = definitions[1:] + definitions[:1]
    return Round(number=number, terms=terms, definitions=tuple(definitions))


def check_current(current: Round, requested: int) -> None:
    """Refuse answers or a new round asked for from a page showing an older round."""
    if requested != current.number:
        raise ServiceError(
            noop("This practice round is no longer current. Reload the page to see your current round."), status=409
        )


def stored_answers(current: Round, last_result: Mapping) -> dict[str, str] | None:
    """The answers stored for ``current`` (term slug -> letter), or None if it is not answered.

    ``last_result`` is the stored ``{"round": n, "answers": {...}}`` (or ``{}``); answers
    stored for another set of terms (the round size changed since) do not count. Answers
    stored before letters were used name definitions by slug: they are turned into letters.
    """
    last_result = last_result or {}
    answers = last_result.get("answers") or {}
    if (
        last_result.get("round") != current.number
        or not isinstance(answers, Mapping)
        or set(answers) != set(current.terms)
    ):
        return None
    return {
        term: current.letter(chosen) if chosen in current.definitions else chosen for term, chosen in answers.items()
    }


def check_open(current: Round, last_result: Mapping) -> None:
    """A round is answered once: its feedback gives the answers away."""
    if stored_answers(current, last_result) is not None:
        raise ServiceError(noop("You have already answered this round. Start a new round to try again."), status=409)


def grade(current: Round, answers: Mapping[str, str]) -> Result:
    """Grade a complete answer mapping (term slug -> letter), or refuse it (ServiceError)
    without side effects."""
    if not isinstance(answers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        raise ServiceError(noop("The answers must map each term to a definition."))
    for slug in answers:
        if slug not in current.terms:
            raise ServiceError(noop("Unknown term: %(slug)s"), slug=_shown(slug))
    for letter in answers.values():
        if current.definition_at(letter) is None:
            raise ServiceError(noop("Unknown definition: %(letter)s"), letter=_shown(letter))
    if len(answers) != len(current.terms):
        raise ServiceError(noop("Choose a definition for each of the %(count)s terms."), count=len(current.terms))
    for letter, times in Counter(answers.values()).items():
        if times > 1:
            raise ServiceError(noop("Definition %(letter)s is chosen for more than one term."), letter=letter)
    return Result(
        round=current.number,
        items=tuple(ItemResult(term, current.definition_at(answers[term])) for term in current.terms),
    )


def _shown(slug: str) -> str:
    return slug if len(slug) <= _SHOWN_SLUG_LENGTH else slug[:_SHOWN_SLUG_LENGTH] + "…"
