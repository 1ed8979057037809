"""The public page cache: whole pages for anonymous visitors, with ETags, renewed by the
writes that change what they show (anso/caching/tags.py).

- `PublicPageCacheMiddleware` answers anonymous GET/HEAD requests for public paths from the
  cache, keyed by language + path + query string. An entry holds the page, the tags the view
  declared with `page_shows()` (a view that declares none depends on every write) and the
  clock read before the view ran; it is fresh while none of its tags was renewed since, and
  for `PAGE_CACHE_SECONDS` at most. Its ETag changes with every render, so a repeated visit
  with `If-None-Match` gets a 304.
- **Early in the stack.** The middleware sits right after the security headers, the client
  address and the static files, before sessions, the language, CSRF, authentication and
  messages: a hit runs none of them. It may, because it serves only requests without a session
  or messages cookie, and it decides the language as `LocaleMiddleware` does (the URL's
  language prefix; for a path without one, the cookie or `Accept-Language`). The security
  headers (HSTS, CSP, nosniff, referrer and opener policies) are set further out, on every
  answer; `X-Frame-Options`, set further in, is stored with the page.
- **Compressed once.** A page is stored gzip- and Brotli-compressed, once, when it is rendered,
  and sent in the encoding the client accepts (Brotli first), with `Content-Encoding`,
  `Vary: Accept-Encoding`, its own `Content-Length` and an ETag per encoding; a client that
  accepts neither gets the page as rendered (the gzip copy, decompressed). Nothing else
  compresses pages (no `GZipMiddleware`; WhiteNoise compresses only static files).
- **No stampede.** When an entry is stale, the first worker to take the entry's renewal lock
  (`cache.add`, `RENEW_SECONDS`) renders it; until it has stored the new copy, the others
  serve the previous one (`X-Page-Cache: stale`). A lock left by a worker that died expires.
- Nothing personal is cached: a request with a session or messages cookie is never served from
  or stored in the cache; a response that sets a cookie (a form's CSRF token, a message), uses
  a CSP nonce, says `private`/`no-store`/`no-cache`, or is not a 200, is not stored.
- Each entry is kept for a day (`STALE_SECONDS`) as the path's last good copy: `stale_page()`
  serves it while the database cannot be reached (anso/caching/resilience.py).
- The caches fail soft (anso/caching/backends.py): with the cache server gone, every request
  renders, uncached, and a renewal or a store does nothing, so neither a page nor a save fails
  because of the cache.
"""

import gzip
import hashlib
import time

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from anso.caching import tags as cache_tags

PAGE_PREFIX = "anso:page:v2:"
LOCK_PREFIX = "anso:renewing:"
#: How long a path's last good copy is kept for `stale_page()`.
STALE_SECONDS = 24 * 60 * 60
#: How long other workers serve the previous copy while one renders the new one, at most.
RENEW_SECONDS = 5
#: Brotli's quality for stored pages: 5 compresses a programme of 1,000 items in tens of
#: milliseconds, once per render; 11 takes seconds for a few per cent less.
BROTLI_QUALITY = 5
#: The encodings a page is stored in, the preferred first: `Content-Encoding` -> ETag suffix.
ENCODINGS = {"br": "br", "gzip": "gz"}
#: Headers of the rendered page that the cache sets itself on each answer.
_OWN_HEADERS = frozenset({"content-length", "content-encoding", "etag", "x-page-cache"})


def page_shows(request: HttpRequest, *tags: str) -> None:
    """Declare what the page being rendered shows (see anso/caching/tags.py): it is renewed when
    one of `tags` is, and only then. Called with no tags, the page depends on no record."""
    declared = getattr(request, "_page_tags", None)
    if declared is None:
        declared = request._page_tags = set()
    declared.update(tags)


def declared_tags(request: HttpRequest) -> frozenset[str] | None:
    declared = getattr(request, "_page_tags", None)
    return None if declared is None else frozenset(declared)


def _cookie_free(request) -> bool:
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
    )


def _is_public(request) -> bool:
    return request.method in ("GET", "HEAD") and not any(
        request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDE
    )


def _storable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    nonce = getattr(request, "_csp_nonce", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not (session is not None and session.modified)  # its cookie is set further out
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not nonce  # a LazyNonce is true once a template used it
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and "Set-Cookie" not in response
    )


def _language(request) -> str:
    """The language the page is rendered in, as `LocaleMiddleware` (further in) decides it:
    the URL's language prefix; for a path without one, the cookie or `Accept-Language`."""
    return translation.get_language_from_path(
        request.path_info
    ) or translation.get_language_from_request(request)


def _key(request) -> str:
    raw = f"{_language(request)}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def accepted_encoding(request) -> str | None:
    """The stored encoding to send: Brotli, else gzip, where `Accept-Encoding` accepts it
    (`q=0` refuses); None for the page as rendered."""
    accepted, refused = set(), set()
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        name, _, params = part.partition(";")
        quality = params.strip().removeprefix("q=")
        if params and quality.replace(".", "", 1).isdigit() and float(quality) == 0:
            refused.add(name.strip())
        else:
            accepted.add(name.strip())
    for encoding in ENCODINGS:
        if encoding in accepted or ("*" in accepted and encoding not in refused):
            return encoding
    return None


