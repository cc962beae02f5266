#!/usr/bin/env python3
"""Benchmark: median wall time to build and validate both languages (render, validate, archive).

    python scripts/bench_build.py [--repeat 7]

Prints figures only; the target on a 2-core machine is under 2 s for both languages.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from devisus_course.build import build
from devisus_course.framework import SUPPORTED_LANGUAGES
from devisus_course.olx import CourseKeys
from devisus_course.validator import validate_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    build_times, validate_times = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            results = build(SUPPORTED_LANGUAGES, CourseKeys(), Path(out))
            build_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            for result in results:
                assert validate_path(result.archive).ok
            validate_times.append(time.perf_counter() - started)
    print(f"languages: {', '.join(SUPPORTED_LANGUAGES)}; runs: {args.repeat}")
    print(f"build + validate trees + archive (both languages): median {statistics.median(build_times):.3f} s")
    print(f"validate both archives again:                      median {statistics.median(validate_times):.3f} s")


if __name__ == "__main__":
    main()
