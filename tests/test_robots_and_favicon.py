"""/robots.txt and /favicon.ico: what crawlers may index, and the icon every browser asks for."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from .factories import ActionFactory, MeetingFactory, OrganizationFactory, PositionFactory

pytestmark = pytest.mark.django_db


def rules(text: str) -> list[re.Pattern]:
    """The Disallow rules for every crawler, as RFC 9309 reads them: a path prefix in which
    `*` stands for any characters and a final `$` ends the path."""
    patterns = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() == "disallow" and value.strip():
            value = value.strip()
            anchored = value.endswith("$")
            body = ".*".join(re.escape(part) for part in value.rstrip("$").split("*"))
            patterns.append(re.compile(body + ("$" if anchored else "")))
    return patterns


def allowed(patterns: list[re.Pattern], path: str) -> bool:
    return not any(pattern.match(path) for pattern in patterns)


def test_robots_txt_keeps_crawlers_out_of_private_forms_and_token_links(client):
    meeting = MeetingFactory()
    key = {"year": meeting.start_date.year, "slug": meeting.slug}
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text.splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text.splitlines()
    patterns = rules(text)
    private = [
        reverse("admin:index"),
        reverse("admin:login"),
        reverse("two_factor_setup"),
        reverse("two_factor_verify"),
        reverse("members:nomination_thanks"),
        reverse("members:nomination_resend"),
        reverse("members:nomination_confirm", kwargs={"token": "abc"}),
        reverse("meetings:registration_create", kwargs=key),
        reverse("meetings:registration_done", kwargs=key),
        reverse("meetings:registration_link_request", kwargs=key),
        reverse("meetings:registration_manage", kwargs={**key, "token": "abc"}),
        reverse("meetings:check_in", kwargs=key),
        reverse("meetings:report", kwargs=key),
        reverse("meetings:report_print", kwargs=key),
        reverse("meetings:participant_list_print", kwargs=key),
        reverse("meetings:statistics"),
    ]
    public = [
        "/",
        reverse("meetings:meeting_list"),
        meeting.get_absolute_url(),
        reverse("meetings:meeting_ical", kwargs=key),
        reverse("meetings:meeting_calendar"),
        reverse("members:working_group"),
        reverse("members:organization_list"),
        reverse("members:nomination_create"),
        OrganizationFactory().get_absolute_url(),
        PositionFactory().person.get_absolute_url(),
        ActionFactory().get_absolute_url(),
        reverse("sitemap"),
    ]
    assert [path for path in private if allowed(patterns, path)] == []
    assert [path for path in public if not allowed(patterns, path)] == []


def test_robots_txt_is_served_from_the_page_cache_like_a_page(client, page_cache):
    assert client.get("/robots.txt")["X-Page-Cache"] == "miss"
    cached = client.get("/robots.txt")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml".encode() in cached.content


def test_favicon_ico_leads_to_the_static_icon(client, page_cache):
    for _ in range(2):  # the second time too: a redirect is never stored as a page
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"] == "/static/favicon.ico"
        assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("favicon.ico")
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO header


def test_every_page_links_the_icon(client):
    html = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
