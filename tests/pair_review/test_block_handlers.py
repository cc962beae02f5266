"""The block's learner handlers through the real xblock-sdk workbench, with several learners:
every step of the journey and every refusal (which must change nothing)."""

from __future__ import annotations

import json

import pytest

from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.pair_review.models import Draft, Membership, Participant, Review, Submission, SubmissionMember

from .block_support import (  # noqa: F401 - fixtures
    COMMENT,
    DEFAULT_FR,
    ENGLISH,
    INVITATION,
    SMALL,
    TRAINER,
    Block,
    bench,
    bench_fr,
    scenarios,
)
from .published import last_score_id, published_since

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events(monkeypatch):
    """Events the workbench runtime publishes, with the user each one is for."""
    from workbench.runtime import WorkbenchRuntime

    seen = []
    original = WorkbenchRuntime.publish

    def publish(self, block, event_type, event_data):
        seen.append((self.user_id, event_type, event_data))
        return original(self, block, event_type, event_data)

    monkeypatch.setattr(WorkbenchRuntime, "publish", publish)
    return seen


@pytest.fixture
def grades():
    """Grades published (to every member) from now on, read back from edx-submissions."""
    start = last_score_id()
    return lambda: published_since(start)


def snapshot() -> list:
    """Every row that a refused request must leave alone."""
    return [
        sorted(Participant.objects.values_list("anonymous_id", "profile", "waiting_since")),
        sorted(Membership.objects.values_list("anonymous_id", "pair_id")),
        sorted(Draft.objects.values_list("pair_id", "text", "version", "locked")),
        sorted(Submission.objects.values_list("id", "review_count", "lease_count", "grade", "in_pool")),
        sorted(Review.objects.values_list("id", "kind", "reviewer_key", "helpfulness")),
        sorted(SubmissionMember.objects.values_list("anonymous_id", "contribution")),
    ]


def refused(block, handler, student, data=None, status=400, **kwargs):
    before = snapshot()
    reply = block.call(handler, student, data, **kwargs)
    assert reply.status == status, reply
    assert set(reply.data) == {"error"} and reply.error
    assert snapshot() == before
    return reply.error


# ---- profile and pairing -------------------------------------------------------------------


