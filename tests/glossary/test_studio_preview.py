"""Studio's preview of the glossary: why it keeps showing student_view (no author_view).

Studio renders ``author_view`` only for blocks that declare one, else ``student_view``
(cms/djangoapps/contentstore/views/preview.py, ``get_preview_fragment``). Without an author view,
the preview learner's fields are kept in the author's own Django session
(``_load_preview_block``: ``KvsFieldData(SessionKeyValueStore(request))``,
cms/djangoapps/contentstore/views/session_kv_store.py), and the preview runtime's ``publish`` is
a stub (xmodule/x_module.py, ``DescriptorSystem.publish``). The glossary keeps only per-learner
fields and no table of its own, so an author's practice rounds in Studio stay in that author's
session, shared with nobody: the reference and the exercise are best previewed as learners see
them. These tests hold the conditions of that decision.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from xblock.fields import Scope

from devisus_xblocks.glossary.block import GlossaryBlock

from .conftest import GRADED, REFERENCE_EN

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def test_studio_previews_the_glossary_as_learners_see_it():
    assert not getattr(GlossaryBlock, "has_author_view", False)


def test_the_glossary_keeps_no_state_shared_between_learners():
    shared = {
        name: field.scope
        for name, field in GlossaryBlock.fields.items()
        if field.scope not in (Scope.settings, Scope.content, Scope.user_state, Scope.children, Scope.parent)
    }
    assert shared == {}
    assert GlossaryBlock.__module__.rsplit(".", 1)[0] == "devisus_xblocks.glossary"
    from django.apps import apps

    assert not [app for app in apps.get_app_configs() if app.name.startswith("devisus_xblocks.glossary")]


@pytest.mark.parametrize("scenario", [REFERENCE_EN, GRADED])
def test_the_glossary_writes_only_to_the_runtimes_per_learner_field_store(wb_en, scenario):
    """In the workbench that store is its ``workbench_xblockstate`` table (which creates a row when
    a learner's fields are first read); in Studio's preview, the author's session."""
    from workbench.runtime import WorkbenchRuntime

    (usage_id,) = wb_en.usage_ids(scenario, "devisus_glossary")
    block = WorkbenchRuntime("student").get_block(usage_id)
    with CaptureQueriesContext(connection) as queries:
        fragment = block.render("student_view", {})
    assert "devisus-glossary" in fragment.body_html()
    written = [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]
    assert [sql for sql in written if "workbench_xblockstate" not in sql] == []
    if scenario == GRADED:  # practising (a new round) writes the learner's own fields, nothing else
        with CaptureQueriesContext(connection) as queries:
            assert wb_en.call(usage_id, "new_round", "student", {"round": 0}).status == 200
        written = [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]
        assert written and [sql for sql in written if "workbench_xblockstate" not in sql] == []
