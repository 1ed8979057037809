"""What the project wrote itself instead of a library, and the property the library lacks
(docs/architecture.md, "What we wrote ourselves, and why"). Each test runs the well-kept
library as its documentation configures it, beside our code, on the same real requests,
caches and sockets: django-ipware against `anso.security.client`, django-ratelimit against
`anso.security.ratelimit`, django-redis with IGNORE_EXCEPTIONS against `anso.caching.backends`."""

import socket
import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory

from anso.caching import backends as fail_soft
from anso.security.client import client_address
from anso.security.ratelimit import rate_limit_hit

from .smtp import free_port

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"


def _requests() -> dict[str, object]:
    """Three requests whose true client is CLIENT, with nginx (PROXY) appending the address
    it saw to X-Forwarded-For."""
    factory = RequestFactory()
    return {
        # Through nginx; the client sent no header of its own.
        "through the proxy": factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT),
        # Through nginx; the client wrote an address of its choice first.
        "through the proxy, header forged": factory.get(
            "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}"
        ),
        # Straight to the application server (a port left open), header forged.
        "direct, header forged": factory.get(
            "/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="5.5.5.5, 198.51.100.1"
        ),
    }


#: django-ipware's documented ways to say where the proxies are.
IPWARE_CONFIGURATIONS = {
    "default": {},
    "trusted proxy": {"proxy_trusted_ips": [PROXY]},
    "one proxy, left-most": {"proxy_count": 1},
    "one proxy, right-most": {"proxy_count": 1, "proxy_order": "right-most"},
    "no proxy count, right-most": {"proxy_count": 0, "proxy_order": "right-most"},
}


def test_our_client_address_is_the_client_behind_the_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert {
        name: client_address(request) for name, request in _requests().items()
    } == dict.fromkeys(_requests(), CLIENT)


@pytest.mark.parametrize("configuration", IPWARE_CONFIGURATIONS)
def test_ipware_gets_one_of_the_three_requests_wrong_in_every_configuration(configuration):
    """django-ipware reads X-Forwarded-For whoever connected: it never asks whether
    REMOTE_ADDR is our proxy, so a client that reaches the application server directly
    chooses its address (and its rate-limit bucket), or, configured for the proxy, a request
    without a forged header has no address at all."""
    from ipware import get_client_ip

    answers = {
        name: get_client_ip(request, **IPWARE_CONFIGURATIONS[configuration])[0]
        for name, request in _requests().items()
    }
    wrong = {name: answer for name, answer in answers.items() if answer != CLIENT}
    assert wrong, answers


# --- rate limits while Redis is down --------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """The rate limits' cache on a Redis that does not answer (a closed port), the database
    as their fallback, as settings configure them with REDIS_URL."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"RETRY_INTERVAL": 60},
        },
        "ratelimit-fallback": {
            "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
            "LOCATION": "anso_cache_versions",
            "KEY_PREFIX": "ratelimit",
        },
    }
    call_command("createcachetable", verbosity=0)
    fail_soft._down_since.clear()
    yield
    fail_soft._down_since.clear()


def test_our_rate_limit_holds_while_redis_is_down(redis_down):
    request = RequestFactory().post("/", REMOTE_ADDR=CLIENT)
    allowed = [
        rate_limit_hit(request, scope="register", limit=2, period=60).allowed for _ in range(4)
    ]
    assert allowed == [True, True, False, False]


@pytest.mark.parametrize(("fail_open", "expected"), [(False, [False] * 4), (True, [True] * 4)])
def test_django_ratelimit_refuses_everyone_or_no_one_while_redis_is_down(
    redis_down, settings, fail_open, expected
):
    """django-ratelimit has one cache: while it cannot count, RATELIMIT_FAIL_OPEN chooses
    between refusing every visitor's first request and no limit at all."""
    from django_ratelimit.core import is_ratelimited

    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.RATELIMIT_FAIL_OPEN = fail_open
    request = RequestFactory().post("/", REMOTE_ADDR=CLIENT)
    allowed = [
        not is_ratelimited(request, group="register", key="ip", rate="2/m", increment=True)
        for _ in range(4)
    ]
    assert allowed == expected


# --- a Redis that accepts connections and never answers -------------------------------------


class SilentServer:
    """A TCP server that accepts every connection and never answers (a Redis stuck in a
    long command, or a network that drops the replies); counts the connections."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.sock.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def test_redis_that_does_not_answer_costs_one_wait_and_not_one_per_read(settings, silent_server):
    """Ten reads from a Redis that never answers: django-redis with IGNORE_EXCEPTIONS waits
    its socket timeout on each (ten connections, ten waits: a page that reads the cache ten
    times waits ten timeouts), ours waits once and then answers misses at once for
    RETRY_INTERVAL."""
    location = f"redis://127.0.0.1:{silent_server.port}/0"
    settings.CACHES = {
        **settings.CACHES,
        "django-redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.1,
                "SOCKET_TIMEOUT": 0.1,
            },
        },
        "ours": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "RETRY_INTERVAL": 60},
        },
    }
    fail_soft._down_since.clear()
    try:
        counts = {}
        for alias in ("django-redis", "ours"):
            before = len(silent_server.accepted)
            assert [caches[alias].get(f"key-{n}") for n in range(10)] == [None] * 10
            counts[alias] = len(silent_server.accepted) - before
    finally:
        fail_soft._down_since.clear()
    assert counts["ours"] == 1
    assert counts["django-redis"] >= 10, counts
