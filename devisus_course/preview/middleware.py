"""``?lang=fr|en`` switches the preview's language and remembers it in Django's language cookie.

LocaleMiddleware alone only reads the cookie and Accept-Language; a visible switch needs a link.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang")
        if language not in self.languages:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
