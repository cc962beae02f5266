"""assets/assets.xml: what Studio's importer reads, in the built course and in the validator.

``import_asset_metadata`` below reproduces the importer (edx-platform
``xmodule/modulestore/xml_importer.py`` ``ImportManager.import_asset_metadata`` with
``AssetMetadata.from_xml`` from ``xmodule/assetstore/__init__.py``, asset keys as opaque-keys'
``CourseLocator.make_asset_key``/``AssetLocator`` build them, and the modulestore's save, which
files metadata under its asset type: ``xmodule/modulestore/__init__.py``
``_save_assets_by_type``). Studio's import task runs it with ``raise_on_failure``: an exception
aborts the whole course import. It is run over the built course trees and archives, and over
broken files, where the validator must report an error exactly when the import would abort.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from pathlib import Path

import dateutil.parser
import pytest
from lxml import etree

from devisus_course.cli import main

from .test_build_cli import REPO

FIXTURE = REPO / "tests" / "fixtures" / "olx_minimal"


class ErrorReadingFileException(Exception):
    """xml_importer.ErrorReadingFileException: 'Error while reading assets.xml'."""


class InvalidKeyError(Exception):
    """opaque_keys.InvalidKeyError."""


# AssetLocator.ALLOWED_ID_RE (= BlockUsageLocator.DEPRECATED_ALLOWED_ID_RE): the asset's path.
ASSET_ID = re.compile(r"^[\w\-~.:%]+\Z", re.UNICODE)
XML_ONLY_ATTRS = ["type", "filename"]
XML_ATTRS = XML_ONLY_ATTRS + [
    *["pathname", "internal_name", "locked", "contenttype", "thumbnail", "fields"],
    *["curr_version", "prev_version", "edited_by", "edited_by_email", "edited_on"],
    *["created_by", "created_by_email", "created_on"],
]


def make_asset_key(course_id: str, asset_type, path):
    """CourseLocator.make_asset_key -> AssetLocator(...) -> BlockUsageLocator._parse_block_ref."""
    if not isinstance(path, str) or not ASSET_ID.match(path):
        raise InvalidKeyError(path)
    return (course_id, asset_type, path)


def from_xml(node) -> dict:
    """AssetMetadata.from_xml."""
    metadata = {}
    for child in node:
        tag = etree.QName(child).localname
        if tag in XML_ATTRS:
            value = child.text
            if tag in XML_ONLY_ATTRS:
                continue
            elif tag == "locked":
                value = True if value == "true" else False
            elif value == "None":
                value = None
            elif tag in ("created_on", "edited_on"):
                value = dateutil.parser.parse(value)
            elif tag in ("created_by", "edited_by"):
                value = int(value)
            elif tag == "fields":
                value = json.loads(value)
            metadata[tag] = value
    return metadata


def import_asset_metadata(data_dir: Path, course_id: str, raise_on_failure: bool = True) -> list | None:
    """ImportManager.import_asset_metadata; returns what would be saved."""
    asset_xml_file = data_dir / "assets" / "assets.xml"

    def make_asset_id(course_id, asset_xml):
        asset_type = None
        asset_name = None
        for child in asset_xml.iterchildren():
            if child.tag == "type":
                asset_type = child.text
            elif child.tag == "filename":
                asset_name = child.text
        return make_asset_key(course_id, asset_type, asset_name)

    all_assets = []
    try:
        xml_data = etree.parse(str(asset_xml_file)).getroot()
        assert xml_data.tag == "assets"
        for asset in xml_data.iterchildren():
            if asset.tag == "asset":
                asset_key = make_asset_id(course_id, asset)
                all_assets.append((asset_key, from_xml(asset)))
    except OSError:
        return []  # "No assets.xml file present."
    except Exception as exc:  # the platform's own catch-all
        if raise_on_failure:
            raise ErrorReadingFileException("assets.xml") from exc
        return None
    # save_asset_metadata_list -> _save_assets_by_type: metadata is filed under its asset type,
    # a MongoDB document key (a string), outside the try above.
    for (_course, asset_type, _path), _metadata in all_assets:
        if not isinstance(asset_type, str):
            raise TypeError(f"documents must have only string keys, key was {asset_type!r}")
    return all_assets


def static_keys(root: Path) -> set[str]:
    """StaticContent.compute_location (xmodule/contentstore/content.py) of every static file."""
    return {
        re.sub(r"[^\w.%-]", "_", path.relative_to(root / "static").as_posix().replace("/", "_"))
        for path in (root / "static").rglob("*")
        if path.is_file()
    }


def validate(capsys, path: Path) -> dict:
    code = main(["validate", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    return report


def assets_findings(report: dict, severity: str) -> list[str]:
    return [f["message"] for f in report["findings"] if f["rule"] == "assets" and f["severity"] == severity]


# The built course ------------------------------------------------------------------------------


def check_tree(root: Path, language: str) -> None:
    saved = import_asset_metadata(root, f"course-v1:DEVISUS+USIS+{language}")
    assert saved, f"{root} describes no asset"
    assert (
        {path for (_course, _type, path), _md in saved}
        == static_keys(root)
        == {f"devisus_reference_{language}.html", "impact-value-chain.svg", "theory-of-change.svg"}
    )
    for (_course, asset_type, path), metadata in saved:
        assert asset_type == "asset"
        expected_type = "image/svg+xml" if path.endswith(".svg") else "text/html"
        assert metadata == {"locked": False, "contenttype": expected_type}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_committed_course_imports_its_asset_metadata(language):
    check_tree(REPO / "course" / language, language)


def test_a_fresh_build_and_its_archives_import_their_asset_metadata(tmp_path, capsys):
    assert main(["build", "--lang", "all", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    for language in ("fr", "en"):
        check_tree(tmp_path / "course" / language, language)
        with tarfile.open(tmp_path / "dist" / f"DEVISUS_USIS_{language}.tar.gz") as archive:
            archive.extractall(tmp_path / "extracted" / language, filter="data")
        check_tree(tmp_path / "extracted" / language / "course", language)
        assert assets_findings(validate(capsys, tmp_path / "dist" / f"DEVISUS_USIS_{language}.tar.gz"), "warning") == []


# The validator agrees with the importer ---------------------------------------------------------

GOOD_ENTRY = "<type>asset</type><filename>course_image.png</filename>"
ABORTING = {
    # What this package wrote before: a key string as the filename, no <type>.
    "old builder format": """<assets><asset filename="course_image.png">
        <contentType>image/png</contentType><displayname>course_image.png</displayname>
        <filename>asset-v1:DEVISUS+MIN101+2025+type@asset+block@course_image.png</filename>
        <locked>False</locked></asset></assets>""",
    "no type": "<assets><asset><filename>course_image.png</filename></asset></assets>",
    "no filename": "<assets><asset><type>asset</type></asset></assets>",
    "a path as filename": "<assets><asset><type>asset</type><filename>img/course_image.png</filename></asset></assets>",
    "wrong root": f"<asset>{GOOD_ENTRY}</asset>",
    "bad date": f"<assets><asset>{GOOD_ENTRY}<created_on>yesterday-ish</created_on></asset></assets>",
    "bad user id": f"<assets><asset>{GOOD_ENTRY}<edited_by>admin</edited_by></asset></assets>",
    "bad fields": f"<assets><asset>{GOOD_ENTRY}<fields>{{not json}}</fields></asset></assets>",
    "empty date": f"<assets><asset>{GOOD_ENTRY}<edited_on/></asset></assets>",
}
IMPORTING = {
    "builder format": f"<assets><asset>{GOOD_ENTRY}<locked>false</locked><contenttype>image/png</contenttype>"
    "</asset></assets>",
    "Studio export": "<assets/>",
    "full export": f"<assets><asset>{GOOD_ENTRY}<pathname>None</pathname><internal_name>None</internal_name>"
    "<locked>true</locked><contenttype>image/png</contenttype><thumbnail>None</thumbnail><fields>{}</fields>"
    "<curr_version>None</curr_version><prev_version>None</prev_version><edited_by>4</edited_by>"
    "<edited_by_email>a@example.org</edited_by_email><edited_on>2025-03-01T10:00:00+00:00</edited_on>"
    "<created_by>None</created_by><created_by_email>None</created_by_email>"
    "<created_on>2025-03-01T10:00:00+00:00</created_on></asset></assets>",
}


def course_with_assets(tmp_path: Path, xml: str | None) -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    if xml is None:
        (root / "assets" / "assets.xml").unlink()
    else:
        (root / "assets" / "assets.xml").write_text(xml, encoding="utf-8")
    return root


@pytest.mark.parametrize("case", sorted(ABORTING))
def test_what_aborts_an_import_is_a_validation_error(tmp_path, capsys, case):
    root = course_with_assets(tmp_path, ABORTING[case])
    with pytest.raises((ErrorReadingFileException, TypeError)):
        import_asset_metadata(root, "course-v1:DEVISUS+MIN101+2025")
    report = validate(capsys, root)
    assert assets_findings(report, "error"), report["findings"]
    assert [f for f in report["findings"] if f["severity"] == "error" and f["rule"] != "assets"] == []


@pytest.mark.parametrize("case", sorted(IMPORTING) + ["no assets.xml"])
def test_what_imports_validates(tmp_path, capsys, case):
    root = course_with_assets(tmp_path, IMPORTING.get(case))
    import_asset_metadata(root, "course-v1:DEVISUS+MIN101+2025")
    report = validate(capsys, root)
    assert report["ok"], report["findings"]
    assert assets_findings(report, "warning") == []


def test_what_the_importer_ignores_is_a_warning(tmp_path, capsys):
    root = course_with_assets(
        tmp_path,
        f"""<assets><note>x</note><asset filename="course_image.png">{GOOD_ENTRY}
        <contentType>image/png</contentType><locked>True</locked></asset>
        <asset><type>asset</type><filename>missing.png</filename></asset></assets>""",
    )
    saved = import_asset_metadata(root, "course-v1:DEVISUS+MIN101+2025")
    assert saved[0][1] == {"locked": False}  # camelCase contentType dropped, 'True' read as false
    report = validate(capsys, root)
    assert report["ok"]
    warnings = assets_findings(report, "warning")
    assert any("<note> is ignored" in w for w in warnings)
    assert any("attributes (filename) are ignored" in w for w in warnings)
    assert any("<contentType>" in w and "did you mean <contenttype>?" in w for w in warnings)
    assert any("<locked>True</locked> is read as false" in w for w in warnings)
    assert any("missing.png" in w and "names no file under static/" in w for w in warnings)
