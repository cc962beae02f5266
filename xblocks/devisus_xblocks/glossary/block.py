"""DEVISUS glossary XBlock: the 24 terms (reference mode) or a matching exercise (practice mode).

Thin by design: fields, views and handlers read the request and the learner's state, call the
services (``terms``, ``practice``, ``settings``) and render through ``presenter``. Searching
the reference glossary happens in the browser, over folded texts the page carries.
"""

from __future__ import annotations

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from ..common.errors import ServiceError
from ..common.handlers import Field, GuardedStudioEditsMixin, json_api
from ..common.i18n import gettext_for, noop
from ..common.identity import block_key_of, caller_of
from ..common.mfe import learning_mfe_origins
from ..common.rendering import block_fragment
from . import practice, presenter, settings, terms
from .scenarios import SCENARIOS

DEFAULT_TITLE = noop("DEVISUS glossary")


def _mode_choices(block):
    _ = gettext_for(block)
    return [
        {"display_name": _("Reference: read and search the glossary"), "value": "reference"},
        {"display_name": _("Practice: match terms to their definitions"), "value": "practice"},
    ]


@XBlock.needs("i18n")
@XBlock.needs("user")
class GlossaryBlock(GuardedStudioEditsMixin, StudioEditableXBlockMixin, XBlock):
    display_name = String(
        display_name=noop("Display name"),
        default=DEFAULT_TITLE,
        scope=Scope.settings,
        help=noop("The title learners see above the glossary."),
    )
    language = String(
        display_name=noop("Glossary language"),
        default=terms.DEFAULT_LANGUAGE,
        scope=Scope.settings,
        values=[{"display_name": "Français", "value": "fr"}, {"display_name": "English", "value": "en"}],
        help=noop(
            "The language of the terms and definitions; each term also shows its equivalent in the other language."
        ),
    )
    mode = String(
        display_name=noop("Mode"),
        default="reference",
        scope=Scope.settings,
        values_provider=_mode_choices,
        help=noop(
            "Reference shows the whole glossary with search; practice asks learners to match terms to definitions."
        ),
    )
    practice_size = Integer(
        display_name=noop("Pairs per practice round"),
        default=practice.DEFAULT_SIZE,
        scope=Scope.settings,
        values={"min": practice.MIN_SIZE, "max": practice.MAX_SIZE, "step": 1},
        help=noop("How many terms a learner matches in one practice round (4 to 24)."),
    )
    graded = Boolean(
        display_name=noop("Graded"),
        default=False,
        scope=Scope.settings,
        help=noop("Practice mode only: send the learner's best score to the gradebook."),
    )
    weight = Float(
        display_name=noop("Problem weight"),
        default=1.0,
        scope=Scope.settings,
        values={"min": 0, "step": 0.1},
        help=noop("How many points the practice is worth in the gradebook when it is graded."),
    )
    round_number = Integer(default=0, scope=Scope.user_state, help="The learner's current practice round (the seed).")
    last_result = Dict(default={}, scope=Scope.user_state, help="The answers given to the current round, once checked.")
    attempts = Integer(default=0, scope=Scope.user_state, help="How many practice rounds the learner has checked.")
    best_score = Float(default=0.0, scope=Scope.user_state, help="The learner's best practice score, 0 to 1.")

    editable_fields = ("display_name", "language", "mode", "practice_size", "graded", "weight")
    # No author_view: the glossary keeps per-learner fields only, which Studio's preview keeps in
    # the previewing author's session (cms/djangoapps/contentstore/views/preview.py,
    # _load_preview_block: SessionKeyValueStore), so its student_view is the preview to show
    # (tests/glossary/test_studio_preview.py).

    @property
    def has_score(self):
        return bool(self.graded) and self.mode == "practice"

    def max_score(self):
        return 1 if self.has_score else None

    # Views -------------------------------------------------------------------------------

    def student_view(self, context=None):
        _ = gettext_for(self)
        title = self.display_name if self.display_name != DEFAULT_TITLE else _(DEFAULT_TITLE)
        uid = presenter.uid_of(block_key_of(self))
        entries = self._entries()
        if self.mode == "practice":
            caller = caller_of(self)
            current = self._round(caller.anonymous_id if caller else "")
            context = presenter.practice_context(
                current,
                entries,
                uid,
                self._language(),
                result=self._stored_result(current),
                progress=self._progress(),
                graded=self.has_score,
                gettext=_,
            )
            template = "glossary/practice.html"
        else:
            context = presenter.reference_context(entries, self._language(), uid)
            template = "glossary/reference.html"
        return block_fragment(
            self,
            template,
            {"title": title, **context},
            css="css/glossary.css",
            js="js/glossary.js",
            js_init="DevisusGlossary",
            js_args=presenter.js_args(
                self.mode, uid, self._language(), len(entries), _, parent_origins=learning_mfe_origins()
            ),
        )

    # Handlers ------------------------------------------------------------------------------

    @json_api(
        fields={"round": Field(int, minimum=0), "answers": Field(dict, item_type=str, max_items=practice.MAX_SIZE)}
    )
    def submit_practice(self, data, caller):
        current = self._practice_round(caller, data["round"])
        practice.check_open(current, self.last_result)
        result = practice.grade(current, data["answers"])
        self.attempts += 1
        self.best_score = max(self.best_score, result.score)
        self.last_result = {"round": current.number, "answers": dict(data["answers"])}
        self.runtime.publish(
            self,
            "devisus.glossary.practice.checked",
            {"round": current.number, "correct": result.correct, "total": result.total},
        )
        if self.has_score:
            # The platform records this for the requesting learner only (PRODUCT.md §3).
            self.runtime.publish(self, "grade", {"value": self.best_score, "max_value": 1.0})
        return presenter.result_data(current, result, self._progress(), gettext_for(self))

    @json_api(fields={"round": Field(int, minimum=0)})
    def new_round(self, data, caller):
        self._practice_round(caller, data["round"])
        self.round_number += 1
        self.last_result = {}
        current = self._round(caller.anonymous_id)
        return presenter.new_round_reply(
            current, self._entries(), presenter.uid_of(block_key_of(self)), self._progress(), gettext_for(self)
        )

    # Studio ----------------------------------------------------------------------------------

    def clean_studio_edits(self, data):
        if isinstance(data.get("display_name"), str):
            data["display_name"] = data["display_name"].strip()

    def validate_field_data(self, validation, data):
        _ = gettext_for(self)
        for message, params in settings.problems(
            display_name=data.display_name,
            language=data.language,
            mode=data.mode,
            practice_size=data.practice_size,
            graded=data.graded,
            weight=data.weight,
        ):
            validation.add(ValidationMessage(ValidationMessage.ERROR, _(message) % params if params else _(message)))

    @staticmethod
    def workbench_scenarios():
        return list(SCENARIOS)

    # Helpers ---------------------------------------------------------------------------------

    def _language(self):
        return self.language if self.language in terms.LANGUAGES else terms.DEFAULT_LANGUAGE

    def _entries(self):
        return terms.entries_for(self._language())

    def _round(self, anonymous_id):
        return practice.build_round(
            (entry.slug for entry in self._entries()),
            self.practice_size or practice.DEFAULT_SIZE,
            anonymous_id=anonymous_id,
            block_id=block_key_of(self),
            number=self.round_number,
        )

    def _practice_round(self, caller, requested):
        if self.mode != "practice":
            raise ServiceError(noop("This glossary has no practice exercise."))
        current = self._round(caller.anonymous_id)
        practice.check_current(current, requested)
        return current

    def _stored_result(self, current):
        answers = practice.stored_answers(current, self.last_result)
        if answers is None:
            return None
        try:
            return practice.grade(current, answers)
        except ServiceError:  # the round changed under stored answers
            return None

    def _progress(self):
        return {"attempts": self.attempts, "best_score": self.best_score}
