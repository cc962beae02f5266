"""Item sets from the framework data and custom lists (no runtime, no database)."""

from __future__ import annotations

import pytest

from devisus_xblocks.common.errors import ServiceError
from devisus_xblocks.positioning.items import build_item_set, parse_custom_items


@pytest.mark.parametrize("language", ["fr", "en"])
def test_principles_are_the_eight_principles_in_one_group(language):
    item_set = build_item_set("principles", language)
    assert item_set.codes == tuple(f"Pr{n}" for n in range(1, 9))
    assert len(item_set.groups) == 1
    assert all(item.title for item in item_set.items)


def test_competences_are_grouped_by_list_with_translated_titles():
    french = build_item_set("competences", "fr")
    english = build_item_set("competences", "en")
    assert [group.code for group in french.groups] == ["T", "P", "S"]
    assert [len(group.items) for group in french.groups] == [7, 8, 6]
    assert french.codes == english.codes
    assert french.title_of("S1") == "Créer un cadre de confiance"
    assert english.title_of("S1") == "Create a climate of trust"
    assert english.groups[0].title == "Theoretical knowledge"


def test_unknown_language_falls_back_to_the_default_framework():
    assert build_item_set("principles", "de").title_of("Pr1") == build_item_set("principles", "fr").title_of("Pr1")


def test_custom_list_is_parsed_in_order_ignoring_blank_lines():
    item_set = build_item_set("custom", "en", "A1|First\n\n  B-2 | Second  \nC.3|Third | with a bar\n")
    assert item_set.codes == ("A1", "B-2", "C.3")
    assert item_set.title_of("B-2") == "Second"
    assert item_set.title_of("C.3") == "Third | with a bar"


@pytest.mark.parametrize(
    "text, message",
    [
        ("A|a\nB|b\nno bar here", "Custom items, line %(line)s: write CODE|Label."),
        ("A|a\nB|b\n|empty code", "Custom items, line %(line)s: write CODE|Label."),
        ("A|a\nB|b\nC|", "Custom items, line %(line)s: write CODE|Label."),
        (
            "A|a\nB|b\n=cmd|formula",
            "Custom items, line %(line)s: a code has at most %(limit)s letters, digits, '.', '_' or '-', and starts with a letter or digit.",
        ),
        (
            "A|a\nB|b\n" + "C" * 33 + "|long",
            "Custom items, line %(line)s: a code has at most %(limit)s letters, digits, '.', '_' or '-', and starts with a letter or digit.",
        ),
        ("A|a\nB|b\nC|" + "x" * 201, "Custom items, line %(line)s: the label is longer than %(limit)s characters."),
        ("A|a\nB|b\nA|again", "Custom items, line %(line)s: the code %(code)s is used twice."),
        ("A|a\nB|b", "A custom list needs from %(minimum)s to %(maximum)s items (found %(count)s)."),
        (
            "\n".join(f"I{n}|item {n}" for n in range(41)),
            "A custom list needs from %(minimum)s to %(maximum)s items (found %(count)s).",
        ),
    ],
)
def test_defective_custom_lists_are_refused_with_the_line(text, message):
    with pytest.raises(ServiceError) as caught:
        parse_custom_items(text)
    assert caught.value.message == message
    if "line" in caught.value.params:
        assert caught.value.params["line"] == 3


def test_unknown_item_set_is_refused():
    with pytest.raises(ServiceError) as caught:
        build_item_set("glossary", "en")
    assert caught.value.params == {"name": "glossary"}
