"""What Open edX itself knows about block tags: built-in categories and where each may sit."""

from __future__ import annotations

import re

# Block types every Open edX release ships; any other tag must be an installed, enabled XBlock.
BUILTIN_BLOCKS = frozenset(
    {
        "course",
        "chapter",
        "sequential",
        "vertical",
        "html",
        "problem",
        "video",
        "discussion",
        "openassessment",
        "library_content",
        "split_test",
        "conditional",
        "poll_question",
        "word_cloud",
        "lti",
        "lti_consumer",
        "drag-and-drop-v2",
        "annotatable",
        "pdf",
    }
)

# Studio exports a <wiki slug=...> child in the course file; it is course metadata, not a block.
COURSE_METADATA_TAGS = frozenset({"wiki"})

# Blocks whose children are blocks themselves; the inner markup of every other block
# (problem XML, html, video sources...) belongs to that block and is not checked here.
COMPONENT_CONTAINERS = frozenset({"vertical", "split_test", "conditional", "library_content"})
CONTAINERS = frozenset({"course", "chapter", "sequential"}) | COMPONENT_CONTAINERS

_COMPONENTS = BUILTIN_BLOCKS - {"course", "chapter", "sequential", "vertical"}

ALLOWED_CHILDREN = {
    "course": frozenset({"chapter"}) | COURSE_METADATA_TAGS,
    "chapter": frozenset({"sequential"}),
    "sequential": frozenset({"vertical"}),
    "vertical": _COMPONENTS,
    "split_test": _COMPONENTS | {"vertical"},
    "conditional": _COMPONENTS | {"vertical"},
    "library_content": _COMPONENTS,
}

# Open edX accepts [\w\-~.:] in url_names, where ':' means a sub-folder (obsolete). Only flat
# ASCII names are accepted here: they are joined into file paths, so nothing may climb out.
SAFE_NAME = re.compile(r"^(?!\.+$)[A-Za-z0-9_.~-]{1,200}$")


def is_pointer(element) -> bool:
    """Open edX's is_pointer_tag: no children, no text, and only the pointer attributes."""
    expected = {"url_name", "course", "org"} if element.tag == "course" else {"url_name"}
    has_text = element.text is not None and element.text.strip() != ""
    return len(element) == 0 and set(element.attrib) == expected and not has_text
