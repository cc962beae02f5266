"""Django settings of the local preview: the xblock-sdk workbench plus the DEVISUS apps.

Differences from the workbench's own settings, and why:
- the DEVISUS plugin apps are installed (their models hold state shared between learners);
- LocaleMiddleware and LOCALE_PATHS, so ``?lang=`` / Accept-Language switch French and English
  (the workbench's i18n service translates only through Django's catalogs);
- a user service with staff and anonymous ids, like the LMS's;
- the problem block's template app (xblocks-contrib), so the course's problems run for real;
- data (SQLite database, files) under ``DEVISUS_PREVIEW_DATA`` (default ``./var``), or MariaDB
  when ``DEVISUS_DATABASE_URL`` is set.
- DEBUG off: a failing request gets a plain error page (preview/errors.py), never a traceback
  or the settings, and the static files are served by an explicit URL (urls.py).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403 - extend the workbench's settings
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

from .database import database_settings
from .workshop.settings import ORA2_APPS, ORA2_FEATURES, ORA2_STATICFILES_DIRS

# The workbench turns DEBUG on, which shows tracebacks and settings to whoever reaches the page.
DEBUG = False
TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "debug": False}} for engine in TEMPLATES]
# The workbench lists its sample blocks' templates first, and one of them is called problem.html,
# like the real problem block's (xblocks_contrib/problem/capa/templates): capa's come first here.
TEMPLATES[0]["DIRS"] = [str(resources.files("xblocks_contrib.problem.capa") / "templates"), *TEMPLATES[0]["DIRS"]]

DATA_DIR = Path(os.environ.get("DEVISUS_PREVIEW_DATA", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {"default": database_settings(DATA_DIR / "preview.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "devisus_course.preview",
    "devisus_xblocks.pair_review.apps.PairReviewConfig",
    "devisus_xblocks.positioning.apps.PositioningConfig",
    # The problem block's templates (capa's inputs): the LMS installs this app through its plugin
    # entry point (xblocks_contrib/problem/capa/apps.py); the preview runs the real problem block.
    "xblocks_contrib.problem.capa.apps.CapaAppConfig",
    *ORA2_APPS,
]

MIDDLEWARE = [
    *MIDDLEWARE[:2],
    "django.middleware.locale.LocaleMiddleware",
    "devisus_course.preview.middleware.QueryLanguageMiddleware",
    *MIDDLEWARE[2:],
    # The LMS's middleware: edx-toggles reads waffle flags (ORA2's) for the current request.
    "crum.CurrentRequestUserMiddleware",
]
ROOT_URLCONF = "devisus_course.preview.urls"

# The built OLX trees the preview walks (``devisus-course build`` writes ./course/<lang>/).
DEVISUS_PREVIEW_COURSE_DIR = Path(os.environ.get("DEVISUS_PREVIEW_COURSE", "course")).resolve()

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [str(resources.files("devisus_xblocks") / "translations")]
TIME_ZONE = "UTC"

# ORA2 (the open-response workshop of module 5) reads its feature toggles from FEATURES, as in the
# LMS, and its webpack bundles are served at /static/dist/ (preview/workshop/settings.py).
FEATURES = ORA2_FEATURES
STATICFILES_DIRS = ORA2_STATICFILES_DIRS
LMS_ROOT_URL = ""
# ORA2 loads Hotjar from the internet unless the site id is empty (openassessmentblock.py
# student_view, lms/oa_base.js); the preview sends nothing anywhere.
HOTJAR_SITE_ID = ""

DJFS = {"type": "osfs", "directory_root": str(DATA_DIR / "djpyfs"), "url_root": "/static/djpyfs"}

WORKBENCH = {
    "reset_state_on_restart": False,
    "services": {
        "fs": "xblock.reference.plugins.FSService",
        "settings": "workbench.services.SettingsService",
        "user": "devisus_course.preview.services.PreviewUserService",
    },
}

DEVISUS_PREVIEW_STAFF = ("staff", "trainer")

# Only the DEVISUS blocks and the built-in structure blocks are shown in the preview.
EXCLUDED_XBLOCKS = {
    "allscopes_demo",
    "attempts_scoreboard_demo",
    "equality_demo",
    "filethumbs",
    "helloworld_demo",
    "html_demo",
    "problem_demo",
    "sidebar_demo",
    "slider_demo",
    "textinput_demo",
    "thumbs",
    "view_counter_demo",
}

# The workbench logs to a file relative to the working directory; the preview logs to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEVISUS_LOG_LEVEL", "WARNING")},
    "loggers": {
        # ORA2 sends "grade assigned" notifications through the LMS's notification app and
        # modulestore (openassessment/xblock/utils/notifications.py) and logs an error without
        # them; the preview has no notifications to send.
        "openassessment.xblock.utils.notifications": {"level": "CRITICAL"},
    },
}

# A request refused by the CSRF check gets the preview's own 403 page (errors.py), not Django's.
CSRF_FAILURE_VIEW = "devisus_course.preview.errors.csrf_failure"
