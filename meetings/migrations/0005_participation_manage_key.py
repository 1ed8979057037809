"""A random link key for every participation. Existing rows get a key each (a column default
would give them all the same one) before the column becomes unique and required."""

import secrets

from django.db import migrations, models

import meetings.attendance.models


def give_keys(apps, schema_editor):
    Participation = apps.get_model("meetings", "Participation")
    batch = []
    for participation in Participation.objects.filter(manage_key__isnull=True).only("pk"):
        participation.manage_key = secrets.token_urlsafe(24)
        batch.append(participation)
        if len(batch) == 1000:
            Participation.objects.bulk_update(batch, ["manage_key"])
            batch = []
    Participation.objects.bulk_update(batch, ["manage_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_meeting_start_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="manage_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="participation",
            name="manage_key",
            field=models.CharField(
                default=meetings.attendance.models.new_manage_key,
                editable=False,
                help_text=(
                    "Random. The participant's link to their registration carries it, signed "
                    "with the site's secret key; a new key makes the earlier link stop working."
                ),
                max_length=64,
                unique=True,
                verbose_name="link key",
            ),
        ),
    ]
