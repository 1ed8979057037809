"""Indexes for the site search (docs/search.md), on PostgreSQL only: a trigram index (GIN,
gin_trgm_ops) on each searched column as `icontains` reads it (`UPPER(col::text)`), so that
any two characters or more, Chinese included, are looked up in the index; and the English
full-text expression the search matches. The pg_trgm extension is created by members'
0014_search_indexes, which this one follows. On SQLite the operation does nothing."""

from django.db import migrations

#: table -> (the columns searched by containment, the English columns of the full text)
SEARCHED = {
    "meetings_meeting": (
        (
            "title_en",
            "title_zh_hans",
            "venue_en",
            "venue_zh_hans",
            "city_en",
            "city_zh_hans",
            "summary_en",
            "summary_zh_hans",
        ),
        ("title_en", "venue_en", "city_en", "summary_en"),
    ),
    "meetings_agendaitem": (
        ("title_en", "title_zh_hans", "description_en", "description_zh_hans"),
        ("title_en", "description_en"),
    ),
    "meetings_decision": (("text_en", "text_zh_hans"), ("text_en",)),
    "meetings_action": (
        ("title_en", "title_zh_hans", "description_en", "description_zh_hans"),
        ("title_en", "description_en"),
    ),
    "meetings_minutespart": (
        ("heading_en", "heading_zh_hans", "text_en", "text_zh_hans"),
        ("heading_en", "text_en"),
    ),
    "meetings_document": (("title_en", "title_zh_hans"), ("title_en",)),
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
        ("meetings", "0021_matters_arising"),
        ("members", "0014_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
