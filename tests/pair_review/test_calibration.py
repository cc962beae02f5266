"""Calibration, accuracy-weighted peer grades and the "needs trainer" list (services, real database)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings, get_activity
from devisus_xblocks.pair_review.grading import grades
from devisus_xblocks.pair_review.models import AccuracySample, Assignment, Submission
from devisus_xblocks.pair_review.reviewing import allocation, calibration, reviews
from devisus_xblocks.pair_review.reviewing.examples import parse_examples
from devisus_xblocks.pair_review.reviewing.rubric import default_rubric
from devisus_xblocks.pair_review.trainer import oversight

from .conftest import STAFF, assessment, at, learner, submitted_pair

RUBRIC = default_rubric("en")
EXAMPLE = {
    "id": "funder-plan",
    "title": "A plan written for the funder",
    "text": "We count the meals served and report the figure to the city.",
    "levels": {c.id: "proficient" for c in RUBRIC.criteria},
    "comments": {c.id: "Sound, but the organisation did not choose it." for c in RUBRIC.criteria},
}
CALIBRATED = ActivitySettings(
    reviews_per_reviewer=1, reviews_required=2, flexible_after_days=3, calibration=parse_examples([EXAMPLE], RUBRIC)
)
PLAIN = replace(CALIBRATED, calibration=())


def two_pairs(activity, settings):
    """Pairs A (a1, a2) and B (b1, b2) have submitted; returns B's submission id."""
    submitted_pair(activity, settings, "a1", "a2", now=at(0))
    return submitted_pair(activity, settings, "b1", "b2", now=at(1))[1]


def calibrate(activity, settings, name, level):
    return calibration.submit_calibration(
        activity, settings, learner(name), "funder-plan", assessment(settings, level)[0], now=at(2)
    )


def review_b(activity, settings, name, level, submission_id, publisher=None):
    lease = allocation.get_next_review(activity, settings, learner(name), now=at(3))
    assert Assignment.objects.get(id=lease.task.assignment_id).submission_id == submission_id  # A can only review B
    reviews.submit_review(
        activity,
        settings,
        learner(name),
        lease.task.assignment_id,
        *assessment(settings, level),
        now=at(4),
        publisher=publisher,
    )


def test_no_peer_review_before_the_examples_are_assessed(activity):
    two_pairs(activity, CALIBRATED)
    with pytest.raises(ServiceError) as refused:
        allocation.get_next_review(activity, CALIBRATED, learner("a1"), now=at(3))
    assert refused.value.status == 409
    calibrate(activity, CALIBRATED, "a1", "proficient")
    assert allocation.get_next_review(activity, CALIBRATED, learner("a1"), now=at(3)).task is not None


def test_calibration_scores_the_agreement_and_a_new_answer_replaces_the_old(activity):
    two_pairs(activity, CALIBRATED)
    assert calibrate(activity, CALIBRATED, "a1", "emerging").agreement == 0.5  # 2 of 4 points off everywhere
    assert calibrate(activity, CALIBRATED, "a1", "proficient").agreement == 1.0
    assert AccuracySample.objects.filter(reviewer_key="anon-a1").count() == 1
    assert calibration.accuracies(activity, ["anon-a1", "anon-a2"]) == {"anon-a1": 1.0}
    example, result = calibration.progress(activity, CALIBRATED, learner("a1"))[0]
    assert (example.id, result.choices) == ("funder-plan", assessment(CALIBRATED, "proficient")[0])


@pytest.mark.parametrize(
    "example_id, choices, status",
    [
        ("other-block-example", None, 404),  # an example of another block, or none at all
        ("funder-plan", {"c1": "proficient"}, 400),  # a criterion without a level
        ("funder-plan", {c.id: "perfect" for c in RUBRIC.criteria}, 400),  # an unknown level
        ("funder-plan", ["proficient"], 400),
    ],
)
def test_bad_calibration_answers_are_refused_and_change_nothing(activity, example_id, choices, status):
    two_pairs(activity, CALIBRATED)
    choices = assessment(CALIBRATED)[0] if choices is None else choices
    with pytest.raises(ServiceError) as refused:
        calibration.submit_calibration(activity, CALIBRATED, learner("a1"), example_id, choices, now=at(2))
    assert refused.value.status == status
    assert not AccuracySample.objects.exists()


def test_only_members_of_a_pair_calibrate(activity):
    with pytest.raises(ServiceError) as refused:
        calibrate(activity, CALIBRATED, "stranger", "proficient")
    assert refused.value.status == 409
    assert not AccuracySample.objects.exists()


