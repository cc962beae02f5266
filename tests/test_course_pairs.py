"""The pair is the spine of the course (issue 9, section 2), checked on the built course in both
languages: one pairing (``pairing_id`` "devisus-pairs") that forms in module 1, staged pair pieces
in modules 4, 7 and 8 with their own short rubrics, the calibrated capstone in module 9, a grading
policy with a "Pair work" type where no peer-reviewed item dominates, and an About page and
handouts that say pairs form in module 1 (no text says they form in module 9).

``pair_problems`` reads an OLX tree and returns what is wrong; the last tests break a copy of the
built tree and check that each defect is reported, so that these checks can fail.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from devisus_course.cli import main
from devisus_xblocks.pair_review.olx import calibration_from_node, rubric_from_node
from devisus_xblocks.pair_review.reviewing.examples import example_problems
from devisus_xblocks.pair_review.reviewing.rubric import default_rubric_data, parse_rubric, rubric_problems

LANGUAGES = ("fr", "en")
TAG = "devisus_pair_review"
PAIRING_ID = "devisus-pairs"
# Grade types are named in each course's language (learners see them on the Progress page).
GRADE_TYPES = {
    "fr": {"workshop": "Atelier", "pair": "Travail en binôme", "capstone": "Projet final"},
    "en": {"workshop": "Workshop", "pair": "Pair work", "capstone": "Capstone"},
}
PAIR_WORK = GRADE_TYPES["en"]["pair"]
CAPSTONE = GRADE_TYPES["en"]["capstone"]
STAGED_CHAPTERS = ("m01", "m04", "m07", "m08")  # the pieces; the pairing forms in the first
CAPSTONE_CHAPTER = "m09"
MAX_PEER_ITEM_WEIGHT = 0.25  # no single peer-reviewed item weighs more in the final grade
# Each pair gives reviews_per_reviewer x 2 reviews (review_unit "learner") and each piece needs
# reviews_required: with twice as many on offer as needed, every piece gets its reviews even if
# half the reviewers do not turn up (sse_trainer-2 in content/REVIEW.md).
REVIEW_MARGIN = 2
MIN_PAIR_SIZE = 2
# Methods a calibration example may name: the weakest example must not be the only one naming
# one, or reviewers learn that the method makes the plan weak (impact_expert-13).
METHODS = ("SROI", "VISES", "theory of change", "théorie du changement", "Avise")
LEVEL_RANK = {"emerging": 1, "developing": 2, "proficient": 3, "exemplary": 4}

# A sentence about pairs forming, in each language; "module 1" must not be followed by a digit.
PAIR_WORD = {"fr": re.compile(r"\bbinômes?\b", re.I), "en": re.compile(r"\bpairs?\b", re.I)}
FORM_WORD = {
    "fr": re.compile(r"\b(se forment|se forme|formés?|formées?|former)\b", re.I),
    "en": re.compile(r"\b(form|forms|formed|forming)\b", re.I),
}
MODULE_1 = re.compile(r"\bmodules? 1(?!\d)", re.I)
# Where a text could wrongly place the forming of pairs: module 9, the capstone.
CAPSTONE_WORDS = re.compile(r"\bmodules? 9(?!\d)|projet final|capstone|final project", re.I)


@dataclass(frozen=True)
class PairReview:
    chapter: str  # url_name of the chapter (module) holding it
    grader: str | None  # the format of its sequential when graded
    element: etree._Element

    @property
    def name(self) -> str:
        return self.element.get("url_name", "?")


def _load(tree: Path, relative: str) -> etree._Element:
    return etree.parse(str(tree / relative)).getroot()


def _run(tree: Path) -> str:
    return _load(tree, "course.xml").get("url_name")


def pair_reviews(tree: Path) -> list[PairReview]:
    """Every devisus_pair_review of the OLX tree, in course order (chapters, sequentials, units)."""
    found = []
    course = _load(tree, f"course/{_run(tree)}.xml")
    for chapter in course.iter("chapter"):
        chapter_name = chapter.get("url_name")
        for sequential in _load(tree, f"chapter/{chapter_name}.xml").iter("sequential"):
            seq = _load(tree, f"sequential/{sequential.get('url_name')}.xml")
            grader = seq.get("format") if seq.get("graded") == "true" else None
            for vertical in seq.iter("vertical"):
                for element in _load(tree, f"vertical/{vertical.get('url_name')}.xml").iter(TAG):
                    found.append(PairReview(chapter_name, grader, element))
    return found


def _rubric_data(element: etree._Element, language: str) -> list[dict]:
    node = element.find("rubric")
    return rubric_from_node(node) if node is not None else default_rubric_data(language)


BLOCK_TAG = re.compile(r"</?(h[1-6]|p|li|td|th|tr|div|summary|blockquote)\b[^>]*>", re.I)


def _text(path: Path) -> str:
    """The visible text of an HTML file: one line per block (heading, paragraph, list item, cell)."""
    html = BLOCK_TAG.sub("\n", path.read_text(encoding="utf-8"))
    return "\n".join(" ".join(line.split()) for line in re.sub(r"<[^>]+>", " ", html).splitlines())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?;:])\s+|\n", text) if s.strip()]


def _about_pairs_forming(sentence: str, language: str) -> bool:
    return bool(PAIR_WORD[language].search(sentence) and FORM_WORD[language].search(sentence))


def text_problems(tree: Path, language: str) -> list[str]:
    problems = []
    for relative in ("about/overview.html", "info/handouts.html"):
        sentences = _sentences(_text(tree / relative))
        if not any(_about_pairs_forming(s, language) and MODULE_1.search(s) for s in sentences):
            problems.append(f"{relative}: no sentence says that pairs form in module 1")
    # Module 1's own pages form the pair "here"; anywhere else, a sentence on pairs forming that
    # names module 9 or the capstone must also say module 1.
    units = [page for page in sorted((tree / "html").glob("*.html")) if not page.name.startswith("m01_")]
    for page in [tree / "about" / "overview.html", tree / "info" / "handouts.html", *units]:
        for sentence in _sentences(_text(page)):
            if (
                _about_pairs_forming(sentence, language)
                and CAPSTONE_WORDS.search(sentence)
                and not MODULE_1.search(sentence)
            ):
                problems.append(f"{page.relative_to(tree)}: pairs form for the capstone? {sentence!r}")
    return problems


def grading_problems(tree: Path, reviews: list[PairReview], language: str) -> list[str]:
    policy = json.loads((tree / "policies" / _run(tree) / "grading_policy.json").read_text(encoding="utf-8"))
    graders = {grader["type"]: grader for grader in policy["GRADER"]}
    problems = []
    if abs(sum(grader["weight"] for grader in graders.values()) - 1) > 1e-9:
        problems.append("grading policy: the weights do not add up to 1")
    pair_work = GRADE_TYPES[language]["pair"]
    if pair_work not in graders:
        return [*problems, f"grading policy: no {pair_work!r} type"]
    staged = [review for review in reviews if review.grader == pair_work]
    if graders[pair_work]["min_count"] != len(staged):
        problems.append(
            f"grading policy: {pair_work!r} counts {graders[pair_work]['min_count']}, the course has {len(staged)}"
        )
    for kind in GRADE_TYPES[language].values():
        grader = graders.get(kind)
        if grader is None:
            problems.append(f"grading policy: no {kind!r} type")
            continue
        per_item = grader["weight"] / max(1, grader["min_count"] - grader["drop_count"])
        if per_item > MAX_PEER_ITEM_WEIGHT + 1e-9:
            problems.append(f"grading policy: one {kind!r} item weighs {per_item:.0%} of the grade")
    return problems


def pair_problems(tree: Path, language: str) -> list[str]:
    """What is wrong with the pair activities, the grading policy and the texts of an OLX tree."""
    reviews = pair_reviews(tree)
    if not reviews:
        return [f"no {TAG} in the course"]
    problems = []
    for review in reviews:
        if review.element.get("pairing_id") != PAIRING_ID:
            problems.append(f"{review.name}: pairing_id is {review.element.get('pairing_id')!r}, not {PAIRING_ID!r}")
        if review.element.get("language") != language:
            problems.append(f"{review.name}: language {review.element.get('language')!r}")
        data = _rubric_data(review.element, language)
        found = rubric_problems(data)
        if found:
            problems.append(f"{review.name}: invalid rubric ({found[0].message % found[0].params})")
            continue
        rubric = parse_rubric(data)
        problems += _supply_problems(review)
        if review.chapter in STAGED_CHAPTERS:
            if review.grader != GRADE_TYPES[language]["pair"]:
                problems.append(f"{review.name}: counts for {review.grader!r}, not {GRADE_TYPES[language]['pair']!r}")
            if review.element.find("rubric") is None or not 2 <= len(rubric.criteria) <= 3:
                problems.append(f"{review.name}: a staged piece needs its own rubric of 2 or 3 criteria")
            for setting in ("reviews_per_reviewer", "reviews_required"):
                if review.element.get(setting) not in ("1", "2"):
                    problems.append(f"{review.name}: {setting} is {review.element.get(setting)!r}, not 1 or 2")
        elif review.chapter == CAPSTONE_CHAPTER:
            if review.grader != GRADE_TYPES[language]["capstone"]:
                problems.append(
                    f"{review.name}: counts for {review.grader!r}, not {GRADE_TYPES[language]['capstone']!r}"
                )
            # A plan graded on one review escapes the disagreement check (impact_expert-12): flexible
            # grading must wait for every review, so a plan short of them goes to the teaching team.
            if review.element.get("flexible_percent") != "100":
                problems.append(f"{review.name}: a plan could be graded on a single review")
            problems += _calibration_problems(review, review.element.find("calibration"))
            calibration = review.element.find("calibration")
            examples = calibration_from_node(calibration) if calibration is not None else []
            if not 1 <= len(examples) <= 2 or example_problems(examples, rubric):
                problems.append(f"{review.name}: the capstone needs 1 or 2 valid calibration examples")
            for example in examples:
                missing = [c.id for c in rubric.criteria if not example["comments"].get(c.id)]
                if missing:
                    problems.append(f"{review.name}: example {example['id']!r} has no reference comment for {missing}")
            if int(review.element.get("disagreement_threshold") or 0) <= 0:
                problems.append(f"{review.name}: no disagreement_threshold")
        else:
            problems.append(f"{review.name}: a pair activity in {review.chapter}, outside modules 1, 4, 7, 8 and 9")
    if reviews[0].chapter != STAGED_CHAPTERS[0]:
        problems.append(f"the first pair activity, {reviews[0].name}, is in {reviews[0].chapter}, not in module 1")
    chapters = [review.chapter for review in reviews]
    for chapter in (*STAGED_CHAPTERS, CAPSTONE_CHAPTER):
        if chapters.count(chapter) != 1:
            problems.append(f"{chapters.count(chapter)} pair activities in {chapter}, not one")
    return problems + grading_problems(tree, reviews, language) + text_problems(tree, language)


def _supply_problems(review: PairReview) -> list[str]:
    reviewers = 1 if review.element.get("review_unit") == "pair" else MIN_PAIR_SIZE
    supply = int(review.element.get("reviews_per_reviewer") or 2) * reviewers
    demand = int(review.element.get("reviews_required") or 2)
    if supply < REVIEW_MARGIN * demand:
        return [
            f"{review.name}: each pair gives {supply} reviews for the {demand} each piece needs: pieces go unreviewed"
        ]
    return []


def _calibration_problems(review: PairReview, calibration) -> list[str]:
    """The methods the weakest calibration example names are named by a stronger one too."""
    examples = calibration.findall("example") if calibration is not None else []
    if len(examples) < 2:
        return []

    def strength(example) -> int:
        return sum(LEVEL_RANK[answer.get("level")] for answer in example.iter("answer"))

    ranked = sorted(examples, key=strength)
    weakest = ranked[0].findtext("text").lower()
    others = " ".join(example.findtext("text").lower() for example in ranked[1:])
    alone = [method for method in METHODS if method.lower() in weakest and method.lower() not in others]
    return [f"{review.name}: only the weakest calibration example uses {method}" for method in alone]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pairs")
    assert main(["build", "--lang", "all", "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_built_course_runs_on_one_pairing_from_module_1_to_the_capstone(built, language):
    tree = built / "course" / language
    assert pair_problems(tree, language) == []
    reviews = pair_reviews(tree)
    assert [review.chapter for review in reviews] == [*STAGED_CHAPTERS, CAPSTONE_CHAPTER]
    names = GRADE_TYPES[language]
    assert [review.grader for review in reviews] == [names["pair"]] * 4 + [names["capstone"]]


def test_both_languages_have_the_same_pair_activities_and_rubrics(built):
    def outline(language):
        return [
            (
                review.chapter,
                review.name,
                # The grade type, by its role (its name is in the course's language).
                {v: k for k, v in GRADE_TYPES[language].items()}[review.grader],
                {k: v for k, v in review.element.attrib.items() if k not in ("display_name", "language")},
                [
                    (c["id"], c["weight"], [(level["id"], level["points"]) for level in c["levels"]])
                    for c in _rubric_data(review.element, language)
                ],
                [(e["id"], e["levels"]) for e in calibration_from_node(review.element.find("calibration"))]
                if review.element.find("calibration") is not None
                else [],
            )
            for review in pair_reviews(built / "course" / language)
        ]

    assert outline("fr") == outline("en")


# ---- the checks report a broken course -----------------------------------------------------------


def _copy(built: Path, tmp_path: Path, language: str) -> Path:
    tree = tmp_path / language
    shutil.copytree(built / "course" / language, tree)
    return tree


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    "language, relative, old, new, expected",
    [
        (
            "en",
            "vertical/m07_planning_template.xml",
            'pairing_id="devisus-pairs"',
            'pairing_id="m07"',
            "pairing_id is 'm07'",
        ),
        (
            "fr",
            "vertical/m04_pair_map.xml",
            'weight="40"',
            'weight="45"',
            "m04_pair_map_stakeholder_map: invalid rubric",
        ),
        (
            "fr",
            "vertical/m01_our_pair.xml",
            "devisus_pair_review",
            "devisus_former_review",
            "is in m04, not in module 1",
        ),
        ("en", "vertical/m09_capstone.xml", "<calibration>", "<calibration><!-- -->", None),
        (
            "en",
            "vertical/m09_capstone.xml",
            'disagreement_threshold="35"',
            'disagreement_threshold="0"',
            "no disagreement_threshold",
        ),
        (
            "fr",
            "vertical/m08_advocacy_note.xml",
            'reviews_required="2"',
            'reviews_required="5"',
            "reviews_required is '5'",
        ),
        (
            "fr",
            "about/overview.html",
            "se forment au module 1",
            "se forment au module 9",
            "pairs form for the capstone?",
        ),
        (
            "en",
            "html/m09_peer_review_html.html",
            "The capstone is done with the pair formed in Module 1",
            "Capstone pairs are formed by the tool of the next unit",
            "m09_peer_review_html.html: pairs form for the capstone?",
        ),
        (
            "fr",
            "vertical/m04_pair_map.xml",
            'reviews_per_reviewer="2"',
            'reviews_per_reviewer="1"',
            "each pair gives 2 reviews for the 2 each piece needs",
        ),
        (
            "en",
            "vertical/m09_capstone.xml",
            ' flexible_percent="100"',
            "",
            "a plan could be graded on a single review",
        ),
        (
            "fr",
            "vertical/m09_capstone.xml",
            "ou un SROI limité aux économies des ménages",
            "ou une enquête limitée aux économies des ménages",
            "only the weakest calibration example uses SROI",
        ),
        (
            "fr",
            "policies/fr/grading_policy.json",
            '"type": "Travail en binôme"',
            '"type": "Pair work"',
            "grading policy: no 'Travail en binôme' type",
        ),
        (
            "en",
            "info/handouts.html",
            "Pairs form in Module 1",
            "Pairs form late",
            "no sentence says that pairs form in module 1",
        ),
    ],
)
def test_each_defect_is_reported(built, tmp_path, language, relative, old, new, expected):
    tree = _copy(built, tmp_path, language)
    _edit(tree / relative, old, new)
    problems = pair_problems(tree, language)
    if expected is None:  # a harmless change (a comment) reports nothing
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems


def test_a_capstone_that_dominates_the_grade_is_reported(built, tmp_path):
    tree = _copy(built, tmp_path, "en")
    path = tree / "policies" / "en" / "grading_policy.json"
    policy = json.loads(path.read_text(encoding="utf-8"))
    weights = {"Quiz": 0.35, "Workshop": 0.15, PAIR_WORK: 0.05, CAPSTONE: 0.45}
    for grader in policy["GRADER"]:
        grader["weight"] = weights[grader["type"]]
    path.write_text(json.dumps(policy), encoding="utf-8")
    assert pair_problems(tree, "en") == ["grading policy: one 'Capstone' item weighs 45% of the grade"]


def test_a_course_without_the_pair_work_type_is_reported(built, tmp_path):
    tree = _copy(built, tmp_path, "fr")
    path = tree / "policies" / "fr" / "grading_policy.json"
    policy = json.loads(path.read_text(encoding="utf-8"))
    policy["GRADER"] = [grader for grader in policy["GRADER"] if grader["type"] != GRADE_TYPES["fr"]["pair"]]
    path.write_text(json.dumps(policy), encoding="utf-8")
    problems = pair_problems(tree, "fr")
    assert "grading policy: the weights do not add up to 1" in problems
    assert f"grading policy: no {GRADE_TYPES['fr']['pair']!r} type" in problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workshop_and_the_pair_pieces_name_their_levels_alike(built, language):
    """One scale of level names in the course (fr_native-36): the ORA workshop counts from 0 and the
    pair tool from 1, so the workshop's levels above 0 carry the pair rubrics' names above 1."""
    tree = built / "course" / language
    workshop = _load(tree, "vertical/m05_workshop.xml").find(".//openassessment/rubric")
    ora_levels = {
        tuple(option.findtext("label") for option in criterion.findall("option") if option.get("points") != "0")
        for criterion in workshop.findall("criterion")
    }
    pair_levels = {
        tuple(level.findtext("label") for level in criterion.findall("level") if level.get("points") != "1")
        for review in pair_reviews(tree)
        if review.element.find("rubric") is not None
        for criterion in review.element.find("rubric").findall("criterion")
    }
    assert len(ora_levels) == 1 and ora_levels == pair_levels, (ora_levels, pair_levels)
