"""`devisus-course lint-items`: each rule on its own fixture, a clean set that passes, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from devisus_course.cli import main
from devisus_course.validator import validate_tree
from devisus_course.validator.item_lint import lint_problems

OLX_FIXTURE = Path(__file__).parent / "fixtures" / "olx_minimal"


def single(key: int, options=("Alpha one", "Bravo two", "Charlie 3", "Delta 444"), stem="Which one fits?"):
    choices = "".join(f'<choice correct="{str(i == key).lower()}">{o}</choice>' for i, o in enumerate(options))
    return (
        f"<problem><multiplechoiceresponse><label>{stem}</label>"
        f'<choicegroup type="MultipleChoice">{choices}</choicegroup></multiplechoiceresponse></problem>'
    )


def boxes(right: int, count: int = 5):
    choices = "".join(f'<choice correct="{str(i < right).lower()}">Option {i} here</choice>' for i in range(count))
    return (
        "<problem><choiceresponse><label>Tick all that apply.</label>"
        f"<checkboxgroup>{choices}</checkboxgroup></choiceresponse></problem>"
    )


def lint(xmls):
    return lint_problems((f"q{i}.xml", etree.fromstring(x)) for i, x in enumerate(xmls, start=1))


CLEAN = [single(k) for k in (0, 1, 2, 3, 1, 2, 0, 3)] + [boxes(n) for n in (1, 2, 3, 4, 2, 3)]


def test_a_balanced_item_set_passes():
    report = lint(CLEAN)
    assert report.ok, report.problems
    assert report.figures["keyed_positions"] == {1: 2, 2: 2, 3: 2, 4: 2}
    assert report.figures["correct_boxes"] == {1: 1, 2: 2, 3: 2, 4: 1}


def test_keyed_option_mostly_the_longest():
    long_key = ("Short one", "The keyed option, clearly the longest", "Short two", "Short tri")
    report = lint([single(1, long_key)] * 3 + [single(k) for k in (0, 2, 3, 0, 2)])
    assert any("keyed option is the longest in 3 of 8" in p for p in report.problems), report.problems


def test_keys_piled_on_one_position_or_never_on_another():
    report = lint([single(1) for _ in range(6)] + [single(0), single(2)])
    assert any(p.startswith("position 2 holds the key of 6 of 8") for p in report.problems)
    assert "position 4 never holds the key of a single-choice item" in report.problems


def test_tick_all_items_sharing_one_number_of_right_boxes():
    report = lint([single(k) for k in (0, 1, 2, 3)] + [boxes(3) for _ in range(4)] + [boxes(2)])
    assert any("4 of 5 tick-all items have exactly 3 right boxes" in p for p in report.problems)


def test_an_option_far_longer_than_the_others():
    odd = ("Yes", "No", "Maybe", "Only when the organisation itself chooses the method and the pace")
    report = lint([single(k) for k in (0, 1, 2, 3, 0, 1, 2)] + [single(3, odd)])
    assert any("2 times longer or shorter" in p and "q8.xml" in p for p in report.problems)


@pytest.mark.parametrize("wording", ["All of the above", "Aucune des réponses", "toutes les propositions ci-dessus"])
def test_all_or_none_of_the_above(wording):
    report = lint([single(k) for k in (0, 1, 2, 3)] + [single(0, ("Alpha one", "Bravo two", "Charlie 3", wording))])
    assert any(p.startswith("'all/none of the above' options: q5.xml") for p in report.problems)


@pytest.mark.parametrize(
    "stem", ["Which is NOT a principle?", "Tous sont des principes, sauf :", "Ce qui ne relève pas de l'ESS"]
)
def test_negative_stems(stem):
    report = lint([single(k) for k in (0, 1, 2, 3)] + [single(1, stem=stem)])
    assert any("1 items have a negative stem: q5.xml" in p for p in report.problems)


def test_the_cli_reports_figures_and_fails_on_problems(tmp_path, capsys):
    for language, xmls in (("fr", CLEAN), ("en", CLEAN[:-1] + [single(1)] * 4)):
        folder = tmp_path / language / "modules" / "01-m"
        folder.mkdir(parents=True)
        for i, xml in enumerate(xmls, start=1):
            (folder / f"q{i}.xml").write_text(xml, encoding="utf-8")
    assert main(["lint-items", "--lang", "fr", "--content", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["lint-items", "--json", "--content", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["languages"]["fr"]["problems"] == []
    assert any(p.startswith("position 2 holds") for p in report["languages"]["en"]["problems"])
    assert report["thresholds"]["max_keyed_longest_share"] == 0.35


def test_entities_in_a_problem_file_are_refused(tmp_path):
    folder = tmp_path / "fr" / "modules" / "01-m"
    folder.mkdir(parents=True)
    (folder / "q1.xml").write_text('<!DOCTYPE p [<!ENTITY x "y">]><problem>&x;</problem>', encoding="utf-8")
    assert main(["lint-items", "--lang", "fr", "--content", str(tmp_path)]) == 1


def test_shuffled_items_have_no_fixed_position():
    shuffled = single(1).replace('type="MultipleChoice"', 'type="MultipleChoice" shuffle="true"')
    report = lint([shuffled] * 6 + [single(k) for k in (0, 1, 2, 3)])
    assert report.ok, report.problems
    assert report.figures["shuffled"] == 6 and report.figures["keyed_positions"] == {1: 1, 2: 1, 3: 1, 4: 1}


def test_feedback_hints_do_not_count_in_an_option():
    hinted = single(1).replace(
        "Bravo two</choice>",
        "Bravo two<choicehint>A long piece of feedback shown only after the answer.</choicehint></choice>",
    )
    report = lint([hinted] + [single(k) for k in (0, 2, 3, 0, 1, 2, 3)])
    assert report.ok, report.problems
    assert report.items[0].options[1] == "Bravo two"


def _olx_with_problems(tmp_path, xmls, orphans=()):
    """The minimal course with ``xmls`` as problems of its unit, and ``orphans`` as files no unit uses."""
    root = tmp_path / "course"
    shutil.copytree(OLX_FIXTURE, root)
    unit = root / "vertical" / "unit1.xml"
    refs = "".join(f'<problem url_name="lint{i}"/>' for i in range(1, len(xmls) + 1))
    unit.write_text(unit.read_text(encoding="utf-8").replace('<problem url_name="check1"/>', refs), encoding="utf-8")
    (root / "problem" / "check1.xml").unlink()
    for i, xml in enumerate(xmls, start=1):
        (root / "problem" / f"lint{i}.xml").write_text(xml, encoding="utf-8")
    for i, xml in enumerate(orphans, start=1):
        (root / "problem" / f"orphan{i}.xml").write_text(xml, encoding="utf-8")
    return root


SOLVED = "<solution><p>Why.</p></solution></problem>"


def test_validate_fails_on_a_threshold_and_warns_on_an_item(tmp_path, capsys):
    odd = ("Yes", "No", "Maybe", "Only when the organisation itself chooses the method and the pace")
    xmls = [x.replace("</problem>", SOLVED) for x in [single(1)] * 6 + [single(0), single(2, odd)]]
    assert main(["validate", str(_olx_with_problems(tmp_path, xmls))]) == 1
    out = capsys.readouterr().out
    assert "error [item-lint]: item lint: position 2 holds the key of 6 of 8" in out
    assert "problem/lint8.xml: warning [item-lint]: item lint: an option 2 times longer or shorter" in out


def test_validate_passes_a_fair_item_set_and_ignores_orphan_files(tmp_path):
    xmls = [x.replace("</problem>", SOLVED) for x in CLEAN]
    report = validate_tree(_olx_with_problems(tmp_path, xmls, orphans=[single(1)] * 9))
    assert [f for f in report.findings if f.rule in ("item-lint", "capa")] == []


def test_the_course_items_pass_the_lint_in_both_languages(capsys):
    assert main(["lint-items", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["languages"]
    for language in ("fr", "en"):
        assert figures[language]["figures"]["keyed_longest_share"] <= 0.30  # margin under the 35 % threshold
        assert max(figures[language]["figures"]["keyed_positions"].values()) <= 8
    # French and English keep the same keys, item for item
    assert figures["fr"]["figures"]["keyed_positions"] == figures["en"]["figures"]["keyed_positions"]
    assert figures["fr"]["figures"]["correct_boxes"] == figures["en"]["figures"]["correct_boxes"]


def test_french_and_english_items_have_the_same_keys():
    from devisus_course.source import CONTENT_DIR
    from devisus_course.xmlsafe import parse_xml_file

    def keys(path):
        root = parse_xml_file(path)
        return [c.get("correct") for c in root.iter("choice", "option")] + [
            r.get("answer") for r in root.iter("numericalresponse")
        ]

    english = sorted((CONTENT_DIR / "en" / "modules").glob("*/*.xml"))
    assert len(english) > 60
    for path in english:
        french = CONTENT_DIR / "fr" / path.relative_to(CONTENT_DIR / "en")
        assert keys(path) == keys(french), path.relative_to(CONTENT_DIR)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_box_position_gives_the_tick_all_answers_away(language):
    """A test-wise learner who ticks "always box 2, never box 1" must not win: no position is right
    in every tick-all item, nor wrong in every one."""
    from collections import Counter

    from devisus_course.source import CONTENT_DIR
    from devisus_course.validator.item_lint import lint_folder

    boxes = [i for i in lint_folder(CONTENT_DIR / language / "modules").items if i.kind == "checkbox"]
    right = Counter(position for item in boxes for position in item.keyed)
    assert len(boxes) >= 10
    for position in range(4):
        assert 0 < right[position] < len(boxes), (position + 1, right)
