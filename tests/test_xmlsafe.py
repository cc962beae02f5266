"""The hardened XML parser refuses DTDs, entities and oversized input, and locates syntax errors."""

from __future__ import annotations

import pytest

from devisus_course.errors import SourceError
from devisus_course.xmlsafe import parse_xml_bytes, parse_xml_file

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>
"""

EXTERNAL_ENTITY = b"""<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<problem>&e;</problem>
"""

EXTERNAL_DTD = b"""<!DOCTYPE problem SYSTEM "http://127.0.0.1:9/evil.dtd">
<problem/>
"""


def test_clean_xml_parses():
    root = parse_xml_bytes(b"<vertical display_name='x'><html url_name='a'/></vertical>", "v.xml")
    assert root.tag == "vertical"
    assert root[0].get("url_name") == "a"


def test_billion_laughs_is_refused():
    with pytest.raises(SourceError) as info:
        parse_xml_bytes(BILLION_LAUGHS, "bomb.xml")
    assert info.value.path == "bomb.xml"
    assert "DOCTYPE" in info.value.message or "entit" in info.value.message


def test_external_entity_is_refused_and_never_read(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_bytes(EXTERNAL_ENTITY)
    with pytest.raises(SourceError) as info:
        parse_xml_file(path)
    assert info.value.path == str(path)
    assert "root:" not in str(info.value)  # nothing of /etc/passwd leaked into the message


def test_external_entity_declared_but_unused_is_still_refused():
    with pytest.raises(SourceError, match="DOCTYPE"):
        parse_xml_bytes(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>plain</x>', "x.xml")


def test_external_dtd_is_refused():
    with pytest.raises(SourceError, match="DOCTYPE"):
        parse_xml_bytes(EXTERNAL_DTD, "dtd.xml")


def test_malformed_xml_reports_the_line(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<vertical>\n  <html url_name='a'>\n</vertical>\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        parse_xml_file(path)
    assert info.value.line == 3
    assert "malformed XML" in info.value.message
    assert str(info.value).startswith(f"{path}:3: ")


def test_oversized_bytes_are_refused_before_parsing():
    with pytest.raises(SourceError, match="larger than 64 bytes"):
        parse_xml_bytes(b"<a>" + b"x" * 100 + b"</a>", "big.xml", max_bytes=64)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"x" * 100 + b"</a>")
    with pytest.raises(SourceError, match="larger than"):
        parse_xml_file(path, max_bytes=64)
