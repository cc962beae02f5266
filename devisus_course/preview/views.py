"""The preview's own pages: an index of every block scenario and the course, unit by unit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from web_fragments.fragment import Fragment
from workbench.scenarios import get_scenarios

from ..i18n import translations
from .blocks import render_custom_block
from .course_tree import cached_course
from .workshop.render import render_open_response

SIMULATED_USERS = ("alice", "bob", "carol", "dave", "erin", "staff")
DEVISUS_TAG_PREFIX = "devisus_"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("devisus_course", "templates/preview"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _student(request) -> str:
    student = request.GET.get("student", "alice")
    return student if student.replace("_", "").replace("-", "").isalnum() and len(student) <= 40 else "alice"


def _render(request, template: str, language: str, **context) -> HttpResponse:
    catalog = translations(language)
    page = (
        _environment()
        .get_template(template)
        .render(
            _=catalog.gettext,
            gettext=catalog.gettext,
            ngettext=catalog.ngettext,
            language=language,
            student=_student(request),
            users=SIMULATED_USERS,
            staff_users=settings.DEVISUS_PREVIEW_STAFF,
            static=static,
            url=reverse,
            csrf_token=get_token(request),
            request_path=request.path,
            **context,
        )
    )
    return HttpResponse(page)


def _course_root(language: str) -> Path:
    root = Path(settings.DEVISUS_PREVIEW_COURSE_DIR) / language
    if not (root / "course.xml").is_file():
        raise Http404(f"no built course in {root}")
    return root


def _course(language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    root = _course_root(language)
    return cached_course(str(root), (root / "course.xml").stat().st_mtime)


def index(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    scenarios = sorted(
        (name, scenario.description)
        for name, scenario in get_scenarios().items()
        if name.startswith(DEVISUS_TAG_PREFIX)
    )
    courses = []
    for code, _name in settings.LANGUAGES:
        try:
            courses.append(_course(code))
        except Http404:
            continue
    return _render(request, "index.html", language, scenarios=scenarios, courses=courses)


def outline(request, language: str):
    course = _course(language)
    translation.activate(language)
    return _render(request, "outline.html", language, course=course)


def unit(request, language: str, url_name: str):
    course = _course(language)
    current = course.unit(url_name)
    if current is None:
        raise Http404("unknown unit")
    translation.activate(language)
    student = _student(request)
    page = Fragment()
    rendered = []
    for component in current.components:
        if component.category == "openassessment":
            # The real ORA2 block, or None to keep its summary (preview/workshop/render.py).
            fragment = render_open_response(language, component, student)
        elif component.xml:
            fragment = render_custom_block(language, component.url_name, component.xml, student)
        else:
            fragment = None
        if fragment is not None:
            page.add_fragment_resources(fragment)
        rendered.append((component, fragment.body_html() if fragment is not None else None))
    previous, following = course.neighbours(url_name)
    return _render(
        request,
        "unit.html",
        language,
        course=course,
        unit=current,
        components=rendered,
        previous=previous,
        following=following,
        head_html=page.head_html(),
        foot_html=page.foot_html(),
    )
