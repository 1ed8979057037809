"""The reads of the search page: the first hits of every kind with their totals, or one kind's
page of hits.

A kind costs one query for its ranked keys, and one more for its rows where it has any. The
ranked query reads keys alone, and stops counting at `MAX_HITS`: a word every agenda item
holds is not counted, nor ranked, row by row on wide rows. Past `MAX_HITS`, the page says
"more than" and asks for more words."""

import dataclasses

from .backends import key_set, matching
from .highlight import query_terms, quote
from .kinds import KINDS, Kind

#: Hits a kind shows on the overview, and on a page of its own.
OVERVIEW_HITS = 5
PAGE_HITS = 20
#: The most hits of a kind counted and paged: ten pages.
MAX_HITS = 10 * PAGE_HITS
#: Of a kind with `findable_among` (people): the candidates tested at a time, and at most.
CANDIDATES_AT_A_TIME = 500
MAX_CANDIDATES = 20 * CANDIDATES_AT_A_TIME


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
    #: More hits than `total` (= MAX_HITS) were found; they are not counted.
    more: bool = False


def _ranked_keys(kind: Kind, records, query: str, terms: list[str], upto: int) -> list:
    return list(
        matching(kind, records, query, terms)
        .order_by("-search_rank", *records.model._meta.ordering, "pk")
        .values_list("pk", flat=True)[:upto]
    )


def _findable_keys(kind: Kind, records, query: str, terms: list[str]) -> tuple[list, bool]:
    """The first MAX_HITS + 1 keys a visitor may find of a kind with `findable_among`: its
    candidates in rank order, tested CANDIDATES_AT_A_TIME at a time, one query each, until
    enough are found. Past MAX_CANDIDATES candidates, the rest are not tested and the total
    is "more than" (True)."""
    candidates = _ranked_keys(kind, records, query, terms, MAX_CANDIDATES + 1)
    keys: list = []
    for start in range(0, min(len(candidates), MAX_CANDIDATES), CANDIDATES_AT_A_TIME):
        chunk = candidates[start : start + CANDIDATES_AT_A_TIME]
        findable = set(kind.findable_among(key_set(chunk)).order_by().values_list("pk", flat=True))
        keys += [key for key in chunk if key in findable]
        if len(keys) > MAX_HITS:
            break
    return keys, len(candidates) > MAX_CANDIDATES


def _hits(kind: Kind, query: str, terms: list[str], *, offset: int, limit: int):
    """(total, more, hits) of `kind`: the keys of the first MAX_HITS + 1 hits in rank order,
    then the rows of the page's ones."""
    records = kind.records()
    if kind.findable_among is None:
        keys, more = _ranked_keys(kind, records, query, terms, MAX_HITS + 1), False
    else:
        keys, more = _findable_keys(kind, records, query, terms)
    more = more or len(keys) > MAX_HITS
    keys = keys[:MAX_HITS]
    shown = keys[offset : offset + limit]
    rows = records.in_bulk(shown) if shown else {}
    return len(keys), more, [_hit(kind, rows[key], terms) for key in shown]


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
    for kind in KINDS:
        total, more, hits = _hits(kind, query, terms, offset=0, limit=OVERVIEW_HITS)
        if total:
            groups.append(Group(kind=kind, total=total, hits=hits, more=more))
    return groups


def search_kind(query: str, kind: Kind, page: int) -> Group:
    """One page of one kind's hits. A page past the last has no hits and a total of 0 when
    there is no hit at all; the view sends the visitor back to the first page otherwise."""
    terms = query_terms(query)
    total, more, hits = _hits(kind, query, terms, offset=(page - 1) * PAGE_HITS, limit=PAGE_HITS)
    pages = max(1, -(-total // PAGE_HITS))
    return Group(kind=kind, total=total, hits=hits, page=page, pages=pages, more=more)
