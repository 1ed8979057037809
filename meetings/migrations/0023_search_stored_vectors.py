"""Faster site search (docs/search.md), on PostgreSQL only; on SQLite nothing is done.

As members' 0015 does for organizations and people: a stored `search_vector` column (tsvector,
generated, GIN-indexed) in place of 0022's expression index, and a bigram index
(`search_bigrams`, created by members' 0015) on every column searched by containment, so that
a word of two characters is looked up in an index."""

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


def _english(columns):
    vector = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('english'::regconfig, {vector})"


def _statements():
    for table, (columns, english) in SEARCHED.items():
        yield (
            f'DROP INDEX IF EXISTS "{table}_search_fts"',
            f'CREATE INDEX IF NOT EXISTS "{table}_search_fts" ON "{table}" '
            f"USING gin ({_english(english)})",
        )
        yield (
            f'ALTER TABLE "{table}" ADD COLUMN "search_vector" tsvector '
            f"GENERATED ALWAYS AS ({_english(english)}) STORED",
            f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_vector"',
        )
        yield (
            f'CREATE INDEX IF NOT EXISTS "{table}_search_vector" ON "{table}" '
            f'USING gin ("search_vector")',
            f'DROP INDEX IF EXISTS "{table}_search_vector"',
        )
        for column in columns:
            yield (
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_bigram" ON "{table}" '
                f'USING gin (search_bigrams(UPPER("{column}"::text)))',
                f'DROP INDEX IF EXISTS "{table}_{column}_bigram"',
            )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for forward, _backward in _statements():
            schema_editor.execute(forward)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _forward, backward in reversed(list(_statements())):
            schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0022_search_indexes"),
        ("members", "0015_search_stored_vectors"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
