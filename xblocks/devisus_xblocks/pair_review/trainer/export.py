"""CSV exports for course staff: grades (one row per learner) and reviews (one row per review).

Learners appear by their anonymous id (the id Open edX uses in its own anonymised exports) by
default, by username on request (learner reviewers too). A reviewing pair appears as
``pair:<id>``, the self-assessment as ``self``, a trainer by anonymous id.
Every text cell that a spreadsheet could read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe.

Rows are produced a chunk at a time (``CHUNK`` pairs, or reviews, per few queries), so an export
of 10,000 pairs never holds them all: the handlers stream the CSV (see ``common.downloads``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from ...common.csvfile import csv_chunks, csv_rows
from ...common.identity import Caller
from ..activity import ActivitySettings, require_staff, resolve_now
from ..models import Activity, Pair, Participant, Review
from .oversight import pair_statuses

CHUNK = 500


def _percent(value: float | None):
    return None if value is None else round(value * 100, 2)


def grade_rows(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> Iterator[list]:
    """Header + one row per learner in a pair: pair, status, reviews, grades (percent), medians.
    Staff only (checked at once, before the first row)."""
    require_staff(staff)
    return _grade_rows(activity, settings, include_usernames)


def _pairs_in_chunks(activity: Activity, settings: ActivitySettings) -> Iterator:
    """Every pair's status, oldest first, ``CHUNK`` pairs at a time (keyset paging: a chunk costs
    the same queries at the start and at the end of 10,000 pairs)."""
    now = resolve_now(None)
    pairs = Pair.objects.filter(activity=activity.scope).order_by("created_at", "id")
    last = None
    while True:
        page = pairs
        if last is not None:
            page = pairs.filter(Q(created_at__gt=last.created_at) | Q(created_at=last.created_at, id__gt=last.id))
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        yield from pair_statuses(activity, settings, chunk, now)
        last = chunk[-1]


def _grade_rows(activity: Activity, settings: ActivitySettings, include_usernames: bool) -> Iterator[list]:
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
    yield header
    for pair in _pairs_in_chunks(activity, settings):
        pair_medians = pair.peer_details
        for member in pair.members:
            done = member.reviews_done if settings.review_unit == "learner" else pair.pair_reviews_done
            helpfulness = member.helpfulness if settings.review_unit == "learner" else pair.pair_helpfulness
            yield (
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


def review_rows(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> Iterator[list]:
    """Header + one row per review (peer, self, trainer): levels, points and comments per criterion.
    Staff only (checked at once, before the first row)."""
    require_staff(staff)
    return _review_rows(activity, settings, include_usernames)


def _review_rows(activity: Activity, settings: ActivitySettings, include_usernames: bool) -> Iterator[list]:
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
    yield header
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
    batch: list = []
    for review in reviews.iterator(chunk_size=CHUNK):
        batch.append(review)
        if len(batch) == CHUNK:
            yield from _review_batch(activity, criteria, batch, include_usernames)
            batch = []
    yield from _review_batch(activity, criteria, batch, include_usernames)


def _review_batch(activity: Activity, criteria, reviews: list, include_usernames: bool) -> Iterator[list]:
    """The rows of a batch of reviews; their reviewers' usernames (on request) in one query."""
    names = {}
    if include_usernames and reviews:
        names = dict(
            Participant.objects.filter(activity=activity.scope, anonymous_id__in={r.reviewer_key for r in reviews})
            .exclude(username="")
            .values_list("anonymous_id", "username")
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
        yield row


def grades_csv(activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False) -> str:
    return csv_rows(grade_rows(activity, settings, staff, include_usernames))


def reviews_csv(activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False) -> str:
    return csv_rows(review_rows(activity, settings, staff, include_usernames))


def grades_csv_stream(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> Iterator[str]:
    """The grades CSV a chunk of rows at a time (what the download handler streams)."""
    return csv_chunks(grade_rows(activity, settings, staff, include_usernames), rows_per_chunk=CHUNK)


def reviews_csv_stream(
    activity: Activity, settings: ActivitySettings, staff: Caller, include_usernames: bool = False
) -> Iterator[str]:
    """The reviews CSV a chunk of rows at a time (what the download handler streams)."""
    return csv_chunks(review_rows(activity, settings, staff, include_usernames), rows_per_chunk=CHUNK)
