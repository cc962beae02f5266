"""CSV exports: anonymised by default, usernames on request, formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from devisus_xblocks.common.csvfile import neutralise
from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.trainer import export

from .conftest import STAFF, assessment, at, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1)


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (3, 3),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def parse(text):
    return list(csv.reader(io.StringIO(text)))


def scenario(activity, publisher):
    _p, target = submitted_pair(activity, S, "alice", "bruno", now=at(0))
    submitted_pair(activity, S, "=cmd", "dora", now=at(1))
    Submission.objects.exclude(id=target).update(in_pool=False)
    lease = allocation.get_next_review(activity, S, learner("=cmd"), now=at(5))
    choices, comments = assessment(S, "exemplary", comment="=IMPORTXML(evil) but a long enough comment")
    reviews.submit_review(
        activity, S, learner("=cmd"), lease.task.assignment_id, choices, comments, now=at(6), publisher=publisher
    )
    return target


def test_grades_csv(activity, publisher):
    scenario(activity, publisher)
    rows = parse(export.grades_csv(activity, S, STAFF))
    header = rows[0]
    assert header[:4] == ["learner", "pair", "profile", "status"] and header[-5:] == [
        f"median_points_c{i}" for i in range(1, 6)
    ]
    by_learner = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert set(by_learner) == {"anon-alice", "anon-bruno", "anon-=cmd", "anon-dora"}  # anonymised by default
    alice = by_learner["anon-alice"]
    assert (alice["status"], alice["final_grade_percent"], alice["grade_source"]) == ("graded", "100.0", "peer")
    assert alice["median_points_c3"] == "4.0"
    assert by_learner["anon-=cmd"]["reviews_given"] == "1"
    named = {row[0] for row in parse(export.grades_csv(activity, S, STAFF, include_usernames=True))[1:]}
    assert named == {"alice", "bruno", "'=cmd", "dora"}  # usernames, neutralised


def test_reviews_csv(activity, publisher):
    scenario(activity, publisher)
    rows = parse(export.reviews_csv(activity, S, STAFF))
    header, [row] = rows[0], rows[1:]
    record = dict(zip(header, row))
    assert (record["kind"], record["reviewer"], record["c1_level"], record["c1_points"]) == (
        "peer",
        "anon-=cmd",
        "exemplary",
        "4",
    )
    assert record["c1_comment"].startswith("'=IMPORTXML")
    named = dict(zip(header, parse(export.reviews_csv(activity, S, STAFF, include_usernames=True))[1]))
    assert named["reviewer"] == "'=cmd"


def test_exports_are_staff_only(activity):
    for call in (export.grades_csv, export.reviews_csv, export.grade_rows, export.review_rows):
        with pytest.raises(ServiceError) as error:
            call(activity, S, learner("alice"))
        assert error.value.status == 403


def test_exports_stream_a_chunk_at_a_time_with_the_same_text(activity, publisher, monkeypatch):
    """The download handlers stream: the first chunk comes after reading only the first pairs (and
    their reviews), never all of them; the chunks put together are the whole export."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(7):
        submitted_pair(activity, S, f"t{index}", f"p{index}", now=at(index))
    monkeypatch.setattr(export, "CHUNK", 2)
    with CaptureQueriesContext(connection) as everything:
        whole = export.grades_csv(activity, S, STAFF)
    chunks = export.grades_csv_stream(activity, S, STAFF)
    with CaptureQueriesContext(connection) as first_only:
        first = next(chunks)
    assert 0 < len(first_only) < len(everything) / 3, (len(first_only), len(everything))
    assert first + "".join(chunks) == whole
    assert len(parse(whole)) == 1 + 14  # header + two learners in each of the 7 pairs
    assert "".join(export.reviews_csv_stream(activity, S, STAFF)) == export.reviews_csv(activity, S, STAFF)
