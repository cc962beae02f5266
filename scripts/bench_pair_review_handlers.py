#!/usr/bin/env python3
"""Benchmark of the pair-review block through its handlers (xblock-sdk workbench runtime, Django
test client, a real database): SQL queries, median time and reply bytes of what learners and
trainers call, at several cohort sizes.

    python scripts/bench_pair_review_handlers.py [--json] [--sizes 100,1000,10000] [--samples 9]

Each size is one activity holding that many submitted pairs with a realistic mix (none, one or two
reviews each; one in ten due for flexible grading; some pairs drafting; some learners waiting for
a partner), written in bulk like ``bench_pair_review.py``. Measured, every call through its
handler URL:

- learners: ``submit`` (a drafting pair submits), ``next_review``, ``submit_review``;
- trainers: ``dashboard_first_open`` (``staff_state`` when the flexible-grading sweep has work to
  do: one sample), ``dashboard`` (``staff_state`` again), ``worklist_page`` (``staff_worklist``),
  ``pair_detail`` (``staff_pair``), ``trainer_action`` (``override_grade``), ``target_search``
  (``staff_targets``), ``grades_csv`` and ``reviews_csv`` (the streamed downloads).

``queries`` counts every SQL statement; ``own_queries`` leaves out the workbench runtime's field
storage (``workbench_xblockstate``) and transaction statements. Targets (figures, not tests):
query counts identical across sizes for everything but the exports (which read every pair, a
chunk of 500 at a time); the dashboard at most 15 own queries, 100 KB and 150 ms at 10,000 pairs;
learner handlers at most 12 own queries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TAG = "devisus_pair_review"
SCENARIO = f"{TAG}.1"  # automatic pairing, the capstone rubric, English
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
DASHBOARD_TARGETS = {"own_queries": 15, "reply_bytes": 100_000, "median_ms": 150.0}
LEARNER_OWN_QUERIES = 12


def measure(call):
    """(result, all queries, own queries, milliseconds) of ``call()``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
    own = [
        q["sql"]
        for q in queries.captured_queries
        if "workbench_xblockstate" not in q["sql"] and q["sql"].split()[0].upper() not in TRANSACTION
    ]
    return result, len(queries), len(own), elapsed


def summary(runs) -> dict:
    return {
        "queries": max(run[0] for run in runs),
        "own_queries": max(run[1] for run in runs),
        "median_ms": round(statistics.median(run[2] for run in runs), 2),
        "reply_bytes": max(run[3] for run in runs),
    }


