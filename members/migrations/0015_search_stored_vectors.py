"""Faster site search (docs/search.md), on PostgreSQL only; on SQLite nothing is done.

- `search_vector`: a generated column (tsvector, STORED) with the row's English full text,
  indexed by GIN. It replaces 0014's expression index, so that neither matching nor ranking
  computes a row's vector when a visitor searches. The column is the database's alone: the
  model does not declare it (SQLite has no tsvector), and the search reads it by name
  (meetings/search/backends.py, `stored_vector`).
- `search_bigrams(text)`: the distinct two-character pieces of a text, with a GIN index of it
  on every column searched by containment. A trigram index has no trigram to look up for a
  word of two characters (two Chinese characters, "AI") and reads every row; the bigram index
  finds them exactly. Meetings' 0023 indexes its own columns with this function."""

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

BIGRAMS = (
    "CREATE OR REPLACE FUNCTION search_bigrams(text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}') "
    "FROM generate_series(1, char_length($1) - 1) AS i $$"
)


def _english(columns):
    vector = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('english'::regconfig, {vector})"


def _statements():
    yield BIGRAMS, "DROP FUNCTION IF EXISTS search_bigrams(text)"
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
        ("members", "0014_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
