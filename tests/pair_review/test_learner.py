"""The learner's journey as the block will show it: one call says where they are and what is next."""

from __future__ import annotations

from devisus_xblocks.pair_review.activity import ActivitySettings
from devisus_xblocks.pair_review.models import Submission
from devisus_xblocks.pair_review.pairing import drafts, formation
from devisus_xblocks.pair_review.reviewing import allocation, reviews
from devisus_xblocks.pair_review.views.learner import learner_state

from .conftest import PRAC, THEO, assessment, at, learner, submitted_pair

S = ActivitySettings(reviews_per_reviewer=1, reviews_required=1)


def step(activity, name, minutes=0, publisher=None):
    return learner_state(activity, S, learner(name), now=at(minutes), publisher=publisher)


def test_journey(activity, publisher):
    assert step(activity, "ana").step == "profile"
    formation.declare_profile(activity, S, learner("ana"), THEO)
    formation.join_automatic(activity, S, learner("ana"), now=at(1))
    state = step(activity, "ana")
    assert (state.step, state.pairing.status) == ("pairing", "waiting")
    formation.declare_profile(activity, S, learner("bob"), PRAC)
    pair = formation.join_automatic(activity, S, learner("bob"), now=at(2)).pair_id
    state = step(activity, "ana")
    assert (state.step, state.draft.version, state.pairing.partners[0].username) == ("draft", 0, "bob")
    drafts.save_draft(activity, S, learner("bob"), pair, "Our plan", 0)
    drafts.submit_pair(activity, S, learner("ana"), pair, expected_version=1, now=at(3))
    _other_pair, other = submitted_pair(activity, S, "cy", "dee", now=at(4))
    state = step(activity, "ana", 5)
    assert (state.step, state.reviews_done, state.reviews_required, state.duties_done) == ("review", 0, 1, False)
    assert state.submission.text == "Our plan" and state.draft.locked
    lease = allocation.get_next_review(activity, S, learner("ana"), now=at(6))
    reviews.submit_review(
        activity, S, learner("ana"), lease.task.assignment_id, *assessment(S), now=at(7), publisher=publisher
    )
    state = step(activity, "ana", 8)
    assert (state.step, state.duties_done, state.grade.grade) == ("waiting_for_grade", True, None)
    assert Submission.objects.get(id=other).grade == 0.75  # ana's review graded cy and dee
    lease = allocation.get_next_review(activity, S, learner("cy"), now=at(9))
    reviews.submit_review(
        activity,
        S,
        learner("cy"),
        lease.task.assignment_id,
        *assessment(S, "exemplary"),
        now=at(9),
        publisher=publisher,
    )
    state = step(activity, "bob", 10, publisher)  # graded, but bob still owes his own review
    assert (state.step, state.grade.grade, state.grade.source) == ("review", 1.0, "peer")
    state = step(activity, "ana", 10, publisher)
    assert (state.step, state.grade.grade) == ("graded", 1.0)
    assert [r.kind for r in state.received] == ["peer"]
    [received] = reviews.received_reviews(activity, S, learner("cy"))
    reviews.rate_review(activity, learner("dee"), received.review_id, 5)
    assert step(activity, "ana", 11).helpfulness.average == 5.0
