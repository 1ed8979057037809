"""The reads of the search page: the first hits of every kind with their totals (one query a
kind), or one kind's page of hits (one query); on PostgreSQL one more, `SET LOCAL jit = off`
(`backends.search_session`)."""

import dataclasses

from django.db.models import Count, Window

from .backends import matching, search_session
from .highlight import query_terms, quote
from .kinds import KINDS, Kind

#: Hits a kind shows on the overview, and on a page of its own.
OVERVIEW_HITS = 5
PAGE_HITS = 20


@dataclasses.dataclass(frozen=True)
class Hit:
    title: list[tuple[str, bool]]
    url: str
    quote: list[tuple[str, bool]]


@dataclasses.dataclass(frozen=True)
class Group:
    kind: Kind
    total: int
    hits: list[Hit]
    page: int = 1
    pages: int = 1


def _hits(kind: Kind, query: str, terms: list[str], *, offset: int, limit: int):
    """(total, hits) of `kind`: the total counted in the same query by a window."""
    rows = list(
        matching(kind, kind.records(), query, terms)
        .annotate(search_total=Window(Count("pk")))
        .order_by("-search_rank", *kind.records().model._meta.ordering, "pk")[
            offset : offset + limit
        ]
    )
    total = rows[0].search_total if rows else 0
    return total, [_hit(kind, row, terms) for row in rows]


def _hit(kind: Kind, row, terms: list[str]) -> Hit:
    """A row as the page lists it: its title in the page's language, and a quote from its
    texts, or from the column in the other language that matched."""
    title = kind.title(row)
    columns = [getattr(row, field) or "" for field in kind.fields]
    texts = kind.texts(row) + [text for text in columns if text and text != title]
    return Hit(title=quote([title], terms), url=kind.url(row), quote=quote(texts, terms))


def search_overview(query: str) -> list[Group]:
    """The first hits of every kind that has any, in the kinds' order."""
    terms = query_terms(query)
    groups = []
    with search_session():
        for kind in KINDS:
            total, hits = _hits(kind, query, terms, offset=0, limit=OVERVIEW_HITS)
            if total:
                groups.append(Group(kind=kind, total=total, hits=hits))
    return groups


def search_kind(query: str, kind: Kind, page: int) -> Group:
    """One page of one kind's hits. A page past the last has no hits and a total of 0 when
    there is no hit at all; the view sends the visitor back to the first page otherwise."""
    terms = query_terms(query)
    with search_session():
        total, hits = _hits(kind, query, terms, offset=(page - 1) * PAGE_HITS, limit=PAGE_HITS)
    pages = max(1, -(-total // PAGE_HITS))
    return Group(kind=kind, total=total, hits=hits, page=page, pages=pages)
