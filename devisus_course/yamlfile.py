"""Safe YAML loading that remembers line numbers, so errors can point at the author's line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

MAX_YAML_BYTES = 2 * 1024 * 1024


class LineDict(dict):
    """A mapping from a YAML file; ``line`` is where it starts, ``key_lines`` where each key is."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from a YAML file; ``line`` is where it starts, ``item_lines`` where each item is."""

    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings and sequences carry their lines."""

    def construct_mapping(self, node, deep=False):
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                raise yaml.constructor.ConstructorError(
                    None, None, "keys must be plain words or numbers", key_node.start_mark
                )
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node, deep=False):
        sequence = LineList(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)


def parse_yaml(text: str, path: str | Path, first_line: int = 1) -> Any:
    """Parse YAML text; ``first_line`` shifts line numbers for front matter inside another file."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise SourceError(path, f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(path, f"invalid YAML: {exc}") from None
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def load_yaml(path: Path) -> Any:
    """Read and parse one YAML file, refusing oversized files."""
    if path.stat().st_size > MAX_YAML_BYTES:
        raise SourceError(path, f"file is larger than {MAX_YAML_BYTES} bytes")
    return parse_yaml(read_text(path), path)


def read_text(path: Path) -> str:
    """A UTF-8 text file (a leading byte-order mark is dropped), or a located SourceError."""
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text (byte {exc.start})") from None


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {key: line + offset for key, line in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [line + offset for line in data.item_lines]
        for value in data:
            _shift_lines(value, offset)


def line_of(data: Any, key: str | None = None) -> int | None:
    """Best line for an error about ``data`` (or about its ``key``)."""
    if isinstance(data, LineDict):
        return data.line_of(key) if key is not None else data.line
    return getattr(data, "line", None)


def require_mapping(data: Any, path: str | Path, what: str = "the file") -> LineDict:
    if not isinstance(data, LineDict):
        raise SourceError(path, f"{what} must be a YAML mapping", line_of(data))
    return data


def require_text(data: LineDict, key: str, path: str | Path, required: bool = True) -> str:
    """``data[key]`` as stripped text (numbers are accepted as text); '' if optional and absent."""
    value = data.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise SourceError(path, f"missing or empty '{key}'", line_of(data, key))
    return value.strip()


def require_list(data: LineDict, key: str, path: str | Path, required: bool = True) -> LineList:
    """``data[key]`` as a non-empty list; an empty one (with lines) if optional and absent."""
    value = data.get(key)
    if value is None and not required:
        empty = LineList()
        empty.line, empty.item_lines = line_of(data, key), []
        return empty
    if not isinstance(value, LineList) or (required and not value):
        raise SourceError(path, f"'{key}' must be a non-empty list", line_of(data, key))
    return value
