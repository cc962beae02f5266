"""The framework data module: both languages load, agree, and defects are located."""

from __future__ import annotations

import pytest

from devisus_course.errors import SourceError
from devisus_course.framework import (
    SUPPORTED_LANGUAGES,
    check_languages_agree,
    data_path,
    load_framework,
    parse_framework,
)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_framework_has_the_published_items(language):
    framework = load_framework(language)
    assert [p.code for p in framework.principles] == [f"Pr{n}" for n in range(1, 9)]
    assert [b.code for b in framework.blocks] == [f"B{n}" for n in range(1, 6)]
    assert [g.code for g in framework.competence_lists] == ["T", "P", "S"]
    assert len(framework.competence_items) == 7 + 8 + 6
    assert len(framework.glossary) == 24
    assert framework.is_reference("T3") and framework.is_reference("social-utility")
    assert not framework.is_reference("T8")
    for term in framework.glossary:
        assert term.definition and all(framework.is_reference(slug) for slug in term.related)


def test_languages_agree_and_differ_in_text():
    check_languages_agree()
    fr, en = load_framework("fr"), load_framework("en")
    assert fr.codes == en.codes and fr.glossary_slugs == en.glossary_slugs
    assert fr.term("social-utility").term == "Utilité sociale"
    assert en.term("social-utility").term == "Social utility"
    assert fr.principles[0].statement != en.principles[0].statement


def test_unsupported_language_is_refused():
    with pytest.raises(SourceError, match="unsupported language"):
        load_framework("de")


def _broken_copy(tmp_path, old: str, new: str, language: str = "fr"):
    text = data_path(language).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{language}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text.replace(old, new, 1)


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_principle_code_is_located(tmp_path):
    path, text = _broken_copy(tmp_path, "code: Pr3", "code: Pr9")
    with pytest.raises(SourceError) as error:
        parse_framework(path, "fr")
    assert error.value.path == str(path)
    assert "missing Pr3" in error.value.message and "unknown Pr9" in error.value.message
    assert error.value.line == _line(text, "principles:")


def test_duplicate_glossary_slug_is_located(tmp_path):
    path, text = _broken_copy(tmp_path, "slug: adaptability", "slug: accessibility")
    with pytest.raises(SourceError, match="duplicate entry 'accessibility'") as error:
        parse_framework(path, "fr")
    duplicate_lines = [i for i, line in enumerate(text.splitlines(), 1) if "slug: accessibility" in line]
    assert error.value.line == duplicate_lines[1]


def test_related_term_must_exist(tmp_path):
    text = data_path("en").read_text(encoding="utf-8")
    start = text.index("related:", text.index("slug: tool"))
    end = text.index("\n", start)
    broken = text[:start] + "related: [hammer]" + text[end:]
    path = tmp_path / "en.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SourceError, match="'hammer'") as error:
        parse_framework(path, "en")
    assert error.value.line == _line(broken, "related: [hammer]")


def test_empty_definition_is_located(tmp_path):
    text = data_path("en").read_text(encoding="utf-8")
    start = text.index("definition:", text.index("slug: peers"))
    end = text.index("    source_note:", start)
    broken = text[:start] + 'definition: ""\n' + text[end:]
    path = tmp_path / "en.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SourceError, match="'definition'") as error:
        parse_framework(path, "en")
    assert error.value.line == _line(broken, 'definition: ""')
