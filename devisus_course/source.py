"""Reading the human-editable course source (content/<lang>/) into checked, typed objects.

Every defect is raised as a SourceError naming the file and line, before anything is written.
See content/AUTHORING.md for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import SourceError
from .framework import Framework, load_framework
from .images import image_problems
from .tables import table_problems
from .xmlsafe import parse_xml_file
from .yamlfile import (
    LineDict,
    line_of,
    load_yaml,
    parse_yaml,
    read_text,
    require_list,
    require_mapping,
    require_text,
)

CONTENT_DIR = Path(__file__).parent / "content"
MODULE_DIR_PATTERN = re.compile(r"^(\d{2})-[a-z0-9]+(-[a-z0-9]+)*$")
FILE_STEM_PATTERN = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
XBLOCK_TAG_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
MAX_MARKDOWN_BYTES = 512 * 1024
GRADER_WEIGHT_TOLERANCE = 1e-6
# Attributes that carry dates: the builder writes them from content/calendar.yaml, a unit never does.
DATE_ATTRIBUTES = ("start", "due", "submission_start", "submission_due", "review_due")


@dataclass(frozen=True)
class Objective:
    text: str
    codes: tuple[str, ...]


# Built-in Open edX blocks a unit may include from an OLX file (written as pointers).
BUILTIN_COMPONENT_TAGS = ("problem", "openassessment", "video", "discussion", "html")
# Custom XBlocks a unit may include from an OLX file, for their child elements (a pair review's
# <rubric> and <calibration>): written inline in the vertical and listed in advanced_modules.
CUSTOM_COMPONENT_TAGS = ("devisus_pair_review",)


@dataclass(frozen=True)
class FileComponent:
    """A block read from an OLX file: a built-in one (problem, openassessment, video, ...) or a
    custom one with child elements (CUSTOM_COMPONENT_TAGS)."""

    stem: str
    element: etree._Element
    assesses: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        return self.element.tag


@dataclass(frozen=True)
class XBlockComponent:
    """A custom XBlock, written inline in the vertical."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    assesses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    stem: str
    title: str
    body: str
    teaches: tuple[str, ...]
    components: tuple
    path: Path


@dataclass(frozen=True)
class Sequence:
    title: str
    graded: str | None
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Module:
    number: int
    slug: str
    title: str
    effort: str
    objectives: tuple[Objective, ...]
    sequences: tuple[Sequence, ...]


@dataclass(frozen=True)
class Grader:
    type: str
    short_label: str
    weight: float
    min_count: int
    drop_count: int


@dataclass(frozen=True)
class CourseSource:
    language: str
    title: str
    short_description: str
    effort: str
    duration: str
    about: str
    handouts: str
    graders: tuple[Grader, ...]
    cutoffs: tuple[tuple[str, float], ...]
    modules: tuple[Module, ...]
    framework: Framework
    # Files of content/<lang>/static/ (diagrams...), copied to the OLX static/ folder.
    static_files: tuple[Path, ...] = ()

    @property
    def custom_tags(self) -> tuple[str, ...]:
        """Custom XBlock tags the course uses, sorted: they make up ``advanced_modules``."""
        tags = {
            component.tag
            for module in self.modules
            for sequence in module.sequences
            for unit in sequence.units
            for component in unit.components
            if isinstance(component, XBlockComponent)
        } | {
            component.category
            for module in self.modules
            for sequence in module.sequences
            for unit in sequence.units
            for component in unit.components
            if isinstance(component, FileComponent) and component.category in CUSTOM_COMPONENT_TAGS
        }
        return tuple(sorted(tags))


def load_course_source(language: str, content_dir: Path | None = None) -> CourseSource:
    """Load content/<language>/ and check it against the framework of that language."""
    framework = load_framework(language)
    root = (content_dir or CONTENT_DIR) / language
    if not root.is_dir():
        raise SourceError(root, "course source folder not found")
    course_file = root / "course.yaml"
    course = require_mapping(_load(course_file), course_file)
    graders, cutoffs = _grading(course, course_file)
    modules_dir = root / "modules"
    module_dirs = sorted(p for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []
    if not module_dirs:
        raise SourceError(modules_dir, "no module folders found")
    grader_types = {grader.type for grader in graders}
    modules = tuple(_module(path, framework, grader_types) for path in module_dirs)
    numbers = [module.number for module in modules]
    if numbers != list(range(1, len(modules) + 1)):
        raise SourceError(modules_dir, "module folders must be numbered 01, 02, ... without gaps")
    static_files = _static_files(root / "static")
    _check_images(modules, (root / "about.md", root / "handouts.md"), {path.name for path in static_files})
    return CourseSource(
        language=language,
        title=require_text(course, "title", course_file),
        short_description=require_text(course, "short_description", course_file),
        effort=require_text(course, "effort", course_file),
        duration=require_text(course, "duration", course_file),
        about=_markdown_file(root / "about.md"),
        handouts=_markdown_file(root / "handouts.md"),
        graders=graders,
        cutoffs=cutoffs,
        modules=modules,
        framework=framework,
        static_files=static_files,
    )


def _check_images(modules: tuple[Module, ...], pages: tuple[Path, ...], static_names: set[str]) -> None:
    """Every image has a text alternative and a file (lines counted in the whole file)."""
    units = (unit.path for module in modules for sequence in module.sequences for unit in sequence.units)
    for path in (*pages, *units):
        problems = image_problems(read_text(path), static_names)
        if problems:
            line, message = problems[0]
            raise SourceError(path, message, line)


# What a course file under static/ may be, and the MIME type Studio's asset gets.
STATIC_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf"}
STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z]+$")