def test_the_peer_grade_is_the_accuracy_weighted_median(activity, publisher):
    submission_id = two_pairs(activity, CALIBRATED)
    calibrate(activity, CALIBRATED, "a1", "proficient")  # accuracy 1
    calibrate(activity, CALIBRATED, "a2", "emerging")  # accuracy 0.5
    review_b(activity, CALIBRATED, "a1", "exemplary", submission_id, publisher)  # 4 points everywhere
    review_b(activity, CALIBRATED, "a2", "emerging", submission_id, publisher)  # 1 point everywhere
    submission = Submission.objects.get(id=submission_id)
    assert submission.peer_details == {c.id: 4.0 for c in RUBRIC.criteria}  # the accurate reviewer prevails
    assert (submission.peer_grade, submission.grade, submission.grade_source) == (1.0, 1.0, "peer")


def test_without_calibration_the_peer_grade_is_the_plain_median(activity, publisher):
    submission_id = two_pairs(activity, PLAIN)
    review_b(activity, PLAIN, "a1", "exemplary", submission_id, publisher)
    review_b(activity, PLAIN, "a2", "emerging", submission_id, publisher)
    submission = Submission.objects.get(id=submission_id)
    assert submission.peer_details == {c.id: 2.5 for c in RUBRIC.criteria}
    assert submission.peer_grade == pytest.approx(2.5 / 4)


def test_disagreeing_reviews_wait_for_the_trainer_whose_review_decides(activity, publisher):
    settings = replace(CALIBRATED, disagreement_threshold=40)
    submission_id = two_pairs(activity, settings)
    calibrate(activity, settings, "a1", "proficient")
    calibrate(activity, settings, "a2", "emerging")
    review_b(activity, settings, "a1", "exemplary", submission_id, publisher)
    review_b(activity, settings, "a2", "emerging", submission_id, publisher)  # 100 % against 25 %
    submission = Submission.objects.get(id=submission_id)
    assert (submission.needs_trainer_reason, submission.grade) == ("75;25;100", None)
    assert publisher.calls == []
    pairs = {p.submission_id: p for p in oversight.overview(activity, settings, STAFF, now=at(5)).pairs}
    assert pairs[submission_id].status == "needs_trainer"
    assert oversight.overview(activity, settings, STAFF, now=at(5)).counts["needs_trainer"] == 1
    # flexible grading does not step in either, however long it waits
    grades.apply_flexible_grading(activity, settings, STAFF, now=at(days=30), publisher=publisher)
    assert Submission.objects.get(id=submission_id).grade is None

    reviews.submit_trainer_review(
        activity, settings, STAFF, submission_id, *assessment(settings, "developing"), now=at(6), publisher=publisher
    )
    submission = Submission.objects.get(id=submission_id)
    assert (submission.grade, submission.grade_source) == (0.5, "trainer")
    assert {call.score for call in publisher.calls} == {0.5}
    assert oversight.overview(activity, settings, STAFF, now=at(7)).counts["needs_trainer"] == 0


def test_the_trainers_review_of_a_reviewed_work_feeds_each_reviewers_accuracy(activity, publisher):
    submission_id = two_pairs(activity, CALIBRATED)
    calibrate(activity, CALIBRATED, "a1", "proficient")  # 1.0
    calibrate(activity, CALIBRATED, "a2", "proficient")  # 1.0
    review_b(activity, CALIBRATED, "a1", "exemplary", submission_id, publisher)
    review_b(activity, CALIBRATED, "a2", "emerging", submission_id, publisher)
    reviews.submit_trainer_review(
        activity, CALIBRATED, STAFF, submission_id, *assessment(CALIBRATED, "exemplary"), now=at(6), publisher=publisher
    )
    # a1 agreed with the trainer (1.0), a2 was 3 of 4 points off (0.25): means with calibration
    assert calibration.accuracies(activity, ["anon-a1", "anon-a2"]) == {"anon-a1": 1.0, "anon-a2": 0.625}
    members = {m.username: m.accuracy for p in oversight.overview(activity, CALIBRATED, STAFF).pairs for m in p.members}
    assert (members["a1"], members["a2"], members["b1"]) == (1.0, 0.625, None)


def test_accuracy_belongs_to_its_activity(activity):
    two_pairs(activity, CALIBRATED)
    calibrate(activity, CALIBRATED, "a1", "emerging")
    other = get_activity(activity.course_key, activity.block_key + "-other")
    assert calibration.accuracies(other, ["anon-a1"]) == {}


def test_retirement_keeps_no_trace_of_the_reviewer_in_accuracy_samples(activity):
    from devisus_xblocks.pair_review.retirement import retire_learner, retired_id

    two_pairs(activity, CALIBRATED)
    calibrate(activity, CALIBRATED, "a1", "emerging")
    assert retire_learner("anon-a1") > 0
    assert list(AccuracySample.objects.values_list("reviewer_key", flat=True)) == [retired_id("anon-a1")]
    assert calibration.accuracies(activity, ["anon-a1"]) == {}
