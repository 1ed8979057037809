import pytest
from asgiref.local import Local
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation

from members.roles import SECRETARIAT_GROUP

from .factories import UserFactory
from .s3 import any_storage, local_storage, s3_client, s3_server, s3_storage  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Browser tests run last. Playwright's sync API leaves its event loop marked as running in
    the test thread for the rest of the session (and sets DJANGO_ALLOW_ASYNC_UNSAFE); a test
    after it that calls a library running `asyncio.run` (pyHanko signing a paper in the worker)
    would fail for that reason alone."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def _test_media_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _media_root_outside_the_checkout(settings, _test_media_root):
    """Files a test uploads go to a temporary folder, never to the checkout's MEDIA_ROOT.
    `local_storage`, `s3_storage` and `any_storage` (tests/s3.py) give a test its own."""
    settings.MEDIA_ROOT = _test_media_root


@pytest.fixture
def secretariat_user(db):
    """A staff member in the Secretariat group (the group comes from a data migration)."""
    user = UserFactory(username="secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


@pytest.fixture
def outsider_staff_user(db):
    """Staff, but outside the Secretariat group: sees no models."""
    return UserFactory(username="outsider", is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The production hasher is slow on purpose; tests log users in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: LocaleMiddleware activates a request's
    language in the thread and nothing deactivates it, so a test that fetched a Chinese page
    would leave Chinese labels (lazy ones, in factories too) to the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: rate-limit counters and cached pages from one test
    must not decide another's outcome."""
    from django.core.cache import caches

    # Every alias, not only those this thread has touched: the live server's thread counts
    # in the same local-memory stores.
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def password_only_user(db):
    """A Secretariat member with a confirmed two-factor device; signed in with `force_login`,
    the session has the password only (the device is not verified)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(username="password-only", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@receiver(setting_changed)
def _reset_task_backends(*, setting, **kwargs):
    """Django keeps the task backends it built; a test that changes TASKS gets new ones."""
    if setting == "TASKS":
        from django.tasks import task_backends

        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run inside the test, as they are enqueued. The tests of the worker
    itself (tests/anso/test_worker.py) switch to the database and Redis queues."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def page_cache(settings):
    """The public page cache on, as in production, and empty before and after the test."""
    from django.core.cache import cache, caches

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    caches["versions"].clear()
    yield
    cache.clear()
    caches["versions"].clear()
