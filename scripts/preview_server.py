"""A `devisus-course serve` on a free port, for the scripts that measure or photograph the preview.

    with running_preview(data_dir) as (base_url, seconds_to_index): ...

Imported by bench_serve_startup.py and preview_screenshots.py (scripts/ is on sys.path when
they run).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "devisus-course"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_preview(data_dir: Path, timeout: float = 120):
    """Start the preview on ``data_dir`` (SQLite); yield its URL and the seconds until its index
    answered 200; stop it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--course-dir", str(REPO / "course"), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=timeout) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"devisus-course serve stopped with code {server.returncode}") from None
                if time.perf_counter() - started > timeout:
                    raise SystemExit(f"the preview's index did not answer within {timeout} s") from None
                time.sleep(0.05)
        yield base, time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