def test_profile_then_automatic_pairing_waits_then_matches(bench):
    block = Block(bench, ENGLISH)
    first = block.state("ana")
    assert first["step"] == "profile"
    assert [s["status"] for s in first["steps"]] == [
        "current",
        "upcoming",
        "upcoming",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert first["next"] == "Next: you will be paired with a learner of the other profile."
    assert [p["label"] for p in first["profiles"]] == ["Theoretician", "Field practitioner"]

    reply = block.ok("declare_profile", "ana", {"profile": "theoretician"})
    assert reply["message"] == "Your profile is saved."
    waiting = reply["state"]
    assert (waiting["step"], waiting["pairing"]["status"]) == ("pairing", "waiting")
    assert "You are on the waiting list" in reply["html"]
    # never without a next step: who places a learner left waiting, and until when
    assert waiting["pairing"]["waiting_since"]
    assert (
        f"On the waiting list since {waiting['pairing']['waiting_since']}. If nobody with the other profile "
        "joins, your trainer, who sees this list, places you in a pair or adds you to a pair as a trio."
    ) in " ".join(reply["html"].split())
    # another theoretician does not match ana; a practitioner does, first come first matched
    assert block.ok("declare_profile", "ben", {"profile": "theoretician"})["state"]["pairing"]["status"] == "waiting"
    paired = block.ok("declare_profile", "cleo", {"profile": "practitioner"})["state"]
    assert (paired["step"], paired["pairing"]["partners"]) == (
        "draft",
        [{"username": "ana", "profile": "Theoretician", "inactive_since": ""}],
    )
    assert block.state("ana")["pairing"]["partners"] == [
        {"username": "cleo", "profile": "Field practitioner", "inactive_since": ""}
    ]
    assert block.state("ben")["pairing"]["status"] == "waiting"
    assert [s["status"] for s in paired["steps"][:3]] == ["done", "done", "current"]
    # a learner may change their profile while waiting, not once paired
    assert block.ok("declare_profile", "ben", {"profile": "practitioner"})["state"]["pairing"]["status"] == "waiting"
    error = refused(block, "declare_profile", "ana", {"profile": "practitioner"}, status=409)
    assert error == "You cannot change your profile once you are in a pair."
    # joining again is harmless
    assert block.ok("join_automatic", "ana")["state"]["pairing"]["pair_id"] == paired["pairing"]["pair_id"]


def test_profile_refusals(bench):
    block = Block(bench, ENGLISH)
    assert (
        refused(block, "declare_profile", "ana", {"profile": "guru"}) == "Please choose theoretician or practitioner."
    )
    assert refused(block, "declare_profile", "ana", {"profile": 3}) == "Wrong type for field: profile"
    assert refused(block, "declare_profile", "ana", {}) == "Missing field: profile"
    assert (
        refused(block, "declare_profile", "ana", {"profile": "theoretician", "admin": True}) == "Unknown field: admin"
    )
    assert refused(block, "declare_profile", "ana", raw=b"{not json") == "The request is not valid JSON."
    assert refused(block, "declare_profile", "ana", raw=b"[1, 2]") == "The request must be a JSON object."
    assert refused(block, "declare_profile", "ana", method="get", status=405) == "This action needs a POST request."
    assert refused(block, "join_automatic", "ana", status=409) == "Please choose your profile first."
    assert (
        refused(block, "create_invitation", "ana", status=409)
        == "This activity does not use this way of forming pairs."
    )


def test_invitation_codes(bench_fr):
    block = Block(bench_fr, INVITATION)
    for name, profile in (("ana", "theoretician"), ("bob", "practitioner"), ("carl", "practitioner")):
        assert block.ok("declare_profile", name, {"profile": profile})["state"]["pairing"]["status"] == "unpaired"
    assert (
        refused(block, "join_automatic", "ana", status=409) == "Cette activité ne forme pas les binômes de cette façon."
    )
    code = block.ok("create_invitation", "ana")["state"]["pairing"]["invite_code"]
    assert len(code) == 8
    assert refused(block, "join_with_code", "ana", {"code": code}, status=409) == (
        spaced("C'est votre propre code d'invitation : partagez-le avec votre partenaire.")
    )
    assert refused(block, "join_with_code", "bob", {"code": "ZZZZZZZZ"}, status=404) == (
        "Aucun binôme n'utilise ce code d'invitation. Vérifiez-le avec votre partenaire."
    )
    assert refused(block, "join_with_code", "bob", {"code": "x" * 41}) == spaced(
        "code est trop long (40 caractères au maximum)."
    )
    joined = block.ok("join_with_code", "bob", {"code": code.lower()})
    assert joined["state"]["step"] == "draft"
    assert joined["state"]["pairing"]["partners"] == [
        {"username": "ana", "profile": "Théoricien·ne", "inactive_since": ""}
    ]
    assert refused(block, "join_with_code", "carl", {"code": code}, status=409) == "Ce binôme est déjà complet."
    assert refused(block, "leave_pair", "ana", status=409) == (
        spaced("Votre partenaire vous a rejoint : demandez à l'équipe pédagogique de changer les binômes.")
    )
    # an unused invitation can be cancelled
    block.ok("create_invitation", "carl")
    assert block.ok("leave_pair", "carl")["state"]["pairing"]["status"] == "unpaired"


# ---- joint draft and submission ---------------------------------------------------------------


def test_joint_draft_with_versions_and_a_stale_save_refused(bench):
    block = Block(bench, ENGLISH)
    pair_id = block.pair("ana", "bob")
    draft = block.state("ana")["draft"]
    assert (draft["version"], draft["text"], draft["status"]) == (0, "", "Not saved yet.")
    saved = block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "Ana's diagnosis.", "base_version": 0})
    assert saved["message"] == "Draft saved (version 1)."
    assert saved["state"]["draft"]["status"].startswith("Version 1, saved by you on ")
    assert block.state("bob")["draft"]["status"].startswith("Version 1, saved by your partner on ")
    block.ok("save_draft", "bob", {"pair_id": pair_id, "text": "Ana's diagnosis. Bob's field view.", "base_version": 1})
    # ana still edits version 1: refused, bob's text is kept
    error = refused(
        block, "save_draft", "ana", {"pair_id": pair_id, "text": "Ana overwrites", "base_version": 1}, status=409
    )
    assert error == (
        "Your partner saved version 2 of the draft while you were editing. Nothing was overwritten and your "
        "text is still in the editor: show your partner's version to compare before saving again."
    )
    assert block.state("ana")["draft"]["text"] == "Ana's diagnosis. Bob's field view."
    # having seen it, she saves over version 2
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "Ana and Bob, merged.", "base_version": 2})
    seen = block.state("bob")["draft"]
    assert (seen["text"], seen["version"], seen["locked"], seen["saved_by_me"], seen["length"], seen["char_limit"]) == (
        "Ana and Bob, merged.",
        3,
        False,
        False,
        20,
        20_000,
    )


