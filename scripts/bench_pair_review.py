#!/usr/bin/env python3
"""Benchmark of the pair-review domain: SQL queries and median time of the hot calls.

    python scripts/bench_pair_review.py [--json] [--sizes 100,1000,10000] [--samples 31]

For each pool size (submitted pairs in one activity) it measures, at the service level:

- ``submit``: a pair submits its draft (``drafts.submit_pair``);
- ``get_next_review``: a reviewer gets a new lease (``allocation.get_next_review``);
- ``calibrate``: a reviewer assesses one of the block's calibration examples
  (``calibration.submit_calibration``);
- ``get_next_review``: as above, with the calibration check (every example assessed);
- the trainer's side: ``worklist_page`` (the first page of the worklist, ``worklist.page``),
  ``worklist_filtered`` (a status filter, a username search and the longest-waiting sort) with the
  bytes of their JSON reply, and ``dashboard_overview`` (``oversight.overview``, every pair, which
  no handler builds any more) for contrast;
- ``submit_review``: the reviewer submits the rubric review (``reviews.submit_review``); every
  measured review completes the reviews required, so it also grades the reviewed pair with the
  accuracy-weighted median of its reviews (each pooled submission already holds one review by a
  reviewer of known accuracy) and publishes the grade to both members (recording publisher: the
  domain's cost only).

Each measured call includes the activity lookup a handler makes (``get_activity``); the
workbench's own field-storage queries are not part of the domain and are excluded by design.
The database is the benchmark's own: an SQLite file in a temporary folder, or, when
``DEVISUS_DATABASE_URL`` is set, a ``bench_<name>`` database on that server (created and dropped).
Targets: identical query counts across pool sizes, at most 12 per call, medians under 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_QUERIES = 12  # own queries per learner call, the target of the handler contract (README, Performance)
MAX_MEDIAN_MS = 20.0
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def setup_django(tmp: str) -> None:
    os.environ.setdefault("DEVISUS_PREVIEW_DATA", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "devisus_course.preview.settings"
    import django

    django.setup()


@contextmanager
def bench_database():
    """Django set up with the preview's settings, on a database of the benchmark's own (an SQLite
    file in a temporary folder, or ``bench_<name>`` on the ``DEVISUS_DATABASE_URL`` server),
    created and dropped around the block; yields the connection."""
    with tempfile.TemporaryDirectory(prefix="devisus-bench-") as tmp:
        setup_django(tmp)
        from django.db import connection

        database = connection.settings_dict
        if connection.vendor == "sqlite":
            database["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        else:
            database["TEST"]["NAME"] = f"bench_{database['NAME']}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield connection
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def populate(activity, size: int, extra: int, seed: int, choices: dict):
    """``size`` submitted pairs (with varied review counters) and ``extra`` pairs with a draft to submit."""
    from devisus_xblocks.pair_review.models import (
        AccuracySample,
        Draft,
        Membership,
        Pair,
        Participant,
        Review,
        Submission,
        SubmissionMember,
    )

    rng = random.Random(seed)
    total = size + extra
    participants = []
    for i in range(total):
        participants.append(
            Participant(activity=activity, anonymous_id=f"anon-t{i}", username=f"t{i}", profile="theoretician")
        )
        participants.append(
            Participant(activity=activity, anonymous_id=f"anon-p{i}", username=f"p{i}", profile="practitioner")
        )
    Participant.objects.bulk_create(participants, batch_size=2000)
    by_id = {p.anonymous_id: p for p in Participant.objects.filter(activity=activity)}
    pairs = [
        Pair(
            activity=activity,
            origin="automatic",
            capacity=2,
            member_count=2,
            created_at=T0,
            submitted_at=T0 + timedelta(seconds=i) if i < size else None,
        )
        for i in range(total)
    ]
    Pair.objects.bulk_create(pairs, batch_size=2000)
    pairs = list(Pair.objects.filter(activity=activity).order_by("id"))
    Draft.objects.bulk_create(
        [
            Draft(activity=activity, pair=pair, text=f"Plan {i}. " * 200, version=3, locked=i < size, saved_at=T0)
            for i, pair in enumerate(pairs)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                activity=activity,
                pair=pair,
                participant=by_id[f"anon-{kind}{i}"],
                anonymous_id=f"anon-{kind}{i}",
                joined_at=T0,
            )
            for i, pair in enumerate(pairs)
            for kind in ("t", "p")
        ],
        batch_size=2000,
    )
    submissions = []
    for i, pair in enumerate(pairs[:size]):
        theo, prac = rng.choice([(0, 0), (0, 0), (1, 0), (0, 1), (1, 1)])
        submissions.append(
            Submission(
                activity=activity,
                pair=pair,
                text=f"Plan {i}. " * 200,
                draft_version=3,
                submitted_by=f"anon-t{i}",
                submitted_at=T0 + timedelta(seconds=i),
                review_count=theo + prac,
                theoretician_reviews=theo,
                practitioner_reviews=prac,
                load=theo + prac,
                has_theoretician=bool(theo),
                has_practitioner=bool(prac),
            )
        )
    Submission.objects.bulk_create(submissions, batch_size=2000)
    submitted = list(Submission.objects.filter(activity=activity).order_by("id"))
    SubmissionMember.objects.bulk_create(
        [
            SubmissionMember(activity=activity, submission=submission, anonymous_id=f"anon-{kind}{i}")
            for i, submission in enumerate(submitted)
            for kind in ("t", "p")
        ],
        batch_size=2000,
    )
    # one earlier review of every pooled work, by an outside reviewer whose accuracy is known: the
    # measured review then grades with an accuracy-weighted median of two reviews
    Review.objects.bulk_create(
        [
            Review(
                activity=activity,
                submission=submission,
                kind=Review.Kind.PEER,
                reviewer_key=f"anon-x{i}",
                choices=dict(choices),
                score=0.5,
                created_at=T0,
                updated_at=T0,
            )
            for i, submission in enumerate(submitted)
        ],
        batch_size=2000,
    )
    AccuracySample.objects.bulk_create(
        [
            AccuracySample(
                activity=activity,
                reviewer_key=f"anon-x{i}",
                source=AccuracySample.Source.CALIBRATION,
                reference="example-1",
                agreement=rng.choice([0.4, 0.7, 1.0]),
                at=T0,
            )
            for i in range(size)
        ],
        batch_size=2000,
    )
    return pairs


def measure(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
    return result, len(queries), elapsed


def summary(samples):
    counts = sorted({count for count, _ms in samples})
    return {
        "queries": max(counts),
        "queries_seen": counts,
        "median_ms": round(statistics.median(ms for _count, ms in samples), 2),
    }


def bench_size(size: int, samples: int):
    from devisus_xblocks.common.identity import Caller
    from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
    from devisus_xblocks.pair_review.grading.gradebook import RecordingPublisher
    from devisus_xblocks.pair_review.pairing import drafts
    from devisus_xblocks.pair_review.reviewing import allocation, calibration, reviews
    from devisus_xblocks.pair_review.reviewing.examples import parse_examples
    from devisus_xblocks.pair_review.reviewing.rubric import default_rubric
    from devisus_xblocks.pair_review.trainer import oversight, worklist
    from devisus_xblocks.pair_review.views import replies

    course, block = (
        "course-v1:DEVISUS+BENCH+2026",
        f"block-v1:DEVISUS+BENCH+2026+type@devisus_pair_review+block@pool{size}",
    )
    # One review required: every measured review completes a submission's reviews, so "submit
    # review" is always measured on its heaviest path (grading, publishing to both members).
    rubric = default_rubric("en")
    choices = {c.id: "proficient" for c in rubric.criteria}
    examples = [
        {"id": f"example-{n}", "title": "", "text": f"Example work {n}.", "levels": dict(choices), "comments": {}}
        for n in (1, 2)
    ]
    settings = ActivitySettings(reviews_required=1, calibration=parse_examples(examples, rubric))
    publisher = RecordingPublisher()
    pairs = populate(get_activity(course, block), size, samples, seed=size, choices=choices)
    now = T0 + timedelta(days=1)
    learner = lambda name: Caller(f"anon-{name}", name, False)  # noqa: E731
    comments = {c.id: "A precise strength and one concrete suggestion." for c in settings.rubric.criteria}

    submit, lease, review = [], [], []
    for k in range(samples):
        pair = pairs[size + k]
        _r, count, ms = measure(
            lambda: drafts.submit_pair(
                get_activity(course, block), settings, learner(f"t{size + k}"), pair.id, expected_version=3, now=now
            )
        )
        submit.append((count, ms))
    reviewers = [f"{kind}{i}" for i in range(samples) for kind in ("t", "p")][:samples]
    calibrate = []
    for name in reviewers:
        for example in settings.calibration:
            _r, count, ms = measure(
                lambda: calibration.submit_calibration(
                    get_activity(course, block), settings, learner(name), example.id, dict(choices), now=now
                )
            )
            calibrate.append((count, ms))
    tasks = []
    for name in reviewers:
        allocation_result, count, ms = measure(
            lambda: allocation.get_next_review(get_activity(course, block), settings, learner(name), now=now)
        )
        assert allocation_result.task is not None
        tasks.append((name, allocation_result.task.assignment_id))
        lease.append((count, ms))
    for name, assignment_id in tasks:
        _r, count, ms = measure(
            lambda: reviews.submit_review(
                get_activity(course, block),
                settings,
                learner(name),
                assignment_id,
                choices,
                comments,
                now=now,
                publisher=publisher,
            )
        )
        review.append((count, ms))
    # The trainer's side: one worklist page (first page; a filtered search) and, for contrast, the
    # full overview no handler builds any more. Bytes: the JSON reply of the worklist handler.
    staff = Caller("anon-staff", "staff", True)
    trainer_calls = {
        "worklist_page": lambda: worklist.page(get_activity(course, block), settings, staff, now=now),
        "worklist_filtered": lambda: worklist.page(
            get_activity(course, block),
            settings,
            staff,
            status="in_review",
            search="t1",
            sort="longest_waiting",
            now=now,
        ),
        "dashboard_overview": lambda: oversight.overview(get_activity(course, block), settings, staff, now=now),
    }
    trainer_results = {}
    for name, call in trainer_calls.items():
        runs = []
        for _ in range(max(3, samples // 4)):
            result, count, ms = measure(call)
            runs.append((count, ms))
        row = summary(runs)
        if name.startswith("worklist"):
            row["reply_bytes"] = len(json.dumps(replies.worklist_json(result)).encode())
        trainer_results[name] = row
    return {
        **trainer_results,
        "submit": summary(submit),
        "calibrate": summary(calibrate),
        "get_next_review": summary(lease),
        "submit_review": summary(review),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--samples", type=int, default=31)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with bench_database() as connection:
        results = {str(size): bench_size(size, args.samples) for size in sizes}
        vendor = (
            f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".strip()
        )
        if connection.vendor == "mysql":
            vendor = (
                "mysql "
                + ".".join(map(str, connection.mysql_version))
                + (" (MariaDB)" if connection.mysql_is_mariadb else "")
            )

    calls = ("submit", "calibrate", "get_next_review", "submit_review")
    trainer_calls = ("worklist_page", "worklist_filtered", "dashboard_overview")
    constant = all(len({results[str(s)][c]["queries"] for s in sizes}) == 1 for c in calls + trainer_calls)
    within = all(
        results[str(s)][c]["queries"] <= MAX_QUERIES and results[str(s)][c]["median_ms"] < MAX_MEDIAN_MS
        for s in sizes
        for c in calls
    )
    report = {
        "database": vendor,
        "samples_per_call": args.samples,
        "measured": "service call + activity lookup (get_activity); workbench field storage excluded",
        "pool_sizes": results,
        "targets": {"max_queries": MAX_QUERIES, "max_median_ms": MAX_MEDIAN_MS, "queries_constant_across_sizes": True},
        "query_counts_constant": constant,
        "within_targets": constant and within,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"database: {vendor}; {args.samples} calls each")
        for size in sizes:
            for call in calls + trainer_calls:
                row = results[str(size)][call]
                weight = f"  {row['reply_bytes']:>7} bytes" if "reply_bytes" in row else ""
                print(
                    f"pool {size:>6}  {call:<18} {row['queries']:>3} queries  median {row['median_ms']:>7.2f} ms{weight}"
                )
        print(f"query counts constant across sizes: {constant}; within targets: {report['within_targets']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
