"""The runtime ORA2 runs in: the xblock-sdk workbench runtime, with what the LMS gives ORA2 besides.

ORA2 reads the learner's identity the LMS way when its block has an ``xmodule_runtime``
(openedx/edx-ora2, openassessment/xblock/openassessmentblock.py: ``course_id``,
``get_student_item_dict``, ``is_course_staff``, ``get_real_user``), and otherwise falls back to a
fixed demo course and the raw workbench user id. :class:`LearnerContext` gives it the LMS's
answers for the simulated learner, so submissions and peer assessments are keyed by anonymous ids
exactly as in Open edX.

Three differences from :class:`workbench.runtime.WorkbenchRuntime`, and why:
- no ``_patch_xblock``: the workbench sets a ``Mock`` ``location`` on every block (for the LTI
  block), and ORA2, seeing a ``location``, imports edx-platform's ``CourseWaffleFlag``
  (openassessment/xblock/config_mixin.py), which fails outside the platform;
- ``openassessment`` blocks are :class:`PreviewOpenAssessmentBlock` (block.py: its ``location``);
- handler URLs point at the preview's own handler view (workshop/views.py), which builds this
  runtime, since the workbench's handler view would apply the patch above.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from workbench.runtime import WorkbenchI18NService, WorkbenchRuntime

from ..services import ANONYMOUS, anonymous_user_id, user_id_for_anonymous_id
from .block import PREVIEW_COURSE_KEY, PreviewOpenAssessmentBlock

# One course key for the preview: ORA2 keys submissions by (course, item, learner), and each
# built course language is its own set of scenarios (preview/blocks.py), hence its own items.
PREVIEW_COURSE_ID = str(PREVIEW_COURSE_KEY)
# Name of the JS global holding the handler URL prefix (the workbench runtime JS reads
# ``window[data-url_selector]``, workbench/static/workbench/js/runtime/1.js).
HANDLER_BASE_GLOBAL = "devisusWorkshopHandlerBase"


class WorkshopI18nService(WorkbenchI18NService):
    """ORA2 translates with the service's ``ugettext`` (openassessmentblock.py ``_``), which the
    workbench's service inherits from XBlock's NullI18nService: a no-op. The LMS's i18n service
    answers with Django's translation functions, and so does this one."""

    @property
    def ugettext(self):
        return translation.gettext

    @property
    def ungettext(self):
        return translation.ngettext

    @property
    def gettext(self):
        return translation.gettext

    @property
    def ngettext(self):
        return translation.ngettext


class LearnerContext:
    """What the LMS's runtime tells ORA2 about the current learner (see the module docstring).

    Nobody is course staff for ORA2 in the preview: its staff area reaches into edx-platform
    (instructor tools, StudentModule), so the unit page says so instead of showing it.
    """

    course_id = PREVIEW_COURSE_ID
    user_is_staff = False
    user_is_admin = False
    user_is_beta_tester = False

    def __init__(self, user_id: str):
        self.anonymous_student_id = anonymous_user_id(user_id)

    @staticmethod
    def get_real_user(anonymous_id: str):
        """The Django user of a simulated learner (created on first use), like the LMS's lookup of
        a user by anonymous id; ORA2 shows the save and submit buttons only for a real user."""
        user_id = user_id_for_anonymous_id(anonymous_id)
        if user_id is None:
            return None
        users = get_user_model().objects
        try:
            return users.get_or_create(username=user_id)[0]
        except IntegrityError:  # ORA2's steps load in parallel: another request created the user
            return users.get(username=user_id)


class WorkshopRuntime(WorkbenchRuntime):
    def __init__(self, user_id: str, language: str):
        super().__init__(user_id)
        self.language = language
        self._services["i18n"] = WorkshopI18nService()
        self.learner = None if user_id in (None, ANONYMOUS) else LearnerContext(user_id)

    def load_block_type(self, block_type):
        if block_type == PreviewOpenAssessmentBlock.ORA2_BLOCK_TYPE:
            return PreviewOpenAssessmentBlock
        return super().load_block_type(block_type)

    def construct_xblock_from_class(self, cls, scope_ids, field_data=None, *args, **kwargs):
        block = super().construct_xblock_from_class(cls, scope_ids, field_data, *args, **kwargs)
        if self.learner is not None:
            block.xmodule_runtime = self.learner
        return block

    def _patch_xblock(self, block):
        """Deliberately nothing: see the module docstring."""

    def _wrap_ele(self, block, view, frag, extra_data=None):
        extra = {
            **(extra_data or {}),
            "url_selector": HANDLER_BASE_GLOBAL,
            # The LMS's wrapper carries these (edx-platform openedx/core/lib/xblock_utils/__init__.py
            # ``wrap_xblock``); ORA2's JS finds its block, and the response being assessed, by them
            # (lms/oa_base.js ``getUsageID``, lms/oa_peer.js ``getUUID``).
            "usage-id": block.scope_ids.usage_id,
            "course-id": PREVIEW_COURSE_ID,
        }
        return super()._wrap_ele(block, view, frag, extra)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        url = super().handler_url(block, handler_name, suffix, query, thirdparty)
        # The workbench's URL with the preview's prefix: same usage id, handler, suffix and query.
        return (
            url.replace("/handler/", reverse("workshop_handler_base", args=(self.language,)), 1)
            if not thirdparty
            else url
        )
