"""Caches that fail soft: the cache is an accelerator, never a dependency.

Every cache alias in settings uses one of these backends. When the cache server cannot be
reached (Redis stopped or restarting, the database of the database cache down, its table not
made yet), an operation answers as if the key were missing or the write had not happened: a
read is a miss, a write does nothing, `incr` raises ValueError as for a missing key. Nothing
raises to the page, the form or the command that used the cache, so a page renders uncached,
a save still commits and `manage.py migrate` runs before `createcachetable`.

The first failure is logged once, as a warning, and the return of the server once, as
information. After a failure a Redis cache is not tried again for `RETRY_INTERVAL` seconds
(OPTIONS, default 1), so that a server that times out costs one timeout a second, not one per
operation; the next operation after that reconnects (redis-py opens a new connection in place
of a broken one). `reachable()` tells whether the last operation reached the server, for the
callers that count on the cache (anso/security/ratelimit.py).
"""

import logging
import time
from urllib.parse import urlsplit, urlunsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction

logger = logging.getLogger(__name__)

#: Cache location -> monotonic time of its last failure, for every cache of the process.
_down_since: dict[str, float] = {}


def _without_password(location) -> str:
    parts = urlsplit(str(location))
    if not parts.password:
        return str(location)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def cache_reachable(cache) -> bool:
    """Whether the last operation of `cache` reached its server (always, for a cache that
    does not fail soft)."""
    return getattr(cache, "reachable", lambda: True)()


class FailSoftCacheMixin:
    errors: tuple[type[BaseException], ...] = ()
    retry_interval = 0.0

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_interval = float(options.pop("RETRY_INTERVAL", self.retry_interval))
        super().__init__(location, {**params, "OPTIONS": options})
        # Named in the log without a password the URL may carry.
        self._location = f"{type(self).__name__}:{_without_password(location)}"

    def reachable(self) -> bool:
        return self._location not in _down_since

    def _call(self, operation, *args, **kwargs):
        return operation(*args, **kwargs)

    def _guard(self, default, operation, *args, **kwargs):
        failed_at = _down_since.get(self._location)
        if failed_at is not None and time.monotonic() - failed_at < self.retry_interval:
            return default
        try:
            result = self._call(operation, *args, **kwargs)
        except self.errors as error:
            if failed_at is None:
                logger.warning(
                    "Cache %s unreachable, running without it: %s", self._location, error
                )
            _down_since[self._location] = time.monotonic()
            return default
        if failed_at is not None and _down_since.pop(self._location, None) is not None:
            logger.info("Cache %s reachable again", self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guard(None, super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def clear(self):
        return self._guard(None, super().clear)


#: Sets each key to its integer value unless it holds a larger one already, atomically.
_SET_AT_LEAST = """
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key))
  if current == nil or current < tonumber(ARGV[i]) then
    redis.call('SET', key, ARGV[i])
  end
end
return #KEYS
"""


class FailSoftRedisCache(FailSoftCacheMixin, RedisCache):
    """Django's Redis cache with short socket timeouts (OPTIONS may set others)."""

    errors = (redis.exceptions.RedisError, OSError)
    retry_interval = 1.0

    def __init__(self, server, params):
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
        options.update(params.get("OPTIONS") or {})
        super().__init__(server, {**params, "OPTIONS": options})

    def set_many_at_least(self, data: dict[str, int], version=None) -> None:
        """Store integers that only grow, with no timeout: a key keeps a larger value it holds
        (the renewal times of anso/caching/tags.py, where a slow writer must not overwrite a
        later renewal with an earlier one)."""
        if not data:
            return
        keys = [self.make_and_validate_key(key, version=version) for key in data]

        def run():
            client = self._cache.get_client(keys[0], write=True)
            client.eval(_SET_AT_LEAST, len(keys), *keys, *(int(v) for v in data.values()))

        self._guard(None, run)


class FailSoftDatabaseCache(FailSoftCacheMixin, DatabaseCache):
    """Django's database cache. Inside a transaction each operation runs in a savepoint, so a
    failed one (its table not made yet) leaves the transaction usable, on PostgreSQL too."""

    errors = (DatabaseError,)

    def _call(self, operation, *args, **kwargs):
        using = router.db_for_write(self.cache_model_class)
        if not transaction.get_connection(using).in_atomic_block:
            return operation(*args, **kwargs)
        with transaction.atomic(using=using):
            return operation(*args, **kwargs)

    def incr(self, key, delta=1, version=None):
        """Atomic, as in Redis: the row is locked while its value is read and written, so two
        workers counting at once (the shared rate limits, anso/security/ratelimit.py) never lose a
        count. Django's database cache reads and writes without a lock. A failure (no table
        yet) is what it was without the lock: the read fails soft."""
        using = router.db_for_write(self.cache_model_class)
        connection = connections[using]
        made_key = self.make_and_validate_key(key, version=version)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        table = connection.ops.quote_name(self._table)

        def lock_row():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}",  # noqa: S608
                    [made_key],
                )

        with transaction.atomic(using=using):
            self._guard(None, lock_row)
            return super().incr(key, delta, version)