def test_draft_refusals(bench):
    block = Block(bench, ENGLISH)
    pair_id = block.pair("ana", "bob")
    other = block.pair("carl", "dora")
    assert (
        refused(block, "save_draft", "carl", {"pair_id": pair_id, "text": "intrusion", "base_version": 0}, status=403)
        == "You are not a member of this pair."
    )
    assert (
        refused(block, "save_draft", "eve", {"pair_id": pair_id, "text": "intrusion", "base_version": 0}, status=403)
        == "You are not a member of this pair."
    )
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": "x" * 20_001, "base_version": 0}) == (
        "Your text is too long: 20001 characters, at most 20000."
    )
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": "x" * 200_001, "base_version": 0}) == (
        "text is too long (at most 200000 characters)."
    )
    assert refused(block, "save_draft", "ana", {"pair_id": str(pair_id), "text": "x", "base_version": 0}) == (
        "Wrong type for field: pair_id"
    )
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": ["x"], "base_version": 0}) == (
        "Wrong type for field: text"
    )
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": "x", "base_version": True}) == (
        "Wrong type for field: base_version"
    )
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": "x", "base_version": -1}) == (
        "base_version must be at least 0."
    )
    huge = json.dumps({"pair_id": pair_id, "text": "\u00e9" * 250_000, "base_version": 0}).encode()
    assert refused(block, "save_draft", "ana", raw=huge, status=413) == "The request is too large."
    assert refused(block, "submit", "ana", {"pair_id": pair_id, "version": 0, "confirm": True}) == (
        "The draft is empty: write your work before submitting it."
    )
    assert refused(block, "submit", "ana", {"pair_id": other, "version": 0, "confirm": True}, status=403) == (
        "You are not a member of this pair."
    )


def test_submit_for_the_pair_after_confirmation_locks_the_draft(bench):
    block = Block(bench, ENGLISH)
    pair_id = block.pair("ana", "bob")
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "Our plan.", "base_version": 0})
    assert refused(block, "submit", "bob", {"pair_id": pair_id, "version": 1, "confirm": False}) == (
        "Please confirm that you want to submit your pair's work."
    )
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "Our plan, v2.", "base_version": 1})
    assert refused(block, "submit", "bob", {"pair_id": pair_id, "version": 1, "confirm": True}, status=409) == (
        "Your partner changed the draft (now version 2): read it again before submitting."
    )
    reply = block.ok("submit", "bob", {"pair_id": pair_id, "version": 2, "confirm": True})
    assert reply["message"] == "Your pair's work is submitted and locked. It now goes to peer review."
    state = reply["state"]
    assert state["step"] == "review"
    assert state["submission"] | {"submitted_at": ""} == {
        "text": "Our plan, v2.",
        "version": 2,
        "submitted_at": "",
        "submitted_by_me": True,
        "in_review": True,
        "contribution": "",
    }
    assert block.state("ana")["step"] == "review" and block.state("ana")["submission"]["submitted_by_me"] is False
    assert refused(
        block, "save_draft", "ana", {"pair_id": pair_id, "text": "late edit", "base_version": 2}, status=409
    ) == ("Your pair has already submitted its work: the draft can no longer change.")
    assert refused(block, "submit", "ana", {"pair_id": pair_id, "version": 2, "confirm": True}, status=409) == (
        "Your pair has already submitted its work."
    )
    assert "Our plan, v2." in reply["html"]


