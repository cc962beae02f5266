"""The course's problems, run by the real Open edX problem block (xblocks-contrib's ``ProblemBlock``).

The LMS builds each problem from its OLX with ``ProblemBlock.parse_xml`` and binds it to a learner
with a runtime that offers the services the block declares (user, i18n, cache, sandbox, xqueue,
replace_urls). The xblock-sdk workbench runtime cannot host it as is:

- it overwrites ``block.location`` with a mock (``WorkbenchRuntime._patch_xblock``), which the
  block refuses: its ``location`` must be an opaque-keys ``UsageKey`` (``XModuleMixin.location``);
- it has no ``get_policy`` (the course policy ``parse_xml`` applies) nor ``resources_fs``;
- its key-value store only takes workbench scenario ids (``{scenario}.{tag}.{rest}``).

So :class:`ProblemRuntime` is the workbench runtime with those gaps filled, the way the LMS fills
them (``lms/djangoapps/courseware/block_render.py``, ``get_module_system_for_user``): a usage key
per problem, the course policy, honest local services, and the learner's state in the workbench's
own store (the preview database), under a scenario id of our own. The block's handler is its real
``xmodule_handler``, reached through ``views.problem_handler``.
"""

from __future__ import annotations

import json
import re
import warnings
from functools import lru_cache
from html import escape

from django.core.cache import cache as django_cache
from django.templatetags.static import static
from django.urls import reverse
from lxml import etree
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from web_fragments.fragment import Fragment
from workbench.runtime import WORKBENCH_KVS, WorkbenchRuntime
from xblock.field_data import DictFieldData, SplitFieldData
from xblock.fields import Boolean, Scope, ScopeIds
from xblock.runtime import KeyValueStore, KvsFieldData

from ..i18n import translations
from ..validator.capa_grading import SANDBOXED
from .services import ANONYMOUS

BLOCK_TYPE = "problem"
PUBLIC_RESOURCES = {
    "public/css/ProblemBlockDisplay.css": "text/css",
    "public/js/ProblemBlockDisplay.js": "application/javascript",
}
REMOTE_IMPORT = re.compile(rb'@import url\("https://[^"]*"\);?')
COURSE_ORG = "DEVISUS"
COURSE_NUMBER = "preview"

# Settings the LMS lets a course policy set for every problem (inherited fields, see
# ``xmodule/modulestore/inheritance.py`` in edx-platform): the problem's own attribute wins.
INHERITED_SETTINGS = ("max_attempts", "showanswer", "show_correctness", "rerandomize", "show_reset_button", "due")


@lru_cache(maxsize=1)
def contrib_problem_class():
    """xblocks-contrib's ProblemBlock (the class Open edX registers for ``<problem>``)."""
    with warnings.catch_warnings():
        # fs (pinned by the platform) still declares its namespace through pkg_resources.
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        from xblocks_contrib.problem.capa_block import ProblemBlock
    return ProblemBlock


@lru_cache(maxsize=1)
def problem_class():
    from django.template.loader import render_to_string
    from django.utils.html import escape

    ProblemBlock = contrib_problem_class()

    class PreviewProblemBlock(ProblemBlock):
        """The real block, with one fix to its page: xblocks-contrib 0.13.1 writes the problem's HTML
        into the ``data-content`` attribute of ``problem_ajax.html`` as ``{{ content }}``, but that
        HTML is a SafeString (``get_problem_html``), so Django does not escape it and the attribute
        ends at its first quote (edx-platform's Mako template escaped it: ``${content | h}``). The
        context is otherwise ``ProblemBlock.get_html``'s (xblocks_contrib/problem/capa_block.py).

        ``graded`` is a field the LMS mixes into every block (``InheritanceMixin``,
        ``xmodule/modulestore/inheritance.py``); the problem reads it for its header, and it
        arrives, like the course's settings, through the policy ``parse_xml`` applies."""

        graded = Boolean(scope=Scope.settings, default=False)

        def get_html(self):
            current_score, total_possible = self.get_display_progress()
            return render_to_string(
                "problem_ajax.html",
                {
                    "element_id": self.location.html_id(),
                    "id": str(self.location),
                    "ajax_url": self.ajax_url,
                    "current_score": current_score,
                    "total_possible": total_possible,
                    "attempts_used": self.attempts,
                    "content": escape(self.get_problem_html(encapsulate=False)),
                    "graded": self.graded,
                },
            )

    return PreviewProblemBlock


