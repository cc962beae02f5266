"""Rendering a checked CourseSource into an OLX tree (the layout Studio imports).

Pure function of its inputs: the same source, keys and schedule always give the same bytes, which is
what makes the committed ``course/`` reproducible and the archives deterministic.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from lxml import etree
from markdown_it import MarkdownIt

# Markup marks text serialised by lxml or rendered from author Markdown (never learner text).
from markupsafe import Markup

from . import tables, typography
from .course_calendar import ORA_TAG, PAIR_REVIEW_TAG, ModuleDates, Schedule, is_peer_activity
from .errors import SourceError
from .i18n import translations
from .source import CUSTOM_COMPONENT_TAGS, STATIC_TYPES, CourseSource, FileComponent, Module, Unit, XBlockComponent

# Blocks Open edX exports inline in the vertical: ORA cannot be a pointer, discussion should not;
# custom blocks are inline too (older releases do not resolve their pointer files).
INLINE_CATEGORIES = ("openassessment", "discussion", *CUSTOM_COMPONENT_TAGS)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")
REFERENCE_SHEET = "devisus_reference_{lang}.html"


@dataclass(frozen=True)
class CourseKeys:
    """The org/course/run an institution imports the course under (its dates: ``Schedule``)."""

    org: str = "DEVISUS"
    course: str = "USIS"
    run: str = "{lang}"

    def for_language(self, language: str) -> CourseKeys:
        keys = CourseKeys(
            org=self.org.replace("{lang}", language),
            course=self.course.replace("{lang}", language),
            run=self.run.replace("{lang}", language),
        )
        keys.check()
        return keys

    def check(self) -> None:
        for name in ("org", "course", "run"):
            value = getattr(self, name)
            if not KEY_PATTERN.match(value) or not value.strip("."):
                raise SourceError(None, f"--{name} {value!r}: use letters, digits, '.', '_' or '-' only")

    @property
    def course_key(self) -> str:
        return f"course-v1:{self.org}+{self.course}+{self.run}"


class UrlNames:
    """Stable, language-independent url_names derived from module folders and unit files."""

    @staticmethod
    def chapter(module: Module) -> str:
        return f"m{module.number:02d}"

    def sequential(self, module: Module, index: int) -> str:
        return f"{self.chapter(module)}_s{index}"

    def vertical(self, module: Module, unit: Unit) -> str:
        return f"{self.chapter(module)}_{_slug(unit.stem)}"

    def html(self, module: Module, unit: Unit) -> str:
        return f"{self.vertical(module, unit)}_html"

    def component(self, module: Module, unit: Unit, suffix: str) -> str:
        return f"{self.vertical(module, unit)}_{_slug(suffix)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


def _environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader("devisus_course", "templates/olx"),
        autoescape=select_autoescape(["xml", "html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    # Titles (``display_name``) get the pages' French spacing: the outline, breadcrumbs and tabs show them.
    env.filters["spaced"] = typography.french_spacing if language == "fr" else (lambda text: text)
    return env


def _markdown(language: str) -> MarkdownIt:
    # Course authors (not learners) write this Markdown, so inline HTML is allowed.
    markdown = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    markdown.use(tables.markdown_plugin)
    if language == "fr":
        markdown.use(typography.markdown_plugin)
    return markdown


def render_course(source: CourseSource, keys: CourseKeys, out: Path, schedule: Schedule) -> None:
    """Write the OLX tree for ``source``, dated by ``schedule``, into the empty directory ``out``."""
    env = _environment(source.language)
    markdown = _markdown(source.language)
    ids = UrlNames()
    writer = _Writer(out)
    advanced_modules = list(source.custom_tags)
    context = {"source": source, "keys": keys, "ids": ids, "start": _iso(schedule.start), "schedule": schedule}

    writer.text("course.xml", env.get_template("course_root.xml").render(keys=keys))
    writer.text(
        f"course/{keys.run}.xml",
        env.get_template("course.xml").render(advanced_modules_json=json.dumps(advanced_modules), **context),
    )
    for module in source.modules:
        dates = schedule.of(module)
        writer.text(
            f"chapter/{ids.chapter(module)}.xml", env.get_template("chapter.xml").render(module=module, **context)
        )
        for index, sequence in enumerate(module.sequences, start=1):
            due = _sequence_due(sequence, dates)
            writer.text(
                f"sequential/{ids.sequential(module, index)}.xml",
                env.get_template("sequential.xml").render(
                    module=module, sequence=sequence, due=_iso(due) if due else None, **context
                ),
            )
            for unit in sequence.units:
                first_unit = index == 1 and unit is sequence.units[0]
                components = _render_unit(env, markdown, writer, ids, source, schedule, module, unit, first_unit)
                writer.text(
                    f"vertical/{ids.vertical(module, unit)}.xml",
                    env.get_template("vertical.xml").render(unit=unit, components=components),
                )

    writer.json(f"policies/{keys.run}/policy.json", _policy(source, keys, schedule, advanced_modules))
    writer.json(f"policies/{keys.run}/grading_policy.json", _grading_policy(source))
    writer.json("policies/assets.json", {})
    writer.text("about/overview.html", markdown.render(source.about))
    writer.text("about/short_description.html", source.short_description + "\n")
    writer.text("about/effort.html", source.effort + "\n")
    writer.text("about/duration.html", source.duration + "\n")
    writer.text("info/handouts.html", markdown.render(source.handouts))
    writer.text("info/updates.html", "<ol></ol>\n")
    writer.json("info/updates.items.json", [])
    sheet = REFERENCE_SHEET.format(lang=source.language)
    reference = env.get_template("reference.html").render(framework=source.framework)
    if source.language == "fr":
        reference = typography.html_spacing(reference)
    writer.text(f"static/{sheet}", reference)
    assets = [{"name": sheet, "mime": "text/html"}]
    for path in source.static_files:
        if path.name == sheet:
            raise SourceError(path, "this name is the builder's reference sheet")
        content = path.read_bytes()
        if source.language == "fr" and path.suffix == ".svg":
            # The diagram's title, description and labels get the pages' French spacing.
            content = typography.html_spacing(content.decode("utf-8")).encode("utf-8")
        writer.bytes(f"static/{path.name}", content)
        assets.append({"name": path.name, "mime": STATIC_TYPES[path.suffix]})
    writer.text("assets/assets.xml", env.get_template("assets.xml").render(assets=assets, keys=keys))


def _render_unit(
    env,
    markdown,
    writer,
    ids: UrlNames,
    source: CourseSource,
    schedule: Schedule,
    module: Module,
    unit: Unit,
    module_overview: bool,
) -> list:
    """Write the unit's component files and return the child elements of its vertical."""
    dates = schedule.of(module)
    children = []
    if unit.body or module_overview:
        url_name = ids.html(module, unit)
        codes = sorted(
            {code for objective in module.objectives for code in objective.codes}, key=source.framework.codes.index
        )
        body_html = env.get_template("unit.html").render(
            url_name=url_name,
            module=module,
            module_overview=module_overview,
            module_codes=codes,
            framework=source.framework,
            body_html=Markup(markdown.render(unit.body)),
        )
        if source.language == "fr":  # the template's own text (module overview, effort) too
            body_html = typography.html_spacing(body_html)
        writer.text(f"html/{url_name}.html", body_html.strip() + "\n")
        writer.text(f"html/{url_name}.xml", env.get_template("html.xml").render(url_name=url_name, title=unit.title))
        children.append(_pointer("html", url_name))
    for position, component in enumerate(unit.components, start=1):
        custom_index = custom_positions(unit).get(position)
        if isinstance(component, FileComponent):
            url_name = ids.component(module, unit, component.stem)
            if component.category in INLINE_CATEGORIES:
                element = copy.deepcopy(component.element)
                element.set("url_name", url_name)
                if component.category == ORA_TAG and dates is not None:
                    _date_ora(element, dates, schedule.start)
                if component.category == PAIR_REVIEW_TAG and dates is not None:
                    element.set("submission_due", _iso(dates.submission_due))
                    element.set("review_due", _iso(dates.review_due))
                if source.language == "fr":  # rubrics, prompts, calibration examples, titles
                    typography.xml_spacing(element)
                    _space_title(element)
                children.append(Markup(etree.tostring(element, encoding="unicode")))
            else:
                element = component.element
                if source.language == "fr" and component.category in ("problem", "html"):
                    element = copy.deepcopy(element)
                    typography.xml_spacing(element)
                    _space_title(element)
                writer.text(f"{component.category}/{url_name}.xml", etree.tostring(element, encoding="unicode") + "\n")
                children.append(_pointer(component.category, url_name))
        elif isinstance(component, XBlockComponent):
            element = etree.Element(component.tag)
            element.set("url_name", ids.component(module, unit, f"{component.tag}_{custom_index}"))
            for name, value in component.attrs:
                element.set(name, value)
            if source.language == "fr":
                _space_title(element)
            if component.tag == PAIR_REVIEW_TAG and dates is not None:
                element.set("submission_due", _iso(dates.submission_due))
                element.set("review_due", _iso(dates.review_due))
            children.append(Markup(etree.tostring(element, encoding="unicode")))
    return children


