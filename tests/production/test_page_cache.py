"""The public page cache: cached for anonymous visitors, ETag -> 304, and a change to the
records shows on the next request. Which writes renew which pages: test_cache_tags.py."""

import uuid

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from anso.caching.pages import _storable
from anso.caching.tags import ANY, bump, remember, tag_versions
from tests.factories import MeetingFactory, OrganizationFactory
from tests.redis_server import require_redis

pytestmark = pytest.mark.django_db


def test_page_is_cached_then_invalidated_by_an_orm_change(client, page_cache):
    organization = OrganizationFactory(name="Institute of Old Names")
    url = organization.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert b"Institute of Old Names" in first.content
    assert client.get(url)["X-Page-Cache"] == "hit"

    organization.name = "Institute of New Names"
    organization.save()

    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert b"Institute of New Names" in after.content
    assert b"Old Names" not in after.content


def test_a_change_to_a_related_record_invalidates_other_pages(client, page_cache):
    """A meeting's title comes from its number and its body."""
    meeting = MeetingFactory(number=1)
    url = meeting.get_absolute_url()
    assert b"1st ANSO Working Group Meeting" in client.get(url).content
    meeting.number = 2
    meeting.save()
    assert b"2nd ANSO Working Group Meeting" in client.get(url).content


def test_delete_invalidates(client, page_cache):
    organization = OrganizationFactory(name="Institute Soon Gone")
    list_url = reverse("members:organization_list")
    assert b"Institute Soon Gone" in client.get(list_url).content
    assert client.get(list_url)["X-Page-Cache"] == "hit"
    organization.delete()
    fresh = client.get(list_url)
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Institute Soon Gone" not in fresh.content


