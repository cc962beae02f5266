"""The committed migrations match the models (checked on whichever database the suite runs on)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "devisus_pair_review", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_drafts_and_submissions_of_version_0_1_survive_the_move_to_one_per_activity():
    """0002 gives drafts their own id and an activity (their pair's), and lets a pair submit once
    per activity: data written under 0001 is all there afterwards, and the pairs keep working."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    app = "devisus_pair_review"
    executor = MigrationExecutor(connection)
    executor.migrate([(app, "0001_initial")])
    old = executor.loader.project_state([(app, "0001_initial")]).apps
    activity = old.get_model(app, "Activity").objects.create(course_key="course", block_key="block")
    Pair = old.get_model(app, "Pair")
    pairs = [Pair.objects.create(activity=activity, origin="automatic", created_at="2026-01-05T10:00Z") for _ in "ab"]
    old.get_model(app, "Draft").objects.create(pair=pairs[0], text="Written in 0.1", version=3, saved_by="anon-a")
    old.get_model(app, "Draft").objects.create(pair=pairs[1], text="Submitted in 0.1", version=1, locked=True)
    old.get_model(app, "Submission").objects.create(
        activity=activity,
        pair=pairs[1],
        text="Submitted in 0.1",
        draft_version=1,
        submitted_at="2026-01-06T10:00Z",
        submitted_by="anon-b",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes(app))

    from devisus_xblocks.pair_review.models import Draft, Submission

    drafts = {d.pair_id: (d.activity_id, d.text, d.version, d.locked, d.saved_by) for d in Draft.objects.all()}
    assert drafts == {
        pairs[0].id: (activity.id, "Written in 0.1", 3, False, "anon-a"),
        pairs[1].id: (activity.id, "Submitted in 0.1", 1, True, ""),
    }
    assert Submission.objects.get().pair_id == pairs[1].id
    with pytest.raises(IntegrityError):  # still one submission per pair in its activity
        Submission.objects.create(
            activity_id=activity.id,
            pair_id=pairs[1].id,
            text="again",
            draft_version=1,
            submitted_at="2026-01-07T10:00Z",
            submitted_by="anon-b",
        )
