"""The one handler contract of every DEVISUS block.

A handler is declared with ``@json_api(fields={...})``. The decorator:

- accepts only POST with a JSON object body no larger than ``max_bytes``;
- refuses unknown fields, missing required fields, wrong types and out-of-range values;
- resolves the caller (anonymous visitors are refused) and, with ``staff_only``, their role;
- turns a ``ServiceError`` raised by the service modules into a translated 4xx;

and always answers ``{"error": "<translated message>"}`` with a 4xx status on refusal (the
shape of XBlock's own ``JsonHandlerError``), or the handler's JSON result with 200. A refused
request never reaches the handler body, so it changes nothing.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .errors import ServiceError
from .i18n import gettext_for
from .identity import caller_of

DEFAULT_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Field:
    """One expected JSON field: its Python type(s) and limits."""

    type: type | tuple
    required: bool = True
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple | None = None
    item_type: type | None = None
    max_items: int | None = None


def _error(status: int, message: str) -> Response:
    return JsonHandlerError(status, message).get_response()


def _type_ok(value: Any, expected) -> bool:
    # bool is an int in Python; a JSON true must not pass as a number.
    if isinstance(value, bool) and bool not in (expected if isinstance(expected, tuple) else (expected,)):
        return False
    return isinstance(value, expected)


def _encodable(value: Any) -> bool:
    """False for text that cannot be stored: lone surrogates (JSON allows them, UTF-8 does not)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(key) and _encodable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_encodable(item) for item in value)
    return True


def _check_fields(data: dict, fields: dict[str, Field], _) -> str | None:
    """Return a translated message for the first problem in ``data``, or None."""
    for name in sorted(set(data) - set(fields)):
        return _("Unknown field: %(name)s") % {"name": name}
    if not _encodable(data):
        return _("The request contains invalid text.")
    for name, spec in fields.items():
        if name not in data or data[name] is None:
            if spec.required:
                return _("Missing field: %(name)s") % {"name": name}
            continue
        value = data[name]
        if not _type_ok(value, spec.type):
            return _("Wrong type for field: %(name)s") % {"name": name}
        if spec.max_length is not None and isinstance(value, str) and len(value) > spec.max_length:
            return _("%(name)s is too long (at most %(limit)s characters).") % {"name": name, "limit": spec.max_length}
        if spec.minimum is not None and isinstance(value, (int, float)) and value < spec.minimum:
            return _("%(name)s must be at least %(limit)s.") % {"name": name, "limit": spec.minimum}
        if spec.maximum is not None and isinstance(value, (int, float)) and value > spec.maximum:
            return _("%(name)s must be at most %(limit)s.") % {"name": name, "limit": spec.maximum}
        if spec.choices is not None and value not in spec.choices:
            return _("Unexpected value for field: %(name)s") % {"name": name}
        if isinstance(value, (list, dict)):
            if spec.max_items is not None and len(value) > spec.max_items:
                return _("Too many items in field: %(name)s") % {"name": name}
            items = value.values() if isinstance(value, dict) else value
            if spec.item_type is not None and not all(_type_ok(item, spec.item_type) for item in items):
                return _("Wrong type for field: %(name)s") % {"name": name}
    return None


def json_api(fields: dict[str, Field] | None = None, *, staff_only: bool = False, max_bytes: int = DEFAULT_MAX_BYTES):
    """Declare an XBlock JSON handler that follows the contract above.

    The wrapped method is called as ``method(self, data, caller)`` and returns JSON-able data.
    """
    fields = fields or {}

    def decorator(method):
        @XBlock.handler
        @functools.wraps(method)
        def wrapper(self, request, suffix=""):
            _ = gettext_for(self)
            if request.method != "POST":
                return JsonHandlerError(405, _("This action needs a POST request.")).get_response(allow=["POST"])
            # Refuse by the announced length before reading a large body at all.
            if (request.content_length or 0) > max_bytes:
                return _error(413, _("The request is too large."))
            body = request.body or b""
            if len(body) > max_bytes:
                return _error(413, _("The request is too large."))
            try:
                data = json.loads(body.decode("utf-8")) if body.strip() else {}
            except (UnicodeDecodeError, ValueError, RecursionError):
                # RecursionError: deeply nested arrays, which json cannot parse either.
                return _error(400, _("The request is not valid JSON."))
            if not isinstance(data, dict):
                return _error(400, _("The request must be a JSON object."))
            problem = _check_fields(data, fields, _)
            if problem:
                return _error(400, problem)
            caller = caller_of(self)
            if caller is None:
                return _error(403, _("Please sign in to take part."))
            if staff_only and not caller.is_staff:
                return _error(403, _("Only course staff can do this."))
            try:
                result = method(self, data, caller)
            except ServiceError as error:
                return _error(error.status, error.translated(_))
            except JsonHandlerError as error:
                return error.get_response()
            return Response(json.dumps(result), content_type="application/json", charset="utf-8")

        wrapper.json_api_fields = fields
        wrapper.staff_only = staff_only
        return wrapper

    return decorator
