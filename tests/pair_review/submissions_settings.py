"""Preview settings plus edx-submissions, on SQLite: for check_submissions_api.py only."""

from devisus_course.preview.settings import *  # noqa: F401,F403
from devisus_course.preview.settings import DATA_DIR, INSTALLED_APPS

# The preview settings already install it when ORA2 is installed (preview/workshop/settings.py).
INSTALLED_APPS = [*INSTALLED_APPS, *(["submissions"] if "submissions" not in INSTALLED_APPS else [])]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "submissions.sqlite3")}}
