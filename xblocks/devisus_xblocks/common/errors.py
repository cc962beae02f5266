"""The one error type of the service modules; handlers turn it into a translated 4xx reply.

Services stay free of any runtime, so they raise English message ids with named parameters;
the handler layer translates them with the request's gettext (see ``handlers.py``).
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refused request: ``message`` is a gettext msgid with ``%(name)s`` parameters."""

    def __init__(self, message: str, status: int = 400, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.status = status
        self.params = params

    def translated(self, gettext) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text
