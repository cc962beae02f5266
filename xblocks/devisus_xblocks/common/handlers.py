"""The one handler contract of every DEVISUS block.

A handler is declared with ``@json_api(fields={...}, writes=...)``. The decorator, in this order:

- accepts only POST (405 otherwise);
- resolves the caller before reading the body: anonymous visitors get 403 without any parsing;
  a staff member viewing the course as a specific learner (masquerade) gets 403 on handlers
  that write; non-staff get 403 on ``staff_only`` handlers;
- accepts a body no larger than ``max_bytes`` (413), nested no deeper than ``MAX_DEPTH``
  (checked by a linear scan before any parsing), that is a JSON object (400) of finite numbers
  with integers within JavaScript's safe range (400);
- refuses unknown fields, missing required fields, wrong types and out-of-range values (400);
- turns a ``ServiceError`` raised by the service modules into a translated 4xx;

and always answers ``{"error": "<translated message>"}`` with a 4xx status on refusal (the
shape of XBlock's own ``JsonHandlerError``), or the handler's JSON result with 200. A refused
request never reaches the handler body, so it changes nothing.

``GuardedStudioEditsMixin`` puts the same body checks in front of XBlock's
``submit_studio_edits`` (Studio's settings editor), which would otherwise answer 500 to a
deeply nested, non-object or wrongly typed body.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import operator
import re
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from django.http.request import RawPostDataException
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .errors import ServiceError
from .i18n import gettext_for
from .identity import caller_of

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 64 * 1024
# Arrays/objects inside one another; our bodies need 2, Studio's rubric setting about 6.
MAX_DEPTH = 20
# The largest integer a browser's JSON numbers hold exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1
STUDIO_MAX_BYTES = 1024 * 1024


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


# ---- reading a JSON body safely ------------------------------------------------------------------

# One JSON string literal, or an unterminated one up to the end. Possessive quantifiers: each
# literal is scanned once, whatever the body (no backtracking, so linear time).
_STRING_LITERAL = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")  # +1 / -1 once 1 is subtracted


def too_deeply_nested(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep in ``body`` (brackets inside
    strings do not count; unbalanced or invalid bodies are left to the JSON parser).

    Linear and without recursion (a regular expression and C-level iteration), so it can run on
    any body before ``json.loads`` and before anything that walks the parsed value.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # too few brackets to be too deep: no scan for ordinary bodies
    steps = _STRING_LITERAL.sub(b"", body).translate(_BRACKET_STEPS, _NOT_BRACKETS)
    return max(accumulate(map(operator.sub, steps, repeat(1))), default=0) > limit


class _OutOfRange(ValueError):
    """A JSON number outside what a browser sends: huge integers, or floats that overflow."""


def _parse_int(text: str) -> int:
    if len(text) > 17:  # before int(): never convert a long run of digits
        raise _OutOfRange(text[:20])
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise _OutOfRange(text)
    return value


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise _OutOfRange(text[:20])
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity, -Infinity: Python accepts them, JSON does not


def read_json_object(request, max_bytes: int, _) -> tuple[dict | None, Response | None]:
    """``(data, None)`` for a body that is a JSON object within the limits, else ``(None, refusal)``."""
    # Refuse by the announced length before reading a large body at all.
    if (request.content_length or 0) > max_bytes:
        return None, _error(413, _("The request is too large."))
    try:
        body = request.body or b""
    except (RawPostDataException, OSError):
        # RawPostDataException: the platform read a multipart form first (request.FILES in
        # lms/djangoapps/courseware/block_render.py, _invoke_xblock_handler); OSError: the
        # client went away (Django's UnreadablePostError).
        log.info("Unreadable request body", exc_info=True)
        return None, _error(400, _("The request is not valid JSON."))
    if len(body) > max_bytes:
        return None, _error(413, _("The request is too large."))
    if too_deeply_nested(body):
        return None, _error(400, _("The request is nested too deeply."))
    try:
        text = body.decode("utf-8")
        data = (
            json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant)
            if text.strip()
            else {}
        )
    except _OutOfRange:
        return None, _error(400, _("The request contains a number that is too large."))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError cannot happen within MAX_DEPTH; kept as a last guard.
        return None, _error(400, _("The request is not valid JSON."))
    if not isinstance(data, dict):
        return None, _error(400, _("The request must be a JSON object."))
    if not _encodable(data):
        return None, _error(400, _("The request contains invalid text."))
    return data, None


def _encodable(value: Any) -> bool:
    """False for text that cannot be stored: lone surrogates (JSON allows them, UTF-8 does not).

    Iterative (an explicit stack), so no nesting can exhaust Python's recursion limit.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


