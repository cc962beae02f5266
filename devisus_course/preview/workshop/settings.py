"""Django settings for ORA2 in the preview, following ORA2's own workbench settings
(openedx/edx-ora2, settings/base.py: INSTALLED_APPS, FEATURES).

Read before Django is set up: nothing here imports ORA2, it is only located. When ORA2 is not
installed (an install without the ``workbench`` extra), nothing is added and the unit page keeps
the workshop's summary.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

ORA2_INSTALLED = find_spec("openassessment") is not None and find_spec("submissions") is not None

ORA2_APPS = (
    [
        # edx-toggles' waffle switches and flags, which ORA2 checks for its features, live in django-waffle's tables.
        "waffle",
        "submissions",
        "openassessment",
        "openassessment.fileupload",
        "openassessment.workflow",
        "openassessment.assessment",
        "openassessment.staffgrader",
    ]
    if ORA2_INSTALLED
    else []
)

# Every ORA2 feature toggle off, as in a default LMS: no team submissions, no ORA MFE views.
ORA2_FEATURES = {
    "ENABLE_ORA_TEAM_SUBMISSIONS": False,
    "ENABLE_ORA_ALL_FILE_URLS": False,
    "ENABLE_ORA_USER_STATE_UPLOAD_DATA": False,
    "ENABLE_ORA_USERNAMES_ON_DATA_EXPORT": False,
    "ENABLE_ORA_MOBILE_SUPPORT": False,
    "ENABLE_ORA_RUBRIC_REUSE": False,
    "ENABLE_ORA_SELECTABLE_LEARNER_WAITING_REVIEW": False,
    "ENABLE_ORA_PEER_CONFIGURABLE_GRADING": False,
}


def _ora2_dist() -> Path | None:
    if not ORA2_INSTALLED:
        return None
    spec = find_spec("openassessment")
    return Path(spec.origin).parent / "xblock" / "static" / "dist"


# ORA2 links its webpack bundles at /static/dist/<name> (its static/dist/manifest.json sets that base
# URL); the LMS collects them there. The preview's static view finds them through this prefix.
ORA2_STATICFILES_DIRS = [("dist", str(_ora2_dist()))] if ORA2_INSTALLED else []
