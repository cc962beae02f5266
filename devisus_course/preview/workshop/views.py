"""Handler requests of the ORA2 block, run through :class:`WorkshopRuntime` (see runtime.py).

The workbench's own handler view (workbench/views.py ``handler``), with two differences: the
runtime, and only ORA2 blocks are served here (the DEVISUS blocks keep the workbench's view).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.decorators.http import require_http_methods
from workbench.views import get_student_id
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchUsage

from .block import PreviewOpenAssessmentBlock
from .runtime import WorkshopRuntime


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
    return webob_to_django_response(runtime.handle(block, handler_slug, webob_request, suffix or ""))


def handler_base(request, language: str):
    """The prefix of every handler URL, not a handler itself."""
    raise Http404("no handler")
