"""The Learning MFE, seen from a block: the origin of the page that frames the unit.

In the Learning MFE each unit is an iframe on the LMS's origin inside a page on the MFE's origin
(frontend-app-learning ``src/courseware/course/sequence/Unit/urls.ts``); the parent page talks
to it only through ``postMessage``. A block's script accepts such messages from its parent
window only when they come from the MFE's origin, which the LMS knows as
``LEARNING_MICROFRONTEND_URL`` (a site configuration value first, then the Django setting, as
in edx-platform ``openedx/features/course_experience/url_helpers.py``
``is_request_from_learning_mfe``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def _configured_url() -> str | None:
    default = getattr(settings, "LEARNING_MICROFRONTEND_URL", None)
    try:  # the LMS only: per-site configuration
        from openedx.core.djangoapps.site_configuration import helpers as configuration_helpers
    except ImportError:
        return default
    return configuration_helpers.get_value("LEARNING_MICROFRONTEND_URL", default)


def learning_mfe_origins() -> list[str]:
    """``["https://apps.example.org"]`` when the LMS names its Learning MFE, else ``[]``."""
    url = _configured_url()
    if not isinstance(url, str):
        return []
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc.lower()}"]
