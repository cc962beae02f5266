"""CSV exports as plain GET handlers, under the same contract as ``common.handlers.json_api``:
the caller is resolved (anonymous visitors get 403), only course staff may download (403
otherwise), and every refusal is ``{"error": "<translated message>"}`` with a 4xx status.
"""
from __future__ import annotations

import re
from typing import Callable

from webob import Response
from xblock.exceptions import JsonHandlerError

from ..common.errors import ServiceError
from ..common.i18n import gettext_for
from ..common.identity import Caller, caller_of

_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
TRUE_WORDS = ("1", "true", "yes", "on")


def wants_usernames(request) -> bool:
    """The ``?usernames=1`` option: learners by username instead of anonymised ids."""
    return str(request.GET.get("usernames", "")).strip().lower() in TRUE_WORDS


def staff_csv(block, request, *, filename: str, build: Callable[[Caller], str]) -> Response:
    """Answer ``request`` with the CSV text ``build(caller)``, or a 4xx JSON error."""
    _ = gettext_for(block)
    if request.method not in ("GET", "HEAD"):
        return JsonHandlerError(405, _("This download needs a GET request.")).get_response(allow=["GET"])
    caller = caller_of(block)
    if caller is None:
        return JsonHandlerError(403, _("Please sign in to take part.")).get_response()
    if not caller.is_staff:
        return JsonHandlerError(403, _("Only course staff can do this.")).get_response()
    try:
        text = build(caller)
    except ServiceError as error:
        return JsonHandlerError(error.status, error.translated(_)).get_response()
    # A byte order mark so that spreadsheets open the UTF-8 text with its accents.
    response = Response(body=("\ufeff" + text).encode("utf-8"), content_type="text/csv", charset="utf-8")
    safe_name = _FILENAME_UNSAFE.sub("-", filename).strip("-.") or "pair-review.csv"
    response.content_disposition = f'attachment; filename="{safe_name}"'
    response.cache_control = "private, no-store"  # personal data: never kept by a shared cache
    return response
