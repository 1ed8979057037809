from django.db import migrations

from members.roles import ensure_secretariat_group


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ensure_secretariat_group, migrations.RunPython.noop),
    ]
