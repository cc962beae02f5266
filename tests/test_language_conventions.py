"""The language conventions of the course (AUTHORING.md, "Language conventions"), where they are
mechanical: checked on what learners read, the built OLX tree (`course/<lang>/`, which another test
keeps equal to a fresh build), the framework data and the blocks' catalogs.

English: the role is the "evaluation facilitator"; the French words appear only as a gloss (in
italics, or after "in French"), and "self-positioning" is "self-assessment". The calques the
convention rules out are caught too (round-2 English review, en_native-r2-3 and following):
"accompany"/"accompaniment" outside the DEVISUS term of art (the glossary entry, block B4, principle
2's wording), "perimeter", "convivial", "drifts", "pooling", "actors" and "positioning(s)".
French: the middle dot only on regular forms (the feminine adds letters to the masculine); never on
irregular endings (-eur/-rice, -eur/-euse, -if/-ive, -eux/-euse, -eau/-elle, -er/-ère, -et/-ète)
nor in pronouns and determiners, regular ones included (« chacun·e », « un·e »), which cannot be
read aloud. French typography: no-break spaces before ; : ! ?, inside « », in numbers and units,
in the pages, the problems, the reference sheet, the diagrams and the blocks' compiled strings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
FRAMEWORK = ROOT / "devisus_course" / "framework_data"
CATALOGS = [
    *sorted((ROOT / "xblocks" / "devisus_xblocks" / "locale_src" / "fr").glob("*.po")),
    ROOT / "devisus_course" / "locale" / "fr" / "LC_MESSAGES" / "devisus_course.po",
]

# Learner-visible attribute values of the OLX (the rest of a tag is names, url_names and settings).
_VISIBLE_ATTRIBUTES = re.compile(r'\b(?:display_name|title|label|prompt)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")

ENGLISH_FORBIDDEN = re.compile(
    r"accompagnat\w*|self[- ]positioning"
    # Calques of French that the convention replaces: support (supporting, supported), scope,
    # informal/friendly, risks or pitfalls, plenary feedback, other organisations or stakeholders,
    # self-assessment.
    r"|\baccompan\w*|\bperimeters?\b|\bconvivial\w*|\bdrifts\b|\bpooling\b|\bactors?\b|\bpositionings?\b",
    re.IGNORECASE,
)
# "Accompaniment" as the DEVISUS term of art, where the convention keeps it: principle 2's wording,
# competence block B4, the glossary entry (its term, its French pair, the pages that cite it).
# Words may be split by markup (<strong>, **) or line breaks.
_GAP = r"(?:\s|</?\w+[^>]*>|\*\*)*"
_TERM_OF_ART = re.compile(
    "|".join(
        _GAP.join(words)
        for words in (
            (r"ideally", r"with", r"accompaniment"),
            (r"accompaniment", r"\(B4\)"),
            (r"accompaniment", r"block"),
            (r"Accompaniment", r"\(facilitated support\)", r"competences"),
            (r"training,", r"accompaniment,", r"evaluation"),
            (r"accompaniment", r"\(a DEVISUS term\)"),
            (r"Accompaniment", r",", r"as defined in the course glossary"),
            (r"Accompaniment", r"/", r"(?:<em>|\*)Accompagnement"),
            (r"<dt\b[^>]*>", r"Accompaniment", r"</dt>"),
            (r"term:", r"Accompaniment\n"),
        )
    ),
    re.IGNORECASE,
)
# Slugs in the framework data (`slug:`, `related:`) are identifiers, not text.
_SLUG_LINES = re.compile(r"^\s*-?\s*(?:slug|related):.*$", re.MULTILINE)
# A French word glossed for English readers: in italics, or "(in French, ...)".
_ENGLISH_GLOSS = re.compile(r"<em>[^<]*</em>|\*[^*\n]+\*|\(in French,[^)]*\)")

# Irregular feminine endings written with a middle dot, and the pronoun/determiner forms.
_IRREGULAR = re.compile(
    r"\b\w+(?:eur·(?:rice|ice|euse|se|e)s?|if·ves?|eux·ses?|eau·elles?|er·(?:e|ère)s?|et·(?:t?e)s?)\b"
    r"|\b(?:tou·te|tous·te|lesquel·le|le·la|la·le|cet·te|au·à|ils·elles|elles·ils|eux·elles|celui·celle)s?\b"
    # Regular pronouns and determiners too (round-2 French review, fr_native-r2-2): « chacun·e »,
    # « l'un·e », « un·e » cannot be said aloud either.
    r"|\b(?:chacun|aucun|un)·es?\b",
    re.IGNORECASE,
)
# Regular forms that the patterns above would catch: the feminine only adds letters.
_REGULAR = {"usager·es", "usager·e", "extérieur·e", "extérieur·es", "intérieur·e", "supérieur·e", "meilleur·e"}


def visible_text(raw: str) -> str:
    """What a learner reads in one OLX or HTML file: text nodes and the visible attributes."""
    return "\n".join([*_VISIBLE_ATTRIBUTES.findall(raw), _TAG.sub(" ", raw)])


def course_files(language: str) -> list[Path]:
    files = [p for p in (COURSE / language).rglob("*") if p.suffix in (".xml", ".html")]
    assert len(files) > 100, f"course/{language} looks unbuilt"
    return files


def english_misuses(text: str) -> list[str]:
    """Words of the French role, "self-positioning" and the ruled-out calques, outside a gloss and
    outside the term of art."""
    return ENGLISH_FORBIDDEN.findall(_ENGLISH_GLOSS.sub(" ", _TERM_OF_ART.sub(" ", text)))


def irregular_forms(text: str) -> list[str]:
    return [m for m in (found.group(0) for found in _IRREGULAR.finditer(text)) if m.lower() not in _REGULAR]


def french_strings() -> list[tuple[str, str]]:
    """Every French string the blocks and the course preview show, with where it comes from."""
    found = []
    for catalog in CATALOGS:
        with catalog.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                found += [(f"{catalog.name}: {message.id!r}", s) for s in strings if s]
    return found


def english_msgids() -> list[str]:
    ids = []
    for catalog in CATALOGS:
        with catalog.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                ids += list(message.id) if isinstance(message.id, tuple | list) else [message.id]
    return [i for i in ids if i]


def test_the_checks_catch_what_they_are_for():
    assert english_misuses("<p>The accompagnateur sets out the options.</p>") == ["accompagnateur"]
    assert english_misuses("Closing self-positioning") == ["self-positioning"]
    assert english_misuses("an <em>evaluation facilitator</em> (<em>accompagnatrice</em>)") == []
    assert english_misuses("a facilitator (in French, accompagnateur or accompagnatrice)") == []
    assert english_misuses(
        "Before learning to accompany an evaluation, plan the days of accompaniment. Accompanied "
        "self-evaluation: a perimeter, a convivial time, two drifts, pooling, other actors, two positionings."
    ) == [
        "accompany",
        "accompaniment",
        "Accompanied",
        "perimeter",
        "convivial",
        "drifts",
        "pooling",
        "actors",
        "positionings",
    ]
    assert (
        english_misuses(
            "Principle 2: favour internal evaluation, ideally with <strong>accompaniment</strong>. The "
            "accompaniment block (B4); Accompaniment (facilitated support) competences; education and training, "
            "accompaniment, evaluation; what the glossary calls **accompaniment** (a DEVISUS term); "
            '<dt id="accompaniment">Accompaniment</dt>; Accompaniment / <em>Accompagnement</em>'
        )
        == []
    )
    assert english_misuses("Supporting an evaluation; mission drift; pooled resources; evaluation support") == []
    assert irregular_forms("les accompagnateur·rices, un·e nouveau·elle partenaire, inactif·ve, tou·tes") == [
        "accompagnateur·rices",
        "un·e",
        "nouveau·elle",
        "inactif·ve",
        "tou·tes",
    ]
    assert irregular_forms("Chercheur·es, le·la même, cet·te personne, infirmier·es, concret·e") == [
        "Chercheur·es",
        "le·la",
        "cet·te",
        "infirmier·es",
        "concret·e",
    ]
    assert irregular_forms("chacun·e, l'un·e ou l'autre, d'un·e partenaire, aucun·e") == [
        "chacun·e",
        "un·e",
        "un·e",
        "aucun·e",
    ]
    assert irregular_forms("les salarié·es, une élue, les usager·es, praticien·nes, seul·e, client·es, commun·es") == []


def test_the_english_course_names_the_role_in_english():
    misuses = {
        str(path.relative_to(COURSE)): found
        for path in course_files("en")
        # The term of art and the glosses are taken out of the raw file: they may span markup.
        if (
            found := english_misuses(
                visible_text(_ENGLISH_GLOSS.sub(" ", _TERM_OF_ART.sub(" ", path.read_text(encoding="utf-8"))))
            )
        )
    }
    assert misuses == {}


def test_the_english_framework_data_and_block_strings_name_the_role_in_english():
    assert english_misuses(_SLUG_LINES.sub(" ", (FRAMEWORK / "en.yaml").read_text(encoding="utf-8"))) == []
    assert [msgid for msgid in english_msgids() if english_misuses(msgid)] == []


@pytest.mark.parametrize("language", ["fr"])
def test_the_french_course_has_no_irregular_middle_dot_form(language):
    forms = {
        str(path.relative_to(COURSE)): found
        for path in course_files(language)
        if (found := irregular_forms(visible_text(path.read_text(encoding="utf-8"))))
    }
    assert forms == {}


def test_the_french_framework_data_and_block_strings_have_no_irregular_middle_dot_form():
    assert irregular_forms((FRAMEWORK / "fr.yaml").read_text(encoding="utf-8")) == []
    assert [(where, text) for where, text in french_strings() if irregular_forms(text)] == []


# An ordinary space where French wants a no-break one: before ; : ! ? and », after «, between
# groups of thousands, between a number and its unit (devisus_course/typography.py).
_BREAKABLE = re.compile(r"\S (?=[;:!?»])|« |\d (?=\d{3}(?!\d))|\d (?=%|€|(?:h|min|euros?|jours?)(?!\w))")


def breakable_spaces(text: str) -> list[str]:
    return [match.group(0) for match in _BREAKABLE.finditer(text)]


def test_the_typography_check_and_function_agree():
    from devisus_course.typography import NBSP, NNBSP, french_spacing, html_spacing

    raw = "Total : 48 300 + 46 700 = 95 000 euros, soit 50 % ; de 5 h 30 à 10:30, 3 jours, en 2016 ?"
    assert len(breakable_spaces(raw)) == 10
    spaced = french_spacing(raw)
    assert breakable_spaces(spaced) == []
    assert f"48{NNBSP}300" in spaced and f"95{NNBSP}000{NBSP}euros" in spaced and f"50{NBSP}%" in spaced
    assert f"5{NBSP}h{NBSP}30" in spaced and "10:30" in spaced and "en 2016" in spaced
    page = '<style>a { margin: 0 auto; }</style><p title="a : b">Voir : <code>x ? y</code> fin ?</p>'
    assert html_spacing(page) == (
        f'<style>a {{ margin: 0 auto; }}</style><p title="a : b">Voir{NBSP}: <code>x ? y</code> fin{NNBSP}?</p>'
    )


def test_the_french_course_keeps_its_no_break_spaces():
    found = {}
    for path in course_files("fr"):
        if path.parent.name not in ("html", "problem"):
            continue
        raw = path.read_text(encoding="utf-8")
        # Text between tags only: attributes hold keyed answers, which the builder leaves alone.
        # A tag is removed, not replaced by a space: « <strong>Note</strong> : » needs its space too.
        text = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", raw, flags=re.S)
        if spots := breakable_spaces(_TAG.sub("", text)):
            found[str(path.relative_to(COURSE))] = spots
    sheet = (COURSE / "fr" / "static" / "devisus_reference_fr.html").read_text(encoding="utf-8")
    if spots := breakable_spaces(_TAG.sub("", re.sub(r"<style\b.*?</style>", " ", sheet, flags=re.S))):
        found["static/devisus_reference_fr.html"] = spots
    for diagram in sorted((COURSE / "fr" / "static").glob("*.svg")):
        if spots := breakable_spaces(_TAG.sub("", diagram.read_text(encoding="utf-8"))):
            found[f"static/{diagram.name}"] = spots
    assert found == {}


def test_the_french_course_titles_and_peer_activities_keep_their_no_break_spaces():
    """What the outline, the breadcrumbs and the tabs show (every ``display_name``), and the text of
    the pair-review and workshop blocks written in their units (rubrics, prompts, calibration
    examples): round-3 French review, N1."""
    from html import unescape

    from defusedxml import ElementTree

    found = {}
    for path in course_files("fr"):
        tree = ElementTree.parse(path) if path.suffix == ".xml" else None
        if tree is None:
            continue
        for element in tree.iter():
            title = element.get("display_name")
            if title and (spots := breakable_spaces(unescape(title))):
                found.setdefault(str(path.relative_to(COURSE)), []).extend(spots)
            if element.tag in ("devisus_pair_review", "openassessment"):
                text = " ".join(part for node in element.iter() for part in (node.text, node.tail) if part)
                if spots := breakable_spaces(text):
                    found.setdefault(str(path.relative_to(COURSE)), []).extend(spots)
    assert found == {}


def _compiled_french_strings() -> dict:
    """msgid -> French string(s) of the blocks' shipped catalog, as the LMS reads it."""
    from babel.messages.mofile import read_mo

    shipped = ROOT / "xblocks" / "devisus_xblocks" / "translations" / "fr" / "LC_MESSAGES" / "text.mo"
    with shipped.open("rb") as handle:
        return {str(message.id): message.string for message in read_mo(handle) if message.id}


