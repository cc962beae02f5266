"""Grade publishing: the recording publisher, the default choice, and the real edx-submissions path."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devisus_xblocks.pair_review.grading import gradebook
from devisus_xblocks.pair_review.grading.gradebook import GradePublisher, PublishedGrade, RecordingPublisher

ROOT = Path(__file__).resolve().parents[2]


def grade(anonymous_id="anon-a", score=0.5):
    return PublishedGrade("course", "block", anonymous_id, score, "peer", pair_id=1, submission_id=1)


def test_recording_publisher_keeps_the_latest_score():
    publisher = RecordingPublisher()
    assert isinstance(publisher, GradePublisher)
    publisher.publish(grade(score=0.5))
    publisher.publish(grade(score=0.75))
    assert publisher.score_of("course", "block", "anon-a") == 0.75 and len(publisher.calls) == 2
    assert publisher.score_of("course", "block", "anon-b") is None


def test_preview_publishes_through_edx_submissions():
    # The preview installs edx-submissions for ORA2 (the module 5 workshop): grades take the LMS's path.
    assert gradebook.submissions_available()
    assert isinstance(gradebook.default_publisher(), gradebook.SubmissionsPublisher)
    assert isinstance(gradebook.PREVIEW_PUBLISHER, GradePublisher)


def test_submissions_publisher_against_real_edx_submissions(tmp_path):
    """Runs tests/pair_review/check_submissions_api.py in a process whose settings add the
    ``submissions`` app (SQLite), so the real edx-submissions API and its ``score_set`` signal run."""
    assert importlib.util.find_spec("submissions") is not None, "edx-submissions is a test dependency (setup.py)"
    env = {k: v for k, v in os.environ.items() if k != "DEVISUS_DATABASE_URL"}
    env["DEVISUS_PREVIEW_DATA"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ds=tests.pair_review.submissions_settings",
            "tests/pair_review/check_submissions_api.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "6 passed" in result.stdout


def test_recording_publisher_keeps_points_and_forgets_a_reset_score():
    publisher = RecordingPublisher()
    publisher.publish(PublishedGrade("course", "block", "anon-a", 0.425, "peer", 1, 1, points_possible=20))
    assert publisher.points[("course", "block", "anon-a")] == (8, 20)  # 8.5 rounds to the even 8
    publisher.reset("course", "block", "anon-a")
    assert publisher.score_of("course", "block", "anon-a") is None and publisher.resets == [
        ("course", "block", "anon-a")
    ]
