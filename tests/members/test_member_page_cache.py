"""A signed-in member never gets the anonymous visitors' cached copy of a page, nor fills it
(anso/caching/pages.py: a request with a session cookie is neither served nor stored)."""

import pytest
from django.test import Client

from tests.factories import PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/en/members/", "/en/working-group/", "/en/meetings/"]
HEADER = 'id="member-status"'


@pytest.fixture
def member_client(db):
    person = PositionFactory().person
    person.user = UserFactory(username=f"member-{person.pk}")
    person.save(update_fields=["user"])
    client = Client()
    client.force_login(person.user, backend="sesame.backends.ModelBackend")
    return client


@pytest.mark.parametrize("path", PAGES)
def test_a_member_is_not_served_the_anonymous_copy(page_cache, member_client, path):
    anonymous = Client()
    first = anonymous.get(path)
    assert first["X-Page-Cache"] == "miss"
    assert "Cookie" in first["Vary"]
    assert anonymous.get(path)["X-Page-Cache"] == "hit"

    page = member_client.get(path)
    assert page.status_code == 200
    assert "X-Page-Cache" not in page
    assert HEADER in page.content.decode()
    # Not even with the anonymous copy's ETag: the member's page is rendered for them.
    again = member_client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert HEADER in again.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_member_does_not_fill_the_cache(page_cache, member_client, path):
    assert HEADER in member_client.get(path).content.decode()
    anonymous = Client().get(path)
    assert anonymous["X-Page-Cache"] == "miss"  # nothing was stored for the member's visit
    assert HEADER not in anonymous.content.decode()
    assert "Signed in as" not in anonymous.content.decode()


def test_pages_for_the_member_are_not_stored_by_browsers_or_proxies_as_shared(
    page_cache, member_client
):
    page = member_client.get("/en/")
    assert "Cookie" in page.get("Vary", "")
    assert "public" not in page.get("Cache-Control", "")
