"""assets/assets.xml, checked the way Studio's importer reads it.

The importer (edx-platform ``xmodule/modulestore/xml_importer.py``,
``ImportManager.import_asset_metadata``) parses the file, asserts the root is ``<assets>``, and
for every ``<asset>`` child builds an asset key from its ``<type>`` and ``<filename>`` children
(``course_id.make_asset_key(type, filename)``), then fills the metadata with
``AssetMetadata.from_xml`` (``xmodule/assetstore/__init__.py``). Any exception there aborts an
import run with ``raise_on_failure`` (as Studio's import task does) with "Error while reading
assets.xml"; the metadata list is then saved outside that guard, where an asset without a type
fails too. A missing file is fine (the importer logs and goes on); what it silently ignores
(other elements, attributes, unknown child names) is reported as a warning, because the author
meant something by it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import PurePosixPath

import dateutil.parser
from lxml import etree

from .olx import Olx
from .report import Finding, error, warning

ASSETS_FILE = "assets/assets.xml"
ROOT_TAG = "assets"  # AssetMetadata.ALL_ASSETS_XML_TAG
ASSET_TAG = "asset"  # AssetMetadata.ASSET_XML_TAG
GENERAL_ASSET_TYPE = "asset"  # AssetMetadata.GENERAL_ASSET_TYPE: files uploaded to Studio
# AssetMetadata.XML_ATTRS: the child elements from_xml reads (by local name).
KEY_TAGS = ("type", "filename")
XML_ATTRS = (
    *KEY_TAGS,
    "pathname",
    "internal_name",
    "locked",
    "contenttype",
    "thumbnail",
    "fields",
    "curr_version",
    "prev_version",
    "edited_by",
    "edited_by_email",
    "edited_on",
    "created_by",
    "created_by_email",
    "created_on",
)
# opaque-keys (opaque_keys/edx/locator.py): an asset key's path must match AssetLocator's
# ALLOWED_ID_RE (Locator.DEPRECATED_ALLOWED_ID_CHARS) or the key raises InvalidKeyError.
ASSET_PATH = re.compile(r"^[\w\-~.:%]+\Z", re.UNICODE)
ASSET_TYPE = re.compile(r"^[\w\-~.:]+\Z", re.UNICODE)  # Locator.ALLOWED_ID_CHARS
# BlockUsageLocator.DEPRECATED_INVALID_CHARS, used by clean_keeping_underscores.
_INVALID_PATH_CHARS = re.compile(r"[^\w.%-]", re.UNICODE)


def static_asset_names(olx: Olx) -> set[str]:
    """The asset key path of every file under static/ (xmodule/contentstore/content.py
    StaticContent.compute_location: '/' -> '_', then clean_keeping_underscores)."""
    names = set()
    for rel in olx.files:
        parts = PurePosixPath(rel).parts
        if parts[0] == "static" and len(parts) > 1:
            names.add(_INVALID_PATH_CHARS.sub("_", "/".join(parts[1:]).replace("/", "_")))
    return names


def check_assets(olx: Olx) -> list[Finding]:
    root = olx.docs.get(ASSETS_FILE)
    if root is None:  # absent (the importer skips it) or already reported as malformed XML
        return []
    if root.tag != ROOT_TAG:
        return [
            error(
                "assets",
                ASSETS_FILE,
                f"root element is <{root.tag}>, expected <{ROOT_TAG}>: the importer aborts the import",
                root.sourceline,
            )
        ]
    findings: list[Finding] = []
    keys = []
    static_names = static_asset_names(olx)
    for child in root.iterchildren():
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if child.tag != ASSET_TAG:
            findings.append(
                warning(
                    "assets",
                    ASSETS_FILE,
                    f"<{child.tag}> is ignored by the importer (it reads <asset>)",
                    child.sourceline,
                )
            )
            continue
        asset_findings, key = _check_asset(child, static_names)
        findings += asset_findings
        if key is not None:
            keys.append((key, child.sourceline))
    counts = Counter(key for key, _line in keys)
    for key, line in keys:
        if counts[key] > 1:
            findings.append(warning("assets", ASSETS_FILE, f"asset {key[1]!r} is described more than once", line))
    return findings


def _check_asset(node: etree._Element, static_names: set[str]) -> tuple[list[Finding], tuple[str, str] | None]:
    findings: list[Finding] = []
    line = node.sourceline

    def fail(message: str, at: int | None = line) -> None:
        findings.append(error("assets", ASSETS_FILE, message, at))

    def note(message: str, at: int | None = line) -> None:
        findings.append(warning("assets", ASSETS_FILE, message, at))

    if node.attrib:
        names = ", ".join(sorted(node.attrib))
        note(f"<asset> attributes ({names}) are ignored by the importer: it reads child elements")
    # make_asset_id: the last <type> and <filename> children (exact tag names) win.
    key_parts = {}
    for child in node.iterchildren():
        if isinstance(child.tag, str) and child.tag in KEY_TAGS:
            key_parts[child.tag] = child.text
    asset_type, filename = key_parts.get("type"), key_parts.get("filename")
    if not asset_type:
        fail("<asset> has no <type> (use <type>asset</type>): the importer cannot store it and the import fails")
    elif not ASSET_TYPE.match(asset_type):
        fail(f"<type>{asset_type}</type> is not a valid asset type: the import fails")
    elif asset_type != GENERAL_ASSET_TYPE:
        note(f"<type>{asset_type}</type>: files uploaded to Studio have type {GENERAL_ASSET_TYPE!r}")
    if not filename:
        fail("<asset> has no <filename>: the importer cannot make its asset key and the import fails")
    elif not ASSET_PATH.match(filename):
        fail(
            f"<filename>{filename}</filename> is not a valid asset name (the bare file name under static/, "
            "letters, digits and - ~ . : % only): the importer cannot make its asset key and the import fails"
        )
    elif filename not in static_names:
        note(f"<filename>{filename}</filename> names no file under static/")
    for child in node.iterchildren():
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag not in XML_ATTRS:
            hint = f" (did you mean <{tag.lower()}>?)" if tag.lower() in XML_ATTRS else ""
            note(f"<{tag}> is not an asset metadata field: the importer ignores it{hint}", child.sourceline)
            continue
        problem = _value_problem(tag, child.text)
        if problem:
            fail(f"<{tag}>: {problem}: the importer fails on it", child.sourceline)
        elif tag == "locked" and child.text not in ("true", "false"):
            note(
                f"<locked>{child.text or ''}</locked> is read as false (only 'true' locks the asset)", child.sourceline
            )
    key = (asset_type, filename) if asset_type and filename else None
    return findings, key


def _value_problem(tag: str, value: str | None) -> str | None:
    """What AssetMetadata.from_xml would raise on, converting ``value`` for ``tag``."""
    if tag in KEY_TAGS or tag == "locked" or value == "None":
        return None
    try:
        if tag in ("created_on", "edited_on"):
            dateutil.parser.parse(value)
        elif tag in ("created_by", "edited_by"):
            int(value)
        elif tag == "fields":
            json.loads(value)
    except (TypeError, ValueError, OverflowError) as exc:
        return f"{value!r} cannot be read ({type(exc).__name__})"
    return None