def _space_title(element: etree._Element) -> None:
    """The French spacing in a component's ``display_name`` (its other attributes are data)."""
    title = element.get("display_name")
    if title:
        element.set("display_name", typography.french_spacing(title))


def _iso(moment: datetime) -> str:
    """A date as the OLX carries it: ISO 8601, in UTC, as Studio exports dates.

    In UTC because ORA reads any date as UTC, whatever offset it carries
    (openassessment/xblock/resolve_dates.py, ``_parse_date``: ``.replace(tzinfo=pytz.utc)``).
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sequence_due(sequence, dates: ModuleDates | None) -> datetime | None:
    """A graded subsection is due with the reviews of its peer work, or else at its module's end."""
    if dates is None or not sequence.graded:
        return None
    peer_work = any(is_peer_activity(component) for unit in sequence.units for component in unit.components)
    return dates.review_due if peer_work else dates.end


def _date_ora(element: etree._Element, dates: ModuleDates, start: datetime) -> None:
    """An ORA opens with the course; its submission is due with the module's submissions and each
    assessment step with its reviews. Without dates (a self-paced build) ORA never closes."""
    element.set("submission_start", _iso(start))
    element.set("submission_due", _iso(dates.submission_due))
    for step in element.iter("assessment"):
        step.set("due", _iso(dates.review_due))


