"""Handler requests of the ORA2 block, run through :class:`WorkshopRuntime` (see runtime.py).

The workbench's own handler view (workbench/views.py ``handler``), with two differences: the
runtime, and only ORA2 blocks are served here (the DEVISUS blocks keep the workbench's view).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import translation
from django.views.decorators.http import require_http_methods
from workbench.views import get_student_id
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchHandlerError, NoSuchUsage

from ...i18n import translations
from .block import PreviewOpenAssessmentBlock
from .runtime import WorkshopRuntime


def _is_text_map(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


# The fields ORA2's assessment handlers use as given (openassessment/xblock/ui_mixins/legacy/
# handlers_mixin.py ``peer_assess``, ``self_assess``; ``verify_assessment_parameters`` checks only
# that they are there): a missing one or one of another type fails deep inside ORA2 with a 500.
# ORA2's own answers to the rest (an empty response, missing feedback the rubric requires...) are
# kept as ORA2 gives them: 200 with ``success: false`` and a translated message.
_ASSESSMENT_FIELDS = {
    "options_selected": _is_text_map,
    "criterion_feedback": _is_text_map,
    "overall_feedback": lambda value: isinstance(value, str),
}
_EXPECTED = {
    "peer_assess": {**_ASSESSMENT_FIELDS, "submission_uuid": lambda value: isinstance(value, str)},
    "self_assess": _ASSESSMENT_FIELDS,
    "submit": {"submission": lambda value: isinstance(value, list) and all(isinstance(t, str) for t in value)},
}


def _malformed(handler_slug: str, body: bytes) -> bool:
    expected = _EXPECTED.get(handler_slug)
    if expected is None:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False  # XBlock's json_handler answers 400 itself
    if not isinstance(data, dict):
        return True
    return not all(name in data and check(data[name]) for name, check in expected.items())


@require_http_methods(["GET", "POST"])
def handler(request, language: str, usage_id: str, handler_slug: str, suffix: str = ""):
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    translation.activate(language)
    runtime = WorkshopRuntime(get_student_id(request), language)
    try:
        block = runtime.get_block(usage_id)
    except NoSuchUsage as error:
        raise Http404("unknown block") from error
    if block.scope_ids.block_type != PreviewOpenAssessmentBlock.ORA2_BLOCK_TYPE:
        raise Http404("not an open response block")
    webob_request = django_to_webob_request(request)
    # The handler sees its suffix only, as under the workbench's /handler/<usage>/ prefix.
    for _prefix in range(4):  # workshop/<language>/handler/<usage id>
        webob_request.path_info_pop()
    if _malformed(handler_slug, request.body):
        message = translations(language).gettext("This request lacks a field, or a field has the wrong type.")
        return JsonResponse({"error": message}, status=400)
    try:
        response = runtime.handle(block, handler_slug, webob_request, suffix or "")
    except NoSuchHandlerError as error:
        raise Http404("unknown handler") from error
    return webob_to_django_response(response)


def handler_base(request, language: str):
    """The prefix of every handler URL, not a handler itself."""
    raise Http404("no handler")
