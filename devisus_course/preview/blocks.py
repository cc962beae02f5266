"""Rendering custom XBlocks of the course inside preview pages, through the real workbench runtime.

Each custom block element of the course becomes a workbench scenario (once per process), so its
state lives in the workbench's store and its handlers are the workbench's handler URLs, exactly
as in the per-block scenarios.
"""

from __future__ import annotations

import hashlib
import threading

from lxml import etree
from web_fragments.fragment import Fragment
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import add_xml_scenario, get_scenarios

_lock = threading.Lock()


def scenario_id(language: str, url_name: str, xml: str) -> str:
    # The XML's digest is part of the id, so a rebuilt course with new block settings is shown
    # with them (learner state of the old scenario stays with the old one).
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()[:12]
    return f"course.{language}.{url_name}.{digest}"


def ensure_scenario(language: str, url_name: str, xml: str) -> str:
    name = scenario_id(language, url_name, xml)
    with _lock:
        scenarios = get_scenarios()
        if name not in scenarios:
            element = etree.fromstring(xml)
            # The OLX url_name names the block in Open edX; the workbench makes its own ids.
            element.attrib.pop("url_name", None)
            # The description is slugified into the usage ids: it carries the digest too.
            add_xml_scenario(name, name, etree.tostring(element, encoding="unicode"))
    return name


def usage_id(language: str, url_name: str, xml: str) -> str:
    """The workbench usage id of a course block (the key its Django models file it under)."""
    return get_scenarios()[ensure_scenario(language, url_name, xml)].usage_id


def render_custom_block(language: str, url_name: str, xml: str, student_id: str) -> Fragment:
    """The block's student_view for ``student_id``, wrapped by the workbench runtime."""
    name = ensure_scenario(language, url_name, xml)
    runtime = WorkbenchRuntime(student_id)
    block = runtime.get_block(get_scenarios()[name].usage_id)
    return block.render("student_view", {})
