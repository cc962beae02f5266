"""The course itself, read from its source: what issue 5 asks every module and the course to have."""

from __future__ import annotations

import re

import pytest

from devisus_course.source import FileComponent, XBlockComponent, load_course_source

LANGUAGES = ("fr", "en")
RESPONSE_TYPES = ("multiplechoiceresponse", "choiceresponse", "optionresponse", "stringresponse", "numericalresponse")
MIN_WORDS_PER_MODULE = 1500


def _words(markdown: str) -> int:
    return len(re.findall(r"[^\W\d_][\w'’-]*", markdown))


def _components(module):
    for sequence in module.sequences:
        for unit in sequence.units:
            yield from unit.components


@pytest.fixture(scope="module", params=LANGUAGES)
def source(request):
    return load_course_source(request.param)


def test_nine_modules_each_with_an_overview_and_enough_learner_text(source):
    assert len(source.modules) == 9
    for module in source.modules:
        units = [unit for sequence in module.sequences for unit in sequence.units]
        assert module.objectives and all(objective.codes for objective in module.objectives), module.slug
        assert units[0].stem == "intro", f"{module.slug}: the first unit is the overview"
        assert len([unit for unit in units if unit.teaches]) >= 2, f"{module.slug}: content units"
        words = sum(_words(unit.body) for unit in units)
        assert words >= MIN_WORDS_PER_MODULE, f"{module.slug} ({source.language}): {words} words"


def test_each_module_has_a_graded_problem_set_with_explanations(source):
    for module in source.modules:
        quiz = [unit for sequence in module.sequences if sequence.graded == "Quiz" for unit in sequence.units]
        problems = [
            c for unit in quiz for c in unit.components if isinstance(c, FileComponent) and c.category == "problem"
        ]
        assert len(problems) >= 5, f"{module.slug}: {len(problems)} problems"
        kinds = set()
        for problem in problems:
            responses = [child.tag for child in problem.element if child.tag in RESPONSE_TYPES]
            assert responses, f"{module.slug}/{problem.stem}: no response"
            kinds.update(responses)
            assert problem.element.find(".//label") is not None, f"{module.slug}/{problem.stem}: no label"
            assert problem.element.find("solution") is not None, f"{module.slug}/{problem.stem}: no explanation"
            assert problem.assesses, f"{module.slug}/{problem.stem}: assesses nothing"
        assert len(kinds) >= 2, f"{module.slug}: one response type only"


def test_the_activities_of_brief_c_are_in_place(source):
    modules = {module.number: module for module in source.modules}

    def custom(number, tag):
        return [c for c in _components(modules[number]) if isinstance(c, XBlockComponent) and c.tag == tag]

    before = [dict(c.attrs) for c in custom(1, "devisus_self_positioning")]
    assert {(a["item_set"], a["round"]) for a in before} == {("principles", "before"), ("competences", "before")}
    practice = [dict(c.attrs) for c in custom(2, "devisus_glossary") if dict(c.attrs).get("mode") == "practice"]
    assert practice
    ora = [c for c in _components(modules[5]) if isinstance(c, FileComponent) and c.category == "openassessment"]
    assert ora and {a.get("name") for a in ora[0].element.iter("assessment")} >= {"peer-assessment"}
    assert any(s.graded in ("Workshop", "Atelier") for s in modules[5].sequences)
    capstone = [
        c for c in _components(modules[9]) if isinstance(c, FileComponent) and c.category == "devisus_pair_review"
    ]
    assert capstone and any(s.graded in ("Capstone", "Projet final") for s in modules[9].sequences)
    after = [dict(c.attrs) for c in custom(9, "devisus_self_positioning")]
    assert {(a["framework_id"], a["round"]) for a in after} == {(a["framework_id"], "after") for a in before}
    video = [c for c in _components(modules[1]) if isinstance(c, FileComponent) and c.category == "video"]
    assert video and video[0].element.get("youtube_id_1_0") == "LLM5lGGqPwk"


def test_grading_policy_makes_the_capstone_the_heaviest_item(source):
    per_item = {g.type: g.weight / max(1, g.min_count - g.drop_count) for g in source.graders}
    assert abs(sum(g.weight for g in source.graders) - 1) < 1e-9
    assert max(per_item, key=per_item.get) in ("Capstone", "Projet final")
    assert dict(source.cutoffs)["Pass"] > 0


def test_about_page_covers_audience_prerequisites_effort_and_faq(source):
    headings = [line[3:].lower() for line in source.about.splitlines() if line.startswith("## ")]
    expected = {
        "fr": ("à qui s'adresse", "prérequis", "effort", "questions fréquentes"),
        "en": ("who is it for", "prerequisites", "effort", "frequently asked questions"),
    }[source.language]
    for heading in expected:
        assert any(h.startswith(heading) for h in headings), heading
    assert source.short_description and source.effort and source.handouts
