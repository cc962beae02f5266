"""`devisus-course serve` through its console script: starts, answers, refuses a taken port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from devisus_course.cli import main

from ..test_build_cli import REPO

SCRIPT = str(Path(sys.executable).parent / "devisus-course")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_taken_port_is_refused_with_a_message(capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = main(["serve", "--port", str(port)])
    assert code == 1
    assert f"port {port}" in capsys.readouterr().err


def test_serve_migrates_and_answers(tmp_path):
    port = _free_port()
    # The preview's own SQLite in tmp_path, whatever database the test run itself uses.
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    server = subprocess.Popen(
        [
            SCRIPT,
            "serve",
            "--port",
            str(port),
            "--course-dir",
            str(REPO / "course"),
            "--data-dir",
            str(tmp_path / "var"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/course/en/?student=alice", timeout=5) as reply:
                    body = reply.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the preview did not answer"
                time.sleep(0.2)
        assert "m01_intro" in body
        assert (tmp_path / "var" / "preview.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
