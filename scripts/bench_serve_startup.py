#!/usr/bin/env python3
"""Benchmark: seconds from `devisus-course serve` to the preview's index answering.

    python scripts/bench_serve_startup.py [--repeat 3]

Each run starts the console script on a free port and polls the index until it answers 200:
first on a fresh data folder (what `make run` does on a fresh clone: the SQLite database is
created and migrated), then again on that folder (every later start). Prints figures only; the
target on a 2-core machine is under 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from preview_server import running_preview


def time_to_index(data_dir: Path) -> float:
    with running_preview(data_dir) as (_base, seconds):
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fresh, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "var"
            fresh.append(time_to_index(data))
            warm.append(time_to_index(data))
    print(f"runs: {args.repeat}; CPUs: {os.cpu_count()}")
    print(f"fresh data folder (database created and migrated): median {statistics.median(fresh):.2f} s")
    print(f"existing data folder:                             median {statistics.median(warm):.2f} s")


if __name__ == "__main__":
    main()
