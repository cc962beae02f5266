"""DEVISUS pair peer review XBlock: theoretician-practitioner pairs write joint work, review
other pairs' work with a rubric, rate the reviews they get; trainers follow, grade and override.

Thin: fields, views and handlers. The domain (pairing, drafts, allocation, reviews, grading,
trainer, export) is in this package's service modules (see API.md), imported here like any module:
the platform loads block classes only once Django is set up with the plugin apps, and the course
validator does the same (``devisus_course/validator/django_setup.py``). Settings are in
``config``, the rubric's OLX in ``olx``, view-models in ``presenter``.
"""

from __future__ import annotations

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from ..common.downloads import csv_download, query_flag
from ..common.errors import ServiceError
from ..common.handlers import Field, GuardedStudioEditsMixin, json_api
from ..common.i18n import display_title, gettext_for, noop
from ..common.identity import block_key_of, caller_of, course_key_of
from ..common.rendering import author_fragment, block_fragment
from . import config, olx
from .activity import get_activity
from .grading import grades
from .pairing import contribution, drafts, formation, inactivity
from .reviewing import allocation, calibration, reviews
from .reviewing.rubric import MAX_CRITERIA
from .scenarios import SCENARIOS
from .trainer import export, oversight, worklist
from .views import presenter, replies

DEFAULT_TITLE = noop("Pair project: submission and peer review")
TEXT_BYTES = config.MAX_TEXT_LIMIT * 6 + 16 * 1024  # every character a 6-byte JSON escape at worst
ASSESSMENT = {
    "choices": Field(dict, item_type=str, max_items=MAX_CRITERIA),
    "comments": Field(dict, item_type=str, max_items=MAX_CRITERIA),
}
ASSESSMENT_BYTES = MAX_CRITERIA * config.MAX_COMMENT * 6 + 16 * 1024
ID = Field(int, minimum=1)


def _choices(pairs):
    """Studio drop-down choices, translated for the person editing."""
    return lambda block: [{"display_name": gettext_for(block)(label), "value": value} for value, label in pairs]


def _setting(field, name, default, help_text, **options):
    return field(display_name=name, default=default, scope=Scope.settings, help=help_text, **options)


