"""The public page cache: whole pages for anonymous visitors, with ETags, invalidated at once
by any change to the site's records.

- A *content version* lives in the "versions" cache (shared by every worker). Any save, delete
  or many-to-many change of a model of the project's own apps bumps it (signals below), right
  away and again when the transaction commits.
- `PublicPageCacheMiddleware` answers anonymous GET/HEAD requests for public paths from the
  cache, keyed by version + language + path + query string; the key is the page's ETag, so a
  repeated visit with `If-None-Match` gets a 304.
- Nothing personal is cached: a request with a session or messages cookie is never served from
  or stored in the cache; a response that sets a cookie (a form's CSRF token, a message), uses
  a CSP nonce, says `private`/`no-store`/`no-cache`, or is not a 200, is not stored.
- Writes that bypass signals (`QuerySet.update()`, `bulk_create()`) call
  `bump_content_version()` themselves.
- Each stored page is also kept as the path's *last good copy*, under a key without the
  version, for a day: `stale_page()` serves it while the database cannot be reached
  (anso/resilience.py).
- The caches fail soft (anso/cache.py): with the cache server gone, the version read is a
  miss (each request then renders, uncached), and a bump or a store does nothing, so neither a
  page nor a save fails because of the cache. A bump that could not be stored is made again by
  the next read that reaches the cache.
"""

import functools
import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import get_conditional_response, patch_vary_headers

from .cache import cache_reachable

VERSION_KEY = "anso:content-version"
PAGE_PREFIX = "anso:page:"
STALE_PREFIX = "anso:stale-page:"
#: How long a path's last good copy is kept for `stale_page()`.
STALE_SECONDS = 24 * 60 * 60


def _versions():
    return caches["versions"]


#: A bump this process could not store (the versions cache was unreachable): the next read that
#: reaches the cache renews the version, since a cache that comes back with its data would
#: otherwise serve pages older than the writes made meanwhile.
_lost_bump = {"pending": False}


def content_version() -> str:
    version = _versions().get(VERSION_KEY)
    if _lost_bump["pending"] and cache_reachable(_versions()):
        _lost_bump["pending"] = False
        _new_version()
        version = _versions().get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not _versions().add(VERSION_KEY, version, timeout=None):
            version = _versions().get(VERSION_KEY) or version
    return version


def cached_until_change(key: str, compute, *, timeout: int = 3600):
    """`compute()`, cached in the default cache until any record changes: the key carries the
    content version, which every save or delete renews."""
    return cache.get_or_set(f"{key}:{content_version()}", compute, timeout)


def _new_version() -> None:
    versions = _versions()
    versions.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    if not cache_reachable(versions):
        _lost_bump["pending"] = True


def bump_content_version() -> None:
    """Make every cached page stale: now (for reads in this transaction), and again once the
    current transaction commits (a page another connection rendered meanwhile from the old
    rows must not outlive the commit). The commit-time bump is registered once per
    transaction, however many rows it saves."""
    _new_version()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # Still pending unless the transaction (or savepoint) that registered it rolled back.
    if any(func is _new_version for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_new_version, robust=True)


@functools.cache
def project_app_labels() -> frozenset[str]:
    """The apps that live in this repository (members, meetings, and any added later)."""
    base = str(settings.BASE_DIR)
    return frozenset(
        config.label
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and not config.name.startswith("anso")
    )


def _on_change(sender, **kwargs):
    if sender._meta.app_label in project_app_labels():
        bump_content_version()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"anso-page-cache-{signal!r}")


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


def _stale_key(request) -> str:
    raw = f"{getattr(request, 'LANGUAGE_CODE', '')}|{request.get_full_path()}"
    return STALE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:40]


def stale_page(request):
    """The last good copy of a public page for an anonymous visitor, whatever the content
    version; None when there is none (or the request is not one the cache serves)."""
    if not (settings.PAGE_CACHE_ENABLED and _is_public(request) and _cookie_free(request)):
        return None
    page = cache.get(_stale_key(request))
    if page is not None:
        page["X-Page-Cache"] = "stale"
    return page


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_is_public(request) and _cookie_free(request)):
            return self.get_response(request)
        enabled = settings.PAGE_CACHE_ENABLED
        if enabled:
            # Read the version before the view reads any record (see bump_content_version).
            key = self._key(request, content_version())
            etag = f'"{key[len(PAGE_PREFIX) :]}"'
            cached = cache.get(key)
            if cached is not None:
                cached["X-Page-Cache"] = "hit"
                return get_conditional_response(request, etag=etag, response=cached) or cached
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        patch_vary_headers(response, ["Cookie"])
        if enabled:
            response["ETag"] = etag
            response["X-Page-Cache"] = "miss"
            if request.method == "GET":
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
                cache.set(_stale_key(request), response, STALE_SECONDS)
        elif not response.has_header("ETag"):
            response["ETag"] = (
                f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            )
        response.setdefault("Cache-Control", "no-cache")
        return get_conditional_response(request, etag=response["ETag"], response=response) or (
            response
        )

    @staticmethod
    def _key(request, version: str) -> str:
        language = getattr(request, "LANGUAGE_CODE", "")
        raw = f"{version}|{language}|{request.get_full_path()}"
        return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:40]