def usage_key(language: str, url_name: str) -> BlockUsageLocator:
    return BlockUsageLocator(CourseLocator(COURSE_ORG, COURSE_NUMBER, language), BLOCK_TYPE, url_name)


def state_scenario(language: str) -> str:
    return f"devisus-problems-{language}"


def stored_states(language: str, students) -> dict[tuple[str, str], dict]:
    """Every kept problem state of these learners, by (learner, problem url_name): one query."""
    from workbench.models import XBlockState

    rows = XBlockState.objects.filter(
        scope="usage", scenario=state_scenario(language), tag=BLOCK_TYPE, user_id__in=list(students)
    ).values_list("user_id", "scope_id", "state")
    states = {}
    for user_id, scope_id, state in rows:
        try:
            states[(user_id, scope_id.split(".", 2)[2])] = json.loads(state)
        except (ValueError, IndexError):
            continue
    return states


@lru_cache(maxsize=512)
def problem_facts(language: str, url_name: str, xml: str) -> tuple[float | None, float]:
    """The problem's ``weight`` and its raw points possible (``max_score``), from the real block."""
    block = problem_block(language, url_name, xml, "devisus-progress", {})
    return block.weight, float(block.max_score())


class _StateStore(KeyValueStore):
    """The learner's problem state in the workbench's store, under ids the store accepts.

    The workbench's ``XBlockState`` splits its scope ids as ``{scenario}.{tag}.{rest}``; a usage key
    has no such shape, so each problem is filed under ``devisus-problems-<lang>.problem.<url_name>``.
    """

    def __init__(self, language: str):
        self.language = language

    def _key(self, key: KeyValueStore.Key) -> KeyValueStore.Key:
        scope_id = f"{state_scenario(self.language)}.{BLOCK_TYPE}.{key.block_scope_id.block_id}"
        return KeyValueStore.Key(key.scope, key.user_id, scope_id, key.field_name, key.block_family)

    def get(self, key):
        return WORKBENCH_KVS.get(self._key(key))

    def set(self, key, value):
        WORKBENCH_KVS.set(self._key(key), value)

    def delete(self, key):
        WORKBENCH_KVS.delete(self._key(key))

    def has(self, key):
        return WORKBENCH_KVS.has(self._key(key))


class _Sandbox:
    """No code sandbox (codejail) in the preview: capa refuses to run problem scripts, as the LMS
    does without one (``can_execute_unsafe_code`` false)."""

    @staticmethod
    def can_execute_unsafe_code():
        return False

    @staticmethod
    def get_python_lib_zip():
        return None


class _NoXQueue:
    """No external grader queue in the preview; capa only uses it for ``coderesponse``, which the
    course validator rejects (it needs the platform's graders)."""

    interface = None
    default_queuename = None
    waittime = 0

    @staticmethod
    def construct_callback(*_args, **_kwargs):
        return ""


class _ReplaceUrls:
    """The LMS rewrites ``/static/`` links to the course's assets; the course's problems have none,
    so their HTML is left as written."""

    @staticmethod
    def replace_urls(html, *_args, **_kwargs):
        return html


class ProblemRuntime(WorkbenchRuntime):
    """The workbench runtime, completed with what the problem block needs from the LMS's."""

    resources_fs = None  # problems with <include> of course files are not previewed

    def __init__(self, language: str, student_id: str, policy: dict):
        super().__init__(student_id)
        self.language = language
        self.policy = policy
        self._services.update(
            {
                "field-data": SplitFieldData({}),  # replaced per block in ``problem_block``
                "cache": django_cache,
                "sandbox": _Sandbox(),
                "xqueue": _NoXQueue(),
                "replace_urls": _ReplaceUrls(),
            }
        )

    def _patch_xblock(self, block):
        # The workbench's mock location breaks the problem block (see the module docstring).
        return None

    def get_policy(self, _usage_id):
        return self.policy

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        # The block asks for its ajax URL with no suffix; its JavaScript appends ``/<dispatch>``
        # (``/problem_check``, ...), which views.problem_handler receives.
        args = (self.language, str(self.user_id), block.location.block_id, suffix or "problem_get")
        url = reverse("preview_problem_handler", args=args)
        return url if suffix else url.rsplit("/", 1)[0]

    def local_resource_url(self, block, uri):
        # The block asks for ``problem/public/...`` (the LMS's pipeline layout, see
        # ``openedx/core/lib/xblock_utils/__init__.py``); the package holds ``public/...``.
        return reverse("preview_problem_resource", args=(uri.removeprefix(f"{BLOCK_TYPE}/"),))

    # ``publish`` stays the workbench's (it logs events): the grade the block publishes is the
    # ``score`` it also keeps in its own state, which the progress page reads.


