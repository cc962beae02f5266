"""Django app (Open edX plugin app) holding the pair-review state shared between learners."""

from django.apps import AppConfig

from ..common.retirement import plugin_signals_config


class PairReviewConfig(AppConfig):
    name = "devisus_xblocks.pair_review"
    label = "devisus_pair_review"
    verbose_name = "DEVISUS pair peer review"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio.
    plugin_app = {"signals_config": plugin_signals_config("devisus_xblocks.pair_review.signals.on_user_retire")}

    def ready(self):
        # Also connect lazily where the LMS signal is importable (same dispatch_uid: connected once).
        from .signals import connect_retirement_receiver

        connect_retirement_receiver()
