"""Accessible Markdown tables: a caption and header cells a screen reader can announce.

Markdown has no caption syntax, so the course follows Pandoc's: a paragraph of its own starting
with ``Table:`` (French authors may write ``Tableau :``), placed just before the table, becomes
the table's ``<caption>``. Header cells get ``scope="col"`` so that every data cell is announced
with its column (WCAG 2.1, technique H63). :func:`table_problems` lets the source loader refuse,
with the file and line, a table without a caption or with an empty header cell.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

CAPTION = re.compile(r"^(?:Table|Tableau)[ \u00a0\u202f]*:[ \u00a0\u202f]+(?=\S)")


def _caption_before(tokens, index: int) -> int | None:
    """Index of the inline token of a ``Table:`` paragraph right before ``tokens[index]``."""
    if index >= 3 and tokens[index - 1].type == "paragraph_close" and tokens[index - 3].type == "paragraph_open":
        inline = tokens[index - 2]
        if CAPTION.match(inline.content) and "\n" not in inline.content.strip():
            return index - 2
    return None


def markdown_plugin(md: MarkdownIt) -> None:
    """Move each ``Table:`` paragraph into the following table as its caption; scope header cells.

    Runs before the inline rule, so the caption's Markdown (emphasis, links) is still parsed and
    the French typography rule, which runs after, still applies to it.
    """

    def rule(state):
        tokens = state.tokens
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "th_open":
                token.attrSet("scope", "col")
            if token.type == "table_open":
                caption = _caption_before(tokens, index)
                if caption is not None:
                    inline = tokens[caption]
                    inline.content = CAPTION.sub("", inline.content.strip())
                    opening, closing = tokens[caption - 1], tokens[caption + 1]
                    opening.type, opening.tag = "caption_open", "caption"
                    closing.type, closing.tag = "caption_close", "caption"
                    # <table> first, then <caption>: the caption must be the table's first child.
                    del tokens[caption - 1 : caption + 2]
                    index -= 3
                    tokens[index + 1 : index + 1] = [opening, inline, closing]
                    index += 3
            index += 1

    md.core.ruler.before("inline", "devisus_table_captions", rule)


def table_problems(text: str) -> list[tuple[int, str]]:
    """(line in ``text``, from 1; message) for each table without a caption or a header cell's text."""
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    problems = []
    for index, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        line = token.map[0] + 1 if token.map else 1
        if _caption_before(tokens, index) is None:
            problems.append((line, "a table needs a caption: a paragraph 'Table: ...' just before it"))
        end = next(i for i in range(index, len(tokens)) if tokens[i].type == "thead_close")
        for opening, inline in zip(tokens[index:end], tokens[index + 1 : end]):
            if opening.type == "th_open" and not inline.content.strip():
                problems.append((line, "every header cell of a table needs a label (a screen reader reads it out)"))
                break
    return problems
