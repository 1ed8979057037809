from django.db import migrations

from members.roles import ensure_secretariat_group


class Migration(migrations.Migration):
    """The Secretariat edits registration windows and reads the status-change log."""

    dependencies = [
        ("members", "0002_secretariat_group"),
        ("meetings", "0002_registration"),
    ]

    operations = [
        migrations.RunPython(ensure_secretariat_group, migrations.RunPython.noop),
    ]
