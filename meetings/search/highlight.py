"""Which parts of a text a query matched, as plain (text, matched) pairs: the template writes
them, escaping each and wrapping the matched ones in <mark>. No markup is made here."""

import re

#: A query longer than this is cut; more words than this are dropped.
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
#: The shortest query searched: two characters, a Chinese word of two.
MIN_QUERY_CHARS = 2
#: How many characters a quote shows around its first match.
QUOTE_CHARS = 160


def query_terms(query: str) -> list[str]:
    """The query's words, distinct, in order: split on white space, each at least one
    character. Chinese, written without spaces, is one term per run of characters."""
    terms: list[str] = []
    for word in query[:MAX_QUERY_CHARS].split():
        if word.casefold() not in (t.casefold() for t in terms):
            terms.append(word)
    return terms[:MAX_TERMS]


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    # Longest first, so that "Beijing" wins over "Bei".
    alternatives = sorted((re.escape(t) for t in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def marked_parts(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (part, matched) pairs."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return [(text, False)] if text else []
    parts, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            parts.append((text[at : match.start()], False))
        parts.append((match.group(), True))
        at = match.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def quote(texts: list[str], terms: list[str]) -> list[tuple[str, bool]]:
    """A short quote from the first of `texts` that a term matches (else the first text),
    around the match, cut into (part, matched) pairs."""
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not texts:
        return []
    pattern = _pattern(terms)
    chosen, start = texts[0], 0
    if pattern is not None:
        for text in texts:
            if match := pattern.search(text):
                chosen, start = text, match.start()
                break
    begin = max(0, start - QUOTE_CHARS // 3)
    excerpt = chosen[begin : begin + QUOTE_CHARS]
    if begin > 0:
        excerpt = "…" + excerpt
    if begin + QUOTE_CHARS < len(chosen):
        excerpt += "…"
    return marked_parts(excerpt, terms)
