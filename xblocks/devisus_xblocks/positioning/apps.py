"""Django app (Open edX plugin app) holding self-positioning answers, which cross blocks."""

from django.apps import AppConfig

from ..common.retirement import plugin_signals_config


class PositioningConfig(AppConfig):
    name = "devisus_xblocks.positioning"
    label = "devisus_positioning"
    verbose_name = "DEVISUS self-positioning"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio: retirement deletes the
    # learner's answers (PRODUCT §3). The LMS alone sends the signal.
    plugin_app = {"signals_config": plugin_signals_config("devisus_positioning.signals.on_user_retire")}

    def ready(self):
        # Where the app is installed without the plugin framework, connect directly if the
        # platform's signal exists (same dispatch_uid: never connected twice).
        from . import signals

        signals.connect_retirement()