def _static_files(folder: Path) -> tuple[Path, ...]:
    """The course's static files: flat, lower-case names that stay the same as an asset key."""
    if not folder.is_dir():
        return ()
    files = sorted(folder.iterdir())
    for path in files:
        if not path.is_file() or not STATIC_NAME.match(path.name) or path.suffix not in STATIC_TYPES:
            raise SourceError(
                path,
                f"a static file has a lower-case name (letters, digits, '-', '_') ending in one of {sorted(STATIC_TYPES)}",
            )
    return tuple(files)


def _load(path: Path):
    if not path.is_file():
        raise SourceError(path, "file not found")
    return load_yaml(path)


def _codes(data: LineDict, key: str, path: Path, framework: Framework, required: bool) -> tuple[str, ...]:
    codes = require_list(data, key, path, required)
    for code, line in zip(codes, codes.item_lines):
        if not isinstance(code, str) or not framework.is_reference(code):
            raise SourceError(path, f"unknown framework code or glossary term {code!r}", line)
    return tuple(codes)


def _grading(course: LineDict, path: Path) -> tuple[tuple[Grader, ...], tuple[tuple[str, float], ...]]:
    grading = require_mapping(course.get("grading"), path, "'grading'")
    graders = []
    for entry, line in zip(require_list(grading, "graders", path), grading["graders"].item_lines):
        entry = require_mapping(entry, path, "each grader")
        numbers = (entry.get("weight"), entry.get("min_count"), entry.get("drop_count", 0))
        if any(isinstance(n, bool) for n in numbers) or not all(isinstance(n, int) for n in numbers[1:]):
            raise SourceError(path, "a grader's min_count and drop_count are whole numbers", line)
        try:
            grader = Grader(
                type=require_text(entry, "type", path),
                short_label=require_text(entry, "short_label", path),
                weight=float(entry["weight"]),
                min_count=entry["min_count"],
                drop_count=entry.get("drop_count", 0),
            )
        except (KeyError, TypeError, ValueError):
            raise SourceError(
                path, "a grader needs type, short_label, weight (number) and min_count (integer)", line
            ) from None
        if not 0 <= grader.weight <= 1 or grader.min_count < 0 or not 0 <= grader.drop_count <= grader.min_count:
            raise SourceError(
                path, f"grader {grader.type!r}: weight must be in [0, 1] and 0 <= drop_count <= min_count", line
            )
        graders.append(grader)
    total = sum(grader.weight for grader in graders)
    if abs(total - 1.0) > GRADER_WEIGHT_TOLERANCE:
        raise SourceError(path, f"grader weights add up to {total:g}, not 1", line_of(grading, "graders"))
    cutoffs = require_mapping(grading.get("cutoffs"), path, "'cutoffs'")
    if not cutoffs or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 1 for v in cutoffs.values()
    ):
        raise SourceError(path, "'cutoffs' must map grade names to numbers in (0, 1]", line_of(grading, "cutoffs"))
    return tuple(graders), tuple(sorted((str(k), float(v)) for k, v in cutoffs.items()))


def _module(path: Path, framework: Framework, grader_types: set[str]) -> Module:
    match = MODULE_DIR_PATTERN.match(path.name)
    if not match:
        raise SourceError(path, "module folder names look like '01-lowercase-words'")
    module_file = path / "module.yaml"
    data = require_mapping(_load(module_file), module_file)
    objectives = []
    for entry in require_list(data, "objectives", module_file):
        entry = require_mapping(entry, module_file, "each objective")
        objectives.append(
            Objective(
                text=require_text(entry, "text", module_file),
                codes=_codes(entry, "codes", module_file, framework, True),
            )
        )
    sequences = []
    seen_units: set[str] = set()
    for entry in require_list(data, "sequences", module_file):
        entry = require_mapping(entry, module_file, "each sequence")
        graded = entry.get("graded")
        if graded is not None and (not isinstance(graded, str) or graded not in grader_types):
            raise SourceError(
                module_file, f"'graded: {graded}' is not a grader type of course.yaml", line_of(entry, "graded")
            )
        units = []
        unit_names = require_list(entry, "units", module_file)
        for name, line in zip(unit_names, unit_names.item_lines):
            if not isinstance(name, str) or not name.endswith(".md") or not FILE_STEM_PATTERN.match(name[:-3]):
                raise SourceError(module_file, f"unit {name!r} must be a lowercase '.md' file name", line)
            if name in seen_units:
                raise SourceError(module_file, f"unit {name!r} is listed twice", line)
            seen_units.add(name)
            unit_path = path / name
            if not unit_path.is_file():
                raise SourceError(module_file, f"unit file {name!r} not found", line)
            units.append(_unit(unit_path, framework))
        sequences.append(Sequence(title=require_text(entry, "title", module_file), graded=graded, units=tuple(units)))
    return Module(
        number=int(match.group(1)),
        slug=path.name,
        title=require_text(data, "title", module_file),
        effort=require_text(data, "effort", module_file, required=False),
        objectives=tuple(objectives),
        sequences=tuple(sequences),
    )


