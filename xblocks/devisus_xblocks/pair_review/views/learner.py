"""Everything the learner's view needs in one call: where they are and what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...common.identity import Caller
from ..activity import UNREAD, ActivitySettings, require_caller, resolve_now
from ..grading.gradebook import GradePublisher
from ..grading.grades import GradeView, pair_grade
from ..pairing.drafts import DraftView, SubmissionView, get_draft, own_submission, submission_view, submitted_draft
from ..pairing.formation import PairingState, own_membership, pairing_state
from ..reviewing import calibration
from ..reviewing.allocation import ReviewTask, review_standing
from ..reviewing.reviews import Helpfulness, ReceivedReview, received_reviews, reviewer_helpfulness

STEPS = ("profile", "pairing", "draft", "review", "waiting_for_grade", "graded")


@dataclass(frozen=True)
class LearnerState:
    """``step`` is the learner's current step (one of ``STEPS``):

    ``profile`` declare a profile; ``pairing`` find a partner; ``draft`` write and submit with
    the partner; ``review`` review other pairs (``reviews_done`` of ``reviews_required``);
    ``waiting_for_grade`` own duties done, waiting for reviews (or the review period ended);
    ``graded`` the pair's grade is in ``grade``.
    ``duties_done`` (submitted and required reviews given) is the block's custom completion.
    """

    step: str
    pairing: PairingState
    draft: DraftView | None
    submission: SubmissionView | None
    reviews_done: int
    reviews_required: int
    grade: GradeView | None
    received: tuple[ReceivedReview, ...]
    helpfulness: Helpfulness
    duties_done: bool
    calibration: tuple = ()  # (examples.Example, calibration.CalibrationResult | None), before reviewing
    task: ReviewTask | None = None  # the review the learner has started (active lease), if any


def learner_state(
    activity,
    settings: ActivitySettings,
    caller: Caller,
    now: datetime | None = None,
    publisher: GradePublisher | None = None,
    membership=UNREAD,
) -> LearnerState:
    require_caller(caller)
    now = resolve_now(now)
    # The caller's membership (with pair and participant) and submission are read once, here,
    # and handed to every read below.
    if membership is UNREAD:
        membership = own_membership(activity, caller)
    pairing = pairing_state(activity, caller, membership)
    row = own_submission(activity, caller.anonymous_id) if pairing.pair_id else None  # this activity's
    submission = submission_view(row, caller)
    if row is not None and row.pair_id == pairing.pair_id:
        draft = submitted_draft(row, caller, settings)  # locked: the submission holds it
    else:  # not submitted, or submitted with a former partner: the current pair's draft
        draft = get_draft(activity, settings, caller, membership) if pairing.pair_id else None
    done, required, task = (
        review_standing(activity, settings, caller, membership)
        if submission
        else (0, settings.reviews_per_reviewer, None)
    )
    grade = pair_grade(activity, settings, row.id, now, publisher, submission=row) if row else None
    received = tuple(received_reviews(activity, settings, caller)) if row is not None and row.has_reviews else ()
    helpfulness = reviewer_helpfulness(activity, settings, caller, membership) if done else Helpfulness(None, 0)
    review_open = settings.review_due is None or now <= settings.review_due
    calibrating = submission is not None and done < required and review_open
    examples = calibration.progress(activity, settings, caller) if calibrating else ()
    if pairing.status == "no_profile":
        step = "profile"
    elif submission is None and pairing.status != "paired":
        step = "pairing"
    elif submission is None:
        step = "draft"
    elif done < required and review_open:
        step = "review"
    elif grade is None or grade.grade is None:
        step = "waiting_for_grade"
    else:
        step = "graded"
    return LearnerState(
        step=step,
        pairing=pairing,
        draft=draft,
        submission=submission,
        reviews_done=done,
        reviews_required=required,
        grade=grade,
        received=received,
        helpfulness=helpfulness,
        duties_done=submission is not None and done >= required,
        calibration=examples,
        task=task,
    )
