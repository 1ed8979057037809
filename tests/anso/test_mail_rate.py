"""The mail rate is shared: every process takes its share of the same counter, in Redis or in
the database cache, and a window never grants more than the limit."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from anso.security.ratelimit import rate_give_back, rate_take
from tests.redis_server import require_redis

DATABASE_RATELIMIT_CACHE = {
    "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
    "LOCATION": "anso_cache_versions",
    "KEY_PREFIX": "ratelimit",
}


@pytest.fixture(params=["database", "redis"])
def counter(request, settings):
    """The rate's counter in the database cache, as without Redis in production, and in Redis
    (with the database as its fallback), as with REDIS_URL set."""
    if request.param == "database":
        settings.CACHES = {**settings.CACHES, "ratelimit": DATABASE_RATELIMIT_CACHE}
        settings.CACHES.pop("ratelimit-fallback", None)
    else:
        settings.CACHES = {
            **settings.CACHES,
            "ratelimit": {
                "BACKEND": "anso.caching.backends.FailSoftRedisCache",
                "LOCATION": require_redis(0),
                "KEY_PREFIX": f"anso-test-{uuid.uuid4().hex}",  # the server may be shared
            },
            "ratelimit-fallback": DATABASE_RATELIMIT_CACHE,
        }
    call_command("createcachetable", verbosity=0)
    yield request.param
    if request.param == "database":
        caches["ratelimit"].clear()
    # In Redis the test's keys expire with their window (clear() would empty the database).


@pytest.mark.django_db(transaction=True)
def test_workers_taking_at_once_never_get_more_than_the_limit(counter, fresh_rate_window):
    """Eight workers (threads, each with its own database connection) take 5 at a time from a
    limit of 100 until the window is used up: together they get exactly 100."""
    if counter == "database" and connection.vendor == "sqlite":
        pytest.skip("SQLite locks the table for concurrent writers (production is PostgreSQL)")
    granted = []

    def worker():
        try:
            while True:
                taken = rate_take(scope="mail-test", wanted=5, limit=100, period=60)
                if not taken.granted:
                    return
                granted.append(taken.granted)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 100


@pytest.mark.django_db(transaction=True)
def test_unused_hits_go_back_for_the_next_taker(counter, fresh_rate_window):
    first = rate_take(scope="mail-test", wanted=8, limit=10, period=60)
    assert first.granted == 8
    rate_give_back(scope="mail-test", taken=first, count=5)  # only 3 mails were due
    assert rate_take(scope="mail-test", wanted=8, limit=10, period=60).granted == 7
    used_up = rate_take(scope="mail-test", wanted=8, limit=10, period=60)
    assert used_up.granted == 0
    assert 0 < used_up.retry_after <= 60
