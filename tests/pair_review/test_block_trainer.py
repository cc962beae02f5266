"""The trainer's side of the block through the workbench: dashboard, pair details, trainer
grades, overrides with their history, moves, leftovers, CSV pairs, withdrawal, CSV exports;
and every staff handler refusing learners."""

from __future__ import annotations

import csv
import io

import pytest

from devisus_course.typography import catalog_spacing as spaced

from .block_support import (  # noqa: F401 - fixtures
    COMMENT,
    ENGLISH,
    SMALL,
    TRAINER,
    Block,
    bench,
    bench_fr,
    scenarios,
)
from .published import last_score_id, published_since
from .test_block_handlers import refused

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_HANDLERS = {
    "staff_state": {},
    "staff_pair": {"pair_id": 1},
    "trainer_review": {"submission_id": 1, "choices": {}, "comments": {}},
    "override_grade": {"submission_id": 1, "grade": 90, "reason": "Moderation"},
    "move_learner": {"anonymous_id": "anon-ana", "to_pair_id": 1},
    "resolve_leftovers": {"strategy": "trio"},
    "assign_pairs": {"csv": "ana,bob"},
    "remove_submission": {"submission_id": 1, "reason": "Spam"},
    "restore_submission": {"submission_id": 1},
}


def graded_small_cohort(block):
    """Two pairs in the small cohort whose four learners have each reviewed the other pair's plan:
    carl and dora's plan gets the top levels (100 %), ana and bob's the middle ones (80 %)."""
    block.pair("ana", "bob")
    block.pair("carl", "dora")
    block.write_and_submit("ana", "Plan of ana and bob")
    block.write_and_submit("carl", "Plan of carl and dora")
    for name, level in (("ana", 2), ("carl", 1), ("bob", 2), ("dora", 1)):
        block.review(name, level_index=level)
    return block.state("ana")["pairing"]["pair_id"], block.state("carl")["pairing"]["pair_id"]


def submission_of(block, student):
    from devisus_xblocks.pair_review.models import Submission

    return Submission.objects.get(pair_id=block.state(student)["pairing"]["pair_id"]).id


def test_every_staff_handler_and_export_refuses_learners(bench):
    block = Block(bench, SMALL)
    graded_small_cohort(block)
    for handler, data in STAFF_HANDLERS.items():
        assert refused(block, handler, "ana", data, status=403) == "Only course staff can do this.", handler
    for handler in ("grades_csv", "reviews_csv"):
        response = block.download(handler, "ana")
        assert response.status_code == 403 and response.json() == {"error": "Only course staff can do this."}
        response = bench.client.post(f"/handler/{block.usage_id}/{handler}/?student=staff")
        assert response.status_code == 405


def test_the_dashboard_shows_every_pair_at_a_glance(bench):
    block = Block(bench, ENGLISH)
    block.pair("dan", "dee")  # drafting
    for theo, prac in (("s0", "r0"), ("s1", "r1"), ("s2", "r2")):
        block.pair(theo, prac)
        block.write_and_submit(theo, f"Plan {theo}")
    block.review("s0")  # s1's plan is in review (1 of 2)
    block.ok("declare_profile", "wendy", {"profile": "theoretician"})  # waits for a practitioner
    learner_page = block.page("dan")
    assert '<section class="devisus-pair-review-staff"' not in learner_page and "Your progress" in learner_page
    page = block.page("staff")
    assert '<section class="devisus-pair-review-staff"' in page and "Your progress" not in page
    reply = block.ok("staff_state", "trainer")
    html = reply["html"]
    assert "wendy (Theoretician), waiting since" in html
    assert "Drafting" in html and "In review: 1 of 2 reviews" in html and "Submitted, no review yet" in html
    assert html.count('class="devisus-pair-review-pair"') == 4
    assert 'data-status="in_review"' in html and "s0 (Theoretician), 1 review given" in html


def test_pair_details_name_reviewers_for_trainers(bench):
    block = Block(bench, SMALL)
    first, second = graded_small_cohort(block)
    rated = block.state("carl")["received"][0]
    block.ok("rate_review", "dora", {"review_id": rated["review_id"], "helpfulness": 5, "comment": "=HYPERLINK(x)"})
    reply = block.ok("staff_pair", "staff", {"pair_id": second})
    assert reply["pair_id"] == second
    detail = reply["detail"]
    assert "Plan of carl and dora" in detail
    assert "Peer review by ana (Theory-oriented trainer)" in detail and "Rated 5/5 by the reviewed pair." in detail
    assert "=HYPERLINK(x)" in detail  # shown as text to trainers; neutralised in CSV only
    assert refused(block, "staff_pair", "staff", {"pair_id": 999}, status=404) == "This pair does not exist."
    assert reply["html"] is None  # one pair's detail comes on its own, without the dashboard
    assert "ana (Theory-oriented trainer), 1 review given, helpfulness 5/5" in block.ok("staff_state", "staff")["html"]


