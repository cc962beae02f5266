"""Reading a built OLX course tree into an outline the preview can walk, unit by unit.

Plain Python over the hardened XML parser: chapter > sequential > vertical > components. Built-in
components that need an Open edX instance (openassessment, video, discussion) are reduced to
summaries here; custom XBlocks and problems keep their element so the preview can render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..source import BUILTIN_COMPONENT_TAGS
from ..xmlsafe import parse_xml_file


@dataclass(frozen=True)
class Component:
    category: str
    url_name: str
    display_name: str
    html: str = ""  # html components: the author's HTML
    summary: dict = field(default_factory=dict)  # built-in components shown as summaries
    xml: str = ""  # custom XBlocks and problems: their OLX, rendered for real


@dataclass(frozen=True)
class Unit:
    url_name: str
    title: str
    chapter_title: str
    sequence_title: str
    graded: str | None
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Course:
    language: str
    title: str
    root: str  # the folder holding course.xml
    chapters: tuple[tuple[str, tuple[tuple[str, tuple[Unit, ...]], ...]], ...]

    @property
    def units(self) -> tuple[Unit, ...]:
        return tuple(unit for _, sequences in self.chapters for _, units in sequences for unit in units)

    def unit(self, url_name: str) -> Unit | None:
        return next((u for u in self.units if u.url_name == url_name), None)

    def find_component(self, category: str, url_name: str) -> tuple[Unit, Component] | None:
        """The unit holding the component, and the component."""
        return next(
            ((u, c) for u in self.units for c in u.components if c.category == category and c.url_name == url_name),
            None,
        )

    def neighbours(self, url_name: str) -> tuple[Unit | None, Unit | None]:
        units = self.units
        index = next(i for i, u in enumerate(units) if u.url_name == url_name)
        previous = units[index - 1] if index > 0 else None
        following = units[index + 1] if index + 1 < len(units) else None
        return previous, following


def _load(root: Path, category: str, url_name: str) -> etree._Element:
    return parse_xml_file(root / category / f"{url_name}.xml")


def _children(root: Path, element: etree._Element, category: str):
    for child in element:
        if not isinstance(child.tag, str) or child.tag != category:
            continue
        url_name = child.get("url_name")
        yield url_name, (_load(root, category, url_name) if len(child.attrib) == 1 and len(child) == 0 else child)


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _ora_summary(element: etree._Element) -> dict:
    steps = [assessment.get("name", "") for assessment in element.iter("assessment")]
    criteria = [
        _text(criterion.find("label")) or _text(criterion.find("name")) for criterion in element.iter("criterion")
    ]
    prompt = _text(element.find("prompts/prompt/description")) or _text(element.find("prompt"))
    return {"title": _text(element.find("title")), "prompt": prompt, "steps": steps, "criteria": criteria}


def _component(root: Path, element: etree._Element) -> Component:
    category = element.tag
    url_name = element.get("url_name", "")
    if category not in BUILTIN_COMPONENT_TAGS:
        return Component(
            category, url_name, element.get("display_name", category), xml=etree.tostring(element, encoding="unicode")
        )
    if len(element.attrib) == 1 and len(element) == 0:
        element = _load(root, category, url_name)
    display_name = element.get("display_name", "")
    if category == "html":
        filename = element.get("filename")
        html = (root / "html" / f"{filename}.html").read_text(encoding="utf-8") if filename else _inner_html(element)
        return Component(category, url_name, display_name, html=html)
    if category == "problem":
        return Component(category, url_name, display_name, xml=etree.tostring(element, encoding="unicode"))
    if category == "openassessment":
        summary = _ora_summary(element)
        # The summary, and the element for the preview to run the real ORA2 block from.
        return Component(
            category,
            url_name,
            display_name or summary["title"],
            summary=summary,
            xml=etree.tostring(element, encoding="unicode"),
        )
    if category == "video":
        youtube = element.get("youtube_id_1_0", "")
        return Component(category, url_name, display_name, summary={"youtube_id": youtube})
    return Component(
        category,
        url_name,
        display_name,
        summary={"category": element.get("discussion_category", ""), "target": element.get("discussion_target", "")},
    )


def _inner_html(element: etree._Element) -> str:
    return (element.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in element)


def read_course(root: Path) -> Course:
    """Outline of the OLX tree at ``root`` (a folder holding course.xml)."""
    pointer = parse_xml_file(root / "course.xml")
    course = _load(root, "course", pointer.get("url_name"))
    chapters = []
    for _, chapter in _children(root, course, "chapter"):
        sequences = []
        for _, sequential in _children(root, chapter, "sequential"):
            units = []
            for vertical_name, vertical in _children(root, sequential, "vertical"):
                components = tuple(_component(root, child) for child in vertical if isinstance(child.tag, str))
                units.append(
                    Unit(
                        url_name=vertical_name,
                        title=vertical.get("display_name", ""),
                        chapter_title=chapter.get("display_name", ""),
                        sequence_title=sequential.get("display_name", ""),
                        graded=sequential.get("format") if sequential.get("graded") == "true" else None,
                        components=components,
                    )
                )
            sequences.append((sequential.get("display_name", ""), tuple(units)))
        chapters.append((chapter.get("display_name", ""), tuple(sequences)))
    return Course(
        language=course.get("language", ""),
        title=course.get("display_name", ""),
        root=str(root),
        chapters=tuple(chapters),
    )


@lru_cache(maxsize=8)
def cached_course(root: str, mtime: float) -> Course:
    """Outline cached per tree and modification time (a rebuild is picked up on reload)."""
    return read_course(Path(root))
