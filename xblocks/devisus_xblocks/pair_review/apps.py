"""Django app (Open edX plugin app) holding the pair-review state shared between learners."""
from django.apps import AppConfig


class PairReviewConfig(AppConfig):
    name = "devisus_xblocks.pair_review"
    label = "devisus_pair_review"
    verbose_name = "DEVISUS pair peer review"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio.
    plugin_app = {
        "signals_config": {
            "lms.djangoapp": {"relative_path": "signals", "receivers": []},
        },
    }
