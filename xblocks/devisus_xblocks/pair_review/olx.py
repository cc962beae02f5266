"""The rubric and the calibration examples in OLX: ``<rubric>`` and ``<calibration>`` children of
the inline ``<devisus_pair_review>`` tag (the calibration format is in :func:`calibration_from_node`).

::

    <devisus_pair_review display_name="..." reviews_required="2" ...>
      <rubric>
        <criterion id="c1" weight="20">
          <label>Diagnosis and fit to the organisation</label>
          <prompt>How well the plan starts from the organisation's mission...</prompt>
          <level id="emerging" points="1">
            <label>Emerging</label>
            <description>A generic plan...</description>
          </level>
          ...
        </criterion>
      </rubric>
    </devisus_pair_review>

Reading is strict and inert: only these elements and attributes are accepted; texts are taken
as plain text (stripped), never as markup; entity references, processing instructions and
unknown elements are refused (``ValueError``), comments are skipped. A missing level ``id`` is
``l<position>``. Weights and points that are not whole numbers are kept as written so that the
block's validation names the problem. Writing produces exactly what reading accepts, so
parse -> export -> parse gives the same data.
"""

from __future__ import annotations

from lxml import etree

from .config import DUE_EXAMPLE, DUE_FIELDS, legacy_weight_as_points, parse_due
from .reviewing.examples import MAX_EXAMPLE_TEXT, MAX_EXAMPLES
from .reviewing.rubric import MAX_CRITERIA, MAX_LEVELS, MAX_TEXT

RUBRIC_TAG = "rubric"
CALIBRATION_TAG = "calibration"


def _refuse_unsafe(node) -> None:
    for item in node.iter():
        if isinstance(item, etree._Entity):
            raise ValueError("entity references are not allowed in the rubric")
        if isinstance(item, etree._ProcessingInstruction):
            raise ValueError("processing instructions are not allowed in the rubric")


def _elements(node):
    return [child for child in node if not isinstance(child, etree._Comment)]


def children(node) -> list:
    """The element children of the block's own node (comments skipped; entities and PIs refused)."""
    _refuse_unsafe(node)
    return _elements(node)


def _text(node) -> str:
    if _elements(node):
        raise ValueError(f"<{node.tag}> holds plain text only")
    text = (node.text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"<{node.tag}> is longer than {MAX_TEXT} characters")
    return text


def _number(value):
    text = (value or "").strip()
    try:
        return int(text)
    except ValueError:
        return text


def _attributes(node, allowed: set[str]) -> None:
    unknown = sorted(set(node.attrib) - allowed)
    if unknown:
        raise ValueError(f"<{node.tag}> has unexpected attributes: {', '.join(unknown)}")


def rubric_from_node(node) -> list[dict]:
    """The rubric data (see ``rubric.py``) of a ``<rubric>`` element. ``ValueError`` if malformed."""
    _refuse_unsafe(node)
    _attributes(node, set())
    criteria = []
    for criterion in _elements(node):
        if criterion.tag != "criterion":
            raise ValueError(f"<rubric> holds <criterion> elements only, not <{criterion.tag}>")
        if len(criteria) >= MAX_CRITERIA:
            raise ValueError(f"a rubric has at most {MAX_CRITERIA} criteria")
        _attributes(criterion, {"id", "weight"})
        levels, texts = [], {}
        for child in _elements(criterion):
            if child.tag in ("label", "prompt"):
                if child.tag in texts:
                    raise ValueError(f"<criterion> has two <{child.tag}> elements")
                texts[child.tag] = _text(child)
            elif child.tag == "level":
                if len(levels) >= MAX_LEVELS:
                    raise ValueError(f"a criterion has at most {MAX_LEVELS} levels")
                _attributes(child, {"id", "points"})
                parts = {}
                for part in _elements(child):
                    if part.tag not in ("label", "description") or part.tag in parts:
                        raise ValueError("<level> holds one <label> and one <description>")
                    parts[part.tag] = _text(part)
                levels.append(
                    {
                        "id": child.get("id") or f"l{len(levels) + 1}",
                        "points": _number(child.get("points")),
                        "title": parts.get("label", ""),
                        "description": parts.get("description", ""),
                    }
                )
            else:
                raise ValueError(f"<criterion> holds <label>, <prompt> and <level> elements, not <{child.tag}>")
        criteria.append(
            {
                "id": criterion.get("id", ""),
                "weight": _number(criterion.get("weight")),
                "title": texts.get("label", ""),
                "description": texts.get("prompt", ""),
                "levels": levels,
            }
        )
    if not criteria:
        raise ValueError("<rubric> needs at least one <criterion> (leave <rubric> out for the default rubric)")
    return criteria


def _child(parent, tag: str, text: str):
    element = etree.SubElement(parent, tag)
    element.text = str(text)
    return element


