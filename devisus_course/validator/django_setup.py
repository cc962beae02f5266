"""A minimal Django for loading XBlock classes outside Open edX.

The LMS and Studio load XBlock classes only after ``django.setup()``, with every plugin app of
the installed packages in ``INSTALLED_APPS`` (edx-platform ``lms/envs/common.py`` and
``cms/envs/common.py`` add ``get_plugin_apps(ProjectType.LMS)``, which reads the
``lms.djangoapp`` / ``cms.djangoapp`` entry points; see edx-django-utils ``plugins``). Blocks may
therefore import their models at module level. The validator does the same before it parses
custom blocks through their classes, so a block module is loaded here exactly as in the platform.
"""

from __future__ import annotations

import os
import warnings
from importlib.metadata import entry_points


def plugin_apps_of_xblock_packages() -> list[str]:
    """The ``lms.djangoapp`` apps of the distributions that provide XBlocks, as dotted paths."""
    xblock_dists = {ep.dist.name for ep in entry_points(group="xblock.v1") if ep.dist is not None}
    apps = []
    for ep in entry_points(group="lms.djangoapp"):
        if ep.dist is not None and ep.dist.name in xblock_dists:
            apps.append(ep.value.replace(":", "."))
    return sorted(set(apps))


def ensure_django() -> None:
    """Configure and set up Django once, unless the process already has it (LMS, workbench, tests)."""
    import django
    from django.apps import apps
    from django.conf import settings

    if apps.ready:
        return
    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(
            INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", *plugin_apps_of_xblock_packages()],
            # Parsing touches no table; an in-memory database keeps the validator free of files.
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",
            USE_I18N=True,
            USE_TZ=True,
        )
    with warnings.catch_warnings():
        # fs (pinned by the platform, imported by xblocks-contrib's apps) still declares its
        # namespace through pkg_resources: a warning for its maintainers, not for course authors.
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        django.setup()
