from django.db import migrations

from members.roles import ensure_secretariat_group


class Migration(migrations.Migration):
    """The Secretariat reads the outgoing mail (and sends failed mail again) and the
    spreadsheet imports."""

    dependencies = [
        ("members", "0003_nomination_secretariat_permissions"),
        ("anso", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ensure_secretariat_group, migrations.RunPython.noop),
    ]