def rubric_to_node(parent, rubric: list[dict]):
    """Append the ``<rubric>`` element of ``rubric`` (data) to ``parent``; returns it."""
    node = etree.SubElement(parent, RUBRIC_TAG)
    for criterion in rubric:
        element = etree.SubElement(
            node, "criterion", {"id": str(criterion.get("id", "")), "weight": str(criterion.get("weight", ""))}
        )
        _child(element, "label", criterion.get("title", ""))
        _child(element, "prompt", criterion.get("description", ""))
        for level in criterion.get("levels", ()):
            level_node = etree.SubElement(
                element, "level", {"id": str(level.get("id", "")), "points": str(level.get("points", ""))}
            )
            _child(level_node, "label", level.get("title", ""))
            _child(level_node, "description", level.get("description", ""))
    return node


def calibration_from_node(node) -> list[dict]:
    """The calibration examples (see ``examples.py``) of a ``<calibration>`` element::

    <calibration>
      <example id="weak-plan">
        <label>A plan written for the funder</label>
        <text>The example work, as plain text.</text>
        <answer criterion="c1" level="emerging">Why this level (the reference comment).</answer>
      </example>
    </calibration>
    """
    _refuse_unsafe(node)
    _attributes(node, set())
    examples = []
    for example in _elements(node):
        if example.tag != "example":
            raise ValueError(f"<calibration> holds <example> elements only, not <{example.tag}>")
        if len(examples) >= MAX_EXAMPLES:
            raise ValueError(f"at most {MAX_EXAMPLES} calibration examples")
        _attributes(example, {"id"})
        item = {"id": example.get("id", ""), "title": "", "text": "", "levels": {}, "comments": {}}
        for child in _elements(example):
            if child.tag == "label":
                item["title"] = _text(child)
            elif child.tag == "text":
                if _elements(child):
                    raise ValueError("<text> holds plain text only")
                item["text"] = (child.text or "").strip()
                if len(item["text"]) > MAX_EXAMPLE_TEXT:
                    raise ValueError(f"<text> is longer than {MAX_EXAMPLE_TEXT} characters")
            elif child.tag == "answer":
                _attributes(child, {"criterion", "level"})
                criterion = child.get("criterion", "")
                item["levels"][criterion] = child.get("level", "")
                comment = _text(child)
                if comment:
                    item["comments"][criterion] = comment
            else:
                raise ValueError(f"<example> holds <label>, <text> and <answer> elements, not <{child.tag}>")
        examples.append(item)
    return examples


def calibration_to_node(parent, examples: list[dict]):
    """Append the ``<calibration>`` element of the examples (data) to ``parent``."""
    node = etree.SubElement(parent, CALIBRATION_TAG)
    for item in examples:
        element = etree.SubElement(node, "example", {"id": str(item.get("id", ""))})
        _child(element, "label", item.get("title", ""))
        _child(element, "text", item.get("text", ""))
        comments = item.get("comments", {}) or {}
        for criterion, level in (item.get("levels", {}) or {}).items():
            answer = etree.SubElement(element, "answer", {"criterion": str(criterion), "level": str(level)})
            answer.text = str(comments.get(criterion, ""))
    return node


def parse_block(cls, node, runtime, keys):
    """The block of ``node``: attributes are settings, the one child is the ``<rubric>``."""
    block = runtime.construct_xblock_from_class(cls, keys)
    seen = set()
    for child in children(node):
        if child.tag not in (RUBRIC_TAG, CALIBRATION_TAG) or child.tag in seen:
            raise ValueError(f"<{node.tag}> holds one <rubric> and one <calibration> only, not <{child.tag}>")
        seen.add(child.tag)
        if child.tag == RUBRIC_TAG:
            block.rubric = rubric_from_node(child)
        else:
            block.calibration = calibration_from_node(child)
    for name, value in node.items():
        if name not in ("rubric", "calibration", "weight"):  # child elements; weight is below
            cls._set_field_if_present(block, name, value, {})
    if "weight" in node.attrib and "points" not in node.attrib:  # OLX of version 0.1 (see config.py, points)
        legacy = legacy_weight_as_points(node.get("weight"))
        if legacy is not None:
            block.points = legacy
    for name in DUE_FIELDS:  # kept as written (time zone included); refused unreadable, as DateTime did
        if name in node.attrib:
            try:
                parse_due(node.get(name))
            except ValueError:
                raise ValueError(
                    f"<{node.tag}> {name}={node.get(name)[:40]!r} is not a date and time "
                    f"(ISO 8601 with its time zone, e.g. {DUE_EXAMPLE})"
                ) from None
    return block


def export_block(block, node) -> None:
    """Finish XBlock's export of ``block`` into ``node``: settings as attributes (learner state
    never), the rubric as a ``<rubric>`` child when the block has its own."""
    from xblock.fields import Scope

    for name, field in block.fields.items():
        if field.scope not in (Scope.settings, Scope.content) or name in ("rubric", "calibration"):
            node.attrib.pop(name, None)
    for name in DUE_FIELDS:
        # A due date set to None (Studio's editor emptied under the former DateTime field) is
        # exported by XBlock as an <option:name none="true"/> child: no deadline is no attribute.
        for child in list(node):
            if isinstance(child.tag, str) and child.tag.startswith("{") and etree.QName(child).localname == name:
                node.remove(child)
        if not block.fields[name].read_from(block):
            node.attrib.pop(name, None)
    if block.rubric:
        rubric_to_node(node, block.rubric)
    if block.calibration:
        calibration_to_node(node, block.calibration)
