"""French typography of the built course: the space before ``; : ! ?`` and inside ``« »`` becomes
a no-break space, so that a line never starts with a colon or a question mark (at 320 px it often
would). Authors keep typing ordinary spaces; nothing is added where they typed none, so URLs
(``?term=``) and times (``10:30``) are left alone.

The narrow no-break space (U+202F) goes before ``; ! ?``, the no-break space (U+00A0) before ``:``
and inside guillemets, as the Imprimerie nationale's rules (and most French publishers) have it.
Only text is changed: Markdown's text tokens, and the text nodes of problems (never their
attributes, which hold the keyed answers, nor code or scripts).

Numbers get the same care (round-2 French review, fr_native-r2-6): a narrow no-break space between
groups of thousands (« 140 100 euros » must not break after « 140 »), a no-break space between a
number and its unit or sign (« 60 % », « 5 h », « 3 jours ») and inside « 5 h 30 ». Only a space
the author typed is replaced, so « 2016–2019 » or « 10:30 » stay as they are.

The French diagrams (SVG) get it when the course is built, and the blocks' French strings when
their catalogs are compiled (:func:`catalog_spacing`, called by ``scripts/translations.py``).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_BEFORE_TIGHT = re.compile(r"(?<=\S)[ \u00a0\u202f]+([;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]+:")
_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]+")
_BEFORE_CLOSE = re.compile(r"[ \u00a0\u202f]+»")
SKIPPED_TAGS = {"script", "style", "code", "pre"}
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")
_UNITS = r"%|€|(?:h|min|euros?|jours?|heures?|semaines?|mois|ans?|points?|mots|caractères)(?!\w)"
_UNIT = re.compile(r"(?<=\d)[ \u202f](?=" + _UNITS + ")")
_HOUR_MINUTES = re.compile(r"(?<=\d\u00a0h)[ \u202f](?=\d)")


def french_spacing(text: str) -> str:
    """``text`` with French no-break spaces where its author typed a space."""
    text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPEN.sub("«" + NBSP, text)
    text = _BEFORE_CLOSE.sub(NBSP + "»", text)
    return number_spacing(text)


def number_spacing(text: str) -> str:
    """``text`` with no-break spaces in numbers: thousands, units, « 5 h 30 »."""
    text = _THOUSANDS.sub(NNBSP, text)
    text = _UNIT.sub(NBSP, text)
    return _HOUR_MINUTES.sub(NBSP, text)


def markdown_plugin(md) -> None:
    """A markdown-it core rule applying :func:`french_spacing` to text tokens (not code, not HTML)."""

    def rule(state):
        for token in state.tokens:
            for index, child in enumerate(token.children or ()):
                if child.type == "text":
                    child.content = _after_tag(child.content) if index else french_spacing(child.content)

    md.core.ruler.push("devisus_french_spacing", rule)


def xml_spacing(element) -> None:
    """Apply :func:`french_spacing` to the text nodes of an XML element tree, in place."""
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS:
            if isinstance(node.tag, str) and node.tail:
                node.tail = _after_tag(node.tail)
            continue
        if node.text:
            node.text = _after_tag(node.text)
        if node.tail:
            node.tail = _after_tag(node.tail)


def _after_tag(text: str, spacing=french_spacing) -> str:
    """``spacing`` applied to text that follows a tag or an inline element, which stands for what
    precedes: « <strong>Note</strong> : » gets its no-break space too."""
    return spacing("x" + text)[1:]


_HTML_TAG = re.compile(r"(<[^>]*>)")
_RAW_OPEN = re.compile(r"<(script|style|code|pre)\b", re.IGNORECASE)


def html_spacing(html: str, spacing=french_spacing) -> str:
    """Apply :func:`french_spacing` (or ``spacing``) to the text between the tags of a rendered HTML
    page (the reference sheet, written from the framework data) or of an SVG diagram, never to
    tags, attributes, scripts or code."""
    parts = _HTML_TAG.split(html)
    raw = None
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if raw is None and (opening := _RAW_OPEN.match(part)):
                raw = opening.group(1).lower()
            elif raw is not None and part.lower().startswith(f"</{raw}"):
                raw = None
        elif raw is None and index:
            parts[index] = _after_tag(part, spacing)
        elif raw is None:
            parts[index] = spacing(part)
    return "".join(parts)


# A gettext placeholder standing for a number: « %(percent)s % », « {count} jours ».
_PLACEHOLDER_UNIT = re.compile(r"(%\(\w+\)[sdif]|\{\w+\})[ \u202f](?=" + _UNITS + ")")


def _string_spacing(text: str) -> str:
    return _PLACEHOLDER_UNIT.sub("\\1" + NBSP, french_spacing(text))


def catalog_spacing(text: str) -> str:
    """French spacing for a translated interface string (a ``msgstr`` of the blocks' catalogs),
    applied when the catalogs are compiled (``scripts/translations.py compile``), so that the
    ``.po`` files keep ordinary spaces. Besides :func:`french_spacing`, a placeholder followed by a
    unit is treated as a number (« %(percent)s % »). Placeholders themselves, HTML tags and their
    attributes, and URLs (no space in them) are left as they are."""
    return html_spacing(text, spacing=_string_spacing)