def public_resource(uri: str) -> tuple[bytes, str] | None:
    """A file of the block's ``public/`` folder and its content type, or None. Its stylesheet
    starts by importing a web font from fonts.googleapis.com; the preview runs on the author's
    machine and asks nothing of outside servers, so that import is left out (the font falls back)."""
    if uri not in PUBLIC_RESOURCES:
        return None
    with contrib_problem_class().open_local_resource(uri) as handle:
        content = handle.read()
    if uri.endswith(".css"):
        content = REMOTE_IMPORT.sub(b"", content)
    return content, PUBLIC_RESOURCES[uri]


def _field_data(language: str) -> SplitFieldData:
    """Content and settings from the OLX (a fresh copy per block), learner state persisted."""
    settings_data = DictFieldData({})
    state = KvsFieldData(_StateStore(language))
    return SplitFieldData(
        {
            Scope.content: settings_data,
            Scope.settings: settings_data,
            Scope.parent: settings_data,
            Scope.children: settings_data,
            Scope.user_state: state,
            Scope.preferences: state,
            Scope.user_info: state,
            Scope.user_state_summary: state,
        }
    )


def course_policy(policy_file) -> dict:
    """The inherited problem settings of the course (policy.json, key ``course/<run>``)."""
    try:
        data = json.loads(policy_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    course = next(iter(data.values()), {}) if isinstance(data, dict) and data else {}
    return {name: course[name] for name in INHERITED_SETTINGS if isinstance(course, dict) and name in course}


def problem_block(language: str, url_name: str, xml: str, student_id: str, policy: dict):
    """The real problem block for ``student_id``, parsed from its OLX as the LMS parses it."""
    ProblemBlock = problem_class()
    runtime = ProblemRuntime(language, student_id, policy)
    runtime._services["field-data"] = _field_data(language)
    key = usage_key(language, url_name)
    element = etree.fromstring(xml.encode("utf-8"))
    element.attrib.pop("url_name", None)
    # The course policy holds course-wide defaults; ``parse_xml`` applies the policy *over* the
    # attributes, so only the settings the problem does not set itself are passed on.
    runtime.policy = {name: value for name, value in policy.items() if name not in element.attrib}
    return ProblemBlock.parse_xml(element, runtime, ScopeIds(student_id, BLOCK_TYPE, key, key))


def _sandbox_message(language: str) -> Fragment:
    _ = translations(language).gettext
    message = _(
        "This problem runs code, which Open edX runs in its code sandbox (codejail); "
        "the preview has none, so it cannot be answered here."
    )
    return Fragment(f'<p class="devisus-preview-summary" role="note">{escape(message)}</p>')


def needs_sandbox(xml: str) -> bool:
    """Whether the problem runs Python (a ``<script>``) or a response type graded by code: the LMS
    runs those in its code sandbox (codejail), which the preview does not have."""
    tags = {element.tag for element in etree.fromstring(xml.encode("utf-8")).iter() if isinstance(element.tag, str)}
    return bool(tags & SANDBOXED) or "script" in tags


def render_problem(language: str, url_name: str, xml: str, student_id: str, policy: dict) -> Fragment:
    """The block's student_view, with what its JavaScript needs from the page around it: underscore
    before it (the bundle reads ``window._`` when it loads), the LMS's helpers after jQuery."""
    if needs_sandbox(xml):
        return _sandbox_message(language)
    block = problem_block(language, url_name, xml, student_id, policy)
    # A visitor who is not signed in gets the block's public view, as in the LMS (a sign-in notice).
    view = "public_view" if student_id == ANONYMOUS else "student_view"
    rendered = block.runtime.render(block, view, {})
    block.save()  # the seed and initial score the block sets while rendering
    fragment = Fragment(rendered.content)
    fragment.add_resource_url(static("workbench/js/vendor/underscore-min.js"), "application/javascript", "head")
    fragment.add_fragment_resources(rendered)
    fragment.add_javascript_url(static("devisus_preview/problem.js"))
    fragment.js_init_fn = rendered.js_init_fn
    fragment.js_init_version = rendered.js_init_version
    fragment.json_init_args = rendered.json_init_args
    return fragment
