"""Reviews: rubric answers, comments, self-assessment, received reviews, feedback on feedback."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Review, Submission
from devisus_xblocks.pair_review.reviewing import allocation, reviews

from .conftest import assessment, at, learner, make_pair, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1)


def error_of(call, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        call(*args, **kwargs)
    return error.value


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda ch, co: ch.pop("c3"), "Choose a level for"),
        (lambda ch, co: ch.update(c3="brilliant"), "Unknown level for"),
        (lambda ch, co: ch.update(c9="proficient"), "Unknown criterion"),
        (lambda ch, co: co.update(c2="Good."), "is too short"),
        (lambda ch, co: co.update(c2="   " + "x" * 10 + "   "), "is too short"),
        (lambda ch, co: co.update(c2="x" * 5001), "is too long"),
        (lambda ch, co: co.update(c2=42), "Give a level and a comment"),
    ],
)
def test_assessment_validation(mutate, fragment):
    choices, comments = assessment(S)
    mutate(choices, comments)
    with pytest.raises(ServiceError) as error:
        reviews.validate_assessment(S, choices, comments)
    assert error.value.status == 400 and fragment in error.value.message


def test_minimum_comment_length_is_configurable():
    choices, comments = assessment(S, comment="Short but OK")
    with pytest.raises(ServiceError):
        reviews.validate_assessment(S, choices, comments)
    lenient = ActivitySettings(min_comment_length=5)
    assert reviews.validate_assessment(lenient, choices, comments)[1]["c1"] == "Short but OK"


def lease_for(activity, name):
    return allocation.get_next_review(activity, S, learner(name), now=at(50)).task.assignment_id


def test_review_refusals(activity):
    submitted_pair(activity, S, "a", "b", now=at(0))
    submitted_pair(activity, S, "c", "d", now=at(1))
    lease = lease_for(activity, "a")
    answers = assessment(S)
    assert error_of(reviews.submit_review, activity, S, learner("c"), lease, *answers).status == 404  # not theirs
    assert error_of(reviews.submit_review, activity, S, learner("a"), 999999, *answers).status == 404
    bad = assessment(S, comment="meh")
    assert error_of(reviews.submit_review, activity, S, learner("a"), lease, *bad).status == 400
    assert not Review.objects.exists()
    reviews.submit_review(activity, S, learner("a"), lease, *answers, now=at(51))
    assert error_of(reviews.submit_review, activity, S, learner("a"), lease, *answers).status == 409  # twice
    closed = ActivitySettings(reviews_per_reviewer=1, review_due=at(60))
    lease_c = lease_for(activity, "c")
    assert error_of(reviews.submit_review, activity, closed, learner("c"), lease_c, *answers, now=at(61)).status == 409


def test_received_reviews_are_anonymous_and_can_be_rated(activity):
    _p, target = submitted_pair(activity, S, "a", "b", now=at(0))
    submitted_pair(activity, S, "c", "d", now=at(1))
    submitted_pair(activity, S, "e", "f", now=at(2))
    Submission.objects.exclude(id=target).update(in_pool=False)  # both review a and b's work
    for name in ("c", "e"):
        reviews.submit_review(
            activity,
            S,
            learner(name),
            lease_for(activity, name),
            *assessment(S, "exemplary", comment=f"Comment from {name}: precise and useful."),
            now=at(60),
        )
    got = reviews.received_reviews(activity, S, learner("b"))
    assert [r.kind for r in got] == ["peer", "peer"]
    assert got[0].criteria[0].points == 4 and got[0].criteria[0].comment.startswith("Comment from")
    assert not any("anon-" in repr(r) for r in got)  # no reviewer identity anywhere
    reviews.rate_review(activity, learner("a"), got[0].review_id, 5, "Very concrete, thanks")
    reviews.rate_review(activity, learner("b"), got[1].review_id, 2)
    reviews.rate_review(activity, learner("b"), got[0].review_id, 4)  # the partner changes the rating
    rated = {r.review_id: r.helpfulness for r in reviews.received_reviews(activity, S, learner("a"))}
    assert rated == {got[0].review_id: 4, got[1].review_id: 2}
    authors = dict(Review.objects.values_list("id", "reviewer_key"))
    helpful = reviews.reviewer_helpfulness(activity, S, learner(authors[got[0].review_id].removeprefix("anon-")))
    assert (helpful.average, helpful.ratings) == (4.0, 1)
    assert reviews.reviewer_helpfulness(activity, S, learner("a")).average is None


def test_helpfulness_average_over_several_reviews(activity):
    settings = ActivitySettings(reviews_per_reviewer=2)
    for i, name in enumerate(("a", "c", "e")):
        submitted_pair(activity, settings, name, name * 2, now=at(i))
    for _ in range(2):
        lease = allocation.get_next_review(activity, settings, learner("a"), now=at(50)).task.assignment_id
        reviews.submit_review(activity, settings, learner("a"), lease, *assessment(settings), now=at(50))
    for name, rating in (("c", 5), ("ee", 2)):
        [received] = reviews.received_reviews(activity, settings, learner(name))
        reviews.rate_review(activity, learner(name), received.review_id, rating)
    helpful = reviews.reviewer_helpfulness(activity, settings, learner("a"))
    assert (helpful.average, helpful.ratings) == (3.5, 2)


def test_rating_refusals(activity):
    submitted_pair(activity, S, "a", "b", now=at(0))
    submitted_pair(activity, S, "c", "d", now=at(1))
    reviews.submit_review(activity, S, learner("c"), lease_for(activity, "c"), *assessment(S), now=at(60))
    review_id = Review.objects.get().id
    assert error_of(reviews.rate_review, activity, learner("c"), review_id, 5).status == 404  # the reviewer
    assert error_of(reviews.rate_review, activity, learner("zed"), review_id, 5).status == 404
    for bad in (0, 6, True, "5"):
        assert error_of(reviews.rate_review, activity, learner("a"), review_id, bad).status == 400
    assert error_of(reviews.rate_review, activity, learner("a"), review_id, 3, "x" * 2001).status == 400
    assert Review.objects.get().helpfulness is None


def test_self_assessment_is_kept_apart_from_the_grade(activity):
    settings = ActivitySettings(reviews_required=1, reviews_per_reviewer=1)
    pair = make_pair(activity, settings, "a", "b")
    assert (
        error_of(reviews.submit_self_assessment, activity, settings, learner("a"), *assessment(settings)).status == 409
    )
    submitted_pair(activity, settings, "c", "d", now=at(1))
    from devisus_xblocks.pair_review.pairing import drafts

    drafts.save_draft(activity, settings, learner("a"), pair, "Our plan", 0)
    drafts.submit_pair(activity, settings, learner("a"), pair, now=at(2))
    first = reviews.submit_self_assessment(
        activity, settings, learner("a"), *assessment(settings, "exemplary"), now=at(3)
    )
    again = reviews.submit_self_assessment(
        activity, settings, learner("b"), *assessment(settings, "developing"), now=at(4)
    )
    assert first == again and Review.objects.get(id=first).kind == "self"
    assert Review.objects.get(id=first).choices["c1"] == "developing"
    sub = Submission.objects.get(pair_id=pair)
    assert sub.peer_grade is None and sub.review_count == 0 and sub.grade is None
    kinds = [r.kind for r in reviews.received_reviews(activity, settings, learner("a"))]
    assert kinds == ["self"]
    assert error_of(reviews.rate_review, activity, learner("a"), first, 5).status == 404  # not rated
    off = ActivitySettings(self_assessment=False)
    assert error_of(reviews.submit_self_assessment, activity, off, learner("a"), *assessment(off)).status == 409