def test_a_pair_cannot_submit_before_its_partner_joins(bench_fr):
    block = Block(bench_fr, INVITATION)
    block.ok("declare_profile", "ana", {"profile": "theoretician"})
    pair_id = block.ok("create_invitation", "ana")["state"]["pairing"]["pair_id"]
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "Started alone", "base_version": 0})
    assert refused(block, "submit", "ana", {"pair_id": pair_id, "version": 1, "confirm": True}, status=409) == (
        spaced("Votre binôme n'est pas encore complet : attendez que votre partenaire vous rejoigne.")
    )


# ---- peer review ------------------------------------------------------------------------------


def _three_pairs(block):
    names = [("t0", "p0"), ("t1", "p1"), ("t2", "p2")]
    for theo, prac in names:
        block.pair(theo, prac)
        block.write_and_submit(theo, f"Plan of {theo} and {prac}.")
    return names


def test_cross_reviews_never_own_work_and_never_twice(bench):
    block = Block(bench, ENGLISH)
    assert refused(block, "next_review", "t0", status=409) == "You need to be in a pair to review other pairs' work."
    block.pair("t0", "p0")
    assert refused(block, "next_review", "t0", status=409) == "Submit your pair's work before reviewing other pairs."
    draft = block.state("t0")["draft"]
    block.ok("save_draft", "t0", {"pair_id": draft["pair_id"], "text": "Plan of t0 and p0.", "base_version": 0})
    block.ok("submit", "p0", {"pair_id": draft["pair_id"], "version": 1, "confirm": True})
    nothing = block.ok("next_review", "t0")
    assert nothing["state"]["review"] | {"task": None} == {
        "done": 0,
        "required": 2,
        "open": True,
        "none_available": True,
        "task": None,
    }
    assert nothing["message"].startswith("No work is waiting for review right now")
    for theo, prac in (("t1", "p1"), ("t2", "p2")):
        block.pair(theo, prac)
        block.write_and_submit(theo, f"Plan of {theo} and {prac}.")

    seen = {}
    for name in ("t0", "p0", "t1", "p1", "t2", "p2"):
        texts = []
        for _ in range(2):
            task = block.ok("next_review", name)["state"]["review"]["task"]
            # the lease is shown again on reload, without taking another one
            assert block.state(name)["review"]["task"] == task
            texts.append(task["text"])
            block.ok("submit_review", name, {"assignment_id": task["assignment_id"], **block.answers(name)})
        seen[name] = texts
        own = f"Plan of t{name[1]} and p{name[1]}."
        assert own not in texts and len(set(texts)) == 2, (name, texts)
    # every submission got one review from each profile first (cross-role), then fairly
    for index in range(3):
        text = f"Plan of t{index} and p{index}."
        reviewers = [name for name, texts in seen.items() if text in texts]
        assert {name[0] for name in reviewers} == {"t", "p"} and len(reviewers) == 4
    done = block.ok("next_review", "t0")
    assert done["message"] == "You have given all your reviews." and done["state"]["step"] == "graded"


