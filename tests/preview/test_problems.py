"""The course's problems in the preview: the real problem block, through the preview's pages and
the block's own handler, on the committed course/ trees."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from devisus_course.preview.course_tree import read_course
from devisus_course.preview.problems import needs_sandbox, problem_block, render_problem

from ..problem_keys import responses
from ..test_build_cli import REPO

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = read_course(REPO / "course" / "en")
# One problem of every response type the course uses.
BY_TYPE = {
    "multiple choice": "m01_check_q1",
    "checkboxes": "m01_check_q2",
    "drop-down": "m01_check_q3",
    "text": "m01_check_q6",
    "numerical": "m02_check_q2",
}


def _xml(url_name: str) -> str:
    _unit, component = COURSE.find_component("problem", url_name)
    return component.xml


def _post(client, student: str, url_name: str, dispatch: str, data=None):
    return client.post(f"/course/en/problems/{student}/{url_name}/{dispatch}", data or {})


def _answers(client, student: str, url_name: str, pick: str) -> dict:
    """The form a learner's browser sends, with the right or wrong answer to every response."""
    html = _post(client, student, url_name, "problem_get").json()["html"]
    ids = list(dict.fromkeys(re.findall(r'name="input_(\w+?)(?:\[\])?"', html)))
    keys = responses(_xml(url_name))
    assert len(ids) == len(keys), (url_name, ids)
    form = {}
    for answer_id, response in zip(ids, keys):
        value = getattr(response, pick)
        form[f"input_{answer_id}[]" if isinstance(value, list) else f"input_{answer_id}"] = value
    return form


@pytest.mark.parametrize("kind", sorted(BY_TYPE))
def test_each_response_type_grades_right_and_wrong_answers(kind):
    client, url_name = Client(), BY_TYPE[kind]
    wrong = _post(client, "alice", url_name, "problem_check", _answers(client, "alice", url_name, "wrong")).json()
    assert wrong["success"] == "incorrect" and wrong["current_score"] < wrong["total_possible"]
    right = _post(client, "bob", url_name, "problem_check", _answers(client, "bob", url_name, "right")).json()
    assert right["success"] == "correct"
    assert right["current_score"] == right["total_possible"] == 1.0
    assert 'class="status correct' in right["contents"] or "correct" in right["contents"]


def test_answer_and_score_are_kept_per_learner_across_page_loads():
    url_name = "m01_check_q1"
    client = Client()
    _post(client, "bob", url_name, "problem_check", _answers(client, "bob", url_name, "right"))
    later = Client()  # a new browser session: the state is in the preview's database
    bob = later.get("/course/en/m01_check/?student=bob").content.decode()
    carol = later.get("/course/en/m01_check/?student=carol").content.decode()
    wrapper = f'id="problem_{url_name}"'
    assert 'data-problem-score="1.0"' in bob.split(wrapper, 1)[1].split(">", 1)[0]
    assert 'data-problem-score="0.0"' in carol.split(wrapper, 1)[1].split(">", 1)[0]
    assert 'data-attempts-used="1"' in bob.split(wrapper, 1)[1].split(">", 1)[0]


def test_explanation_only_after_the_attempts_the_problem_allows():
    # m01_check_q1: max_attempts="2" showanswer="finished".
    url_name, client = "m01_check_q1", Client()
    wrong = _answers(client, "dave", url_name, "wrong")
    assert _post(client, "dave", url_name, "problem_check", wrong).json()["attempts_used"] == 1
    # Not available yet: the block refuses (its NotFoundError becomes a ProcessingError message,
    # which the LMS, and the preview, answer as ``{"success": message}``).
    early = _post(client, "dave", url_name, "problem_show").json()
    assert "answers" not in early and early["success"]
    _post(client, "dave", url_name, "problem_check", wrong)
    shown = _post(client, "dave", url_name, "problem_show")
    assert shown.status_code == 200
    explanation = " ".join(str(value) for value in shown.json()["answers"].values())
    assert "Principle 1 says that the organisation is free to choose" in explanation
    # A third try is refused with the block's message, not an error page.
    closed = _post(client, "dave", url_name, "problem_check", _answers(client, "dave", url_name, "right"))
    assert closed.status_code == 200 and "refresh" in closed.json()["success"].lower()


def test_bad_requests_are_4xx_and_change_nothing():
    client = Client()
    assert client.get("/course/en/problems/erin/m01_check_q1/problem_check").status_code == 405
    assert _post(client, "erin", "m01_check_q1", "problem_delete_everything").status_code == 404
    assert _post(client, "erin", "no_such_problem", "problem_check").status_code == 404
    assert client.post("/course/de/problems/erin/m01_check_q1/problem_check").status_code == 404
    assert client.post("/course/en/problems/<script>/m01_check_q1/problem_check").status_code == 404
    assert _post(client, "erin", "m01_check_q1", "problem_get").json()["html"].count('data-attempts-used="0"') <= 1
    page = client.get("/course/en/m01_check/?student=erin").content.decode()
    assert 'data-attempts-used="0"' in page.split('id="problem_m01_check_q1"', 1)[1].split(">", 1)[0]


def test_course_policy_sets_what_the_problem_leaves_unset():
    plain = re.sub(r' (max_attempts|showanswer)="[^"]*"', "", _xml("m01_check_q1"))
    policy = {"max_attempts": 5, "showanswer": "always", "graded": True}
    inherited = problem_block("en", "m01_check_q1", plain, "alice", policy)
    assert (inherited.max_attempts, inherited.showanswer, inherited.graded) == (5, "always", True)
    own = problem_block("en", "m01_check_q1", _xml("m01_check_q1"), "alice", policy)
    assert (own.max_attempts, own.showanswer) == (2, "finished")


def test_a_problem_that_needs_the_code_sandbox_says_so():
    scripted = (
        '<problem display_name="Scripted"><script type="loncapa/python">x = 2</script>'
        '<customresponse cfn="check"><textline/></customresponse></problem>'
    )
    english = render_problem("en", "scripted", scripted, "alice", {}).body_html()
    french = render_problem("fr", "scripted", scripted, "alice", {}).body_html()
    assert "code sandbox (codejail)" in english and "bac à sable" in french
    assert not needs_sandbox(_xml("m01_check_q1"))


def test_a_visitor_who_is_not_signed_in_sees_the_public_view_and_cannot_answer():
    client = Client()
    page = client.get("/course/en/m01_check/?student=anonymous").content.decode()
    assert 'id="problem_m01_check_q1"' not in page and "only accessible to enrolled learners" in page
    refused = _post(client, "anonymous", "m01_check_q1", "problem_check", {"input_m01_check_q1_2_1": "choice_3"})
    assert refused.status_code == 403 and refused.json()["success"]
    french = Client().post("/course/fr/problems/anonymous/m01_check_q1/problem_check")
    assert french.status_code == 403 and "Connectez-vous" in french.json()["success"]