def custom_positions(unit: Unit) -> dict[int, int]:
    """Component position -> its rank among the unit's blocks of the same tag (from 1).

    Custom blocks are named by that rank, so adding or moving other components in a unit does
    not rename them (a renamed block loses its learners' state on re-import).
    """
    ranks, seen = {}, {}
    for position, component in enumerate(unit.components, start=1):
        if isinstance(component, XBlockComponent):
            seen[component.tag] = seen.get(component.tag, 0) + 1
            ranks[position] = seen[component.tag]
    return ranks


def _pointer(category: str, url_name: str):
    element = etree.Element(category)
    element.set("url_name", url_name)
    return Markup(etree.tostring(element, encoding="unicode"))


def _policy(source: CourseSource, keys: CourseKeys, schedule: Schedule, advanced_modules: list[str]) -> dict:
    return {
        f"course/{keys.run}": {
            "advanced_modules": advanced_modules,
            "display_name": source.title,
            "language": source.language,
            "self_paced": schedule.self_paced,
            "start": _iso(schedule.start),
            "effort": source.effort,
            "course_image": "",
            "discussion_topics": {source.title: {"id": f"course_{keys.run}"}},
            "tabs": [
                {"course_staff_only": False, "name": "Course", "type": "courseware"},
                {"course_staff_only": False, "name": "Progress", "type": "progress"},
                {"course_staff_only": False, "name": "Dates", "type": "dates"},
                {"course_staff_only": False, "name": "Discussion", "type": "discussion"},
            ],
        }
    }


def _grading_policy(source: CourseSource) -> dict:
    return {
        "GRADER": [
            {
                "type": grader.type,
                "short_label": grader.short_label,
                "weight": grader.weight,
                "min_count": grader.min_count,
                "drop_count": grader.drop_count,
            }
            for grader in source.graders
        ],
        "GRADE_CUTOFFS": dict(source.cutoffs),
    }


class _Writer:
    """Writes files under one root with fixed encoding and newlines, refusing to overwrite."""

    def __init__(self, root: Path):
        self.root = root

    def text(self, relative: str, content: str) -> None:
        path = self.root / relative
        if path.exists():
            raise SourceError(path, "two course items map to the same file (duplicate url_name)")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not content.endswith("\n"):
            content += "\n"
        path.write_text(content, encoding="utf-8", newline="\n")

    def bytes(self, relative: str, content: bytes) -> None:
        path = self.root / relative
        if path.exists():
            raise SourceError(path, "two course items map to the same file")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    def json(self, relative: str, data) -> None:
        self.text(relative, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