def _split_front_matter(path: Path) -> tuple[LineDict, str]:
    text = _read_markdown(path)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(path, "a unit starts with YAML front matter between '---' lines", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise SourceError(path, "front matter is not closed by a '---' line", 1) from None
    front = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    return require_mapping(front, path, "front matter"), "\n".join(lines[end + 1 :]).strip()


def _unit(path: Path, framework: Framework) -> Unit:
    front, body = _split_front_matter(path)
    components = []
    entries = require_list(front, "components", path, required=False)
    for entry, line in zip(entries, entries.item_lines):
        components.append(_component(require_mapping(entry, path, "each component"), path, line, framework))
    if not body and not components:
        raise SourceError(path, "the unit has no body and no components", 1)
    return Unit(
        stem=path.stem,
        title=require_text(front, "title", path),
        body=body,
        teaches=_codes(front, "teaches", path, framework, required=False),
        components=tuple(components),
        path=path,
    )


def _component(entry: LineDict, path: Path, line: int, framework: Framework):
    assesses = _codes(entry, "assesses", path, framework, required=False)
    kind = set(entry) - {"assesses"}
    if kind in ({"problem"}, {"olx"}):
        key = kind.pop()
        name = entry[key]
        if not isinstance(name, str) or not name.endswith(".xml") or not FILE_STEM_PATTERN.match(name[:-4]):
            raise SourceError(path, f"'{key}' names a lowercase '.xml' file in the module folder", line)
        component_path = path.parent / name
        if not component_path.is_file():
            raise SourceError(path, f"component file {name!r} not found", line)
        element = parse_xml_file(component_path)
        expected = ("problem",) if key == "problem" else BUILTIN_COMPONENT_TAGS + CUSTOM_COMPONENT_TAGS
        if element.tag not in expected:
            raise SourceError(
                component_path,
                f"expected a root element among {', '.join(expected)}, found <{element.tag}>",
                element.sourceline,
            )
        if not element.get("display_name") and element.tag != "openassessment":
            raise SourceError(component_path, f"the <{element.tag}> needs a display_name", element.sourceline)
        if element.get("url_name"):
            raise SourceError(component_path, "'url_name' is set by the builder", element.sourceline)
        for node in element.iter("assessment") if element.tag == "openassessment" else ():
            _no_dates(node.attrib, component_path, node.sourceline, f"<{node.tag}>")
        _no_dates(element.attrib, component_path, element.sourceline, f"<{element.tag}>")
        return FileComponent(stem=name[:-4], element=element, assesses=assesses)
    if "xblock" in kind and kind <= {"xblock", "attrs"}:
        tag = entry["xblock"]
        if not isinstance(tag, str) or not XBLOCK_TAG_PATTERN.match(tag):
            raise SourceError(path, "'xblock' must be an XBlock tag name", line)
        attrs = entry.get("attrs") or {}
        if not isinstance(attrs, dict) or not all(isinstance(k, str) for k in attrs):
            raise SourceError(path, "'attrs' must be a mapping of attribute names to values", line)
        if "url_name" in attrs:
            raise SourceError(path, "'url_name' is set by the builder", line)
        _no_dates(attrs, path, line, f"'{tag}'")
        return XBlockComponent(
            tag=tag, attrs=tuple(sorted((k, _attr_text(v)) for k, v in attrs.items())), assesses=assesses
        )
    raise SourceError(
        path,
        "a component is {problem: file.xml}, {olx: file.xml} or {xblock: tag, attrs: {...}}, each with optional 'assesses'",
        line,
    )


def _no_dates(attrs, path: Path, line: int | None, what: str) -> None:
    for name in DATE_ATTRIBUTES:
        if name in attrs:
            raise SourceError(
                path,
                f"{what}: '{name}' is set by the builder from content/calendar.yaml (see content/AUTHORING.md)",
                line,
            )


def _attr_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_markdown(path: Path) -> str:
    if not path.is_file():
        raise SourceError(path, "file not found")
    if path.stat().st_size > MAX_MARKDOWN_BYTES:
        raise SourceError(path, f"file is larger than {MAX_MARKDOWN_BYTES} bytes")
    text = read_text(path)
    # Checked on the whole file (front matter included), so that the line is the file's line.
    problems = table_problems(text)
    if problems:
        line, message = problems[0]
        raise SourceError(path, message, line)
    return text


def _markdown_file(path: Path) -> str:
    text = _read_markdown(path).strip()
    if not text:
        raise SourceError(path, "file is empty")
    return text
