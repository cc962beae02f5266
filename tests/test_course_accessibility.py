"""Accessibility of the built course's pages: tables, fill-in templates, diagrams.

The committed ``course/<lang>/`` tree is read (test_build_cli checks it equals a fresh build);
the builder's refusals are driven through the real CLI on a private copy of the source.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from devisus_course.cli import main
from devisus_course.source import CONTENT_DIR

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en")
SVG = "{http://www.w3.org/2000/svg}"
# Captions of the templates learners copy and fill in (tables with empty cells to complete).
FILL_IN = re.compile(r"(to fill in|à remplir)", re.IGNORECASE)
# What the pages must still offer at 320 px: the smallest SVG text, once the diagram is scaled
# to that width, is no smaller than this (CSS px).
NARROW_SCREEN = 320
MIN_TEXT_PX = 11


def pages(language: str) -> list[tuple[str, html.HtmlElement]]:
    root = REPO / "course" / language
    found = [
        (p.relative_to(root).as_posix(), html.fragment_fromstring(p.read_text(encoding="utf-8"), create_parent="div"))
        for p in sorted((root / "html").glob("*.html"))
    ]
    for extra in ("about/overview.html", "info/handouts.html"):
        found.append((extra, html.fragment_fromstring((root / extra).read_text(encoding="utf-8"), create_parent="div")))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_table_has_a_caption_and_scoped_header_cells(language):
    tables = 0
    for name, page in pages(language):
        for table in page.iter("table"):
            tables += 1
            first = table[0]
            assert first.tag == "caption" and first.text_content().strip(), f"{name}: a table without a caption"
            headers = table.findall("thead/tr/th")
            assert headers, f"{name}: a table without header cells"
            for cell in headers:
                assert cell.get("scope") == "col", f"{name}: header cell {cell.text_content()!r} has no scope"
                assert cell.text_content().strip(), f"{name}: an empty header cell"
    assert tables >= 50  # the audit found 53 per language: none may lose its markup unnoticed


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fill_in_table_is_also_a_list_of_questions(language):
    templates = 0
    for name, page in pages(language):
        for table in page.iter("table"):
            if not FILL_IN.search(table[0].text_content()):
                continue
            templates += 1
            following = table.getnext()
            assert following is not None and following.tag == "details", (
                f"{name}: no list after {table[0].text_content()!r}"
            )
            rows = table.findall("tbody/tr")
            items = following.findall("ol/li")
            assert len(items) == len(rows), f"{name}: {len(rows)} rows but {len(items)} questions"
            for row, item in zip(rows, items):
                assert row[0].text_content().strip() in item.text_content()
    assert templates == 5


def _static(language: str) -> Path:
    return REPO / "course" / language / "static"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_image_has_alt_text_a_file_an_asset_and_a_long_description(language):
    assets = {e.text for e in etree.parse(str(REPO / "course" / language / "assets" / "assets.xml")).iter("filename")}
    images = 0
    for name, page in pages(language):
        for image in page.iter("img"):
            images += 1
            src = image.get("src")
            assert (image.get("alt") or "").strip(), f"{name}: {src} has no alt text"
            assert src.startswith("/static/"), f"{name}: {src} is not a course file"
            file_name = src.removeprefix("/static/")
            assert (_static(language) / file_name).is_file(), f"{name}: {src} is not in static/"
            assert file_name in assets, f"{name}: {src} is not listed in assets.xml"
            # The long text alternative follows the image's paragraph, in a <details>.
            long_description = image.getparent().getnext()
            assert long_description is not None and long_description.tag == "details", name
            assert len(long_description.text_content()) > 400, f"{name}: the description of {src} is too short"
    assert images == 2


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagrams_are_labelled_translated_readable_and_contrasted(language):
    diagrams = sorted(_static(language).glob("*.svg"))
    assert [p.name for p in diagrams] == ["impact-value-chain.svg", "theory-of-change.svg"]
    for path in diagrams:
        svg = etree.parse(str(path)).getroot()
        assert svg.get("role") == "img" and svg.get("lang") == language, path.name
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and desc is not None and len(desc.text) > 100, path.name
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        width = float(svg.get("viewBox").split()[2])
        scale = NARROW_SCREEN / width
        default_size = float(svg.get("font-size"))
        for text in svg.iter(f"{SVG}text"):
            size = float(text.get("font-size", default_size)) * scale
            assert size >= MIN_TEXT_PX, f"{path.name}: {text.text!r} is {size:.1f} px at {NARROW_SCREEN} px"
        text_colour = svg.get("fill")
        for rect in svg.iter(f"{SVG}rect"):
            assert _contrast(text_colour, rect.get("fill")) >= 4.5, f"{path.name}: text on {rect.get('fill')}"
    # Same diagrams in both languages, with their text translated.
    other = "en" if language == "fr" else "fr"
    for path in diagrams:
        theirs = etree.parse(str(_static(other) / path.name)).getroot()
        assert etree.parse(str(path)).getroot().find(f"{SVG}title").text != theirs.find(f"{SVG}title").text


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def _build(content: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    code = main(["build", "--lang", "en", "--content", str(content), "-o", str(tmp_path / "out")])
    return code, capsys.readouterr().err


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.split(old)[0].count("\n") + 1


METHODS = Path("en") / "modules" / "03-methods-and-tools"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("Table: The four GECES deductions: the question each asks, with an example\n\n", "", "needs a caption"),
        ("| Deduction | Question |", "|  | Question |", "every header cell"),
        (
            "![The impact value chain: inputs, activities, outputs, outcomes and impact, with the four deductions and "
            "the other organisations and outside factors (described in full below the diagram)]",
            "![ ]",
            "needs a text alternative",
        ),
        ("(/static/impact-value-chain.svg)", "(/static/value-chain.svg)", "names no file"),
    ],
)
def test_a_table_or_image_without_its_alternative_stops_the_build_at_its_line(
    content, tmp_path, capsys, old, new, expected
):
    page = content / METHODS / "impact-approaches.md"
    line = _replace(page, old, new)
    code, err = _build(content, tmp_path, capsys)
    assert code == 1
    assert expected in err, err
    # The error names the file and the line where the table or image starts.
    reported = int(re.search(re.escape(str(page)) + r":(\d+):", err).group(1))
    assert abs(reported - line) <= 2, (reported, line)
    assert not (tmp_path / "out" / "course").exists()


def test_a_static_file_with_an_unsafe_name_is_refused(content, tmp_path, capsys):
    (content / "en" / "static" / "My Diagram.svg").write_text("<svg/>", encoding="utf-8")
    code, err = _build(content, tmp_path, capsys)
    assert code == 1 and "My Diagram.svg" in err and "lower-case name" in err
