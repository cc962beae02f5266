"""CSV downloads as plain GET handlers, under the same contract as ``common.handlers.json_api``:
the caller is resolved (anonymous visitors get 403), staff-only downloads refuse others (403),
and every refusal is ``{"error": "<translated message>"}`` with a 4xx status.
"""
from __future__ import annotations

import re
from typing import Callable

from webob import Response
from xblock.exceptions import JsonHandlerError

from ..common.errors import ServiceError
from ..common.i18n import gettext_for
from ..common.identity import Caller, caller_of
from .csvexport import csv_text

_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def csv_download(block, request, *, filename: str, build: Callable[[Caller], tuple], staff_only: bool = False) -> Response:
    """Answer ``request`` with the CSV of ``build(caller)`` -> (header, rows), or a 4xx error."""
    _ = gettext_for(block)
    if request.method not in ("GET", "HEAD"):
        return JsonHandlerError(405, _("This download needs a GET request.")).get_response(allow=["GET"])
    caller = caller_of(block)
    if caller is None:
        return JsonHandlerError(403, _("Please sign in to take part.")).get_response()
    if staff_only and not caller.is_staff:
        return JsonHandlerError(403, _("Only course staff can do this.")).get_response()
    try:
        header, rows = build(caller)
    except ServiceError as error:
        return JsonHandlerError(error.status, error.translated(_)).get_response()
    response = Response(body=csv_text(header, rows).encode("utf-8"), content_type="text/csv", charset="utf-8")
    safe_name = _FILENAME_UNSAFE.sub("-", filename).strip("-.") or "positioning.csv"
    response.content_disposition = f'attachment; filename="{safe_name}"'
    # Personal data: never kept by a shared cache.
    response.cache_control = "private, no-store"
    return response
