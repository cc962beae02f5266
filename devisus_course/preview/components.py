"""Which renderer shows a unit's component in the preview: one function per kind of component.

A renderer takes the page's context and the component and returns the fragment to show, or None
when the preview keeps its summary of the component (unit.html). Custom DEVISUS blocks run in the
workbench runtime (blocks.py); problems run in the real problem block (problems.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from web_fragments.fragment import Fragment

from ..source import BUILTIN_COMPONENT_TAGS
from .blocks import render_custom_block
from .course_tree import Component
from .problems import course_policy, render_problem


@dataclass(frozen=True)
class RenderContext:
    language: str
    student: str
    course_root: str  # the built course folder (course.xml, policies/)
    graded: bool = False  # the unit's subsection is graded (its problems inherit it, as in the LMS)


Renderer = Callable[[RenderContext, Component], "Fragment | None"]


@lru_cache(maxsize=8)
def _policy(course_root: str, mtime: float) -> dict:
    return course_policy(_policy_file(course_root))


def _policy_file(course_root: str) -> Path:
    files = sorted(Path(course_root).glob("policies/*/policy.json"))
    return files[0] if files else Path(course_root) / "policies" / "policy.json"


def policy_of(course_root: str) -> dict:
    """The course's inherited problem settings, re-read when policy.json changes."""
    path = _policy_file(course_root)
    return _policy(course_root, path.stat().st_mtime if path.is_file() else 0.0)


def _custom(context: RenderContext, component: Component) -> Fragment:
    return render_custom_block(context.language, component.url_name, component.xml, context.student)


def problem_policy(course_root: str, graded: bool) -> dict:
    """What a problem inherits from the course and from its subsection."""
    return {**policy_of(course_root), "graded": graded}


def _problem(context: RenderContext, component: Component) -> Fragment:
    policy = problem_policy(context.course_root, context.graded)
    return render_problem(context.language, component.url_name, component.xml, context.student, policy)


RENDERERS: dict[str, Renderer] = {"problem": _problem}


def render_component(context: RenderContext, component: Component) -> Fragment | None:
    if component.category not in BUILTIN_COMPONENT_TAGS and component.xml:
        return _custom(context, component)
    renderer = RENDERERS.get(component.category)
    return renderer(context, component) if renderer else None
