"""DEVISUS self-positioning XBlock: learners rate themselves from 1 to 5 on the principles, the
competence framework or a custom list, before and after the course.

Thin: settings, views and handlers. The logic is in the service modules of this package
(items, answers, store, aggregates, radar, plan, presenter), imported like any module: block classes
load once Django is set up, in the platform as in the course validator.
"""

from __future__ import annotations

import hashlib

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from ..common.csvfile import csv_text
from ..common.downloads import csv_download
from ..common.errors import ServiceError
from ..common.handlers import Field, GuardedStudioEditsMixin, json_api
from ..common.i18n import display_title, gettext_for, ngettext_for, noop
from ..common.identity import block_key_of, caller_of, course_key_of
from ..common.rendering import author_fragment, block_fragment, render_template, setting_label
from . import config, presenter, store
from .answers import clean_answers, require_complete
from .constants import ROUND_AFTER, ROUND_BEFORE
from .items import COMPETENCES, CUSTOM, MAX_ITEMS, PRINCIPLES, build_item_set
from .plan import course_modules_by_code
from .scenarios import SCENARIOS

ANSWERS = {
    "ratings": Field(dict, item_type=int, max_items=MAX_ITEMS),
    "justifications": Field(dict, required=False, item_type=str, max_items=MAX_ITEMS),
}


def _options(*pairs):
    """Studio drop-down choices, translated for the person editing."""
    return lambda block: [{"display_name": gettext_for(block)(label), "value": value} for value, label in pairs]


DEFAULT_TITLE = noop("Self-assessment: where I stand")


