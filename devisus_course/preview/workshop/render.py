"""The unit page's hook for ``openassessment`` components: the real ORA2 block, or None.

None tells the page to keep the component's summary: ORA2 is not installed (the preview without
the ``workbench`` extra), or the visitor is not signed in (``?student=anonymous``; the LMS only
shows open responses to enrolled learners).
"""

from __future__ import annotations

import json
from html import escape

from django.templatetags.static import static
from django.urls import reverse
from web_fragments.fragment import Fragment
from workbench.scenarios import get_scenarios

from ...i18n import translations
from ..blocks import ensure_scenario
from ..services import ANONYMOUS
from .runtime import HANDLER_BASE_GLOBAL, WorkshopRuntime
from .settings import ORA2_INSTALLED


def _note(language: str) -> str:
    _ = translations(language).gettext
    return (
        '<p class="devisus-preview-note">'
        + escape(
            _(
                "This is Open edX's own open response assessment (ORA2), running in the preview: "
                "switch learners with \u201cAct as\u201d to play the peers. Its staff area (staff "
                "grading, grade overrides) needs the Open edX platform, so it is not shown here."
            )
        )
        + "</p>"
    )


def render_open_response(language: str, component, student: str) -> Fragment | None:
    """The block's student_view for ``student``, with the handler prefix its JS needs."""
    if not ORA2_INSTALLED or not component.xml or student == ANONYMOUS:
        return None
    name = ensure_scenario(language, component.url_name, component.xml)
    runtime = WorkshopRuntime(student, language)
    block = runtime.get_block(get_scenarios()[name].usage_id)
    fragment = Fragment()
    fragment.add_javascript(
        f"window.{HANDLER_BASE_GLOBAL} = {json.dumps(reverse('workshop_handler_base', args=(language,)))};"
    )
    fragment.add_fragment_resources(rendered := block.render("student_view", {}))
    # What ORA2's JS takes from the LMS page (RequireJS, jQuery UI's dialog, rewriteStaticLinks);
    # after the runtime's jQuery, before ORA2's own JS runs.
    fragment.add_resource_url(static("devisus_preview/workshop.js"), "application/javascript", placement="head")
    # Underscore, a global of every LMS page that ORA2's JS uses (``_.escape``): the workbench's copy.
    fragment.add_resource_url(
        static("workbench/js/vendor/underscore-min.js"), "application/javascript", placement="head"
    )
    fragment.add_content(rendered.body_html())
    fragment.add_content(_note(language))
    return fragment
