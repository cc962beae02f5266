import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


def _init_scenarios_skipping_broken_ones():
    """The workbench's ``init_scenarios``, except that a block class whose demo scenarios cannot load
    outside the LMS is logged and skipped instead of breaking every page.

    xblock-sdk's ``workbench/scenarios.py`` loads the scenarios of every installed XBlock class with
    ``fail_silently=False``. xblocks-contrib, installed for the real problem engine, registers its
    extracted blocks (``_problem_extracted``, ``_html_extracted``...) whose scenarios parse through
    ``xblocks_contrib/common/xml_utils.py``, which asks the runtime for the LMS's ``get_policy``: the
    workbench runtime has none. Their scenarios are not the preview's business.
    """
    from workbench import scenarios
    from xblock.core import XBlock

    scenarios.SCENARIOS.clear()
    if scenarios.settings.WORKBENCH["reset_state_on_restart"]:
        scenarios.WORKBENCH_KVS.clear()
    else:
        scenarios.WORKBENCH_KVS.prep_for_scenario_loading()
    for class_name, cls in sorted(XBlock.load_classes(fail_silently=False)):
        try:
            scenarios.add_class_scenarios(class_name, cls, fail_silently=False)
        except Exception as exc:  # one line, not a traceback per scenario on every start
            log.info("preview: the workbench scenarios of %s are skipped: %s", class_name, exc)


class PreviewConfig(AppConfig):
    name = "devisus_course.preview"
    label = "devisus_preview"
    verbose_name = "DEVISUS course preview"

    def ready(self):
        from workbench import scenarios

        scenarios.init_scenarios = _init_scenarios_skipping_broken_ones
