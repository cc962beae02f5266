"""What Studio's settings editor does with a block's settings, for tests that go through it.

Blocks with ``StudioEditableXBlockMixin`` are edited in Studio through the mixin's own
``studio_view`` (``xblock/utils/studio_editable.py`` + ``templates/studio_edit.html``) and its
JavaScript (``xblock/utils/public/studio_edit.js``), which the platform's edit modal
(``cms/static/js/views/modals/edit_xblock.js``) shows as is. On Save, that script sends
``{"values": {...}, "defaults": [...]}`` to ``submit_studio_edits``: every field whose row is
marked ``is-set`` (set on the block, or changed) goes back with the value its control holds,
cast by the row's ``data-cast``; every other field is listed in ``defaults``. So a field is saved
back *as the editor shows it* even when the author did not touch it: what the editor shows is what
the block gets. :func:`save` reproduces this from the rendered ``studio_view``.
"""

from __future__ import annotations

import json

from lxml import html as lxml_html

from tests.xblock_client import Reply, Workbench


def _block_element(page: str, usage_id: str):
    tree = lxml_html.fromstring(page)
    found = tree.xpath(f'//*[@data-usage="{usage_id}" or @data-usage-id="{usage_id}"]')
    assert found, f"no block {usage_id} on the page"
    return found[0]


def _control_value(control) -> str:
    """``$field.val()`` of studio_edit.js for an input, a select or a textarea."""
    if control.tag == "select":
        options = control.xpath(".//option")
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        return chosen[0].get("value", chosen[0].text_content()) if chosen else ""
    if control.tag == "textarea":
        return control.text_content()
    return control.get("value", "")


def _cast(kind: str, text: str):
    """The casts of studio_edit.js (``val()`` in its field list)."""
    if kind == "boolean":
        return text in ("true", "1")
    if kind == "integer":
        return int(text)
    if kind == "float":
        return float(text)
    if kind in ("generic", "list", "set"):
        text = text.strip()
        return None if text == "" else json.loads(text)
    return text


def editor_fields(page: str, usage_id: str) -> dict[str, dict]:
    """Each row of the block's Studio editor: ``{"cast", "is_set", "shown"}`` by field name."""
    rows = {}
    for row in _block_element(page, usage_id).xpath('.//li[contains(concat(" ", @class, " "), " metadata_entry ")]'):
        controls = row.xpath('.//*[contains(concat(" ", @class, " "), " field-data-control ")]')
        rows[row.get("data-field-name")] = {
            "cast": row.get("data-cast"),
            "is_set": "is-set" in row.get("class", "").split(),
            "shown": _control_value(controls[0]) if controls else None,
        }
    return rows


def save(bench: Workbench, scenario: str, usage_id: str, student: str, changes: dict | None = None) -> Reply:
    """Open the block's Studio editor, type ``changes`` (field -> text, as typed), press Save."""
    changes = changes or {}
    page = bench.page(scenario, student, view="studio_view")
    values, defaults = {}, []
    for name, row in editor_fields(page, usage_id).items():
        if name in changes:  # typing marks the row is-set (studio_edit.js: fieldChanged)
            values[name] = _cast(row["cast"], changes[name])
        elif row["is_set"]:
            values[name] = _cast(row["cast"], row["shown"])
        else:
            defaults.append(name)
    return bench.call(usage_id, "submit_studio_edits", student, {"values": values, "defaults": defaults})
