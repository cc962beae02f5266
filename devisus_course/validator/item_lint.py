"""Item-writing lint: can a graded item be passed by test-taking tricks rather than knowledge?

Reads the CAPA problems of one language and measures what a test-wise learner exploits:

- **keyed longest**: share of single-choice items whose keyed option is the longest (by
  characters, a tie with another option does not count);
- **keyed positions**: how the keyed option's position is spread over the items (items whose
  choices capa shuffles for each learner, ``shuffle="true"``, have no fixed position and are left
  out);
- **correct boxes**: how many boxes are right in each tick-all-that-apply item;
- **length outliers**: options at least ``OUTLIER_FACTOR`` times longer, or shorter, than the
  mean of the item's other options;
- **all/none of the above** options (French and English wordings);
- **negative stems** (not, except, ne... pas, sauf...).

Thresholds (``THRESHOLDS``, documented in content/AUTHORING.md) turn the figures into problems,
each naming the files concerned. Plain functions over parsed XML: the CLI's ``lint-items`` and
the tests call :func:`lint_problems`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

OUTLIER_FACTOR = 2.0
# Shares of keyed positions and of keyed-longest options say nothing on a handful of items.
MIN_ITEMS_FOR_SHARES = 8
THRESHOLDS = {
    "max_keyed_longest_share": 0.35,  # chance is 1/n: about 0.25 with four options
    "max_position_share": 0.40,  # no position holds more than 40 % of the keys
    "max_same_box_count_share": 0.60,  # tick-all items do not mostly share one number of right boxes
    "max_outlier_share": 0.10,  # items with an option far longer or shorter than the others
    "max_all_none_of_the_above": 0,
    "max_negative_stem_share": 0.10,
}
ALL_NONE = re.compile(
    r"\b(all|none) of the (above|answers|options)\b|\btoutes les (réponses|propositions) ci-dessus\b"
    r"|\baucune des (réponses|propositions)\b|\btout ce qui précède\b|\baucune de ces réponses\b",
    re.IGNORECASE,
)
NEGATIVE = re.compile(
    r"\b(not|except|never|least)\b|\bsauf\b|\bne\b[^.?!]{0,40}\bpas\b|\bn['’]\w+ pas\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Item:
    path: str
    kind: str  # "single" or "checkbox"
    stem: str
    options: tuple[str, ...]
    keyed: tuple[int, ...]  # positions of the correct options, from 0
    shuffled: bool = False  # capa shows the choices in a per-learner order


@dataclass
class LintReport:
    items: list[Item]
    figures: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # thresholds passed: the build fails
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, what a writer should look at)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _option_text(choice) -> str:
    """What the learner reads as the option: the choice without its feedback (``choicehint``),
    which capa shows only after the answer."""
    parts = [choice.text or ""]
    for child in choice:
        if child.tag != "choicehint":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def items_of(path: str, root) -> list[Item]:
    """The single-choice and tick-all items of one problem."""
    found = []
    for response in root.iter("multiplechoiceresponse", "choiceresponse"):
        label = response.find("label")
        stem = _text(label) if label is not None else ""
        choices = list(response.iter("choice"))
        options = tuple(_option_text(choice) for choice in choices)
        keyed = tuple(i for i, choice in enumerate(choices) if choice.get("correct", "").lower() == "true")
        kind = "single" if response.tag == "multiplechoiceresponse" else "checkbox"
        group = response.find("choicegroup")
        shuffled = group is not None and group.get("shuffle", "").lower() == "true"
        found.append(Item(path, kind, stem, options, keyed, shuffled))
    return found


def _outlier(item: Item) -> bool:
    for index, option in enumerate(item.options):
        others = [len(o) for i, o in enumerate(item.options) if i != index]
        if not others or not option:
            continue
        mean = sum(others) / len(others)
        if mean and (len(option) >= OUTLIER_FACTOR * mean or len(option) * OUTLIER_FACTOR <= mean):
            return True
    return False


def _keyed_longest(item: Item) -> bool:
    lengths = [len(o) for o in item.options]
    longest = max(lengths)
    return len(item.keyed) == 1 and lengths[item.keyed[0]] == longest and lengths.count(longest) == 1


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def lint_problems(problems: Iterable[tuple[str, object]]) -> LintReport:
    """Figures and problems of the items of ``(path, parsed problem root)`` pairs."""
    items = [item for path, root in problems for item in items_of(path, root)]
    single = [i for i in items if i.kind == "single" and i.keyed]
    boxes = [i for i in items if i.kind == "checkbox"]
    report = LintReport(items)
    longest = [i for i in single if _keyed_longest(i)]
    placed = [i for i in single if not i.shuffled]
    positions = Counter(i.keyed[0] + 1 for i in placed)
    box_counts = Counter(len(i.keyed) for i in boxes)
    outliers = [i for i in items if _outlier(i)]
    all_none = [i for i in items if any(ALL_NONE.search(o) for o in i.options)]
    negative = [i for i in items if NEGATIVE.search(i.stem)]
    for found, note in (
        (outliers, f"an option {OUTLIER_FACTOR:g} times longer or shorter than the others"),
        (all_none, "an 'all/none of the above' option"),
        (negative, "a negative stem"),
    ):
        report.notes += [(i.path, note) for i in found]
    report.figures = {
        "items": len(items),
        "single_choice": len(single),
        "shuffled": len(single) - len(placed),
        "checkbox": len(boxes),
        "keyed_longest_share": _share(len(longest), len(single)),
        "keyed_positions": dict(sorted(positions.items())),
        "correct_boxes": dict(sorted(box_counts.items())),
        "length_outliers": len(outliers),
        "all_none_of_the_above": len(all_none),
        "negative_stems": len(negative),
    }
    limits = THRESHOLDS

    def names(found):
        return ", ".join(sorted({Path(i.path).as_posix() for i in found}))

    if (
        len(single) >= MIN_ITEMS_FOR_SHARES
        and report.figures["keyed_longest_share"] > limits["max_keyed_longest_share"]
    ):
        report.problems.append(
            f"the keyed option is the longest in {len(longest)} of {len(single)} single-choice items "
            f"({report.figures['keyed_longest_share']:.0%}, at most {limits['max_keyed_longest_share']:.0%}): "
            + names(longest)
        )
    if len(placed) >= MIN_ITEMS_FOR_SHARES:
        option_counts = Counter(len(i.options) for i in placed)
        usual = option_counts.most_common(1)[0][0]
        for position in range(1, usual + 1):
            share = _share(positions.get(position, 0), len(placed))
            if share > limits["max_position_share"]:
                report.problems.append(
                    f"position {position} holds the key of {positions[position]} of {len(placed)} single-choice "
                    f"items in a fixed order ({share:.0%}, at most {limits['max_position_share']:.0%})"
                )
            if len(placed) >= 2 * usual and positions.get(position, 0) == 0:
                report.problems.append(f"position {position} never holds the key of a single-choice item")
    if boxes and len(boxes) >= 3:
        count, times = box_counts.most_common(1)[0]
        if _share(times, len(boxes)) > limits["max_same_box_count_share"]:
            report.problems.append(
                f"{times} of {len(boxes)} tick-all items have exactly {count} right boxes "
                f"(at most {limits['max_same_box_count_share']:.0%} may share a count)"
            )
    if _share(len(outliers), len(items)) > limits["max_outlier_share"]:
        report.problems.append(
            f"{len(outliers)} items have an option {OUTLIER_FACTOR:g} times longer or shorter than the others: "
            + names(outliers)
        )
    if len(all_none) > limits["max_all_none_of_the_above"]:
        report.problems.append("'all/none of the above' options: " + names(all_none))
    if _share(len(negative), len(items)) > limits["max_negative_stem_share"]:
        report.problems.append(f"{len(negative)} items have a negative stem: " + names(negative))
    return report


def lint_folder(folder: Path) -> LintReport:
    """The items of every ``q*.xml`` problem under ``folder`` (a language's course source, or an
    OLX tree's ``problem/`` folder), parsed without entities or network."""
    from ..xmlsafe import parse_xml_file

    files = sorted(p for p in folder.rglob("*.xml") if p.parent.name == "problem" or re.fullmatch(r"q\d+\.xml", p.name))
    return lint_problems((str(p.relative_to(folder)), parse_xml_file(p)) for p in files)


def check_item_lint(olx) -> list:
    """The validator's view of the lint on the problems of a course tree (orphan files, which
    Studio does not import, are left out): each threshold passed is an error (the build fails),
    each item worth a second look a warning naming its file."""
    from .report import error, warning

    report = lint_problems((usage.content_file, usage.element) for usage in olx.of_tag("problem"))
    findings = [error("item-lint", None, f"item lint: {problem} (see AUTHORING.md)") for problem in report.problems]
    findings += [warning("item-lint", path, f"item lint: {note}") for path, note in report.notes]
    return findings