def test_review_refusals(bench):
    block = Block(bench, ENGLISH)
    _three_pairs(block)
    task = block.ok("next_review", "t0")["state"]["review"]["task"]
    answers = block.answers("t0")
    good = {"assignment_id": task["assignment_id"], **answers}
    criterion = next(iter(answers["choices"]))
    title = block.state("t0")["rubric"][0]["title"]
    # t0's task is t1 and p1's own plan: p1 cannot review it through t0's task (nor get it: see above)
    assert task["text"] == "Plan of t1 and p1."
    assert refused(block, "submit_review", "p1", good, status=404) == "This review task does not exist."
    assert (
        refused(block, "submit_review", "t0", {**good, "assignment_id": 999_999}, status=404)
        == "This review task does not exist."
    )
    missing = {**good, "choices": {k: v for k, v in answers["choices"].items() if k != criterion}}
    assert refused(block, "submit_review", "t0", missing) == f"Choose a level for \u201c{title}\u201d."
    short = {**good, "comments": {**answers["comments"], criterion: "Good."}}
    assert refused(block, "submit_review", "t0", short) == (
        f"Your comment on \u201c{title}\u201d is too short: write at least 20 characters (one strength and one suggestion)."
    )
    long = {**good, "comments": {**answers["comments"], criterion: "x" * 5_001}}
    assert (
        refused(block, "submit_review", "t0", long)
        == f"Your comment on \u201c{title}\u201d is too long (at most 5000 characters)."
    )
    unknown = {**good, "choices": {**answers["choices"], "c9": "exemplary"}}
    assert refused(block, "submit_review", "t0", unknown) == "Unknown criterion: c9."
    bad_level = {**good, "choices": {**answers["choices"], criterion: "genius"}}
    assert refused(block, "submit_review", "t0", bad_level) == f"Unknown level for \u201c{title}\u201d."
    assert refused(block, "submit_review", "t0", {**good, "choices": "all good"}) == "Wrong type for field: choices"
    assert (
        refused(block, "submit_review", "t0", {**good, "comments": {criterion: 5}}) == "Wrong type for field: comments"
    )
    block.ok("submit_review", "t0", good)
    assert refused(block, "submit_review", "t0", good, status=409) == "You have already submitted this review."


def test_grades_reach_both_members_and_completion_is_each_learners_own(bench, events, grades):
    block = Block(bench, SMALL)  # 1 review each, 1 needed for a grade, own rubric
    block.pair("ana", "bob")
    block.pair("carl", "dora")
    block.write_and_submit("ana", "Plan A")
    assert [e for e in events if e[1] == "completion"] == []
    block.write_and_submit("carl", "Plan C")
    state = block.review("ana", level_index=2)  # ana reviews carl & dora's plan: top levels
    assert state["step"] == "waiting_for_grade" and state["duties_done"]
    completions = [(user, data) for user, kind, data in events if kind == "completion"]
    assert completions == [("ana", {"completion": 1.0})]  # not bob: his own duties are not done
    # carl and dora's pair is graded by ana's review: both see it, both are in the gradebook
    for name in ("carl", "dora"):
        seen = block.state(name)
        assert seen["step"] == "review" and seen["grade"] is None  # they still owe their review
    published = {(g.anonymous_id, g.score, g.source) for g in grades()}
    assert published == {("anon-carl", 1.0, "peer"), ("anon-dora", 1.0, "peer")}
    final = block.review("dora", level_index=0)
    assert final["step"] == "graded"
    assert final["grade"]["percent"] == "100.0%"
    assert final["grade"]["criteria"] == [
        {"title": "A plan the organisation can use", "weight": 60, "max_points": 3, "peer": "3", "trainer": ""},
        {"title": "Theory and field together", "weight": 40, "max_points": 2, "peer": "2", "trainer": ""},
    ]
    assert [r["criteria"][0]["comment"] for r in final["received"]] == [COMMENT]
    assert block.state("carl")["step"] == "review"  # carl's pair reviews are learner by learner
    assert block.state("ana")["grade"]["percent"] == "40.0%"  # dora gave the lowest levels
    assert {(g.anonymous_id, g.score) for g in grades()} >= {("anon-ana", 0.4), ("anon-bob", 0.4)}
    assert [user for user, kind, _data in events if kind == "completion"] == ["ana", "dora"]
    block.state("ana")
    assert [user for user, kind, _data in events if kind == "completion"] == ["ana", "dora"]  # once each


