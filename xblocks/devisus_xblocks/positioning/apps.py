"""Django app (Open edX plugin app) holding self-positioning answers, which cross blocks."""
from django.apps import AppConfig


class PositioningConfig(AppConfig):
    name = "devisus_xblocks.positioning"
    label = "devisus_positioning"
    verbose_name = "DEVISUS self-positioning"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio.
    plugin_app = {
        "signals_config": {
            "lms.djangoapp": {"relative_path": "signals", "receivers": []},
        },
    }