def test_override_needs_a_reason_is_kept_with_history_and_reaches_both_members(bench):
    block = Block(bench, SMALL)
    first, _second = graded_small_cohort(block)
    submission = submission_of(block, "ana")
    assert block.state("bob")["grade"]["percent"] == "80.0%"  # carl and dora gave the middle levels
    assert refused(block, "override_grade", "staff", {"submission_id": submission, "grade": 85, "reason": "  "}) == (
        "Please give the reason for changing the grade."
    )
    assert refused(block, "override_grade", "staff", {"submission_id": submission, "grade": 101, "reason": "x"}) == (
        "grade must be at most 100."
    )
    assert refused(block, "override_grade", "staff", {"submission_id": submission, "reason": "x"}) == (
        "Enter a grade between 0 and 100, or choose to remove the override."
    )
    assert refused(
        block, "override_grade", "staff", {"submission_id": 999_999, "grade": 50, "reason": "x"}, status=404
    ) == ("This submission does not exist.")
    start = last_score_id()
    reply = block.ok(
        "override_grade",
        "trainer",
        {"submission_id": submission, "grade": 85, "reason": "Peer reviews diverged; moderated by the team."},
    )
    assert reply["message"] == "The grade is changed and the reason kept." and reply["pair_id"] == first
    assert "<td>trainer</td>" in reply["detail"] and "<td>80.0%</td><td>85.0%</td>" in reply["detail"]
    assert "Peer reviews diverged; moderated by the team." in reply["detail"]
    published = published_since(start)
    assert {(g.anonymous_id, g.score, g.source, g.reason) for g in published} == {
        ("anon-ana", 0.85, "override", "Peer reviews diverged; moderated by the team."),
        ("anon-bob", 0.85, "override", "Peer reviews diverged; moderated by the team."),
    }
    for name in ("ana", "bob"):
        reply = block.ok("state", name)
        assert reply["state"]["grade"]["percent"] == "85.0%"
        assert reply["state"]["grade"]["source_label"] == "Set by your trainer."
        assert "moderated" not in reply["html"]  # the reason is for the record, not for learners
    cleared = block.ok(
        "override_grade", "staff", {"submission_id": submission, "clear": True, "reason": "Back to peers."}
    )
    assert "override removed" in cleared["detail"]
    assert block.state("ana")["grade"]["percent"] == "80.0%"


def test_a_trainers_review_replaces_the_peer_grade(bench):
    block = Block(bench, SMALL)
    graded_small_cohort(block)
    submission = submission_of(block, "carl")
    answers = block.answers("ana", level_index=0)
    assert refused(
        block, "trainer_review", "staff", {"submission_id": submission, **answers, "comments": {}}
    ).startswith("Your comment on")
    reply = block.ok("trainer_review", "staff", {"submission_id": submission, **answers})
    assert "Trainer&#39;s review by Course staff" in reply["detail"]
    state = block.state("dora")
    assert (
        state["grade"]["percent"] == "40.0%"
        and state["grade"]["source_label"] == "Graded by your trainer with the rubric."
    )
    assert [r["label"] for r in state["received"]] == ["Peer review 1", "Peer review 2", "Your trainer's review"]
    assert state["grade"]["criteria"][0]["trainer"] == "1"


def test_moves_and_leftovers(bench):
    block = Block(bench, ENGLISH)
    for name in ("t1", "t2", "t3"):
        block.ok("declare_profile", name, {"profile": "theoretician"})
    block.ok("declare_profile", "p1", {"profile": "practitioner"})  # matched with t1, the first to arrive
    assert block.state("t1")["step"] == "draft"
    pair_id = block.state("t1")["pairing"]["pair_id"]
    reply = block.ok("resolve_leftovers", "staff", {"strategy": "same_profile"})
    assert reply["message"] == "New pairs: 1; pairs completed or made trios: 0; still waiting: 0."
    assert block.state("t2")["pairing"]["partners"] == [
        {"username": "t3", "profile": "Theoretician", "inactive_since": ""}
    ]
    assert (
        refused(block, "resolve_leftovers", "staff", {"strategy": "lottery"}) == "Unknown way of resolving leftovers."
    )
    # t3 joins t1 and p1 as a trio, then goes back to the waiting list
    block.ok("move_learner", "staff", {"anonymous_id": "anon-t3", "to_pair_id": pair_id})
    assert {p["username"] for p in block.state("t3")["pairing"]["partners"]} == {"t1", "p1"}
    assert block.state("t2")["step"] == "pairing"  # t2's pair emptied to one: waiting for a partner
    block.ok("move_learner", "staff", {"anonymous_id": "anon-t3"})
    assert block.state("t3")["pairing"]["status"] == "waiting"
    assert refused(
        block, "move_learner", "staff", {"anonymous_id": "anon-nobody", "to_pair_id": pair_id}, status=404
    ) == ("This learner has not taken part in the activity yet.")
    block.write_and_submit("t1", "Plan")
    assert refused(block, "move_learner", "staff", {"anonymous_id": "anon-t3", "to_pair_id": pair_id}, status=409) == (
        "This pair has already submitted its work."
    )