@XBlock.needs("i18n")
@XBlock.needs("user")
class SelfPositioningBlock(GuardedStudioEditsMixin, StudioEditableXBlockMixin, CompletableXBlockMixin, XBlock):
    display_name = String(display_name=noop("Display name"), default=DEFAULT_TITLE, scope=Scope.settings)
    language = String(
        display_name=noop("Language of the items"),
        help=noop("Language of the principle and competence titles and of the modules named in the development plan."),
        default="fr",
        scope=Scope.settings,
        values_provider=_options(("fr", noop("French")), ("en", noop("English"))),
    )
    item_set = String(
        display_name=noop("Items"),
        default=PRINCIPLES,
        scope=Scope.settings,
        values_provider=_options(
            (PRINCIPLES, noop("The 8 principles")),
            (COMPETENCES, noop("The competence framework (knowledge, practical knowledge, soft skills)")),
            (CUSTOM, noop("A custom list")),
        ),
    )
    custom_items = String(
        display_name=noop("Custom items"),
        help=noop("For a custom list only: one item a line, written CODE|Label (3 to 40 items)."),
        default="",
        scope=Scope.settings,
        multiline_editor=True,
    )
    framework_id = String(
        display_name=noop("Framework id"),
        help=noop(
            "Blocks of a course with the same framework id are rounds of one self-assessment: the 'after' block shows the learner's 'before' answers."
        ),
        default="devisus-principles",
        scope=Scope.settings,
    )
    round = String(
        display_name=noop("Round"),
        default=ROUND_BEFORE,
        scope=Scope.settings,
        values_provider=_options(
            (ROUND_BEFORE, noop("Before: first self-assessment")), (ROUND_AFTER, noop("After: compared with the first"))
        ),
    )
    max_justification = Integer(
        display_name=noop("Justification length limit"),
        help=noop("The most characters a learner may write to justify one rating (50 to 2000)."),
        default=config.DEFAULT_JUSTIFICATION,
        scope=Scope.settings,
    )
    participation_credit = Boolean(
        display_name=noop("Participation credit"),
        help=noop(
            "If true, submitting the self-assessment earns full credit; the answers themselves are never graded."
        ),
        default=False,
        scope=Scope.settings,
    )
    editable_fields = (
        "display_name",
        "language",
        "item_set",
        "custom_items",
        "framework_id",
        "round",
        "max_justification",
        "participation_credit",
    )
    icon_class = "problem"
    # Studio previews a block as one learner shared by every author (anonymous id "student":
    # cms/djangoapps/contentstore/views/preview.py, _preview_module_system): student_view there
    # would store that learner's positioning in the course's real table and, for staff, show the
    # cohort's data. With this flag Studio renders author_view instead (preview.py
    # get_preview_fragment, xmodule/studio_editable.py has_author_view), as ORA2 does.
    has_author_view = True

    @property
    def has_score(self):
        return bool(self.participation_credit)

    def max_score(self):
        return 1.0 if self.participation_credit else None

    def ugettext(self, text):
        # XBlock's ugettext uses the i18n service's ugettext, a no-op in the workbench.
        return self._gettext()(text)

    # ---- views ---------------------------------------------------------------------------

    def student_view(self, context=None):
        _ = self._gettext()
        caller = caller_of(self)
        snapshot = self._snapshot(caller, staff=bool(caller and caller.is_staff), view=True)
        staff = caller is not None and caller.is_staff and snapshot.stats is not None
        context = presenter.page(
            snapshot,
            _,
            title=display_title(self, DEFAULT_TITLE),
            limit=self._limit(),
            signed_in=caller is not None,
            results=self._results(snapshot) if snapshot.submitted else None,
            staff_panel=presenter.staff(snapshot.item_set, snapshot.stats, self.round) if staff else None,
            cohort_csv_url=self.runtime.handler_url(self, "cohort_csv") if staff else "",
        )
        return block_fragment(
            self,
            "positioning/student.html",
            context,
            css="css/positioning.css",
            js="js/positioning.js",
            js_init="DevisusSelfPositioning",
            js_args={"messages": presenter.js_messages(_), "maxJustification": self._limit()},
        )

    def author_view(self, context=None):
        """Studio's preview: the settings and the items, from the block's fields only: no cohort
        data, no learner record, no script (so no handler call)."""
        _ = self._gettext()
        try:
            item_set = self._item_set()
        except ServiceError:
            item_set = None  # the reason is among the problems shown
        vm = presenter.author(
            self,
            item_set,
            [error.translated(_) for _name, error in config.problems(self)],
            labels={name: setting_label(self, name) for name in ("language", "item_set", "round")},
            limit=self._limit(),
            _=_,
            ngettext=ngettext_for(self),
        )
        context = {"vm": vm, "title": display_title(self, DEFAULT_TITLE), "uid": self._uid()}
        return author_fragment(self, "positioning/author.html", context, css="css/positioning.css")

    # ---- handlers ------------------------------------------------------------------------

    @json_api(ANSWERS, max_bytes=config.MAX_REQUEST_BYTES)
    def save_draft(self, data, caller):
        item_set = self._item_set()
        answers = clean_answers(item_set, data["ratings"], data.get("justifications") or {}, self._limit())
        record = store.save_draft(self._key(), caller.anonymous_id, answers)
        return {"status": record.status, "updated_at": record.updated_at.isoformat()}

    @json_api({**ANSWERS, "confirm": Field(bool)}, max_bytes=config.MAX_REQUEST_BYTES)
    def submit(self, data, caller):
        if data["confirm"] is not True:
            raise ServiceError(noop("Please confirm that you want to submit this self-assessment."))
        item_set = self._item_set()
        answers = clean_answers(item_set, data["ratings"], data.get("justifications") or {}, self._limit())
        require_complete(item_set, answers)
        record = store.submit(self._key(), caller.anonymous_id, answers)
        if self.participation_credit:
            # Grades only the requesting learner, which is what participation credit is.
            self.runtime.publish(self, "grade", {"value": 1.0, "max_value": 1.0})
        self.emit_completion(1.0)
        snapshot = self._snapshot(caller, staff=False)
        html = render_template(self, "positioning/results.html", results=self._results(snapshot), uid=snapshot.uid)
        return {"status": record.status, "submitted_at": record.submitted_at.isoformat(), "html": html}

    @json_api(writes=False)
    def state(self, data, caller):
        return presenter.state(self._snapshot(caller, staff=False), course_modules_by_code(self.language))

    @XBlock.handler
    def my_csv(self, request, suffix=""):
        def build(caller):
            records = store.rounds_of(course_key_of(self), self.framework_id, caller.anonymous_id)
            return csv_text(*presenter.my_csv(self._item_set(), self.framework_id, records, self._gettext()))

        return csv_download(self, request, filename=f"self-positioning-{self.framework_id}.csv", build=build)

    @XBlock.handler
    def cohort_csv(self, request, suffix=""):
        def build(caller):
            stats = store.cohort_stats(course_key_of(self), self.framework_id)
            return csv_text(*presenter.cohort_csv(self._item_set(), self.framework_id, stats, self._gettext()))

        return csv_download(
            self, request, filename=f"self-positioning-{self.framework_id}-cohort.csv", build=build, staff_only=True
        )

    # ---- Studio --------------------------------------------------------------------------

    def validate_field_data(self, validation, data):
        _ = self._gettext()
        for _name, problem in config.problems(data):
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem.translated(_)))

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS

    # ---- helpers -------------------------------------------------------------------------

    _gettext = gettext_for  # the request's gettext (identity in a runtime without i18n)

    def _item_set(self):
        config.check_usable(self)
        return build_item_set(self.item_set, self.language, self.custom_items)

    def _uid(self) -> str:
        """A short, HTML-safe id for this block's elements (several blocks share one page)."""
        return "devisus-pos-" + hashlib.blake2s(block_key_of(self).encode("utf-8"), digest_size=5).hexdigest()

    def _limit(self) -> int:
        return config.justification_limit(self.max_justification)

    def _key(self):
        return store.RoundKey(course_key_of(self), self.framework_id, self.round)

    def _snapshot(self, caller, *, staff: bool, view: bool = False) -> presenter.Snapshot:
        """What one request needs from the database, in a fixed number of queries.

        In a view, settings that stop the block from taking answers become a message on the
        page instead of an error; handlers let the ServiceError become a translated 4xx.
        """
        uid = self._uid()
        try:
            item_set = self._item_set()
        except ServiceError as error:
            if not view:
                raise
            return presenter.Snapshot(uid, self.round, problem=error.translated(self._gettext()))
        if caller is None:
            return presenter.Snapshot(uid, self.round, item_set)
        course_key = course_key_of(self)
        records = store.rounds_of(course_key, self.framework_id, caller.anonymous_id)
        current = records.get(self.round)
        stats = None
        if staff or (current is not None and current.submitted):
            stats = store.cohort_stats(course_key, self.framework_id)
        return presenter.Snapshot(uid, self.round, item_set, records, stats)

    def _results(self, snapshot: presenter.Snapshot) -> dict:
        results = presenter.results(snapshot, course_modules_by_code(self.language), self._gettext())
        return results | {"my_csv_url": self.runtime.handler_url(self, "my_csv")}