@XBlock.needs("i18n")
@XBlock.needs("user")
class PairReviewBlock(GuardedStudioEditsMixin, StudioEditableXBlockMixin, CompletableXBlockMixin, XBlock):
    display_name = _setting(
        String, noop("Display name"), DEFAULT_TITLE, noop("The title learners see above the activity.")
    )
    language = _setting(
        String,
        noop("Language of the default rubric"),
        "fr",
        noop("The language of the capstone rubric used when no rubric is given."),
        values_provider=_choices(config.LANGUAGE_CHOICES),
    )
    pairing_mode = _setting(
        String,
        noop("Pairing"),
        "automatic",
        noop("How learners form pairs."),
        values_provider=_choices(config.PAIRING_CHOICES),
    )
    pairing_id = _setting(
        String,
        noop("Pairing id"),
        "",
        noop(
            "Optional. Blocks of the course with the same pairing id share their pairs: a learner "
            "paired in one of them works with the same partner in all of them (each activity keeps "
            "its own drafts, reviews and grades). Lower-case letters, digits, - and _. Empty: this "
            "activity forms its own pairs. Do not change it once learners have started."
        ),
    )
    disagreement_threshold = _setting(
        Integer,
        noop("Score gap that refers a submission to the trainer (points)"),
        0,
        noop(
            "When the scores of a submission's peer reviews differ by more than this many percentage points, "
            "its peer grade waits for a trainer's review, and the submission is listed as needing the trainer. "
            "0: never."
        ),
    )
    calibration = _setting(
        List,
        noop("Calibration examples"),
        [],
        noop(
            "Optional, at most 3, as JSON: submissions scored with the rubric that each reviewer assesses before "
            'their first review, then compares with the reference: [{"id": "example-1", "title": "...", '
            '"text": "...", "levels": {"<criterion id>": "<level id>", ...}, "comments": {"<criterion id>": '
            '"why this level", ...}}]. Empty: no calibration.'
        ),
    )
    inactive_after_days = _setting(
        Integer,
        noop("Days before a partner counts as inactive"),
        14,
        noop(
            "A partner who has not opened any activity of the pairing for this many days is shown as "
            "inactive to the other member and to the trainer; the other member may then leave and be "
            "paired again. 0: never."
        ),
    )
    theoretician_label = _setting(
        String,
        noop("Label of the theory-oriented profile"),
        "",
        noop("Empty: 'Theoretician', in the learner's language."),
    )
    practitioner_label = _setting(
        String,
        noop("Label of the field-oriented profile"),
        "",
        noop("Empty: 'Field practitioner', in the learner's language."),
    )
    review_unit = _setting(
        String,
        noop("Who reviews"),
        "learner",
        noop("Each learner reviews, or each pair reviews together."),
        values_provider=_choices(config.REVIEW_UNIT_CHOICES),
    )
    reviews_per_reviewer = _setting(
        Integer,
        noop("Reviews to give"),
        2,
        noop("How many other pairs' submissions each reviewer (learner or pair) reviews (1 or more)."),
    )
    reviews_required = _setting(
        Integer,
        noop("Reviews needed for a grade"),
        2,
        noop("How many peer reviews a submission needs to be graded by its peers (1 or more)."),
    )
    lease_hours = _setting(
        Float,
        noop("Hours to finish a review"),
        8.0,
        noop("After this time, a started review may be given to another reviewer."),
    )
    char_limit = _setting(
        Integer, noop("Character limit of the joint work"), 20_000, noop("From 1 to 200,000 characters.")
    )
    min_comment_length = _setting(
        Integer,
        noop("Minimum comment length"),
        20,
        noop("Characters each criterion's comment needs, against empty feedback."),
    )
    max_comment_length = _setting(Integer, noop("Maximum comment length"), 5_000, noop("At most 20,000 characters."))
    flexible_after_days = _setting(
        Integer,
        noop("Days before flexible grading"),
        7,
        noop("After this many days, a submission with enough reviews is graded with those it has."),
    )
    flexible_percent = _setting(
        Integer,
        noop("Reviews needed for flexible grading (percent)"),
        30,
        noop("Percentage of the reviews needed that flexible grading requires (at least one review)."),
    )
    # ISO 8601 strings read by config.parse_due, not DateTime fields: Studio's editor would show
    # a DateTime as a date and save it back at midnight (see config.DUE_FIELDS).
    submission_due = _setting(
        String,
        noop("Submission due"),
        None,
        noop(
            "Optional. The date, time and time zone after which pairs cannot submit, in ISO 8601: "
            "2027-03-01T23:59:00+00:00 is 23:59 UTC, 2027-03-01T23:59:00+01:00 is 23:59 in Paris "
            "in winter. Empty: no deadline."
        ),
    )
    review_due = _setting(
        String,
        noop("Reviews due"),
        None,
        noop(
            "Optional. The date, time and time zone after which no review is taken, in ISO 8601 "
            "(e.g. 2027-03-15T23:59:00+00:00). Empty: no deadline."
        ),
    )
    self_assessment = _setting(
        Boolean,
        noop("Pair's own review"),
        True,
        noop("Offer pairs an optional review of their own work (never graded)."),
    )
    points = _setting(
        Integer,
        noop("Points"),
        config.DEFAULT_POINTS,
        noop(
            "What a full grade is worth in the gradebook, a whole number from 1 to 1000. Each member "
            "gets the pair's grade (a fraction) times these points, rounded."
        ),
    )
    rubric = _setting(
        List,
        noop("Rubric"),
        [],
        noop(
            "Criteria with weights summing to 100 and levels with increasing points, "
            "as JSON. Empty: the capstone rubric in the block's language."
        ),
    )
    completion_sent = Boolean(default=False, scope=Scope.user_state, help="Completion was published for the learner.")

    editable_fields = (
        "display_name",
        "language",
        "pairing_mode",
        "pairing_id",
        "inactive_after_days",
        "theoretician_label",
        "practitioner_label",
        "review_unit",
        "reviews_per_reviewer",
        "reviews_required",
        "lease_hours",
        "char_limit",
        "min_comment_length",
        "max_comment_length",
        "flexible_after_days",
        "flexible_percent",
        "submission_due",
        "review_due",
        "self_assessment",
        "points",
        "disagreement_threshold",
        "rubric",
        "calibration",
    )
    has_score = True
    icon_class = "problem"
    # Studio previews a block as one learner shared by every author (anonymous id "student":
    # cms/djangoapps/contentstore/views/preview.py, _preview_module_system), so student_view
    # there would pair, draft and review in the course's real tables. With this flag Studio
    # renders author_view instead (preview.py get_preview_fragment, xmodule/studio_editable.py
    # has_author_view), as ORA2 does (openassessment/xblock/openassessmentblock.py).
    has_author_view = True

    def max_score(self):
        return config.points_of(self)  # the points possible of every score the block publishes

    def ugettext(self, text):
        return self._gettext()(text)  # XBlock's own uses the i18n service's ugettext, a no-op in the workbench

    # ---- view ----------------------------------------------------------------------------

    def student_view(self, context=None):
        _ = self._gettext()
        caller = caller_of(self)
        learner = staff = None
        problem = ""
        try:
            if caller is not None and caller.is_staff:
                staff = replies.staff_view(self, caller, *self._context(), flexible=True)
            elif caller is not None:
                learner = replies.learner_view(self, caller, *self._context())
                self.complete(learner)
        except ServiceError as error:
            problem = error.translated(_)
        context = {
            "uid": replies.uid(self),
            "title": self.title,
            "problem": problem,
            "signed_in": caller is not None,
            "vm": learner,
            "staff": staff,
        }
        return block_fragment(
            self,
            "pair_review/block.html",
            context,
            css="css/pair_review.css",
            js="js/pair_review.js",
            js_init="DevisusPairReview",
            js_args={"messages": presenter.js_messages(_)},
        )

    def author_view(self, context=None):
        """Studio's preview: the settings, how the activity grades and the rubric. Reads the
        block's fields only: no database, no learner state, no script (so no handler call)."""
        return author_fragment(
            self,
            "pair_review/author.html",
            {"vm": replies.author_view(self), "title": self.title, "uid": replies.uid(self)},
            css="css/pair_review.css",
        )

    # ---- learner handlers ------------------------------------------------------------------

    @json_api(writes=False)
    def state(self, data, caller):
        return self._reply(caller, "")

    @json_api({"profile": Field(str, max_length=40)})
    def declare_profile(self, data, caller):
        activity, settings = self._context()
        formation.declare_profile(activity, settings, caller, data["profile"])
        if settings.pairing_mode == "automatic":  # the API's one-handler shortcut: choose, then queue or match
            formation.join_automatic(activity, settings, caller)
        return self._reply(caller, noop("Your profile is saved."))

    @json_api()
    def join_automatic(self, data, caller):
        formation.join_automatic(*self._context(), caller)
        return self._reply(caller, "")

    @json_api()
    def create_invitation(self, data, caller):
        formation.create_invitation(*self._context(), caller)
        return self._reply(caller, noop("Your invitation code is ready: give it to your partner."))

    @json_api({"code": Field(str, max_length=40)})
    def join_with_code(self, data, caller):
        formation.join_with_code(*self._context(), caller, data["code"])
        return self._reply(caller, noop("You have joined your partner. You can now write your assignment together."))

    @json_api()
    def leave_pair(self, data, caller):
        formation.leave_pair(*self._context(), caller)
        return self._reply(caller, noop("Your invitation is cancelled."))

    @json_api({"confirm": Field(bool)})
    def leave_inactive_partner(self, data, caller):
        if not data["confirm"]:
            raise ServiceError(noop("Please confirm that you want to leave your pair."))
        inactivity.leave_inactive_partner(*self._context(), caller)
        return self._reply(
            caller,
            noop(
                "You have left your pair. Your former pair's submitted work and grades stay yours; "
                "you now look for a new partner."
            ),
        )

    @json_api(
        {"pair_id": ID, "text": Field(str, max_length=config.MAX_TEXT_LIMIT), "base_version": Field(int, minimum=0)},
        max_bytes=TEXT_BYTES,
    )
    def save_draft(self, data, caller):
        try:
            view = drafts.save_draft(*self._context(), caller, data["pair_id"], data["text"], data["base_version"])
        except ServiceError as error:
            if error.status == 409 and "version" in error.params:  # stale: say what the view offers
                raise ServiceError(
                    noop(
                        "Your partner saved version %(version)s of the draft while you were editing. "
                        "Nothing was overwritten and your text is still in the editor: show your "
                        "partner's version to compare before saving again."
                    ),
                    status=409,
                    version=error.params["version"],
                ) from None
            raise
        return self._reply(caller, noop("Draft saved (version %(version)s)."), version=view.version)

    @json_api({"pair_id": ID, "version": Field(int, minimum=0), "confirm": Field(bool)})
    def submit(self, data, caller):
        if data["confirm"] is not True:
            raise ServiceError(noop("Please confirm that you want to submit your pair's work."))
        drafts.submit_pair(*self._context(), caller, data["pair_id"], expected_version=data["version"])
        return self._reply(caller, noop("Your pair's work is submitted and locked. It now goes to peer review."))

    @json_api()
    def next_review(self, data, caller):
        found = allocation.get_next_review(*self._context(), caller)
        message = {
            "": noop("Here is the work to review."),
            "done": noop("You have given all your reviews."),
            "none_available": noop(
                "No work is waiting for review right now: other pairs are still writing or "
                "being reviewed. Check again later."
            ),
        }[found.reason if not found.task else ""]
        return self._reply(caller, message, task=found.task, none_available=found.reason == "none_available")

    @json_api({"assignment_id": ID, **ASSESSMENT}, max_bytes=ASSESSMENT_BYTES)
    def submit_review(self, data, caller):
        reviews.submit_review(*self._context(), caller, data["assignment_id"], data["choices"], data["comments"])
        return self._reply(caller, noop("Your review is sent. Thank you!"))

    # Levels only: calibration compares levels with the reference's, comments are not kept.
    @json_api({"example_id": Field(str, max_length=40), "choices": ASSESSMENT["choices"]}, max_bytes=ASSESSMENT_BYTES)
    def calibrate(self, data, caller):
        calibration.submit_calibration(*self._context(), caller, data["example_id"], data["choices"])
        return self._reply(caller, noop("Your assessment of the example is recorded: compare it with the reference."))

    @json_api(ASSESSMENT, max_bytes=ASSESSMENT_BYTES)
    def self_assess(self, data, caller):
        reviews.submit_self_assessment(*self._context(), caller, data["choices"], data["comments"])
        return self._reply(caller, noop("Your pair's own review is saved."))

    @json_api({"text": Field(str, max_length=20_000)})
    def save_contribution(self, data, caller):
        contribution.save_contribution(*self._context(), caller, data["text"])
        return self._reply(caller, noop("Your statement is saved. Only the teaching team reads it."))

    @json_api({"review_id": ID, "helpfulness": Field(int), "comment": Field(str, required=False, max_length=20_000)})
    def rate_review(self, data, caller):
        reviews.rate_review(
            self._context()[0], caller, data["review_id"], data["helpfulness"], data.get("comment") or ""
        )
        return self._reply(caller, noop("Thank you: your feedback on this review is saved."))

    # ---- trainer handlers ------------------------------------------------------------------

    @json_api(staff_only=True, writes=False)
    def staff_state(self, data, caller):
        return replies.dashboard_reply(self, caller, *self._context())

    @json_api(
        {
            "status": Field(str, required=False, max_length=40),
            "search": Field(str, required=False, max_length=1_000),
            "sort": Field(str, required=False, max_length=40),
            "page": Field(int, required=False, minimum=1),
            "page_size": Field(int, required=False, minimum=1, maximum=worklist.MAX_PAGE_SIZE),
        },
        staff_only=True,
        writes=False,
    )
    def staff_worklist(self, data, caller):
        return replies.worklist_reply(self, caller, *self._context(), data)

    @json_api(
        {
            "anonymous_id": Field(str, max_length=128),
            "name": Field(str, required=False, max_length=150),
            "search": Field(str, required=False, max_length=oversight.MAX_TARGET_SEARCH),
            "exclude_pair_id": Field(int, required=False, minimum=1),
        },
        staff_only=True,
        writes=False,
    )
    def staff_targets(self, data, caller):
        return replies.targets_reply(self, caller, self._context()[0], data)

    @json_api({"pair_id": ID}, staff_only=True, writes=False)
    def staff_pair(self, data, caller):
        return replies.staff_pair_reply(self, caller, *self._context(), data["pair_id"])

    @json_api({"submission_id": ID, **ASSESSMENT}, staff_only=True, max_bytes=ASSESSMENT_BYTES)
    def trainer_review(self, data, caller):
        reviews.submit_trainer_review(
            *self._context(), caller, data["submission_id"], data["choices"], data["comments"]
        )
        return self._staff_reply(
            caller,
            noop("Your review is saved: it is now the pair's grade (unless overridden)."),
            submission_id=data["submission_id"],
        )

    @json_api(
        {
            "submission_id": ID,
            "grade": Field((int, float), required=False, minimum=0, maximum=100),
            "clear": Field(bool, required=False),
            "reason": Field(str, max_length=20_000),
        },
        staff_only=True,
    )
    def override_grade(self, data, caller):
        if data.get("grade") is None and data.get("clear") is not True:
            raise ServiceError(noop("Enter a grade between 0 and 100, or choose to remove the override."))
        new_grade = None if data.get("clear") is True else data["grade"] / 100
        grades.override_grade(*self._context(), caller, data["submission_id"], new_grade, data["reason"])
        return self._staff_reply(
            caller, noop("The grade is changed and the reason kept."), submission_id=data["submission_id"]
        )

    @json_api(
        {"anonymous_id": Field(str, max_length=128), "to_pair_id": Field(int, required=False, minimum=1)},
        staff_only=True,
    )
    def move_learner(self, data, caller):
        formation.move_learner(*self._context(), caller, data["anonymous_id"], data.get("to_pair_id"))
        return self._staff_reply(caller, noop("The learner is moved."), pair_id=data.get("to_pair_id"))

    @json_api({"pair_id": ID}, staff_only=True)
    def split_pair(self, data, caller):
        members = inactivity.split_pair(*self._context(), caller, data["pair_id"])
        return self._staff_reply(
            caller, noop("The pair is split: %(count)s learners wait for a new partner."), count=len(members)
        )

    @json_api({"strategy": Field(str, max_length=20)}, staff_only=True)
    def resolve_leftovers(self, data, caller):
        result = formation.resolve_leftovers(*self._context(), caller, data["strategy"])
        return self._staff_reply(
            caller,
            noop("New pairs: %(placed)s; pairs completed or made trios: %(extended)s; still waiting: %(waiting)s."),
            placed=len(result.new_pairs),
            extended=len(result.extended_pairs),
            waiting=len(result.still_waiting),
        )

    @json_api({"csv": Field(str, max_length=config.MAX_TEXT_LIMIT)}, staff_only=True, max_bytes=TEXT_BYTES)
    def assign_pairs(self, data, caller):
        created = formation.assign_pairs_from_csv(
            *self._context(), caller, data["csv"], replies.username_resolver(self)
        )
        return self._staff_reply(caller, noop("Pairs created: %(count)s."), count=len(created))

    @json_api({"submission_id": ID, "reason": Field(str, max_length=20_000)}, staff_only=True)
    def remove_submission(self, data, caller):
        oversight.remove_from_review(*self._context(), caller, data["submission_id"], data["reason"])
        return self._staff_reply(
            caller, noop("The work is withdrawn from peer review."), submission_id=data["submission_id"]
        )

    @json_api({"submission_id": ID}, staff_only=True)
    def restore_submission(self, data, caller):
        oversight.restore_to_review(*self._context(), caller, data["submission_id"])
        return self._staff_reply(caller, noop("The work is back in peer review."), submission_id=data["submission_id"])

    @XBlock.handler
    def grades_csv(self, request, suffix=""):
        return self._export(request, export.grades_csv_stream, "pair-review-grades.csv")

    @XBlock.handler
    def reviews_csv(self, request, suffix=""):
        return self._export(request, export.reviews_csv_stream, "pair-review-reviews.csv")

    # ---- Studio and OLX ----------------------------------------------------------------------

    def clean_studio_edits(self, data):
        for name in ("display_name", "theoretician_label", "practitioner_label"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        for name in config.DUE_FIELDS:
            if name in data:
                data[name] = config.clean_due(data[name])

    def validate_field_data(self, validation, data):
        _ = self._gettext()
        # data is Studio's edits (FutureFields) or, from validate(), the block itself
        for _field, problem in config.problems(data, current=self):
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem.translated(_)))

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        return olx.parse_block(cls, node, runtime, keys)

    def add_xml_to_node(self, node):
        super().add_xml_to_node(node)
        olx.export_block(self, node)

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS

    # ---- helpers -----------------------------------------------------------------------------

    _gettext = gettext_for  # the request's gettext (identity in a runtime without i18n)

    @property
    def title(self):
        return display_title(self, DEFAULT_TITLE)

    def _context(self):
        """The activity row and the domain's settings (409 with the problem if Studio settings are
        invalid), looked up once per request (a block instance serves one request)."""
        if getattr(self, "_request_context", None) is None:
            settings = config.usable_settings(self)
            activity = get_activity(course_key_of(self), block_key_of(self), self.pairing_id or "")
            self._request_context = (activity, settings)
        return self._request_context

    def _reply(self, caller, message, task=None, none_available=False, **params):
        return replies.learner_reply(
            self, caller, *self._context(), message, params, task=task, none_available=none_available
        )

    def _staff_reply(self, caller, message, pair_id=None, submission_id=None, **params):
        return replies.action_reply(
            self, caller, *self._context(), message, params, pair_id=pair_id, submission_id=submission_id
        )

    def complete(self, vm):
        """Custom completion: the learner's own duties (submitted, reviews given), for them only."""
        if vm["duties_done"] and not self.completion_sent:
            self.emit_completion(1.0)
            self.completion_sent = True

    def _export(self, request, write_csv, filename):
        def build(caller):
            activity, settings = self._context()
            return write_csv(activity, settings, caller, include_usernames=query_flag(request, "usernames"))

        return csv_download(self, request, filename=filename, build=build, staff_only=True)
