"""The preview's own pages: an index of every block scenario and the course, unit by unit."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.static import serve
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from web_fragments.fragment import Fragment
from workbench.scenarios import get_scenarios

from ..i18n import translations
from .blocks import render_custom_block
from .course_tree import cached_course
from .switches import language_links

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


def _render(request, template: str, language: str, *, status: int = 200, **context) -> HttpResponse:
    catalog = translations(language)
    student = _student(request)
    # Error pages pass their own (leading to the index); other pages switch the page itself.
    links = context.pop("language_links", None) or language_links(request.path, student, language)
    page = (
        _environment()
        .get_template(template)
        .render(
            _=catalog.gettext,
            gettext=catalog.gettext,
            ngettext=catalog.ngettext,
            language=language,
            student=student,
            users=SIMULATED_USERS,
            language_links=links,
            staff_users=settings.DEVISUS_PREVIEW_STAFF,
            static=static,
            url=reverse,
            csrf_token=get_token(request),
            request_path=request.path,
            **context,
        )
    )
    return HttpResponse(page, status=status)


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


def interface_language() -> str:
    """The language LocaleMiddleware (or ``?lang=``) activated, if the preview has it."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def index(request):
    language = interface_language()
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
        if component.xml:
            fragment = render_custom_block(language, component.url_name, component.xml, student)
            page.add_fragment_resources(fragment)
            rendered.append((component, fragment.body_html()))
        elif component.category == "html":
            # Author content from the course builder; its course files are served below.
            rendered.append((component, _course_static_urls(component.html, language)))
        else:
            rendered.append((component, None))
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


# An HTML component links its course files as "/static/<name>"; Open edX rewrites them to the
# course's assets (edx-platform common/djangoapps/static_replace/__init__.py, replace_static_urls),
# and so does the preview, to the built tree's static/ folder.
_STATIC_URL = re.compile(r"""(?<=["'(])/static/(?=[A-Za-z0-9_.-]+["')])""")


def _course_static_urls(html: str, language: str) -> str:
    return _STATIC_URL.sub(f"/course/{language}/static/", html)


def course_static(request, language: str, name: str):
    """A file of the built course's static/ folder (diagrams, the reference sheet)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    return serve(request, name, document_root=str(_course_root(language) / "static"))
