"""French typography of the built course: the space before ``; : ! ?`` and inside ``« »`` becomes
a no-break space, so that a line never starts with a colon or a question mark (at 320 px it often
would). Authors keep typing ordinary spaces; nothing is added where they typed none, so URLs
(``?term=``) and times (``10:30``) are left alone.

The narrow no-break space (U+202F) goes before ``; ! ?``, the no-break space (U+00A0) before ``:``
and inside guillemets, as the Imprimerie nationale's rules (and most French publishers) have it.
Only text is changed: Markdown's text tokens, and the text nodes of problems (never their
attributes, which hold the keyed answers, nor code or scripts).
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


def french_spacing(text: str) -> str:
    """``text`` with French no-break spaces where its author typed a space."""
    text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPEN.sub("«" + NBSP, text)
    return _BEFORE_CLOSE.sub(NBSP + "»", text)


def markdown_plugin(md) -> None:
    """A markdown-it core rule applying :func:`french_spacing` to text tokens (not code, not HTML)."""

    def rule(state):
        for token in state.tokens:
            for child in token.children or ():
                if child.type == "text":
                    child.content = french_spacing(child.content)

    md.core.ruler.push("devisus_french_spacing", rule)


def xml_spacing(element) -> None:
    """Apply :func:`french_spacing` to the text nodes of an XML element tree, in place."""
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS:
            if isinstance(node.tag, str) and node.tail:
                node.tail = french_spacing(node.tail)
            continue
        if node.text:
            node.text = french_spacing(node.text)
        if node.tail:
            node.tail = french_spacing(node.tail)
