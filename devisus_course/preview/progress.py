"""What the progress page shows: each simulated learner's scores and course grade.

Scores are read where the blocks keep them, in bulk (a query per kind of block, whatever the
number of learners): a problem's ``score`` in the problem block's state (problems.py), a pair
review's grade in the pair-review models (the pair's grade times the block's points, as the block
publishes it, gradebook.py), and the workshop's (ORA2) score where ORA2 publishes it, in
edx-submissions (ora_scores.py). The grade is then computed with the course's own grading policy
(grading_policy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .blocks import usage_id
from .course_tree import Component, Course
from .grading_policy import CourseGrade, GradingPolicy, SubsectionScore, grade, load_policy, weighted_score
from .ora_scores import OPEN_ASSESSMENT, open_assessment_facts, open_assessment_scores
from .problems import problem_facts, stored_states
from .services import anonymous_user_id

PAIR_REVIEW = "devisus_pair_review"
# The components that carry a score in Open edX (``has_score``): the others are not graded items.
SCORED = ("problem", PAIR_REVIEW, OPEN_ASSESSMENT)
# The course key the DEVISUS blocks file their rows under in the workbench (common/identity.py).
WORKBENCH_COURSE_KEY = "workbench"


@dataclass(frozen=True)
class ItemScore:
    title: str
    category: str
    earned: float  # weighted points
    possible: float
    status: str  # "scored" or "unanswered"


@dataclass(frozen=True)
class SubsectionProgress:
    title: str
    format: str
    items: tuple[ItemScore, ...]

    @property
    def score(self) -> SubsectionScore:
        return SubsectionScore(
            self.title, self.format, sum(i.earned for i in self.items), sum(i.possible for i in self.items)
        )


@dataclass(frozen=True)
class LearnerProgress:
    student: str
    subsections: tuple[SubsectionProgress, ...]
    grade: CourseGrade


def grading_policy(course: Course) -> GradingPolicy:
    files = sorted(Path(course.root).glob("policies/*/grading_policy.json"))
    return load_policy(files[0] if files else Path(course.root) / "policies" / "grading_policy.json")


def graded_subsections(course: Course) -> list[tuple[str, str, list[Component]]]:
    """(title, format, graded components) of every graded subsection, in course order."""
    found = []
    for _chapter, sequences in course.chapters:
        for title, units in sequences:
            if units and units[0].graded:
                components = [c for u in units for c in u.components if c.category in SCORED]
                found.append((title, units[0].graded, components))
    return found


def _pair_review_points(component: Component) -> int:
    from devisus_xblocks.pair_review import config

    value = etree.fromstring(component.xml.encode("utf-8")).get("points")
    try:
        points = int(value) if value is not None else config.DEFAULT_POINTS
    except ValueError:
        return config.DEFAULT_POINTS
    return points if config.points_are_valid(points) else config.DEFAULT_POINTS


def _pair_grades(course: Course, components: list[Component], students: list[str]) -> dict:
    """{(student, url_name): grade fraction} of the pair-review blocks, in one query."""
    from devisus_xblocks.pair_review.models import SubmissionMember

    keys = {usage_id(course.language, c.url_name, c.xml): c.url_name for c in components}
    learners = {anonymous_user_id(s): s for s in students}
    rows = SubmissionMember.objects.filter(
        activity__course_key=WORKBENCH_COURSE_KEY,
        activity__block_key__in=list(keys),
        anonymous_id__in=list(learners),
        submission__grade__isnull=False,
    ).values_list("anonymous_id", "activity__block_key", "submission__grade")
    return {(learners[anon], keys[block_key]): value for anon, block_key, value in rows}


def _problem_score(course: Course, component: Component, state: dict | None) -> ItemScore:
    weight, max_score = problem_facts(course.language, component.url_name, component.xml)
    raw_earned, raw_possible = 0.0, max_score
    score = (state or {}).get("score")
    if isinstance(score, dict):
        raw_earned, raw_possible = float(score["raw_earned"]), float(score["raw_possible"])
    elif isinstance(score, list | tuple) and len(score) == 2:
        raw_earned, raw_possible = float(score[0]), float(score[1])
    earned, possible = weighted_score(raw_earned, raw_possible, weight)
    status = "scored" if (state or {}).get("attempts") or (state or {}).get("done") else "unanswered"
    return ItemScore(component.display_name, component.category, earned, possible, status)


def _pair_score(component: Component, fraction: float | None) -> ItemScore:
    points = _pair_review_points(component)
    if fraction is None:
        return ItemScore(component.display_name, component.category, 0.0, float(points), "unanswered")
    earned = round(max(0.0, min(1.0, fraction)) * points)  # as gradebook.PublishedGrade.points_earned
    return ItemScore(component.display_name, component.category, float(earned), float(points), "scored")


def _open_assessment_score(component: Component, raw: tuple[float, float] | None) -> ItemScore:
    if raw is not None:  # taken as it is, the weight left aside, as the LMS does (ora_scores.py)
        return ItemScore(component.display_name, component.category, raw[0], raw[1], "scored")
    weight, max_score = open_assessment_facts(component.xml)
    earned, possible = weighted_score(0.0, max_score, weight)
    return ItemScore(component.display_name, component.category, earned, possible, "unanswered")


def course_progress(course: Course, students: list[str]) -> dict[str, LearnerProgress]:
    """Every learner's progress, with the course's grading policy (GradingPolicyError if unreadable)."""
    policy = grading_policy(course)
    subsections = graded_subsections(course)
    components = [c for _t, _f, items in subsections for c in items]
    states = stored_states(course.language, students)
    pair_reviews = [c for c in components if c.category == PAIR_REVIEW]
    pair_grades = _pair_grades(course, pair_reviews, students) if pair_reviews else {}
    workshops = [c for c in components if c.category == OPEN_ASSESSMENT]
    ora_scores = open_assessment_scores(course.language, workshops, students) if workshops else {}
    result = {}
    for student in students:
        done = []
        for title, format_, items in subsections:
            scores = []
            for component in items:
                if component.category == "problem":
                    scores.append(_problem_score(course, component, states.get((student, component.url_name))))
                elif component.category == PAIR_REVIEW:
                    scores.append(_pair_score(component, pair_grades.get((student, component.url_name))))
                else:
                    scores.append(_open_assessment_score(component, ora_scores.get((student, component.url_name))))
            done.append(SubsectionProgress(title, format_, tuple(scores)))
        result[student] = LearnerProgress(student, tuple(done), grade(policy, [s.score for s in done]))
    return result