def test_pairs_from_a_list_in_trainer_mode_and_reviews_by_pair(bench):
    block = Block(bench, TRAINER)
    for name, profile in (
        ("ana", "theoretician"),
        ("bob", "practitioner"),
        ("carl", "theoretician"),
        ("dora", "practitioner"),
    ):
        state = block.ok("declare_profile", name, {"profile": profile})["state"]
        assert (
            state["step"] == "pairing"
            and state["next"] == "Next: once you have a partner, you write your assignment together in a shared draft."
        )
    assert "Your trainer pairs the learners of this activity." in block.ok("state", "ana")["html"]
    assert refused(block, "assign_pairs", "staff", {"csv": "ana,zed"}) == "Line 1: zed is not a learner of this course."
    assert (
        refused(block, "assign_pairs", "staff", {"csv": "ana"})
        == "Line 1: a pair needs two usernames (three for a trio)."
    )
    reply = block.ok("assign_pairs", "staff", {"csv": "username1,username2\nana,bob\n# later\ncarl, dora\n"})
    assert reply["message"] == "Pairs created: 2."
    assert (
        refused(block, "assign_pairs", "staff", {"csv": "ana,carl"}, status=409) == "Line 1: ana is already in a pair."
    )
    assert block.state("bob")["pairing"]["partners"] == [
        {"username": "ana", "profile": "Theoretician", "inactive_since": ""}
    ]
    block.write_and_submit("ana", "Plan AB")
    block.write_and_submit("dora", "Plan CD")
    # one review per pair: bob takes it, ana sees the pair's review done
    assert (
        block.state("ana")["next"]
        == "Next: once your reviews are given, you see the reviews of your work and your grade."
    )
    block.review("bob")
    state = block.state("ana")
    assert state["review"]["done"] == 1 and state["step"] in ("waiting_for_grade", "graded")
    assert block.ok("next_review", "ana")["message"] == "You have given all your reviews."


def test_withdraw_and_restore(bench):
    block = Block(bench, SMALL)
    block.pair("ana", "bob")
    block.pair("carl", "dora")
    block.write_and_submit("ana", "Spam <b>buy now</b>")
    block.write_and_submit("carl", "Plan C")
    submission = submission_of(block, "ana")
    assert refused(block, "remove_submission", "staff", {"submission_id": submission, "reason": ""}) == (
        "Please give the reason for withdrawing this work (at most 2000 characters)."
    )
    reply = block.ok("remove_submission", "staff", {"submission_id": submission, "reason": "Advertising"})
    assert reply["html"] is None  # an action answers what changed, never the whole dashboard
    assert "1 pair withdrawn from peer review" in reply["summary"]
    assert "Put it back into peer review" in reply["detail"] and reply["pair_id"] is not None
    assert refused(
        block, "remove_submission", "staff", {"submission_id": submission, "reason": "Again"}, status=409
    ) == ("This work has already been withdrawn from peer review.")
    nothing = block.ok("next_review", "carl")
    assert nothing["state"]["review"]["none_available"]
    block.review("ana")
    assert "Course staff have withdrawn your pair" in block.ok("state", "ana")["html"]
    block.ok("restore_submission", "staff", {"submission_id": submission})
    assert refused(block, "restore_submission", "staff", {"submission_id": submission}, status=409) == (
        "This work is already in peer review."
    )
    assert block.ok("next_review", "carl")["state"]["review"]["task"]["text"] == "Spam <b>buy now</b>"


def _csv(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_csv_exports_are_anonymised_by_default(bench):
    block = Block(bench, SMALL)
    graded_small_cohort(block)
    rated = block.state("carl")["received"][0]
    block.ok("rate_review", "carl", {"review_id": rated["review_id"], "helpfulness": 2, "comment": "=1+1"})
    rows = _csv(block.download("grades_csv", "staff"))
    assert rows[0][:4] == ["learner", "pair", "profile", "status"]
    assert {row[0] for row in rows[1:]} == {"anon-ana", "anon-bob", "anon-carl", "anon-dora"}
    named = _csv(block.download("grades_csv", "trainer", "&usernames=1"))
    assert {row[0] for row in named[1:]} == {"ana", "bob", "carl", "dora"}
    reviews = _csv(block.download("reviews_csv", "staff"))
    assert len(reviews) == 5 and reviews[0][:4] == ["review_id", "kind", "reviewed_pair", "reviewer"]
    assert {row[3] for row in reviews[1:]} == {"anon-ana", "anon-bob", "anon-carl", "anon-dora"}
    assert "'=1+1" in [cell for row in reviews for cell in row]  # formula injection neutralised
    assert COMMENT in reviews[1]
    disposition = block.download("reviews_csv", "staff")["Content-Disposition"]
    assert disposition == 'attachment; filename="pair-review-reviews.csv"'


def test_french_dashboard(bench_fr):
    block = Block(bench_fr, SMALL)
    block.ok("declare_profile", "ana", {"profile": "theoretician"})
    html = block.ok("staff_state", "staff")["html"]
    assert "Tableau de bord de l&#39;équipe pédagogique" in html
    assert refused(block, "assign_pairs", "staff", {"csv": "ana,zed"}) == spaced(
        "Ligne 1 : zed n'est pas apprenant·e de ce cours."
    )
