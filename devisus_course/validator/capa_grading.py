"""Every problem answered by the real Open edX problem engine, as a learner would answer it.

The LMS renders and grades CAPA problems with the ``capa`` package, which ships in xblocks-contrib
(``xblocks_contrib/problem/capa``: ``LoncapaProblem``, its response and input types). For each
problem of an OLX course tree this module builds a ``LoncapaProblem`` as the problem block does
(``xblocks_contrib/problem/capa_block.py``, ``new_lcp``), renders it, then submits:

- the keyed answers: every response must grade correct, for the full score;
- plausible wrong answers, one response at a time (the others keyed): every other choice; the
  keyed boxes with one box more or one fewer; every other option of a drop-down; an empty or
  far-off number; an empty or unrelated text. None may grade correct.

It also checks that a drop-down's keyed option is one capa actually offers (capa parses the
``options`` attribute itself: an apostrophe or a comma can split an option in two), and that the
problem carries an explanation (``<solution>``). Response types that need the platform's code
sandbox (``customresponse`` with a script, ...) are reported: they cannot be checked here.
"""

from __future__ import annotations

import gettext
import warnings
from functools import lru_cache
from pathlib import Path

from .report import Finding, error

SANDBOXED = {"customresponse", "formularesponse", "schematicresponse", "coderesponse", "externalresponse"}
OFF_BY_A_LOT = 1000.0


class _Location(str):
    """The problem block's usage key, as capa's responses log and hash it."""


class _Block:
    """What capa's responses read from the problem block: its location and the runtime's publish."""

    def __init__(self, url_name: str):
        self.location = _Location(f"block-v1:DEVISUS+validate+run+type@problem+block@{url_name}")

        class _Runtime:
            @staticmethod
            def publish(*args, **kwargs):
                return None

        self.runtime = _Runtime()


@lru_cache(maxsize=1)
def _capa():
    """Import capa once Django is set up (its templates and settings are Django's)."""
    from .django_setup import ensure_django

    ensure_django()
    with warnings.catch_warnings():
        # fs (pinned by the platform) still declares its namespace through pkg_resources.
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        from xblocks_contrib.problem.capa import responsetypes
        from xblocks_contrib.problem.capa.capa_problem import LoncapaProblem, LoncapaSystem
    return LoncapaProblem, LoncapaSystem, responsetypes


@lru_cache(maxsize=1)
def _render_template():
    """capa's input templates, rendered by a Django engine of their own: the validator needs no
    template settings of the process it runs in (the LMS passes ``render_to_string``)."""
    import xblocks_contrib.problem.capa as capa_package
    from django.template import Context, Engine

    engine = Engine(
        dirs=[str(Path(capa_package.__file__).parent / "templates")],
        builtins=["django.templatetags.i18n", "django.templatetags.static"],
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"},
    )
    return lambda name, context: engine.get_template(name).render(Context(context))


def _problem(xml: str, url_name: str):
    LoncapaProblem, LoncapaSystem, _ = _capa()
    system = LoncapaSystem(
        ajax_url="/",
        anonymous_student_id="devisus-validator",
        cache=None,
        can_execute_unsafe_code=lambda: False,  # no code sandbox here, as in a platform without codejail
        get_python_lib_zip=lambda: None,
        DEBUG=False,
        i18n=gettext.NullTranslations(),
        render_template=_render_template(),
        resources_fs=None,
        seed=1,
        xqueue=None,
    )
    return LoncapaProblem(xml, id=url_name, seed=1, capa_system=system, capa_block=_Block(url_name))


def _number(text: str) -> float | None:
    try:
        return float(str(text).strip())
    except ValueError:
        return None


def _answers(responder, problem) -> tuple[dict, list[tuple[str, dict]], str | None]:
    """The keyed answer of one response, its plausible wrong answers, and a problem if any."""
    _, _, rt = _capa()
    aid = responder.answer_ids[0] if responder.answer_ids else None
    if isinstance(responder, rt.MultipleChoiceResponse):
        names = [c.get("name") for c in responder.xml.iter("choice")]
        keyed = responder.correct_choices[0] if responder.correct_choices else None
        wrong = [(f"choice {names.index(n) + 1}", {aid: n}) for n in names if n not in responder.correct_choices]
        return ({aid: keyed} if keyed else {}), wrong, None if keyed else "no choice is keyed correct"
    if isinstance(responder, rt.ChoiceResponse):
        names = [c.get("name") for c in responder.xml.iter("choice")]
        keyed = sorted(responder.correct_choices)
        wrong = []
        for index, name in enumerate(names, start=1):
            toggled = sorted(set(keyed) ^ {name})
            if toggled:
                verb = "one box fewer" if name in keyed else "one box more"
                wrong.append((f"{verb} (box {index})", {aid: toggled}))
        return ({aid: keyed} if keyed else {}), wrong, None if keyed else "no box is keyed correct"
    if isinstance(responder, rt.OptionResponse):
        keyed = responder.get_answers()
        wrong = []
        for answer_id, correct in keyed.items():
            offered = [value for value, _label in problem.inputs[answer_id].loaded_attributes["options"]]
            if correct not in offered:
                return keyed, [], f"the keyed option {correct!r} is not one a learner can select: {offered}"
            wrong += [(f"option {value!r}", {answer_id: value}) for value in offered if value != correct]
        return keyed, wrong, None
    if isinstance(responder, rt.NumericalResponse):
        keyed_text = responder.correct_answer
        value = _number(keyed_text)
        if value is None and getattr(responder, "answer_range", None):
            low, high = (_number(bound) for bound in responder.answer_range)
            value = (low + high) / 2 if low is not None and high is not None else None
            keyed_text = str(value)
        if value is None:
            return {}, [], f"the keyed number {responder.correct_answer!r} is not a number"
        far = value * 10 + OFF_BY_A_LOT
        return (
            {aid: keyed_text},
            [("an empty answer", {aid: ""}), (f"the far-off number {far:g}", {aid: f"{far:g}"})],
            None,
        )
    if isinstance(responder, rt.StringResponse):
        keyed = responder.correct_answer[0] if responder.correct_answer else ""
        wrong = [("an empty answer", {aid: ""}), ("an unrelated text", {aid: "zz unrelated answer zz"})]
        return {aid: keyed}, wrong, None if keyed else "no answer is keyed"
    return {}, [], f"{responder.xml.tag} is not checked here"


