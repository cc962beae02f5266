#!/usr/bin/env python3
"""Benchmark: median wall time from `devisus-course serve` to the first answered page.

    python scripts/bench_serve_start.py [--repeat 3]

Two figures: a first start on an empty data folder (every migration applied, ORA2's and
edx-submissions' included) and a restart on the same folder (migrations already applied), each up
to the index page answering. Prints figures only; the target on a 2-core machine is under 10 s.
Also prints the load average, since other work on the machine changes the figures.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _time_start(data: Path) -> float:
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "devisus-course"),
        "serve",
        "--port",
        str(port),
        "--course-dir",
        str(REPO / "course"),
        "--data-dir",
        str(data),
    ]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read()
                return time.perf_counter() - started
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the preview stopped before answering") from None
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    first, again = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as data:
            first.append(_time_start(Path(data)))
            again.append(_time_start(Path(data)))
    print(f"runs: {args.repeat}; load average (1 min) at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"first start (empty data folder, all migrations): median {statistics.median(first):.2f} s")
    print(f"restart (migrations already applied):            median {statistics.median(again):.2f} s")


if __name__ == "__main__":
    main()
