"""A fixed-window rate limit per client address, kept in Django's cache.

The first hit opens a window of `period` seconds; up to `limit` hits are allowed in it. The
counter is created with `cache.add` and increased with `cache.incr`, both atomic in the
shared caches (Redis, Memcached, database). The "ratelimit" cache alias is shared by all
workers in production (Redis, or the database cache; see anso/settings.py).
"""

import time
from dataclasses import dataclass

from django.core.cache import caches

from .services import client_address_hash


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after: int  # seconds until the window closes


def rate_limit_hit(*, scope: str, address: str, limit: int, period: int) -> RateLimit:
    """Count one hit for `address` in `scope`; `allowed` is False from the (limit+1)th hit in
    the window on."""
    cache = caches["ratelimit"]
    key = f"ratelimit:{scope}:{client_address_hash(address) or 'unknown'}"
    now = int(time.time())
    cache.add(f"{key}:start", now, timeout=period)
    cache.add(f"{key}:count", 0, timeout=period)
    try:
        count = cache.incr(f"{key}:count")
    except ValueError:  # the window closed between add and incr
        cache.set(f"{key}:count", 1, timeout=period)
        count = 1
    start = cache.get(f"{key}:start", now)
    retry_after = max(1, start + period - now)
    return RateLimit(allowed=count <= limit, retry_after=retry_after)


def rate_limit_exceeded(*, scope: str, address: str, limit: int, period: int) -> RateLimit:
    """Whether `address` has used up its hits in `scope`, without counting a new one."""
    cache = caches["ratelimit"]
    key = f"ratelimit:{scope}:{client_address_hash(address) or 'unknown'}"
    now = int(time.time())
    count = cache.get(f"{key}:count", 0)
    start = cache.get(f"{key}:start", now)
    return RateLimit(allowed=count < limit, retry_after=max(1, start + period - now))
