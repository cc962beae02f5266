"""The preview's error pages: DEBUG is off, so a failing request gets a short page in the
preview's own template (title, language, the switches), never a traceback or the settings; the
details are logged to the console running `devisus-course serve`.

If the template itself cannot be rendered (the error may come from what it needs), a plain page
with the same words is served instead: an error page must never fail in turn.
"""

from __future__ import annotations

import logging
from html import escape

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, QueryDict

from ..i18n import noop, translations

log = logging.getLogger(__name__)


def _plain_page(language: str, title: str, message: str) -> str:
    _ = translations(language).gettext
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(_(title))} – {escape(_('DEVISUS course preview'))}</title>\n</head>\n<body>\n"
        f"<main>\n<h1>{escape(_(title))}</h1>\n<p>{escape(_(message))}</p>\n"
        f'<p><a href="/">{escape(_("Back to the preview index"))}</a></p>\n</main>\n</body>\n</html>\n'
    )


def _readable_query(request) -> None:
    """A 400 may come from the query string itself (too many fields): the page then ignores it."""
    try:
        request.GET  # noqa: B018 - parsing it is the check
    except SuspiciousOperation:
        request.GET = QueryDict()


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    language = "fr"
    try:
        _readable_query(request)
        from .switches import language_links
        from .views import _render, _student, interface_language

        language = interface_language()
        links = language_links("/", _student(request), language, error_page=True)
        return _render(
            request, "error.html", language, status=status, title=title, message=message, language_links=links
        )
    except Exception:
        log.exception("preview: the %s page could not use its template", status)
        return HttpResponse(_plain_page(language, title, message), status=status)


def bad_request(request, exception=None):
    return _page(request, 400, noop("Bad request"), noop("The preview could not understand this request."))


def permission_denied(request, exception=None):
    return _page(request, 403, noop("Access denied"), noop("The preview does not allow this request."))


def csrf_failure(request, reason=""):
    """Django's CSRF_FAILURE_VIEW (settings.py): a form or handler call without the page's token."""
    return _page(
        request,
        403,
        noop("Access denied"),
        noop("The request did not carry the page's security token. Reload the page and try again."),
    )


def page_not_found(request, exception=None):
    return _page(request, 404, noop("Page not found"), noop("There is nothing at this address in the preview."))


def server_error(request):
    return _page(
        request,
        500,
        noop("Server error"),
        noop("The preview could not show this page. The details are in the terminal running devisus-course serve."),
    )
