"""The development plan: lowest-rated items and the modules that work on them."""

from __future__ import annotations

from dataclasses import dataclass

from devisus_course.source import load_course_source
from devisus_xblocks.positioning.items import build_item_set
from devisus_xblocks.positioning.plan import ModuleRef, course_modules_by_code, development_plan, modules_by_code


@dataclass
class _Objective:
    codes: tuple


@dataclass
class _Module:
    number: int
    title: str
    objectives: tuple


def test_mapping_lists_each_module_once_in_module_order():
    modules = [
        _Module(3, "Three", (_Objective(("Pr1", "T1")),)),
        _Module(1, "One", (_Objective(("Pr1",)), _Objective(("Pr1", "S2")))),
    ]
    assert modules_by_code(modules) == {
        "Pr1": (ModuleRef(1, "One"), ModuleRef(3, "Three")),
        "S2": (ModuleRef(1, "One"),),
        "T1": (ModuleRef(3, "Three"),),
    }


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_mapping_from_a_course_source_read_by_the_builder(tmp_path):
    root = tmp_path / "en"
    _write(
        root / "course.yaml",
        (
            'title: "T"\nshort_description: "S"\neffort: "1:00"\nduration: "1 week"\n'
            "grading:\n  cutoffs: {Pass: 0.5}\n  graders:\n    - {type: Quiz, short_label: Q, weight: 1.0, min_count: 1}\n"
        ),
    )
    _write(root / "about.md", "About.")
    _write(root / "handouts.md", "Handouts.")
    for number, title, codes in ((1, "Why evaluate", "[B1, Pr1]"), (2, "Stakeholders", "[Pr7, Pr1]")):
        folder = root / "modules" / f"0{number}-module"
        _write(
            folder / "module.yaml",
            (
                f'title: "{title}"\nobjectives:\n  - text: "Objective"\n    codes: {codes}\n'
                "sequences:\n  - title: Intro\n    units: [intro.md]\n"
            ),
        )
        _write(folder / "intro.md", '---\ntitle: "Intro"\n---\nText.')
    mapping = modules_by_code(load_course_source("en", content_dir=tmp_path).modules)
    assert mapping["Pr1"] == (ModuleRef(1, "Why evaluate"), ModuleRef(2, "Stakeholders"))
    assert mapping["Pr7"] == (ModuleRef(2, "Stakeholders"),)
    assert "Pr2" not in mapping


def test_mapping_of_the_packaged_course_follows_its_objectives():
    for language in ("fr", "en"):
        source = load_course_source(language)
        mapping = course_modules_by_code(language)
        for module in source.modules:
            for objective in module.objectives:
                for code in objective.codes:
                    assert ModuleRef(module.number, module.title) in mapping[code]
    english = course_modules_by_code("en")
    assert course_modules_by_code("en") is english  # cached
    stakeholders = next(
        m for m in load_course_source("en").modules if "Pr7" in {c for o in m.objectives for c in o.codes}
    )
    assert english["Pr7"][0] == ModuleRef(stakeholders.number, stakeholders.title)


def test_plan_takes_the_three_lowest_with_ties_in_item_order():
    items = build_item_set("principles", "en")
    ratings = {"Pr1": 4, "Pr2": 2, "Pr3": 5, "Pr4": 2, "Pr5": 1, "Pr6": 2, "Pr7": 3, "Pr8": 5}
    mapping = {"Pr5": (ModuleRef(5, "Values"),), "Pr2": (ModuleRef(7, "Steering"), ModuleRef(9, "Capstone"))}
    plan = development_plan(items, ratings, mapping)
    assert [(entry.code, entry.rating) for entry in plan] == [("Pr5", 1), ("Pr2", 2), ("Pr4", 2)]
    assert plan[0].title == items.title_of("Pr5")
    assert plan[1].modules == (ModuleRef(7, "Steering"), ModuleRef(9, "Capstone"))
    assert plan[2].modules == ()


def test_plan_of_a_custom_list_and_of_few_ratings():
    items = build_item_set("custom", "en", "A|Alpha\nB|Beta\nC|Gamma\nD|Delta")
    plan = development_plan(items, {"D": 1, "A": 3, "unknown": 1}, course_modules_by_code("en"))
    assert [(entry.code, entry.modules) for entry in plan] == [("D", ()), ("A", ())]
