"""Preview settings with the SQLite *test* database in a file (not shared-cache memory):
used by test_concurrency.py to run its threads against file SQLite's own locking too."""

from devisus_course.preview.settings import *  # noqa: F401,F403
from devisus_course.preview.settings import DATA_DIR, DATABASES

DATABASES["default"].setdefault("TEST", {})["NAME"] = str(DATA_DIR / "concurrency-test.sqlite3")
