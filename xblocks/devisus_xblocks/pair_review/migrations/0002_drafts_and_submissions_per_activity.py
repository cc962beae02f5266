"""Drafts and submissions per (activity, pair), so that one pairing can serve several blocks.

Version 0.1 keyed a draft by its pair (the pair was its primary key) and allowed one submission
per pair. A pair of a shared pairing works in several activities, each with its own draft and
submission. The drafts move to a table with their own id (the activity of each is its pair's,
as before); submissions keep their rows and get a unique (activity, pair) instead of a unique
pair. Nothing else changes: blocks without a pairing_id keep their pairs, drafts and grades.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_drafts(apps, schema_editor):
    Draft = apps.get_model("devisus_pair_review", "Draft")
    PairDraft = apps.get_model("devisus_pair_review", "PairDraft")
    batch = []
    for draft in Draft.objects.select_related("pair").iterator(chunk_size=1000):
        batch.append(
            PairDraft(
                activity_id=draft.pair.activity_id,
                pair_id=draft.pair_id,
                text=draft.text,
                version=draft.version,
                locked=draft.locked,
                saved_at=draft.saved_at,
                saved_by=draft.saved_by,
            )
        )
        if len(batch) >= 1000:
            PairDraft.objects.bulk_create(batch)
            batch = []
    PairDraft.objects.bulk_create(batch)


def copy_drafts_back(apps, schema_editor):
    """Back to one draft per pair: the draft of the pair's own activity (0.1 had no other)."""
    Draft = apps.get_model("devisus_pair_review", "Draft")
    PairDraft = apps.get_model("devisus_pair_review", "PairDraft")
    for draft in PairDraft.objects.select_related("pair").iterator(chunk_size=1000):
        if draft.activity_id == draft.pair.activity_id:
            Draft.objects.create(
                pair_id=draft.pair_id,
                text=draft.text,
                version=draft.version,
                locked=draft.locked,
                saved_at=draft.saved_at,
                saved_by=draft.saved_by,
            )


class Migration(migrations.Migration):
    dependencies = [("devisus_pair_review", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="PairDraft",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(blank=True, default="")),
                ("version", models.PositiveIntegerField(default=0)),
                ("locked", models.BooleanField(default=False)),
                ("saved_at", models.DateTimeField(blank=True, null=True)),
                ("saved_by", models.CharField(blank=True, default="", max_length=128)),
                (
                    "activity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="drafts",
                        to="devisus_pair_review.activity",
                    ),
                ),
                (
                    "pair",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="drafts",
                        to="devisus_pair_review.pair",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("activity", "pair"), name="pair_review_one_draft_per_pair")
                ],
            },
        ),
        migrations.RunPython(copy_drafts, copy_drafts_back),
        migrations.DeleteModel(name="Draft"),
        migrations.RenameModel(old_name="PairDraft", new_name="Draft"),
        migrations.AlterField(
            model_name="submission",
            name="pair",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="submissions",
                to="devisus_pair_review.pair",
            ),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.UniqueConstraint(fields=("activity", "pair"), name="pair_review_one_submission_per_pair"),
        ),
    ]
