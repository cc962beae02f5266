"""The one error type the course pipeline raises for bad input: it names the file and line."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A problem in an input file (framework data, course source, OLX), located for the author."""

    def __init__(self, path: str | Path | None, message: str, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(self.location() + message)

    def location(self) -> str:
        if self.path is None:
            return ""
        if self.line:
            return f"{self.path}:{self.line}: "
        return f"{self.path}: "
