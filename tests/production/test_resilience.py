"""The cache is an accelerator, not a dependency; a database blip is not a 500.

A real Redis, started by the test on a free port, is stopped between requests; the database
is made unreachable by pointing the connection at a file that cannot be opened (SQLite) or a
closed port (PostgreSQL)."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.urls import reverse

from anso.caching import backends as fail_soft
from anso.caching import tags as cache_tags
from anso.caching.tags import bump_everything
from anso.security.ratelimit import rate_limit_hit
from meetings.attendance.models import Participation
from members.nominations.models import Nomination
from tests.factories import OrganizationFactory, RegistrationWindowFactory, UserFactory
from tests.meetings.test_registration import form_data as registration_data
from tests.meetings.test_registration import register_url
from tests.members.test_nomination_views import form_data as nomination_data
from tests.redis_server import without_redis

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a free port, with nothing saved to disk."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
            [
                REDIS_SERVER,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    if REDIS_SERVER is None:
        without_redis("redis-server is not installed: the Redis outage cannot be reproduced")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.stop()


#: Seconds a Redis cache waits after a failure before it tries the server again.
RETRY_INTERVAL = 0.2


@pytest.fixture
def redis_caches(settings, redis_server):
    """Every cache alias on the test's Redis, as settings configure them with REDIS_URL."""
    redis_cache = {
        "BACKEND": "anso.caching.backends.FailSoftRedisCache",
        "LOCATION": redis_server.url,
        "KEY_PREFIX": "anso-test",
        "OPTIONS": {"RETRY_INTERVAL": RETRY_INTERVAL},
    }
    settings.CACHES = {
        "default": redis_cache,
        "versions": redis_cache,
        "ratelimit": redis_cache,
        "progress": redis_cache,
        "ratelimit-fallback": {
            "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
            "LOCATION": "anso_cache_versions",
            "KEY_PREFIX": "ratelimit",
        },
    }
    settings.PAGE_CACHE_ENABLED = True
    call_command("createcachetable", verbosity=0)
    fail_soft._down_since.clear()
    yield redis_server
    fail_soft._down_since.clear()
    cache_tags._lost["pending"] = False


def _after_retry_interval() -> None:
    time.sleep(RETRY_INTERVAL + 0.05)


def test_redis_stopped_between_requests_pages_render_and_forms_accept(redis_caches):
    """With Redis gone nothing answers 500: pages render uncached, a registration and a
    nomination are stored, the admin login answers; once Redis is back, pages are cached
    again."""
    client = Client(raise_request_exception=False)
    organization = OrganizationFactory()
    window = RegistrationWindowFactory()
    home = reverse("home")
    assert client.get(home)["X-Page-Cache"] == "miss"
    assert client.get(home)["X-Page-Cache"] == "hit"

    redis_caches.stop()
    first = client.get(home)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert client.get(home)["X-Page-Cache"] == "miss"
    assert client.get(reverse("meetings:meeting_list")).status_code == 200
    response = client.post(register_url(window.meeting), registration_data())
    assert response.status_code == 302
    assert Participation.objects.filter(person__email="amina@example.org").exists()
    response = client.post("/en/working-group/nominate/", nomination_data(organization))
    assert response.status_code == 302
    assert Nomination.objects.filter(email="amina@example.org").exists()
    UserFactory(username="clerk", is_staff=True)
    assert client.get(reverse("admin:login")).status_code == 200
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200

    redis_caches.start()
    _after_retry_interval()
    visitor = Client()  # without the cookies the forms set
    assert visitor.get(home)["X-Page-Cache"] == "miss"
    assert visitor.get(home)["X-Page-Cache"] == "hit"


def test_redis_stopped_rate_limits_count_in_the_database(redis_caches, rf):
    """A limit keeps holding through an outage: the counts go to the database cache."""
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    limit = {"scope": "outage", "limit": 2, "period": 60}
    assert rate_limit_hit(request, **limit).allowed
    redis_caches.stop()
    assert rate_limit_hit(request, **limit).allowed
    assert rate_limit_hit(request, **limit).allowed
    refused = rate_limit_hit(request, **limit)
    assert not refused.allowed
    assert refused.retry_after > 0


def test_redis_stopped_a_save_and_the_version_bump_do_not_fail(redis_caches):
    redis_caches.stop()
    organization = OrganizationFactory(name="Saved While Redis Was Down")
    bump_everything()
    organization.refresh_from_db()
    assert caches["versions"].get("anything") is None