def test_received_reviews_wait_for_own_reviews_then_feedback_on_feedback(bench):
    block = Block(bench, SMALL)
    block.pair("ana", "bob")
    block.pair("carl", "dora")
    block.write_and_submit("ana", "Plan A")
    block.write_and_submit("carl", "Plan C")
    block.review("carl")  # reviews ana and bob's plan
    hidden = block.state("ana")
    assert hidden["received"] == [] and hidden["received_waiting"] == 1
    shown = block.review("ana")
    [review] = shown["received"]
    assert review["label"] == "Peer review 1" and "carl" not in json.dumps(shown)  # reviewers stay anonymous
    assert refused(block, "rate_review", "ana", {"review_id": review["review_id"], "helpfulness": 6}) == (
        "Rate the review from 1 (not helpful) to 5 (very helpful)."
    )
    assert refused(block, "rate_review", "ana", {"review_id": review["review_id"], "helpfulness": "5"}) == (
        "Wrong type for field: helpfulness"
    )
    assert refused(block, "rate_review", "carl", {"review_id": review["review_id"], "helpfulness": 5}, status=404) == (
        "You can only rate reviews of your own pair's work."
    )
    rated = block.ok(
        "rate_review", "bob", {"review_id": review["review_id"], "helpfulness": 4, "comment": "Precise, thanks."}
    )
    assert rated["message"] == "Thank you: your feedback on this review is saved."
    assert block.state("ana")["received"][0]["helpfulness"] == 4  # the pair's rating, seen by both
    assert block.state("carl")["helpfulness"] == {"average": "4", "ratings": 1}


def test_self_assessment_is_optional_and_never_graded(bench):
    block = Block(bench, ENGLISH)
    block.pair("ana", "bob")
    answers = block.answers("ana")
    assert refused(block, "self_assess", "ana", answers, status=409) == "Your pair has not submitted its work yet."
    block.write_and_submit("ana", "Plan")
    reply = block.ok("self_assess", "bob", answers)
    assert reply["message"] == "Your pair's own review is saved."
    state = block.state("ana")
    assert state["self_assessment"]["done"] and state["self_assessment"]["choices"] == answers["choices"]
    assert [s["status"] for s in state["steps"] if s["key"] == "self"] == ["done"]
    assert Submission.objects.get().grade is None
    small = Block(bench, SMALL)
    small.pair("carl", "dora")
    small.write_and_submit("carl", "Plan")
    assert refused(small, "self_assess", "carl", small.answers("carl"), status=409) == (
        "Reviewing your own work is not part of this activity."
    )


def test_deadlines_are_honoured(bench):
    block = Block(bench, ENGLISH)
    pair_id = block.pair("ana", "bob")
    reply = bench.call(
        block.usage_id,
        "submit_studio_edits",
        "staff",
        {
            "values": {"submission_due": "2020-01-01T00:00:00Z", "review_due": "2020-01-02T00:00:00+00:00"},
            "defaults": [],
        },
    )
    assert reply.status == 200, reply
    state = block.state("ana")
    assert state["deadlines"]["submission_passed"] and state["deadlines"]["review_passed"]
    assert refused(block, "save_draft", "ana", {"pair_id": pair_id, "text": "late", "base_version": 0}, status=409) == (
        "The submission deadline has passed."
    )
    assert "The submission deadline (" in block.ok("state", "ana")["html"]


def test_french_messages(bench_fr):
    block = Block(bench_fr, DEFAULT_FR)
    assert refused(block, "declare_profile", "ana", raw=b"{oops") == "La requête n'est pas un JSON valide."
    pair_id = block.pair("ana", "bob")
    state = block.state("ana")
    assert state["next"].startswith(spaced("Prochaine étape :"))
    assert state["rubric"][0]["title"] == "Diagnostic et adaptation à la structure"
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": "v1", "base_version": 0})
    assert refused(
        block, "save_draft", "bob", {"pair_id": pair_id, "text": "v1 bis", "base_version": 0}, status=409
    ) == (
        spaced(
            "Votre partenaire a enregistré la version 1 du brouillon pendant que vous écriviez. Rien n'a été écrasé et "
            "votre texte est toujours dans l'éditeur : affichez la version de votre partenaire pour comparer avant "
            "d'enregistrer de nouveau."
        )
    )
    assert refused(block, "staff_state", "ana", status=403) == "Seule l'équipe pédagogique peut effectuer cette action."
