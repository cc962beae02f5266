"""Every block tag must be built in, or an installed XBlock enabled in advanced_modules."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.metadata import entry_points

from .blocks import ALLOWED_CHILDREN, BUILTIN_BLOCKS, COMPONENT_CONTAINERS, COURSE_METADATA_TAGS
from .jsonfile import key_line
from .olx import Olx, Usage
from .policy import Policy
from .report import Finding, error, warning


@lru_cache(maxsize=1)
def installed_xblocks() -> frozenset[str]:
    return frozenset(ep.name for ep in entry_points(group="xblock.v1"))


def custom_usages(olx: Olx) -> list[Usage]:
    return [u for u in olx.usages if u.tag not in BUILTIN_BLOCKS and u.tag not in COURSE_METADATA_TAGS]


def xml_advanced_modules(olx: Olx) -> tuple[list[str] | None, list[Finding]]:
    raw = olx.course_attrs.get("advanced_modules")
    if raw is None:
        return None, []
    line = olx.course_element.sourceline
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None, [
            error(
                "tags",
                olx.course_file,
                "advanced_modules must be a JSON list of XBlock tag names, e.g. '[\"thumbs\"]'",
                line,
            )
        ]
    return value, []


def check_tags(olx: Olx, policy: Policy) -> list[Finding]:
    in_xml, findings = xml_advanced_modules(olx)
    in_policy = policy.advanced_modules
    # On import, policy.json settings override the course XML's attributes.
    enabled = set(in_policy if in_policy is not None else in_xml or [])
    installed = installed_xblocks()
    used_and_enabled: set[str] = set()

    for usage in olx.usages:
        tag, parent = usage.tag, usage.parent
        allowed_here = ALLOWED_CHILDREN.get(parent, frozenset())
        if tag in BUILTIN_BLOCKS or tag in COURSE_METADATA_TAGS:
            if tag not in allowed_here:
                findings.append(error("tags", usage.file, f"<{tag}> is not allowed inside <{parent}>", usage.line))
            continue
        if tag not in installed:
            findings.append(
                error(
                    "tags",
                    usage.file,
                    f"unknown tag <{tag}>: neither a built-in Open edX block nor an installed XBlock",
                    usage.line,
                )
            )
            continue
        if tag not in enabled:
            findings.append(
                error("tags", usage.file, f"XBlock <{tag}> is not listed in the course's advanced_modules", usage.line)
            )
        else:
            used_and_enabled.add(tag)
        if parent not in COMPONENT_CONTAINERS:
            findings.append(
                error(
                    "tags",
                    usage.file,
                    f"custom XBlock <{tag}> must sit inline in a <vertical>, not in <{parent}>",
                    usage.line,
                )
            )
        if usage.url_name is None:
            findings.append(
                warning(
                    "url-name",
                    usage.file,
                    f"<{tag}> has no url_name: Studio derives one from a hash of the XML, so any edit makes a new block and learner state is lost",
                    usage.line,
                )
            )

    sources = [
        (policy.file, in_policy, key_line(policy.text, "advanced_modules")),
        (olx.course_file, in_xml, olx.course_element.sourceline if olx.course_element is not None else None),
    ]
    for source, listed, line in sources:
        if source is None:
            continue
        # Custom tags belong in both lists; a tag missing from one is a slip worth fixing.
        for tag in sorted(used_and_enabled - set(listed or [])):
            findings.append(
                warning("tags", source, f"advanced_modules here does not list {tag!r}, used in the course", line)
            )
        for tag in sorted(set(listed or []) - installed):
            findings.append(
                warning("tags", source, f"advanced_modules lists {tag!r}, which is not installed here", line)
            )
    return list(dict.fromkeys(findings))
