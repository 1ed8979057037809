"""How the database finds and ranks records, chosen by its vendor here and nowhere else.

- PostgreSQL: full-text search with ranking for English (`SearchVector` over the kind's
  English columns, `websearch` query syntax, config `english`), or every word contained in one
  of the kind's columns, whatever the language. Containment (`icontains`, `UPPER(col) LIKE`)
  is served by the trigram indexes (`pg_trgm`, migration `0022_search_indexes`), so that
  Chinese, which full text does not split into words, is found from two characters on. Rank:
  a match in the title first, then the full-text rank. A query without a Latin letter or
  digit (Chinese alone) is matched by containment only.
- SQLite (`make run`, the tests): every word contained in one of the columns (`icontains`);
  a match in the title first.
"""

import contextlib

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from .kinds import Kind, no_match


def _contains_every_term(kind: Kind, terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in kind.fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


def _title_first(kind: Kind, terms: list[str]):
    """1.0 where the whole query is in the title, else 0."""
    if not kind.title_fields:
        return Value(0.0)
    phrase = " ".join(terms)
    in_title = Q()
    for field in kind.title_fields:
        in_title |= Q(**{f"{field}__icontains": phrase})
    return Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


def _sqlite(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    if not terms:
        return records.filter(no_match())
    return records.filter(_contains_every_term(kind, terms)).annotate(
        search_rank=_title_first(kind, terms)
    )


def _has_latin_words(query: str) -> bool:
    return any(char.isascii() and char.isalnum() for char in query)


def _postgresql(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    if not terms:
        return records.filter(no_match())
    if not _has_latin_words(query):
        # Chinese alone: the English full text finds nothing, and checking it again on every
        # row the trigram index cannot narrow (two characters) would cost a `to_tsvector` each.
        return _sqlite(kind, records, query, terms)
    search_query = SearchQuery(query, config="english", search_type="websearch")
    vector = SearchVector(*kind.english, config="english")
    return (
        records.annotate(search_vector=vector)
        .filter(Q(search_vector=search_query) | _contains_every_term(kind, terms))
        .annotate(
            search_rank=_title_first(kind, terms)
            + Coalesce(SearchRank(F("search_vector"), search_query), Value(0.0))
        )
    )


_BACKENDS = {"postgresql": _postgresql}


@contextlib.contextmanager
def search_session():
    """Where the search's queries run. On PostgreSQL, a transaction without JIT compilation:
    a two-character query reads the whole trigram index, the planner's estimate passes
    `jit_above_cost`, and compiling the plan took seconds where running it takes tens of
    milliseconds (docs/search.md). One query more (`SET LOCAL`)."""
    if connection.vendor != "postgresql":
        yield
        return
    # No savepoint inside an enclosing transaction: SET LOCAL then lasts until it ends.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def matching(kind: Kind, records: QuerySet, query: str, terms: list[str]) -> QuerySet:
    """`records` of `kind` that match the query, annotated with `search_rank` (higher first).
    The one place that chooses by the database's vendor."""
    return _BACKENDS.get(connection.vendor, _sqlite)(kind, records, query, terms)
