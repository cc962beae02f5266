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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "devisus-course"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_to_index(data_dir: Path, timeout: float = 120) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--course-dir", str(REPO / "course"), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=timeout) as reply:
                    if reply.status == 200:
                        return time.perf_counter() - started
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"devisus-course serve stopped with code {server.returncode}") from None
                if time.perf_counter() - started > timeout:
                    raise SystemExit(f"the index did not answer within {timeout} s") from None
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=10)


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