# ---- declared fields -----------------------------------------------------------------------------


def _type_ok(value: Any, expected) -> bool:
    # bool is an int in Python; a JSON true must not pass as a number.
    if isinstance(value, bool) and bool not in (expected if isinstance(expected, tuple) else (expected,)):
        return False
    return isinstance(value, expected)


def _check_fields(data: dict, fields: dict[str, Field], _) -> str | None:
    """Return a translated message for the first problem in ``data``, or None."""
    for name in sorted(set(data) - set(fields)):
        return _("Unknown field: %(name)s") % {"name": name}
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


def caller_refusal(caller, _, *, writes: bool, staff_only: bool) -> Response | None:
    """The 403 for who is calling, or None: checked before the body is read."""
    if caller is None:
        return _error(403, _("Please sign in to take part."))
    if writes and caller.masquerading:
        # The platform keeps a masquerading staff member's changes away from the learner's own
        # field store only (lms/djangoapps/courseware/masquerade.py); our tables it does not know.
        return _error(
            403,
            _(
                "You are viewing this course as a specific learner: you can look, "
                "but nothing can be changed in their name."
            ),
        )
    if staff_only and not caller.is_staff:
        return _error(403, _("Only course staff can do this."))
    return None


def json_api(
    fields: dict[str, Field] | None = None,
    *,
    staff_only: bool = False,
    writes: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
):
    """Declare an XBlock JSON handler that follows the contract above.

    ``writes=False`` declares a handler that only reads (it stays open to a staff member
    viewing the course as a learner); every other handler is refused while masquerading.
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
            caller = caller_of(self)
            refusal = caller_refusal(caller, _, writes=writes, staff_only=staff_only)
            if refusal is not None:
                return refusal
            data, refusal = read_json_object(request, max_bytes, _)
            if refusal is not None:
                return refusal
            problem = _check_fields(data, fields, _)
            if problem:
                return _error(400, problem)
            try:
                result = method(self, data, caller)
            except ServiceError as error:
                return _error(error.status, error.translated(_))
            except JsonHandlerError as error:
                return error.get_response()
            return Response(json.dumps(result), content_type="application/json", charset="utf-8")

        wrapper.json_api_fields = fields
        wrapper.staff_only = staff_only
        wrapper.writes = writes
        return wrapper

    return decorator


# ---- Studio's settings editor ----------------------------------------------------------------------


class GuardedStudioEditsMixin:
    """Put before ``StudioEditableXBlockMixin`` in a block's bases.

    XBlock's ``submit_studio_edits`` (``xblock/utils/studio_editable.py``, under
    ``XBlock.json_handler``) parses any body with ``json.loads`` and then indexes it: a deeply
    nested body (RecursionError), a non-object, missing ``values``/``defaults`` or a value its
    field cannot read (``int("x")``, ``int(float("inf"))``) all end in a 500. This handler refuses
    those with a translated 400 first, then lets XBlock's own code save the settings.
    """

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):
        _ = gettext_for(self)
        if request.method != "POST":
            return JsonHandlerError(405, _("This action needs a POST request.")).get_response(allow=["POST"])
        data, refusal = read_json_object(request, STUDIO_MAX_BYTES, _)
        if refusal is not None:
            return refusal
        problem = self._studio_edits_problem(data, _)
        if problem:
            return _error(400, problem)
        try:
            return super().submit_studio_edits(request, suffix)
        except (TypeError, ValueError, OverflowError, ArithmeticError) as error:
            # Raised by a block's clean/validate code before any field is set: nothing changed.
            log.info("Studio settings refused: %r", error)
            return _error(400, _("These settings could not be read."))

    def _studio_edits_problem(self, data: dict, _) -> str | None:
        for name, kind in (("values", dict), ("defaults", list)):  # what Studio's editor sends
            if name not in data:
                return _("Missing field: %(name)s") % {"name": name}
            if not isinstance(data[name], kind):
                return _("Wrong type for field: %(name)s") % {"name": name}
        values = data["values"]
        for name in self.editable_fields:
            if name not in values:
                continue
            try:
                value = self.fields[name].from_json(values[name])
            except (TypeError, ValueError, OverflowError, ArithmeticError):
                return _("Wrong type for field: %(name)s") % {"name": name}
            if isinstance(value, float) and not math.isfinite(value):  # Float.from_json("nan")
                return _("Wrong type for field: %(name)s") % {"name": name}
        return None
