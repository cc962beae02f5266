"""Images in the course's Markdown: every one needs a text alternative and a file to show.

An image is written ``![alt text](/static/name.svg)``: Studio's import rewrites ``/static/name`` in
HTML components to the course asset of that name (edx-platform
``common/djangoapps/static_replace/__init__.py``, ``replace_static_urls``), and the builder copies
``content/<lang>/static/`` into the OLX ``static/`` folder and lists each file in
``assets/assets.xml``. A missing alt text or file stops the build with the Markdown file and line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

STATIC_PREFIX = "/static/"


def images(text: str) -> list[tuple[int, str, str]]:
    """(line in ``text``, from 1; src; alt text) of every Markdown image."""
    found = []
    for block in MarkdownIt("commonmark", {"html": True}).enable("table").parse(text):
        line = block.map[0] + 1 if block.map else 1
        for child in block.children or ():
            if child.type == "image":
                alt = "".join(grandchild.content for grandchild in child.children or ())
                found.append((line, child.attrGet("src") or "", alt))
    return found


def image_problems(text: str, static_names: set[str]) -> list[tuple[int, str]]:
    """(line, message) for each image without alt text or whose /static/ file does not exist."""
    problems = []
    for line, src, alt in images(text):
        if not alt.strip():
            problems.append((line, f"the image {src!r} needs a text alternative: ![what it shows]({src})"))
        if src.startswith(STATIC_PREFIX) and src[len(STATIC_PREFIX) :] not in static_names:
            problems.append((line, f"the image {src!r} names no file in the course's static/ folder"))
        elif not src.startswith(STATIC_PREFIX):
            problems.append((line, f"the image {src!r} must be a course file: /static/<name>"))
    return problems
