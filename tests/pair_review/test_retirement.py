"""Retirement: a learner's personal data leaves the pair-review models; pairs and grades hold."""

from __future__ import annotations

from types import SimpleNamespace

from django.apps import apps
from django.dispatch import Signal

from devisus_xblocks.pair_review import signals
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.grading import grades
from devisus_xblocks.pair_review.models import (
    Assignment,
    Draft,
    GradeOverride,
    Membership,
    Participant,
    Review,
    Submission,
)
from devisus_xblocks.pair_review.retirement import retire_learner, retired_id
from devisus_xblocks.pair_review.reviewing import allocation, reviews

from .conftest import STAFF, assessment, at, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1)


def scenario(activity, publisher):
    _p, target = submitted_pair(activity, S, "ana", "bob", now=at(0))
    _q, other = submitted_pair(activity, S, "cy", "dee", now=at(1))
    Submission.objects.exclude(id=target).update(in_pool=False)
    lease = allocation.get_next_review(activity, S, learner("cy"), now=at(5))
    reviews.submit_review(
        activity,
        S,
        learner("cy"),
        lease.task.assignment_id,
        *assessment(S, comment="Cy's personal remark on this work."),
        now=at(6),
        publisher=publisher,
    )
    [received] = reviews.received_reviews(activity, S, learner("ana"))
    reviews.rate_review(activity, learner("ana"), received.review_id, 4, "Ana's thanks to the reviewer")
    grades.override_grade(activity, S, STAFF, target, 0.9, "Moderated", now=at(7), publisher=publisher)
    return target, other


def personal_strings():
    """Every stored value that names or quotes a learner."""
    found = set()
    for model, fields in (
        (Participant, ["anonymous_id", "username"]),
        (Membership, ["anonymous_id"]),
        (Draft, ["saved_by"]),
        (Submission, ["submitted_by", "removed_by"]),
        (Assignment, ["reviewer_key"]),
        (Review, ["reviewer_key", "rated_by", "comments", "helpfulness_comment"]),
        (GradeOverride, ["by", "by_username"]),
    ):
        for row in model.objects.values_list(*fields):
            found.update(str(value) for value in row)
    return found


def test_retire_learner(activity, publisher):
    target, other = scenario(activity, publisher)
    assert retire_learner("anon-cy") > 0
    assert retire_learner("anon-ana") > 0
    stored = " ".join(personal_strings())
    for trace in ("anon-cy", "anon-ana", "Cy's personal remark", "Ana's thanks"):
        assert trace not in stored
    assert not Participant.objects.filter(username__in=["cy", "ana"]).exists()
    # the pairs, the review's levels and the grades are unchanged
    review = Review.objects.get()
    assert review.reviewer_key == retired_id("anon-cy") and review.comments == {} and review.helpfulness == 4
    assert review.choices["c1"] == "proficient"
    assert Submission.objects.get(id=target).grade == 0.9
    assert Membership.objects.filter(pair__submissions=target).count() == 2
    assert Submission.objects.get(id=other).text == "Plan of cy and dee."  # the pair's joint work stays
    assert Membership.objects.filter(anonymous_id="anon-dee").exists()  # the partner is untouched
    assert retire_learner("anon-cy") == 0  # nothing left


def test_staff_retirement_blanks_override_author(activity, publisher):
    scenario(activity, publisher)
    retire_learner("anon-trainer")
    override = GradeOverride.objects.get()
    assert (override.by, override.by_username, override.reason) == (retired_id("anon-trainer"), "", "Moderated")


def test_receiver_retires_by_username_through_a_signal(activity, publisher):
    scenario(activity, publisher)
    signal = Signal()
    assert signals.connect_retirement_receiver(signal)
    signal.send(sender=None, user=SimpleNamespace(id=7, username="cy"))
    assert not Participant.objects.filter(anonymous_id="anon-cy").exists()
    assert Review.objects.get().comments == {}
    signal.send(sender=None, user=None)  # ignored


def test_outside_the_lms_nothing_is_connected_and_the_plugin_declares_the_receiver():
    assert signals.connect_retirement_receiver() is False  # the LMS signal is not importable here
    config = apps.get_app_config("devisus_pair_review").plugin_app["signals_config"]["lms.djangoapp"]
    [receiver] = config["receivers"]
    assert receiver["signal_path"] == signals.SIGNAL_PATH
    assert getattr(signals, receiver["receiver_func_name"]) is signals.on_user_retire
    assert receiver["dispatch_uid"] == signals.DISPATCH_UID
