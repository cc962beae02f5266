"""The preview's error pages: DEBUG is off, so a failing request gets a short page, never a
traceback or the settings; the details are logged to the console running `devisus-course serve`.

Plain strings, no template: an error page must not depend on what may have failed.
"""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.utils import translation

from ..i18n import noop, translations


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _page(title: str, message: str) -> str:
    language = _language()
    _ = translations(language).gettext
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(_(title))} – {escape(_('DEVISUS course preview'))}</title>\n</head>\n<body>\n"
        f"<main>\n<h1>{escape(_(title))}</h1>\n<p>{escape(_(message))}</p>\n"
        f'<p><a href="/">{escape(_("Back to the preview index"))}</a></p>\n</main>\n</body>\n</html>\n'
    )


def page_not_found(request, exception=None):
    return HttpResponseNotFound(_page(noop("Page not found"), noop("There is nothing at this address in the preview.")))


def server_error(request):
    return HttpResponseServerError(
        _page(
            noop("Server error"),
            noop("The preview could not show this page. The details are in the terminal running devisus-course serve."),
        )
    )
