"""CSV exports for course staff: grades (one row per learner) and reviews (one row per review).

Learners appear by their anonymous id (the id Open edX uses in its own anonymised exports) by
default, by username on request (learner reviewers too). A reviewing pair appears as
``pair:<id>``, the self-assessment as ``self``, a trainer by anonymous id.
Every text cell that a spreadsheet could read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

from ..common.csvfile import csv_rows
from ..common.identity import Caller
from .activity import ActivitySettings, require_staff
from .models import Activity, Participant, Review
from .trainer import overview


def _percent(value: float | None):
    return None if value is None else round(value * 100, 2)


def grade_rows(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> list[list]:
    """Header + one row per learner in a pair: pair, status, reviews, grades (percent), medians."""
    require_staff(staff)
    criteria = settings.rubric.criteria
    header = [
        "learner",
        "pair",
        "profile",
        "status",
        "submitted_at",
        "reviews_received",
        "reviews_required",
        "peer_grade_percent",
        "trainer_grade_percent",
        "override_grade_percent",
        "final_grade_percent",
        "grade_source",
        "reviews_given",
        "helpfulness_average",
    ]
    header += [f"median_points_{c.id}" for c in criteria]
    rows = [header]
    for pair in overview(activity, settings, staff).pairs:
        pair_medians = pair.peer_details
        for member in pair.members:
            done = member.reviews_done if settings.review_unit == "learner" else pair.pair_reviews_done
            helpfulness = member.helpfulness if settings.review_unit == "learner" else pair.pair_helpfulness
            rows.append(
                [
                    member.username if include_usernames and member.username else member.anonymous_id,
                    pair.pair_id,
                    member.profile,
                    pair.status,
                    pair.submitted_at.isoformat() if pair.submitted_at else None,
                    pair.review_count,
                    pair.reviews_required,
                    _percent(pair.peer_grade),
                    _percent(pair.trainer_grade),
                    _percent(pair.override_grade),
                    _percent(pair.grade),
                    pair.grade_source,
                    done,
                    helpfulness,
                    *[pair_medians.get(c.id) for c in criteria],
                ]
            )
    return rows


def review_rows(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> list[list]:
    """Header + one row per review (peer, self, trainer): levels, points and comments per criterion."""
    require_staff(staff)
    criteria = settings.rubric.criteria
    header = [
        "review_id",
        "kind",
        "reviewed_pair",
        "reviewer",
        "reviewer_profile",
        "score_percent",
        "created_at",
        "helpfulness",
        "helpfulness_comment",
    ]
    for c in criteria:
        header += [f"{c.id}_level", f"{c.id}_points", f"{c.id}_comment"]
    names = {}
    if include_usernames:
        names = dict(
            Participant.objects.filter(activity=activity.scope)
            .exclude(username="")
            .values_list("anonymous_id", "username")
        )
    rows = [header]
    reviews = (
        Review.objects.filter(activity=activity)
        .select_related("submission")
        .only(
            "id",
            "kind",
            "reviewer_key",
            "reviewer_profile",
            "score",
            "created_at",
            "helpfulness",
            "helpfulness_comment",
            "choices",
            "comments",
            "submission__pair_id",
        )
        .order_by("submission__pair_id", "created_at", "id")
    )
    for review in reviews:
        reviewer = names.get(review.reviewer_key, review.reviewer_key)
        row = [
            review.id,
            review.kind,
            review.submission.pair_id,
            reviewer,
            review.reviewer_profile,
            _percent(review.score),
            review.created_at.isoformat(),
            review.helpfulness,
            review.helpfulness_comment,
        ]
        for c in criteria:
            level = c.level(review.choices.get(c.id, ""))
            row += [
                level.id if level else review.choices.get(c.id),
                level.points if level else None,
                review.comments.get(c.id, ""),
            ]
        rows.append(row)
    return rows


def grades_csv(activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False) -> str:
    return csv_rows(grade_rows(activity, settings, staff, include_usernames))


def reviews_csv(activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False) -> str:
    return csv_rows(review_rows(activity, settings, staff, include_usernames))
