"""Findings and the report that collects them: the validator's only output type."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    file: str | None
    line: int | None
    message: str

    def format(self) -> str:
        location = ""
        if self.file is not None:
            location = self.file + (f":{self.line}" if self.line else "") + ": "
        return f"{location}{self.severity} [{self.rule}]: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)

    def under(self, prefix: str) -> Finding:
        """The same finding with its file placed under ``prefix`` (an archive's top folder)."""
        if self.file is None:
            return self
        return replace(self, file=f"{prefix}/{self.file}")

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.severity != ERROR, self.rule, self.message)


def error(rule: str, file: str | None, message: str, line: int | None = None) -> Finding:
    return Finding(ERROR, rule, file, line, message)


def warning(rule: str, file: str | None, message: str, line: int | None = None) -> Finding:
    return Finding(WARNING, rule, file, line, message)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def to_json(self) -> str:
        payload = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }
        return json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False)

    @classmethod
    def of(cls, findings) -> Report:
        """A report with duplicates removed and a stable, file-then-line order."""
        unique = dict.fromkeys(findings)
        return cls(sorted(unique, key=Finding.sort_key))
