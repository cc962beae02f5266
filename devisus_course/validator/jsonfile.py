"""Strict, bounded JSON reading for policy files (the OLX counterpart of xmlsafe)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .report import Finding, error

MAX_JSON_BYTES = 5 * 1024 * 1024


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    # Python keeps the last of two equal keys silently; Open edX would too, hiding an edit.
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constants(name):
    raise ValueError(f"{name} is not valid JSON")


def too_large(root: Path, relative: str) -> bool:
    path = root / relative
    return path.is_file() and path.stat().st_size > MAX_JSON_BYTES


def load_json(root: Path, relative: str, rule: str) -> tuple[object | None, str | None, list[Finding]]:
    """Return (data, text, findings); data is None when the file is missing or unusable."""
    path = root / relative
    if path.is_symlink() or not path.is_file():
        return None, None, [error(rule, relative, "file not found")]
    if too_large(root, relative):
        return None, None, [error(rule, relative, f"JSON file is larger than {MAX_JSON_BYTES} bytes")]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, [error(rule, relative, f"not UTF-8: {exc.reason}")]
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        return None, text, [error(rule, relative, f"invalid JSON: {exc.msg}", exc.lineno)]
    except _DuplicateKey as exc:
        return None, text, [error(rule, relative, f"invalid JSON: {exc}")]
    except ValueError as exc:
        return None, text, [error(rule, relative, f"invalid JSON: {exc}")]
    except RecursionError:
        return None, text, [error(rule, relative, "invalid JSON: nested too deeply")]
    return data, text, []


def line_of(text: str | None, pattern: str) -> int | None:
    """Line of the first match of a regex in a JSON text, so findings can point into the file."""
    if not text:
        return None
    match = re.search(pattern, text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def key_line(text: str | None, key: str) -> int | None:
    return line_of(text, '"' + re.escape(key) + r'"\s*:')
