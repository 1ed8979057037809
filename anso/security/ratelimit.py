"""A fixed-window rate limit per client, kept in Django's cache.

The first hit opens a window of `period` seconds; up to `limit` hits are allowed in it. The
counter is created with `cache.add` and increased with `cache.incr`, both atomic in the
shared caches (Redis, Memcached, database). The "ratelimit" cache alias is shared by all
workers in production (Redis, or the database cache; see anso/settings.py).

Callers pass the request, never an address: the client is always `client_address(request)`,
so that every limit counts the same visitor behind the proxy.

While the "ratelimit" cache cannot be reached (Redis stopped), the limits count in the
database instead (the "ratelimit-fallback" cache, when settings have one), so a limit keeps
holding through an outage. Every limited form stores or mails nothing without the database:
when neither can be reached, the limit lets the request through and the form's own write
answers 503 (docs/deployment.md).
"""

import contextlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from anso.caching.backends import cache_reachable
from anso.security.client import client_address, client_address_hash


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after: int  # seconds until the window closes


def _key(request: HttpRequest, scope: str) -> str:
    return f"ratelimit:{scope}:{client_address_hash(client_address(request)) or 'unknown'}"


def rate_limit_hit(request: HttpRequest, *, scope: str, limit: int, period: int) -> RateLimit:
    """Count one hit of the request's client in `scope`; `allowed` is False from the
    (limit+1)th hit in the window on."""
    return _hit(_key(request, scope), limit=limit, period=period)


def rate_limit_hit_for(*, scope: str, subject: str, limit: int, period: int) -> RateLimit:
    """Count one hit for a named subject other than the client (an email address that a
    form mails to, whoever asks), kept as a keyed hash."""
    return _hit(
        f"ratelimit:{scope}:{client_address_hash(subject.strip().lower()) or 'unknown'}",
        limit=limit,
        period=period,
    )


def _caches():
    """The counting cache, then its fallback if settings have one."""
    yield caches["ratelimit"]
    if "ratelimit-fallback" in settings.CACHES:
        yield caches["ratelimit-fallback"]


def _hit(key: str, *, limit: int, period: int) -> RateLimit:
    for cache in _caches():
        now = int(time.time())
        cache.add(f"{key}:start", now, timeout=period)
        cache.add(f"{key}:count", 0, timeout=period)
        try:
            count = cache.incr(f"{key}:count")
        except ValueError:  # the window closed between add and incr
            cache.set(f"{key}:count", 1, timeout=period)
            count = 1
        start = cache.get(f"{key}:start", now)
        if cache_reachable(cache):
            return RateLimit(allowed=count <= limit, retry_after=max(1, start + period - now))
    return RateLimit(allowed=True, retry_after=1)


def rate_limit_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int) -> RateLimit:
    """Whether the request's client has used up its hits in `scope`, without counting a new
    one."""
    key = _key(request, scope)
    for cache in _caches():
        now = int(time.time())
        count = cache.get(f"{key}:count", 0)
        start = cache.get(f"{key}:start", now)
        if cache_reachable(cache):
            return RateLimit(allowed=count < limit, retry_after=max(1, start + period - now))
    return RateLimit(allowed=True, retry_after=1)


def rate_take(*, scope: str, wanted: int, limit: int, period: int) -> "RateTaken":
    """Take up to `wanted` hits at once from a limit shared by every process (a worker that
    sends mail in batches): returns how many it may use now (0 when the window is used up) and
    the seconds until the window closes. Windows are aligned on the clock (every process
    agrees on them); hits a caller took and did not use go back with `rate_give_back`."""
    for cache in _caches():
        now = _clock()
        window = int(now // period)
        key = f"ratelimit:{scope}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key, wanted)
        except ValueError:  # the window closed between add and incr
            cache.add(key, 0, timeout=period + 1)
            count = cache.incr(key, wanted)
        granted = max(0, min(wanted, limit - (count - wanted)))
        if granted < wanted:
            _decr(cache, key, wanted - granted)
        if cache_reachable(cache):
            return RateTaken(
                granted=granted, retry_after=max(1, (window + 1) * period - now), window=window
            )
    return RateTaken(granted=wanted, retry_after=1, window=int(_clock() // period))


def _clock() -> float:
    """The clock the shared windows of `rate_take` follow (the tests start a window)."""
    return time.time()


def rate_give_back(*, scope: str, taken: "RateTaken", count: int) -> None:
    """Return hits taken with `rate_take` and not used (fewer mails were due)."""
    if count <= 0:
        return
    for cache in _caches():
        _decr(cache, f"ratelimit:{scope}:{taken.window}", count)
        if cache_reachable(cache):
            return


def _decr(cache, key: str, delta: int) -> None:
    with contextlib.suppress(ValueError):  # the window closed meanwhile: nothing to give back
        cache.decr(key, delta)


@dataclass(frozen=True)
class RateTaken:
    granted: int
    retry_after: float  # seconds until the window closes and the count starts again
    window: int  # which window (the clock divided by the period) the hits were taken from
