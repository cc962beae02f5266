import logging
from importlib.metadata import entry_points

from django.apps import AppConfig

log = logging.getLogger(__name__)

# The preview's index lists the scenarios of the DEVISUS blocks only (views.DEVISUS_TAG_PREFIX).
DEVISUS_TAG_PREFIX = "devisus_"


def _init_devisus_scenarios():
    """The workbench's ``init_scenarios`` (xblock-sdk ``workbench/scenarios.py``), limited to the
    DEVISUS blocks and written in one transaction.

    Why not the workbench's own: it imports every installed XBlock class to collect their demo
    scenarios. xblocks-contrib, installed for the real built-in blocks, costs ~4 s to import (the
    problem engine pulls in nltk and sympy) and its extracted blocks' scenarios are not the
    preview's business (some cannot even parse outside the LMS: ``xml_utils.py`` asks the runtime
    for the LMS's ``get_policy``); the sample blocks are hidden anyway. Each scenario block's
    fields are saved row by row, so one transaction instead of one commit per row on SQLite.
    The first request (the index) used to wait 6 to 9 s for this on a 2-core machine; now ~1 s
    (``scripts/bench_serve_startup.py``). Other blocks still load on demand: a unit page that
    shows one parses its XML through the same runtime.
    """
    from django.db import transaction
    from workbench import scenarios
    from xblock.core import XBlock

    scenarios.SCENARIOS.clear()
    if scenarios.settings.WORKBENCH["reset_state_on_restart"]:
        scenarios.WORKBENCH_KVS.clear()
    else:
        scenarios.WORKBENCH_KVS.prep_for_scenario_loading()
    tags = sorted(
        {point.name for point in entry_points(group="xblock.v1") if point.name.startswith(DEVISUS_TAG_PREFIX)}
    )
    with transaction.atomic():
        for tag in tags:
            try:
                with transaction.atomic():  # a block whose scenarios fail leaves no half-written rows
                    scenarios.add_class_scenarios(tag, XBlock.load_class(tag), fail_silently=False)
            except Exception as exc:  # one line, not a traceback per scenario on every start
                log.warning("preview: the workbench scenarios of %s are skipped: %s", tag, exc)


class PreviewConfig(AppConfig):
    name = "devisus_course.preview"
    label = "devisus_preview"
    verbose_name = "DEVISUS course preview"

    def ready(self):
        from workbench import scenarios

        from .submissions_mariadb import patch_upstream_migration

        scenarios.init_scenarios = _init_devisus_scenarios
        patch_upstream_migration()
