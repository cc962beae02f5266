"""Every problem answered by the real Open edX problem engine (capa, from xblocks-contrib), through
`devisus-course validate`: a clean problem of each response type the course uses passes; each
broken variant is caught, naming the file and the response; the built course passes in both
languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devisus_course.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "olx_minimal"
SOLUTION = "<solution><p>Why the keyed answer is right, and the others not.</p></solution>"


def problem(body: str, solution: str = SOLUTION) -> str:
    return f'<problem display_name="Check" max_attempts="2" weight="1">{body}{solution}</problem>'


def single(keys=(False, True, False)):
    choices = "".join(f'<choice correct="{str(k).lower()}">Option {i}</choice>' for i, k in enumerate(keys))
    return f'<multiplechoiceresponse><label>Which?</label><choicegroup type="MultipleChoice">{choices}</choicegroup></multiplechoiceresponse>'


def boxes(keys=(True, False, True, False)):
    choices = "".join(f'<choice correct="{str(k).lower()}">Box {i}</choice>' for i, k in enumerate(keys))
    return (
        f"<choiceresponse><label>Tick all that apply.</label><checkboxgroup>{choices}</checkboxgroup></choiceresponse>"
    )


def dropdown(options="('Internal evaluation','External evaluation')", correct="Internal evaluation"):
    return f'<optionresponse><label>Which kind?</label><optioninput options="{options}" correct="{correct}"/></optionresponse>'


def number(answer="3.2", tolerance="0.05"):
    return (
        f'<numericalresponse answer="{answer}"><label>The ratio?</label>'
        f'<responseparam type="tolerance" default="{tolerance}"/><formulaequationinput/></numericalresponse>'
    )


def text(answer="criteria", kind="ci"):
    return f'<stringresponse answer="{answer}" type="{kind}"><label>The word?</label><textline/></stringresponse>'


CLEAN = problem(single() + boxes() + dropdown() + number() + text())


def validate(tmp_path, capsys, xml: str) -> tuple[int, str]:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    (root / "problem" / "check1.xml").write_text(xml, encoding="utf-8")
    code = main(["validate", str(root)])
    return code, "\n".join(line for line in capsys.readouterr().out.splitlines() if "[capa]" in line)


def test_every_response_type_of_the_course_passes(tmp_path, capsys):
    assert validate(tmp_path, capsys, CLEAN) == (0, "")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (single((False, False, False)), "response 1 (multiplechoiceresponse): no choice is keyed correct"),
        (boxes((False, False)), "response 1 (choiceresponse): no box is keyed correct"),
        (
            dropdown("('l'évaluation interne','l'évaluation externe')", "l'évaluation interne"),
            'response 1 (optionresponse): the keyed option "l\'évaluation interne" is not one a learner can select',
        ),
        (number(tolerance="100000"), "response 1 (numericalresponse): the far-off number 1032 grades correct"),
        (
            number(answer="about three"),
            "response 1 (numericalresponse): the keyed number 'about three' is not a number",
        ),
        (text(answer=".*", kind="regexp"), "response 1 (stringresponse): an unrelated text grades correct"),
        (single() + text(answer=".*", kind="regexp"), "response 2 (stringresponse): an unrelated text grades correct"),
        ("<p>Nothing to answer.</p>", "no response a learner can answer"),
        (
            '<customresponse cfn="check"><script type="loncapa/python">def check(e, a): return True</script>'
            "<textline/></customresponse>",
            "customresponse needs the platform's code sandbox",
        ),
    ],
)
def test_a_broken_problem_is_named_with_its_response(tmp_path, capsys, body, expected):
    code, out = validate(tmp_path, capsys, problem(body))
    assert code == 1
    assert f"problem/check1.xml: error [capa]: {expected}" in out, out


def test_a_problem_without_explanation(tmp_path, capsys):
    code, out = validate(tmp_path, capsys, problem(single(), solution=""))
    assert code == 1 and "problem/check1.xml: error [capa]: no explanation (<solution>)" in out


def test_a_problem_the_engine_cannot_render(tmp_path, capsys):
    broken = problem(
        '<numericalresponse answer="3"><label>?</label><responseparam type="tolerance" default="x"/></numericalresponse>'
    )
    code, out = validate(tmp_path, capsys, broken)
    assert code == 1 and "problem/check1.xml: error [capa]:" in out, out


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_built_course_is_answerable(tmp_path, capsys, language):
    assert main(["build", "--lang", language, "-o", str(tmp_path)]) == 0, capsys.readouterr().err
    assert main(["validate", str(tmp_path / "course" / language)]) == 0
    assert "[capa]" not in capsys.readouterr().out
