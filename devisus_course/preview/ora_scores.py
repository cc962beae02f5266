"""The workshop's (ORA2) scores, read where ORA2 publishes them: edx-submissions.

ORA2 sets a learner's score with ``submissions.api.set_score`` once their workflow is done; the
LMS reads it back with ``submissions.api.get_scores(course_id, anonymous_user_id)``
(edx-platform lms/djangoapps/grades/scores.py, ``get_score``), leaving out hidden scores (0 out
of 0, a reset). That API asks once per learner; the page asks once for every learner, from the
same ``ScoreSummary.latest`` rows. The LMS takes a score from edx-submissions as it is, already
weighted (scores.py, ``_get_score_from_submissions``: the block's ``weight`` is not applied);
an item without a score counts 0 out of the block's ``max_score``, the sum of the best option of
each criterion, weighted by its ``weight`` if any (scores.py,
``_get_score_from_persisted_or_latest_block``; openassessment/xblock/lms_mixin.py).
"""

from __future__ import annotations

from lxml import etree

from .blocks import usage_id
from .services import anonymous_user_id

OPEN_ASSESSMENT = "openassessment"


def _points(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:  # the builder rejects it; a hand-edited course/ counts it 0
        return 0


def open_assessment_facts(xml: str) -> tuple[float | None, float]:
    """(weight or None, max_score) of an ``openassessment`` OLX element."""
    element = etree.fromstring(xml.encode("utf-8"))
    try:
        weight = float(element.get("weight")) if element.get("weight") is not None else None
    except ValueError:
        weight = None
    if weight is not None and weight < 0:
        weight = None
    best = []
    for criterion in element.iterfind("rubric/criterion"):
        points = [_points(option.get("points")) for option in criterion.iterfind("option")]
        best.append(max(points) if points else 0)
    return weight, float(sum(best))


def open_assessment_scores(language: str, components: list, students: list[str]) -> dict:
    """{(student, url_name): (raw earned, raw possible)} of the learners' published ORA2 scores,
    in one query; {} when ORA2 (and edx-submissions) is not installed."""
    from .workshop.settings import ORA2_INSTALLED

    if not ORA2_INSTALLED:
        return {}
    from submissions.models import ScoreSummary

    from .workshop.runtime import PREVIEW_COURSE_ID

    # The item id ORA2 gives edx-submissions: the block's usage id in the workshop's runtime.
    items = {usage_id(language, c.url_name, c.xml): c.url_name for c in components}
    learners = {anonymous_user_id(s): s for s in students}
    rows = (
        ScoreSummary.objects.filter(
            student_item__course_id=PREVIEW_COURSE_ID,
            student_item__item_id__in=list(items),
            student_item__student_id__in=list(learners),
        )
        .exclude(latest__points_possible=0)  # hidden scores (Score.is_hidden)
        .values_list(
            "student_item__student_id", "student_item__item_id", "latest__points_earned", "latest__points_possible"
        )
    )
    return {(learners[anon], items[item]): (float(earned), float(possible)) for anon, item, earned, possible in rows}
