"""Input no page of the site produces is a 400 or a 404, never a 500: a NUL character in any
query string or form (anso/security/bad_requests.py), a meeting year outside 1..9999
(anso/converters.py)."""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

from meetings import urls as meeting_urls

from .factories import ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    return client


def _meeting_url_patterns():
    """The patterns of the meetings URLconf, those it includes too."""
    for pattern in meeting_urls.urlpatterns:
        if isinstance(pattern, URLResolver):
            yield from pattern.url_patterns
        else:
            yield pattern


def _meeting_patterns():
    for pattern in _meeting_url_patterns():
        assert isinstance(pattern, URLPattern)
        if "year" in pattern.pattern.converters:
            yield pytest.param(str(pattern.pattern), id=pattern.name)


def test_every_meeting_url_takes_the_year_converter():
    """A new meeting URL that takes <int:year> would let 0 and 10000 through again."""
    routes = [str(p.pattern) for p in _meeting_url_patterns()]
    assert not [route for route in routes if "<int:year>" in route]
    assert len(list(_meeting_patterns())) >= 10


@pytest.mark.parametrize("route", list(_meeting_patterns()))
@pytest.mark.parametrize("year", ["0", "10000", "99999999999", "0001"])
def test_meeting_url_with_a_year_out_of_range_is_a_404(client, staff_client, route, year):
    participation = ParticipationFactory()
    values = {
        "year": year,
        "slug": participation.meeting.slug,
        "pk": str(participation.pk),
        "token": "anything",
        "order": "1",
    }
    path = "/en/meetings/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    assert staff_client.get(path).status_code == 404
    assert staff_client.post(path).status_code == 404


def test_meeting_urls_still_reverse_and_resolve(client):
    participation = ParticipationFactory()
    meeting = participation.meeting
    url = reverse("meetings:meeting_detail", args=[meeting.start_date.year, meeting.slug])
    assert url == f"/en/meetings/{meeting.start_date.year}/{meeting.slug}/"
    assert client.get(url).status_code == 200


def _changelists():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield pytest.param("admin:{}_{}_changelist".format(*info), id=model._meta.label_lower)


@pytest.mark.parametrize("name", list(_changelists()))
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "status=%00", "%00=1", "o=%00"])
def test_admin_list_with_a_nul_character_is_a_400(staff_client, name, query):
    response = staff_client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_check_in_search_with_a_nul_character_is_a_400(staff_client):
    participation = ParticipationFactory()
    meeting = participation.meeting
    url = reverse("meetings:check_in_search", args=[meeting.start_date.year, meeting.slug])
    assert staff_client.get(f"{url}?q=%00").status_code == 400
    assert staff_client.get(f"{url}?q=Ok").status_code == 200


@pytest.mark.parametrize("path", ["/", "/meetings/", "/working-group/nominate/", "/admin/login/"])
def test_nul_in_any_query_string_or_form_is_a_400(client, path):
    client.raise_request_exception = False
    assert client.get(f"{path}?page=%00").status_code == 400
    assert client.post(path, {"username": "a\x00b", "password": "x"}).status_code == 400


@pytest.mark.parametrize("debug", [True, False], ids=["make run", "production"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_more_fields_than_allowed_is_a_400_in_debug_and_in_production(
    client, settings, debug, method
):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (a query string of 2,000 parameters) is
    a 400 with the site's page. Under debug, Django's error page read the fields again and
    answered 500."""
    settings.DEBUG = debug
    client.raise_request_exception = False
    fields = {f"p{i}": "1" for i in range(2000)}
    if method == "get":
        response = client.get("/en/", fields)
    else:
        response = client.post("/en/meetings/", fields)
    assert response.status_code == 400
    assert b"too many fields (at most 1000)" in response.content


@pytest.mark.parametrize("path", ["/en/sign-in/", "/healthz", "/en/", "/robots.txt"])
@pytest.mark.parametrize("host", ["evil.example", "", "127.0.0.1:abc"])
def test_a_host_the_site_does_not_serve_is_a_400(client, settings, path, host):
    """In production (debug off, ALLOWED_HOSTS set) a foreign, empty or malformed Host header
    is answered with the site's own 400 page, which itself asks nothing of the Host."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["anso.example.org"]
    settings.SECURE_SSL_REDIRECT = False
    client.raise_request_exception = False
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert client.get(path, HTTP_HOST="anso.example.org").status_code in (200, 302)