def bench_size(size: int, samples: int) -> dict:
    from bench_pair_review import populate

    from devisus_xblocks.pair_review.models import Activity, Participant, Submission
    from tests.xblock_client import Workbench, load_block_scenarios

    Activity.objects.all().delete()
    load_block_scenarios(TAG)
    bench = Workbench("en")
    usage = bench.usage_ids(SCENARIO, TAG)[0]
    assert bench.call(usage, "state", "warmup").status == 200  # creates the activity row
    activity = Activity.objects.get(block_key=usage)
    rubric = bench.call(usage, "state", "warmup").data["state"]["rubric"]
    choices = {c["id"]: c["levels"][-1]["id"] for c in rubric}
    pairs = populate(activity, size, samples * 3, seed=size, choices=choices)
    drafting = pairs[size:]
    # one in ten submissions with reviews has a peer grade and is due for flexible grading
    reviewed = list(Submission.objects.filter(activity=activity, review_count__gte=1).values_list("id", flat=True))
    Submission.objects.filter(id__in=reviewed[::10]).update(peer_grade=0.6)
    waiting = [
        Participant(
            activity=activity,
            anonymous_id=f"anon-w{i}",
            username=f"w{i}",
            profile="theoretician",
            waiting_since=pairs[0].created_at + timedelta(minutes=i),
        )
        for i in range(max(3, size // 100))
    ]
    Participant.objects.bulk_create(waiting)

    def timed(handler: str, student: str, data=None):
        reply, count, own, ms = measure(
            lambda: bench.client.post(
                f"/handler/{usage}/{handler}/?student={student}",
                data=json.dumps(data or {}),
                content_type="application/json",
            )
        )
        assert reply.status_code == 200, (handler, reply.content[:300])
        return json.loads(reply.content), (count, own, ms, len(reply.content))

    def download(url: str) -> bytes:
        response = bench.client.get(url)
        assert response.status_code == 200, response
        return b"".join(response.streaming_content) if response.streaming else response.content

    results = {}
    _reply, first = timed("staff_state", "staff")
    results["dashboard_first_open"] = summary([first])
    runs: dict[str, list] = {name: [] for name in ("dashboard", "worklist_page", "pair_detail", "target_search")}
    for index in range(samples):
        runs["dashboard"].append(timed("staff_state", "staff")[1])
        runs["worklist_page"].append(
            timed("staff_worklist", "staff", {"status": "in_review", "sort": "longest_waiting"})[1]
        )
        runs["pair_detail"].append(timed("staff_pair", "staff", {"pair_id": pairs[index * 7].id})[1])
        runs["target_search"].append(
            timed("staff_targets", "staff", {"anonymous_id": "anon-w0", "search": f"t{size + index}"})[1]
        )
    submissions = list(Submission.objects.filter(activity=activity).order_by("id").values_list("id", flat=True))
    runs["trainer_action"] = [
        timed(
            "override_grade",
            "staff",
            {"submission_id": submissions[index * 3], "grade": 70, "reason": "Checked with the pair."},
        )[1]
        for index in range(samples)
    ]
    for name in ("grades_csv", "reviews_csv"):
        runs[name] = []
        for _ in range(max(3, samples // 3)):
            body, count, own, ms = measure(lambda name=name: download(f"/handler/{usage}/{name}/?student=staff"))
            runs[name].append((count, own, ms, len(body)))
    # learners: a drafting pair submits, then its members lease and review a work each
    for name in ("submit", "next_review", "submit_review"):
        runs[name] = []
    for index, pair in enumerate(drafting[:samples]):
        theo, prac = f"t{size + index}", f"p{size + index}"
        runs["submit"].append(timed("submit", prac, {"pair_id": pair.id, "version": 3, "confirm": True})[1])
        reply, cost = timed("next_review", theo)
        runs["next_review"].append(cost)
        task = reply["state"]["review"]["task"]
        if task is None:
            continue
        answers = {
            "assignment_id": task["assignment_id"],
            "choices": choices,
            "comments": {c["id"]: "A precise strength and one concrete suggestion." for c in rubric},
        }
        runs["submit_review"].append(timed("submit_review", theo, answers)[1])
    results.update({name: summary(values) for name, values in runs.items() if values})
    return results


def main() -> int:
    from bench_pair_review import bench_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--samples", type=int, default=9)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with bench_database() as connection:
        results = {str(size): bench_size(size, args.samples) for size in sizes}
        vendor = connection.vendor

    names = list(results[str(sizes[0])])
    scaling = [name for name in names if not name.endswith("_csv")]
    constant = {name: len({results[str(s)][name]["own_queries"] for s in sizes}) == 1 for name in scaling}
    largest = results[str(sizes[-1])]["dashboard"]
    report = {
        "database": vendor,
        "samples_per_call": args.samples,
        "measured": "handler URL through the workbench runtime; own_queries leave out its field storage",
        "pool_sizes": results,
        "own_query_counts_constant": constant,
        "targets": {"dashboard": DASHBOARD_TARGETS, "learner_own_queries": LEARNER_OWN_QUERIES},
        "dashboard_within_targets": all(largest[key] <= limit for key, limit in DASHBOARD_TARGETS.items()),
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"database: {vendor}; {args.samples} calls each (handlers, workbench runtime)")
    for size in sizes:
        for name in names:
            row = results[str(size)][name]
            print(
                f"pool {size:>6}  {name:<22} {row['queries']:>4} queries ({row['own_queries']:>3} own)"
                f"  median {row['median_ms']:>8.2f} ms  {row['reply_bytes']:>9} bytes"
            )
    print(f"own query counts constant across sizes: {constant}")
    print(f"dashboard within its targets at {sizes[-1]} pairs: {report['dashboard_within_targets']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
