"""ORA2's block with the two answers the LMS gives it and the workbench cannot.

- ``location``: in the LMS every block has its usage key; ORA2 reads it when a response is
  submitted (the ``ORA_SUBMISSION_CREATED`` event, openassessment/xblock/ui_mixins/legacy/
  handlers_mixin.py). Here it is a real opaque key in the preview's course.
- ``_course_waffle_flag``: with a ``location``, ORA2 asks edx-platform's ``CourseWaffleFlag``
  (openedx/core/djangoapps/waffle_utils) whether a feature is switched on for the course
  (openassessment/xblock/config_mixin.py ``is_feature_enabled``). That class and its per-course
  override table exist only in the platform; the preview has no per-course overrides, so the
  answer is always "not for this course", and ORA2 goes on to check its waffle switches, flags and
  FEATURES, as in the LMS.
"""

from __future__ import annotations

from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from openassessment.xblock.openassessmentblock import OpenAssessmentBlock

PREVIEW_COURSE_KEY = CourseLocator("DEVISUS", "USIS", "preview")


class _NoCourseOverride:
    def is_enabled(self, course_key=None) -> bool:
        return False


class PreviewOpenAssessmentBlock(OpenAssessmentBlock):
    ORA2_BLOCK_TYPE = "openassessment"

    @property
    def location(self) -> BlockUsageLocator:
        return BlockUsageLocator(PREVIEW_COURSE_KEY, self.scope_ids.block_type, str(self.scope_ids.usage_id))

    @staticmethod
    def _course_waffle_flag(flag_name):
        return _NoCourseOverride()
