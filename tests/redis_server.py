"""The Redis server the tests use: ANSO_TEST_REDIS_URL (a server's address, without a database
number), 127.0.0.1:6379 by default; CI starts a throw-away one where none answers
(scripts/throwaway-redis). Where none answers a Redis test is skipped, or fails when
ANSO_REQUIRE_REDIS is set, as CI sets it: the Redis cache, queue and rate limits run in every
CI run."""

import os

import pytest
import redis

SERVER_URL = os.environ.get("ANSO_TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")


def redis_url(db: int) -> str:
    """The test server's database `db`: each test module keeps to its own numbers."""
    return f"{SERVER_URL}/{db}"


def without_redis(reason: str) -> None:
    """Skip the test, or fail it where Redis is required (CI)."""
    if os.environ.get("ANSO_REQUIRE_REDIS"):
        pytest.fail(f"{reason} (ANSO_REQUIRE_REDIS is set)")
    pytest.skip(reason)


def require_redis(db: int) -> str:
    """The URL of database `db` of the test server, once the server answers."""
    url = redis_url(db)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        without_redis(f"no Redis server answers at {SERVER_URL}")
    return url