def _entry(request, response, rendered_at: int, key: str) -> dict:
    """What the cache stores of a rendered page: its headers, its body compressed once in each
    encoding, and when and from what it was rendered."""
    body = response.content
    tags = declared_tags(request)
    tags = (tags if tags is not None else {cache_tags.ANY}) | {cache_tags.ALL}
    return {
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _OWN_HEADERS
        ],
        "bodies": {
            "br": brotli.compress(body, quality=BROTLI_QUALITY),
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        },
        "etag": f"{key}-{rendered_at}",
        "tags": sorted(tags),
        "rendered_at": rendered_at,
        "stored_at": time.time(),
    }


def _is_fresh(entry, renewed: dict[str, int] | None = None) -> bool:
    return time.time() - entry["stored_at"] < settings.PAGE_CACHE_SECONDS and cache_tags.fresh(
        entry["tags"], entry["rendered_at"], renewed
    )


#: The tags of the pages this process has stored or served (cache key -> tags), so that a hit
#: reads the page and its tags' renewal times in one round trip to the cache. A page stored by
#: another worker with other tags costs a second read; the memo is emptied when it grows past
#: `_KNOWN_TAGS_MAX` keys (query strings make keys without end).
_known_tags: dict[str, list[str]] = {}
_KNOWN_TAGS_MAX = 10_000


def _remember_tags(key: str, tags: list[str]) -> None:
    if len(_known_tags) >= _KNOWN_TAGS_MAX:
        _known_tags.clear()
    _known_tags[key] = tags


def _read(key: str) -> tuple[dict | None, bool]:
    """The entry of `key` and whether it is fresh. Where the tags' renewal times live in the
    same cache as the pages (Redis), one `get_many` reads both."""
    tags = _known_tags.get(key)
    if tags is None or settings.CACHES.get("versions") != settings.CACHES.get("default"):
        entry = cache.get(PAGE_PREFIX + key)
        if entry is None:
            return None, False
        _remember_tags(key, entry["tags"])
        return entry, _is_fresh(entry)
    tag_keys = {cache_tags.tag_key(tag): tag for tag in tags}
    found = cache.get_many([PAGE_PREFIX + key, *tag_keys])
    entry = found.pop(PAGE_PREFIX + key, None)
    if entry is None:
        return None, False
    if entry["tags"] != tags:  # stored by another worker, showing other records
        _remember_tags(key, entry["tags"])
        return entry, _is_fresh(entry)
    return entry, _is_fresh(entry, {tag_keys[name]: value for name, value in found.items()})


def _served(request, entry, how: str) -> HttpResponse:
    """The stored page in the encoding the client accepts, or 304 to its If-None-Match."""
    encoding = accepted_encoding(request)
    if encoding is None:
        body, etag = gzip.decompress(entry["bodies"]["gzip"]), f'"{entry["etag"]}"'
    else:
        body, etag = entry["bodies"][encoding], f'"{entry["etag"]}-{ENCODINGS[encoding]}"'
    page = HttpResponse(body, status=entry["status"])
    for name, value in entry["headers"]:
        page.headers[name] = value
    if encoding is not None:
        page["Content-Encoding"] = encoding
    patch_vary_headers(page, ["Accept-Encoding"])
    page["Content-Length"] = str(len(body))
    page["ETag"] = etag
    page["X-Page-Cache"] = how
    return get_conditional_response(request, etag=etag, response=page) or page


def stale_page(request):
    """The last good copy of a public page for an anonymous visitor, however stale; None when
    there is none (or the request is not one the cache serves)."""
    if not (settings.PAGE_CACHE_ENABLED and _is_public(request) and _cookie_free(request)):
        return None
    entry = cache.get(PAGE_PREFIX + _key(request))
    if entry is None:
        return None
    return _served(request, entry, "stale")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_is_public(request) and _cookie_free(request)):
            return self.get_response(request)
        if not settings.PAGE_CACHE_ENABLED:
            return self._uncached(request)
        key = _key(request)
        entry, fresh = _read(key)
        lock = None
        if entry is not None:
            if fresh:
                return _served(request, entry, "hit")
            if cache.add(LOCK_PREFIX + key, 1, timeout=RENEW_SECONDS):
                lock = LOCK_PREFIX + key
            else:
                return _served(request, entry, "stale")  # another worker renders it
        try:
            return self._render(request, key)
        finally:
            if lock:
                cache.delete(lock)

    def _render(self, request, key):
        # Read the clock before the view reads any record (anso/caching/tags.py).
        rendered_at = cache_tags.clock()
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        patch_vary_headers(response, ["Cookie"])
        response.setdefault("Cache-Control", "no-cache")
        if request.method != "GET":
            # A HEAD is answered, not stored: it has no page to store.
            response["ETag"] = f'"{key}-{rendered_at}"'
            response["X-Page-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response) or (
                response
            )
        if hasattr(response, "render") and callable(response.render):
            response.render()
        entry = _entry(request, response, rendered_at, key)
        cache_tags.remember(entry["tags"], rendered_at)
        cache.set(PAGE_PREFIX + key, entry, STALE_SECONDS)
        _remember_tags(key, entry["tags"])
        page = _served(request, entry, "miss")
        page.page_tags = entry["tags"]  # for tests: what the page declared
        return page

    def _uncached(self, request):
        """With the page cache off (local runs) public pages still carry an ETag of their
        content."""
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        patch_vary_headers(response, ["Cookie"])
        if not response.has_header("ETag"):
            response["ETag"] = (
                f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            )
        response.setdefault("Cache-Control", "no-cache")
        return get_conditional_response(request, etag=response["ETag"], response=response) or (
            response
        )