def test_a_save_without_the_cache_table_succeeds_and_the_transaction_stays_usable(settings):
    """The database cache of the versions, before `createcachetable` made its table: the
    save's version bump does nothing, and the transaction goes on (on PostgreSQL a failed
    statement would abort it)."""
    settings.CACHES = {
        **settings.CACHES,
        "versions": {
            "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
            "LOCATION": "anso_cache_not_made",
        },
    }
    organization = OrganizationFactory(name="Saved Before The Cache Table")
    organization.name = "Saved Again"
    organization.save()
    organization.refresh_from_db()
    assert organization.name == "Saved Again"


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the kind the tests run on: a SQLite file, or a PostgreSQL
    database made for the test on the same server and dropped after it."""
    database = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg2

    name = f"{database['NAME']}_fresh"
    server = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
    }

    def run(statement: str) -> None:
        admin = psycopg2.connect(dbname="postgres", **server)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(statement)
        finally:
            admin.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrate_on_a_fresh_database_with_debug_off_and_no_redis(tmp_path, fresh_database_url):
    """Debug off, no Redis: the versions and rate limits live in the database cache, whose
    table `createcachetable` makes after `migrate`. Migrating from zero, and saving records
    before the table exists (in a transaction, which stays usable), succeed."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "TASKS_REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="anso.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-test-secret-key-that-is-long-enough-for-the-deploy-checks-0123",
        DJANGO_ALLOWED_HOSTS="localhost",
        SITE_URL="http://localhost",
        DATABASE_URL=fresh_database_url,
        DJANGO_PROGRESS_DIR=str(tmp_path / "progress"),
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "assert 'DatabaseCache' in settings.CACHES['versions']['BACKEND']\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.db import transaction\n"
        "from tests.factories import OrganizationFactory\n"
        "with transaction.atomic():\n"
        "    OrganizationFactory()\n"
        "    OrganizationFactory()\n"
        "call_command('createcachetable', verbosity=0)\n"
        "from anso.caching.tags import clock\n"
        "assert clock() == clock()\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@contextlib.contextmanager
def database_unreachable(tmp_path):
    """The default connection replaced by one whose server cannot be reached: a SQLite file
    in a folder that does not exist, or a PostgreSQL port nobody listens on."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        connections["default"] = original
        unreachable.close()


@pytest.mark.usefixtures("page_cache")
def test_database_down_serves_the_last_good_copy_and_503_otherwise(tmp_path):
    client = Client(raise_request_exception=False)
    organization = OrganizationFactory(name="Institute Served While Down")
    window = RegistrationWindowFactory()
    url = organization.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    bump_everything()  # a record changed: the cached copy is stale now

    with database_unreachable(tmp_path):
        stale = client.get(url)
        uncached = client.get(reverse("members:organization_list"))
        registration = client.post(register_url(window.meeting), registration_data())
        login = client.post(reverse("admin:login"), {"username": "clerk", "password": "x"})

    assert stale.status_code == 200
    assert stale["X-Page-Cache"] == "stale"
    assert b"Institute Served While Down" in stale.content
    for response in (uncached, registration, login):
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert b"Service unavailable" in response.content
    assert not Participation.objects.exists()
    # Back: the next request reads the records again.
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(reverse("members:organization_list")).status_code == 200


def test_redis_back_with_its_data_serves_no_page_older_than_a_save_made_meanwhile(
    redis_caches,
):
    """Redis that comes back with its data (saved at shutdown, as Redis does by default) still
    holds the version from before a save made while it was gone: the bump the save could not
    store is made on the first read that reaches Redis again."""
    visitor = Client()
    organization = OrganizationFactory(name="Institute of Old Names")
    url = organization.get_absolute_url()
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    redis.Redis(port=redis_caches.port).config_set("save", "3600 1")

    redis_caches.stop()
    organization.name = "Institute of New Names"
    organization.save()
    redis_caches.start()
    _after_retry_interval()

    response = visitor.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Institute of New Names" in response.content


def test_an_unreachable_cache_is_logged_without_the_password_of_its_url(settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": f"redis://:s3cret-word@127.0.0.1:{_free_port()}/0",
        },
    }
    fail_soft._down_since.clear()
    assert caches["default"].get("key", "missed") == "missed"
    fail_soft._down_since.clear()
    assert "unreachable" in caplog.text
    assert "s3cret-word" not in caplog.text
