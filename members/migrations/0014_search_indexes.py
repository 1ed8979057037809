"""Indexes for the site search (docs/search.md), on PostgreSQL only: the pg_trgm extension,
a trigram index (GIN, gin_trgm_ops) on each searched column as `icontains` reads it
(`UPPER(col::text)`), so that any two characters or more, Chinese included, are looked up in
the index; and the English full-text expression the search matches. On SQLite both
operations do nothing (CreateExtension checks the vendor itself)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

#: table -> (the columns searched by containment, the English columns of the full text)
SEARCHED = {
    "members_organization": (
        ("name_en", "name_zh_hans", "short_name_en", "short_name_zh_hans"),
        ("name_en", "short_name_en"),
    ),
    "members_person": (
        ("given_name", "family_name", "name_original"),
        ("given_name", "family_name"),
    ),
}


def _statements():
    for table, (columns, english) in SEARCHED.items():
        for column in columns:
            yield (
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
                f'DROP INDEX IF EXISTS "{table}_{column}_trgm"',
            )
        vector = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in english)
        yield (
            f'CREATE INDEX IF NOT EXISTS "{table}_search_fts" ON "{table}" '
            f"USING gin (to_tsvector('english'::regconfig, {vector}))",
            f'DROP INDEX IF EXISTS "{table}_search_fts"',
        )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for forward, _backward in _statements():
            schema_editor.execute(forward)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _forward, backward in _statements():
            schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_person_erasure"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
