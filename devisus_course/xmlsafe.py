"""Hardened XML parsing: no DTD, no entity expansion, no network, bounded size.

Every XML file the package reads (course source problems, OLX trees, archives from elsewhere)
goes through here, so a hostile file cannot expand entities, fetch URLs or exhaust memory.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .errors import SourceError

MAX_XML_BYTES = 5 * 1024 * 1024


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml_bytes(data: bytes, path: str | Path, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parse one XML document; refuse DOCTYPEs, entities and oversized input with SourceError."""
    if len(data) > max_bytes:
        raise SourceError(path, f"XML file is larger than {max_bytes} bytes")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise SourceError(path, f"malformed XML: {exc.msg}", line) from None
    # Without a DOCTYPE an entity reference is already a syntax error ("not defined").
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise SourceError(path, "DOCTYPE declarations are not allowed in OLX", 1)
    return root


def parse_xml_file(path: Path, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Read and parse one XML file with the same limits."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(path, f"XML file is larger than {max_bytes} bytes")
    return parse_xml_bytes(path.read_bytes(), path, max_bytes)
