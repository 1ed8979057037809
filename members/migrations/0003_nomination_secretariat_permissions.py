from django.db import migrations

from members.roles import ensure_secretariat_group


class Migration(migrations.Migration):
    """The Secretariat reviews nominations and reads their audit trail."""

    dependencies = [
        ("members", "0003_nomination"),
    ]

    operations = [
        migrations.RunPython(ensure_secretariat_group, migrations.RunPython.noop),
    ]
