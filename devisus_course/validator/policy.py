"""policies/<run>/policy.json: one key, ``course/<run>``, holding the course settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from .jsonfile import key_line, load_json
from .olx import Olx
from .report import Finding, error


@dataclass
class Policy:
    file: str | None = None
    text: str | None = None
    settings: dict | None = None  # the course/<run> entry, when usable
    findings: list[Finding] = field(default_factory=list)

    @property
    def advanced_modules(self) -> list[str] | None:
        value = (self.settings or {}).get("advanced_modules")
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        return None


def check_policy(olx: Olx) -> Policy:
    if olx.run is None:
        return Policy()
    rel = f"policies/{olx.run}/policy.json"
    data, text, findings = load_json(olx.root, rel, "policy")
    policy = Policy(file=rel, text=text, findings=findings)
    if data is None:
        return policy
    if not isinstance(data, dict):
        findings.append(error("policy", rel, "must be a JSON object", 1))
        return policy
    wanted = f"course/{olx.run}"
    for key in data:
        if key != wanted:
            findings.append(
                error("policy", rel, f"unexpected key {key!r}: the only key must be {wanted!r}", key_line(text, key))
            )
    if wanted not in data:
        findings.append(error("policy", rel, f"missing key {wanted!r} (the course run from course.xml)", 1))
        return policy
    settings = data[wanted]
    if not isinstance(settings, dict):
        findings.append(
            error("policy", rel, f"{wanted!r} must map to an object of course settings", key_line(text, wanted))
        )
        return policy
    policy.settings = settings
    modules = settings.get("advanced_modules")
    if modules is not None and policy.advanced_modules is None:
        findings.append(
            error(
                "policy", rel, "advanced_modules must be a list of XBlock tag names", key_line(text, "advanced_modules")
            )
        )
    return policy
