from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("devisus_pair_review", "0004_calibration_and_accuracy"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissionmember",
            name="contribution",
            field=models.TextField(blank=True, default=""),
        ),
    ]