def test_etag_answers_if_none_match_with_304(client, page_cache):
    url = reverse("meetings:meeting_list")
    response = client.get(url)
    etag = response["ETag"]
    assert etag
    not_modified = client.get(url, headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    # After a change of what the page shows the old ETag no longer matches.
    MeetingFactory()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_etag_and_304_without_the_cache(client, settings):
    """With the page cache off (local runs) public pages still carry an ETag of their content."""
    settings.PAGE_CACHE_ENABLED = False
    url = reverse("meetings:meeting_list")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_query_string_is_part_of_the_key(client, page_cache):
    url = reverse("meetings:meeting_list")
    client.get(url)
    assert client.get(url + "?page=1")["X-Page-Cache"] == "miss"


def test_logged_in_visitors_bypass_the_cache(client, page_cache, secretariat_user):
    url = reverse("meetings:meeting_list")
    client.get(url)
    client.force_login(secretariat_user)
    response = client.get(url)
    assert "X-Page-Cache" not in response


def test_admin_and_post_are_never_cached(client, page_cache):
    response = client.get(reverse("admin:login"))
    assert "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get(reverse("admin:login"))


def test_response_that_sets_a_cookie_is_not_stored():
    request = RequestFactory().get("/")
    response = HttpResponse("form")
    assert _storable(request, response)
    response.set_cookie("csrftoken", "x")
    assert not _storable(request, response)
    private = HttpResponse("mine")
    private["Cache-Control"] = "private"
    assert not _storable(request, private)
    assert not _storable(request, HttpResponse(status=404))


def test_response_of_a_view_that_wrote_the_session_is_not_stored(rf):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.session = SessionStore()
    assert _storable(request, HttpResponse("page"))
    request.session["seen"] = True
    assert not _storable(request, HttpResponse("page"))


def _renewed(tag="t") -> int | None:
    return tag_versions([tag]).get(tag)


def test_bump_runs_again_on_commit(django_capture_on_commit_callbacks):
    before = _renewed()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump("t")
    bumped = _renewed()
    assert bumped is not None and bumped != before
    assert len(callbacks) == 1
    callbacks[0]()
    assert _renewed() > bumped


def test_many_saves_in_one_transaction_bump_once_more_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(5):
            OrganizationFactory()
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_does_not_stop_later_bumps():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        OrganizationFactory()
        raise RuntimeError("roll back")
    before = _renewed(ANY)
    with transaction.atomic():
        OrganizationFactory()
        inside = _renewed(ANY)
        assert inside > before
    assert _renewed(ANY) > inside


def test_invalidation_with_redis(client, settings):
    """The same invalidation with the cache in Redis, as with REDIS_URL set (shared by all
    gunicorn workers)."""
    redis_cache = {
        "BACKEND": "anso.caching.backends.FailSoftRedisCache",
        "LOCATION": require_redis(0),
        "KEY_PREFIX": f"anso-test-{uuid.uuid4().hex}",
    }
    settings.CACHES = {"default": redis_cache, "versions": redis_cache}
    settings.PAGE_CACHE_ENABLED = True
    assert "RedisCache" in type(caches["default"]).__name__
    try:
        organization = OrganizationFactory(name="Redis Old Name")
        url = organization.get_absolute_url()
        assert client.get(url)["X-Page-Cache"] == "miss"
        cached = client.get(url)
        assert cached["X-Page-Cache"] == "hit"
        assert client.get(url, headers={"if-none-match": cached["ETag"]}).status_code == 304
        organization.name = "Redis New Name"
        organization.save()
        fresh = client.get(url)
        assert b"Redis New Name" in fresh.content
        assert fresh["X-Page-Cache"] == "miss"
    finally:
        # Only this test's keys: the Redis server may be shared.
        import redis

        server = redis.Redis.from_url(redis_cache["LOCATION"])
        for key in server.scan_iter(match=f"{redis_cache['KEY_PREFIX']}:*"):
            server.delete(key)


def test_with_redis_a_page_is_judged_by_the_tags_it_was_stored_with(client, settings):
    """A hit reads the page with the renewal times of the tags this process last saw it
    with; a page stored meanwhile by another worker, showing other records, is judged by its
    own tags."""
    from anso.caching import pages as page_cache

    redis_cache = {
        "BACKEND": "anso.caching.backends.FailSoftRedisCache",
        "LOCATION": require_redis(0),
        "KEY_PREFIX": f"anso-test-{uuid.uuid4().hex}",
    }
    settings.CACHES = {"default": redis_cache, "versions": redis_cache}
    settings.PAGE_CACHE_ENABLED = True
    try:
        organization = OrganizationFactory(name="Redis Old Name")
        url = organization.get_absolute_url()
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
        # As if another worker had stored the page since, showing other records: as many
        # tags, none of them the organization's, none renewed by its save.
        for key, tags in page_cache._known_tags.items():
            others = [f"unrelated:{n}" for n in range(len(tags))]
            remember(others, 0)
            page_cache._known_tags[key] = [
                other if "organization" in tag else tag
                for tag, other in zip(tags, others, strict=True)
            ]
        organization.name = "Redis New Name"
        organization.save()
        fresh = client.get(url)
        assert fresh["X-Page-Cache"] == "miss"
        assert b"Redis New Name" in fresh.content
    finally:
        import redis

        server = redis.Redis.from_url(redis_cache["LOCATION"])
        for key in server.scan_iter(match=f"{redis_cache['KEY_PREFIX']}:*"):
            server.delete(key)


def test_a_change_in_the_admin_shows_on_the_public_page_at_once(client, page_cache, superuser):
    from django.test import Client

    organization = OrganizationFactory(name="Institute Before Editing")
    url = organization.get_absolute_url()
    assert b"Institute Before Editing" in client.get(url).content
    assert client.get(url)["X-Page-Cache"] == "hit"

    staff = Client()
    staff.force_login(superuser)
    change_url = reverse("admin:members_organization_change", args=[organization.pk])
    form = staff.get(change_url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, False)
    }
    data["name_en"] = "Institute After Editing"
    response = staff.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Institute After Editing" in fresh.content
