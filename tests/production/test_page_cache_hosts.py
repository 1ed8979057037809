"""The page cache keeps one copy of a page whatever Host the request named: every absolute
address on a page (canonical, alternates, robots.txt's sitemap line, the sitemap, calendar
feeds) is on SITE_URL, so that the copy made for one host is right for every other."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SITE = "https://anso.example.org"


def _paths() -> list[str]:
    soon = timezone.localdate() + datetime.timedelta(days=30)
    meeting = MeetingFactory(number=1, start_date=soon, end_date=soon)  # in the calendar feed
    action = ActionFactory()
    organization = OrganizationFactory()
    return [
        meeting.get_absolute_url(),
        action.get_absolute_url(),
        organization.get_absolute_url(),
        reverse("home"),
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_calendar"),
        reverse("meetings:meeting_ical", args=[meeting.start_date.year, meeting.slug]),
        "/robots.txt",
        "/sitemap.xml",
    ]


def test_a_page_cached_for_one_host_names_site_url_for_every_host(client, page_cache, settings):
    settings.SITE_URL = SITE
    for path in _paths():
        first = client.get(path, HTTP_HOST="localhost:8400")
        assert first.status_code == 200, path
        assert first["X-Page-Cache"] == "miss", path
        second = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert second["X-Page-Cache"] == "hit", path
        assert second.content == first.content
        text = second.content.decode()
        assert f"{SITE}/" in text, path
        assert "localhost" not in text, path
        assert "127.0.0.1" not in text, path


def test_the_canonical_address_and_alternates_are_on_site_url(client, page_cache, settings):
    settings.SITE_URL = SITE
    meeting = MeetingFactory(number=1)
    url = meeting.get_absolute_url()
    html = client.get(url, HTTP_HOST="localhost:8400").content.decode()
    assert f'<link rel="canonical" href="{SITE}{url}">' in html
    assert f'hreflang="en" href="{SITE}{url}"' in html
    robots = client.get("/robots.txt", HTTP_HOST="localhost:8400").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()
