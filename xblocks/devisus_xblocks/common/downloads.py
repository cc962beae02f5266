"""File downloads as plain GET handlers, under the same contract as ``handlers.json_api``:
the caller is resolved (anonymous visitors get 403), staff-only downloads refuse others (403),
and every refusal is ``{"error": "<translated message>"}`` with a 4xx status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from webob import Response
from xblock.exceptions import JsonHandlerError

from .csvfile import BOM
from .errors import ServiceError
from .i18n import gettext_for
from .identity import Caller, caller_of

_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
TRUE_WORDS = ("1", "true", "yes", "on")


def query_flag(request, name: str) -> bool:
    """A yes/no option of the download's query string, e.g. ``?usernames=1``."""
    return str(request.GET.get(name, "")).strip().lower() in TRUE_WORDS


def _encoded(chunks: Iterable[str]):
    """The chunks in UTF-8, a byte order mark first (once), so that spreadsheets open the text
    with its accents."""
    first = True
    for chunk in chunks:
        if first and not chunk.startswith(BOM):
            yield BOM.encode("utf-8")
        first = False
        if chunk:
            yield chunk.encode("utf-8")
    if first:
        yield BOM.encode("utf-8")


def csv_download(
    block, request, *, filename: str, build: Callable[[Caller], str | Iterable[str]], staff_only: bool = False
) -> Response:
    """Answer ``request`` with the CSV text ``build(caller)`` (see ``csvfile``), or a 4xx error.

    ``build`` may answer the text in chunks (an iterator): it is then streamed, chunk by chunk,
    after ``build``'s checks have passed (they run when it is called, before the first chunk).
    The LMS's handler view joins a response's chunks into one body (``block_render.py``,
    ``webob_to_django_response``): there streaming saves the block's memory, not the platform's."""
    _ = gettext_for(block)
    if request.method not in ("GET", "HEAD"):
        return JsonHandlerError(405, _("This download needs a GET request.")).get_response(allow=["GET"])
    caller = caller_of(block)
    if caller is None:
        return JsonHandlerError(403, _("Please sign in to take part.")).get_response()
    if staff_only and not caller.is_staff:
        return JsonHandlerError(403, _("Only course staff can do this.")).get_response()
    try:
        text = build(caller)
    except ServiceError as error:
        return JsonHandlerError(error.status, error.translated(_)).get_response()
    response = Response(
        app_iter=_encoded([text] if isinstance(text, str) else text), content_type="text/csv", charset="utf-8"
    )
    safe_name = _FILENAME_UNSAFE.sub("-", filename).strip("-.") or "export.csv"
    response.content_disposition = f'attachment; filename="{safe_name}"'
    # Personal data: never kept by a shared cache.
    response.cache_control = "private, no-store"
    return response