def test_the_blocks_french_strings_get_no_break_spaces_when_compiled():
    """The .po files keep ordinary spaces (easier to edit); `scripts/translations.py compile`
    applies the builder's French spacing to what the blocks show (fr_native-r2-6)."""
    compiled = _compiled_french_strings()
    assert len(compiled) > 500
    found = {}
    for msgid, string in compiled.items():
        for form in string if isinstance(string, tuple | list) else (string,):
            if spots := breakable_spaces(_TAG.sub("", form)):
                found[msgid] = spots
    assert found == {}
    sources = [text for _, text in french_strings() if not text.startswith("Project-Id-Version")]
    assert any(breakable_spaces(text) for text in sources), "the .po files are expected to keep plain spaces"


# What the compile step must never change in a translated string: placeholders, tags, URLs.
_PROTECTED = re.compile(r"%\(\w+\)[sdif]|%%|%[sdif]|\{\w*\}|<[^>]*>|https?://\S+")


def test_compiling_keeps_placeholders_tags_and_urls():
    from devisus_course.typography import NBSP, NNBSP, catalog_spacing

    cases = {
        "Meilleur score : %(percent)s %%.": f"Meilleur score{NBSP}: %(percent)s{NBSP}%%.",
        "(poids %(weight)s %%)": f"(poids %(weight)s{NBSP}%%)",
        "Encore {count} jours ? « {name} » !": f"Encore {{count}}{NBSP}jours{NNBSP}? «{NBSP}{{name}}{NBSP}»{NNBSP}!",
        'Voir <a href="https://x.org/fiche?id=3 ; b" title="Pourquoi ?">la fiche</a> : %(url)s ?': (
            f'Voir <a href="https://x.org/fiche?id=3 ; b" title="Pourquoi ?">la fiche</a>{NBSP}: %(url)s{NNBSP}?'
        ),
        "<strong>Prochaine étape</strong> : remettre le plan, 20 000 caractères, à 23 h 59.": (
            f"<strong>Prochaine étape</strong>{NBSP}: remettre le plan, 20{NNBSP}000{NBSP}caractères,"
            f" à 23{NBSP}h{NBSP}59."
        ),
        "https://example.org/?q=a:b et 10:30": "https://example.org/?q=a:b et 10:30",
    }
    for raw, spaced in cases.items():
        assert catalog_spacing(raw) == spaced
    assert catalog_spacing("%(value)s %%") % {"value": 50} == f"50{NBSP}%"
    assert catalog_spacing("{count} jours ?").format(count=3) == f"3{NBSP}jours{NNBSP}?"
    # And on every French string of the blocks.
    changed = 0
    for where, text in french_strings():
        if not where.startswith(("common.po", "glossary.po", "pair_review.po", "positioning.po")):
            continue
        spaced = catalog_spacing(text)
        assert _PROTECTED.findall(spaced) == _PROTECTED.findall(text), where
        assert spaced.replace(NBSP, " ").replace(NNBSP, " ") == text.replace(NBSP, " ").replace(NNBSP, " "), where
        changed += spaced != text
    assert changed > 100