def _grade(xml: str, url_name: str, answers: dict):
    """A fresh problem (as a new attempt) graded on ``answers``; None when capa refuses the input
    (the LMS then shows an error and grades nothing, which is not a correct answer)."""
    _, _, rt = _capa()
    problem = _problem(xml, url_name)
    try:
        return problem, problem.grade_answers(answers)
    except (rt.StudentInputError, rt.ResponseError):
        return problem, None


def check_problem(xml: str, file: str, url_name: str) -> list[Finding]:
    """The findings of one problem file."""
    return list(_check_problem(xml, file, url_name))


@lru_cache(maxsize=1024)  # a build validates what it has just checked; tests build the course often
def _check_problem(xml: str, file: str, url_name: str) -> tuple[Finding, ...]:
    return tuple(_findings(xml, file, url_name))


def _findings(xml: str, file: str, url_name: str) -> list[Finding]:
    _, _, rt = _capa()

    def fail(message: str) -> Finding:
        return error("capa", file, message)

    sandboxed = sorted({el.tag for el in _parse_tags(xml)} & SANDBOXED)
    if sandboxed:
        return [fail(f"{', '.join(sandboxed)} needs the platform's code sandbox: it cannot be checked, nor previewed")]
    try:
        problem = _problem(xml, url_name)
        html = problem.get_html()
    except Exception as exc:  # whatever capa raises, the LMS would show a broken problem
        return [fail(f"the problem engine cannot load or render it: {type(exc).__name__}: {exc}")]
    findings = []
    if not problem.tree.xpath("//solution|//solutionset"):
        findings.append(fail("no explanation (<solution>): learners see none after their attempts"))
    if not problem.responders:
        return findings + [fail("no response a learner can answer")]
    keyed, wrong_sets = {}, []
    for number, responder in enumerate(problem.responders.values(), start=1):
        where = f"response {number} ({responder.xml.tag})"
        for answer_id in responder.answer_ids:
            if f'id="input_{answer_id}' not in html and f"input_{answer_id}" not in html:
                findings.append(fail(f"{where}: capa renders no input for it"))
        answers, wrong, problem_text = _answers(responder, problem)
        if problem_text:
            findings.append(fail(f"{where}: {problem_text}"))
            continue
        keyed.update(answers)
        wrong_sets += [(where, description, answer) for description, answer in wrong]
    if any(f.severity == "error" for f in findings):
        return findings
    graded, correct_map = _grade(xml, url_name, keyed)
    if correct_map is None:
        return findings + [fail("the keyed answers are refused by the problem engine")]
    score = graded.calculate_score(correct_map)
    if score["score"] != score["total"]:
        findings.append(
            fail(f"the keyed answers score {score['score']:g} of {score['total']:g}: a learner cannot get full marks")
        )
    for where, description, answer in wrong_sets:
        _, wrong_map = _grade(xml, url_name, {**keyed, **answer})
        (answer_id,) = answer
        if wrong_map is not None and wrong_map.is_correct(answer_id):
            findings.append(fail(f"{where}: {description} grades correct"))
    return findings


def _parse_tags(xml: str):
    from ..xmlsafe import parse_xml_bytes

    return parse_xml_bytes(xml.encode("utf-8"), "problem").iter()


def check_capa_grading(olx) -> list[Finding]:
    """Run every problem of the course tree (inline or in ``problem/``) through the real problem
    engine; files that Studio would not import (orphans) are left out, as Studio leaves them."""
    from lxml import etree

    problems = olx.of_tag("problem")
    if not problems:
        return []
    try:
        _capa()
    except ImportError as exc:
        return [error("capa", None, f"the Open edX problem engine is not installed (xblocks-contrib): {exc}")]
    findings = []
    for usage in problems:
        xml = etree.tostring(usage.element, encoding="unicode")
        findings += check_problem(xml, usage.content_file, usage.url_name or "problem")
    return findings
