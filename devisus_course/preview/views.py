"""The preview's own pages: an index of every block scenario and the course, unit by unit."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.static import serve
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from web_fragments.fragment import Fragment
from workbench.scenarios import get_scenarios
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NotFoundError, ProcessingError

from ..i18n import translations
from .components import RenderContext, problem_policy, render_component
from .course_tree import cached_course
from .grading_policy import GradingPolicyError
from .problems import problem_block, public_resource
from .progress import course_progress, grading_policy
from .services import ANONYMOUS
from .switches import language_links
from .workshop.render import render_open_response

SIMULATED_USERS = ("alice", "bob", "carol", "dave", "erin", "staff")
DEVISUS_TAG_PREFIX = "devisus_"
# What the problem block's handle_ajax answers (xblocks_contrib/problem/capa_block.py); any other
# action is a 404 here rather than the block's NotFoundError (a 500).
PROBLEM_DISPATCHES = frozenset(
    {"problem_get", "problem_check", "problem_reset", "problem_save", "problem_show", "hint_button", "input_ajax"}
)


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


def _student_id(student: str) -> str:
    return student if student.replace("_", "").replace("-", "").isalnum() and len(student) <= 40 else "alice"


def _student(request) -> str:
    return _student_id(request.GET.get("student", "alice"))


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
    context = RenderContext(language, student, course.root, graded=current.graded is not None)
    for component in current.components:
        if component.category == "openassessment":
            # The real ORA2 block, or None to keep its summary (preview/workshop/render.py).
            fragment = render_open_response(language, component, student)
        else:
            fragment = render_component(context, component)
        if fragment is not None:
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


def _percent(value: float, language: str) -> str:
    """A fraction as a whole percentage, as the LMS's progress page shows it ({:.0%})."""
    return translations(language).gettext("%(value)d%%") % {"value": round(value * 100)}


def _points(value: float) -> str:
    return f"{round(value, 2):g}"


def progress(request, language: str):
    """Scores and course grade of the learner acted as; a trainer sees every simulated learner
    (and one learner's details with ``?learner=``)."""
    course = _course(language)
    translation.activate(language)
    student = _student(request)
    is_staff = student in settings.DEVISUS_PREVIEW_STAFF
    learners = [user for user in SIMULATED_USERS if user not in settings.DEVISUS_PREVIEW_STAFF]
    shown = request.GET.get("learner") if is_staff else student
    shown = shown if shown in learners or not is_staff else None
    context = {"course": course, "is_staff": is_staff, "learners": learners, "shown": shown}
    if student == ANONYMOUS:  # the LMS sends a visitor who is not signed in to its sign-in page
        return _render(request, "progress.html", language, policy_error=None, signed_out=True, **context)
    try:
        progress_by_learner = course_progress(course, learners if is_staff else [student])
    except GradingPolicyError as error:
        return _render(request, "progress.html", language, policy_error=str(error), signed_out=False, **context)
    return _render(
        request,
        "progress.html",
        language,
        policy_error=None,
        signed_out=False,
        progress=progress_by_learner,
        detail=progress_by_learner.get(shown) if shown else None,
        policy=grading_policy(course),
        percent=lambda value: _percent(value, language),
        points=_points,
        **context,
    )


def problem_resource(request, uri: str):
    """The problem block's script and stylesheet (see problems.public_resource)."""
    found = public_resource(uri)
    if found is None:
        raise Http404("unknown problem resource")
    content, content_type = found
    return HttpResponse(content, content_type=content_type)


@require_POST
def problem_handler(request, language: str, student: str, url_name: str, dispatch: str):
    """The problem block's own ajax handler (``xmodule_handler``: check, show answer, ...), as the
    LMS routes ``/xblock/<usage>/handler/xmodule_handler/<dispatch>`` to it."""
    course = _course(language)
    found = course.find_component("problem", url_name)
    if found is None or dispatch not in PROBLEM_DISPATCHES:
        raise Http404("unknown problem or action")
    unit, component = found
    translation.activate(language)
    if student == ANONYMOUS:
        # The LMS refuses a POST from a visitor who is not signed in with a 403 before any block
        # handler runs (lms/djangoapps/courseware/block_render.py, handle_xblock_callback).
        return JsonResponse({"success": translations(language).gettext("Sign in to answer problems.")}, status=403)
    policy = problem_policy(course.root, unit.graded is not None)
    block = problem_block(language, url_name, component.xml, _student_id(student), policy)
    # The LMS's error contract for block handlers (lms/djangoapps/courseware/block_render.py,
    # _invoke_xblock_handler): NotFoundError is a 404, ProcessingError (a closed problem, an answer
    # capa refuses) is the message as ``{"success": ...}``, which the block's JavaScript shows.
    try:
        response = block.runtime.handle(block, "xmodule_handler", django_to_webob_request(request), dispatch)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    except ProcessingError as error:
        return JsonResponse({"success": str(error.args[0]) if error.args else ""})
    return webob_to_django_response(response)
