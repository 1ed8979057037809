"""How the database finds and ranks records, chosen by its vendor here and nowhere else.

- PostgreSQL: full-text search with ranking for English (the row's stored `search_vector`, a
  generated column over the kind's English columns, `websearch` query syntax, config
  `english`), or every word contained in one of the kind's columns, whatever the language.
  Containment of a word of three characters or more (`icontains`, `UPPER(col) LIKE`) is
  served by the trigram indexes (`pg_trgm`, migration `0022_search_indexes`), so that
  Chinese, which full text does not split into words, is found; a word of two characters
  has no trigram to look up, and is found by the bigram indexes (`search_bigrams`, members'
  migration `0015_search_stored_vectors`). Rank: a match in the title first, then the
  full-text rank. A query without a Latin letter or digit (Chinese alone) is matched by
  containment only.
- SQLite (`make run`, the tests): every word contained in one of the columns (`icontains`);
  a match in the title first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .kinds import Kind, no_match


class HasBigram(Expression):
    """`search_bigrams(UPPER(column)) @> ARRAY[UPPER(term)]`: the column contains the
    two-character `term`, as `icontains` says, looked up in the column's bigram index (the
    index's expression, exactly). PostgreSQL only."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, term: str):
        super().__init__()
        self.column = F(field)
        self.term = term

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"search_bigrams(UPPER({column}::text)) @> ARRAY[UPPER(%s)]", [*params, self.term]


def _contains(field: str, term: str, *, bigrams: bool) -> Q:
    if bigrams and len(term) == 2:
        return Q(HasBigram(field, term))
    return Q(**{f"{field}__icontains": term})


def _contains_every_term(kind: Kind, terms: list[str], *, bigrams: bool) -> Q:
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in kind.fields:
            any_field |= _contains(field, term, bigrams=bigrams)
        condition &= any_field
    return condition


def stored_vector(records: QuerySet) -> RawSQL:
    """The row's stored English full text (the generated `search_vector` column, which the
    models do not declare: SQLite has none)."""
    table = connection.ops.quote_name(records.model._meta.db_table)
    # The table's name is the model's own, quoted: nothing of the visitor's is in the SQL.
    return RawSQL(f"{table}.search_vector", (), output_field=SearchVectorField())  # noqa: S611


def _title_first(kind: Kind, terms: list[str]):
    """1.0 where the whole query is in the title, else 0."""
    if not kind.title_fields:
        return Value(0.0)
    phrase = " ".join(terms)
    in_title = Q()
    for field in kind.title_fields:
        in_title |= Q(**{f"{field}__icontains": phrase})
    return Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


def _containing(kind: Kind, records: QuerySet, terms: list[str], *, bigrams: bool) -> QuerySet:
    """Every word contained in one of the kind's columns, the title first."""
    return records.filter(_contains_every_term(kind, terms, bigrams=bigrams)).annotate(
        search_rank=_title_first(kind, terms)
    )


def _sqlite(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    if not terms:
        return records.filter(no_match())
    return _containing(kind, records, terms, bigrams=False)


def _has_latin_words(query: str) -> bool:
    return any(char.isascii() and char.isalnum() for char in query)


def _postgresql(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    if not terms:
        return records.filter(no_match())
    if not _has_latin_words(query):
        # Chinese alone: the English full text finds nothing.
        return _containing(kind, records, terms, bigrams=True)
    search_query = SearchQuery(query, config="english", search_type="websearch")
    return (
        records.annotate(search_vector=stored_vector(records))
        .filter(Q(search_vector=search_query) | _contains_every_term(kind, terms, bigrams=True))
        .annotate(
            search_rank=_title_first(kind, terms)
            + Coalesce(SearchRank(F("search_vector"), search_query), Value(0.0))
        )
    )


_BACKENDS = {"postgresql": _postgresql}


def key_set(keys: list):
    """`keys` as the right side of `__in` in a query: on PostgreSQL one array parameter
    (`unnest`), whose plan does not grow with the number of keys as a list of parameters
    does; elsewhere the list."""
    if connection.vendor != "postgresql":
        return keys
    return RawSQL("SELECT unnest(%s::bigint[])", (list(keys),))


def matching(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    """`records` of `kind` that match the query, annotated with `search_rank` (higher first).
    The one place that chooses by the database's vendor."""
    return _BACKENDS.get(connection.vendor, _sqlite)(kind, records, query, terms)
