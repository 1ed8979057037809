"""Choosing the language: the prefixed addresses, the first visit by Accept-Language, the
switcher, the hreflang alternates (head and sitemap), pages and the admin in Chinese, the
page cache per language, and query counts that do not depend on the language."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    ActionFactory,
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def meeting_url_in(language: str, meeting) -> str:
    with translation.override(language):
        return meeting.get_absolute_url()


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/"), ("en-GB,en;q=0.9", "/en/"), ("fr-FR", "/en/")],
)
def test_a_path_without_a_language_goes_to_the_visitors_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Location"] == expected + "meetings/"


def test_the_unprefixed_paths_stay_unprefixed(client):
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("healthz") == "/healthz"
    assert reverse("admin:index") == "/admin/"
    assert reverse("two_factor_setup") == "/account/two-factor/"
    assert client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="zh").status_code == 200


def test_the_switcher_links_to_the_same_page_in_the_other_language(client):
    meeting = MeetingFactory(number=1)
    english, chinese = meeting_url_in("en", meeting), meeting_url_in("zh-hans", meeting)
    assert chinese == english.replace("/en/", "/zh-hans/", 1)
    html = client.get(english).content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    assert f'href="{settings.SITE_URL}{chinese}" hreflang="zh-hans" lang="zh-hans"' in switcher
    assert '<span lang="en" aria-current="true">English</span>' in switcher
    response = client.get(chinese)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_switcher_of_the_admin_posts_to_set_language_and_keeps_the_page(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert f'action="{reverse("set_language")}"' in html
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert response.cookies["django_language"].value == "zh-hans"
    assert "修改密码" in client.get("/admin/").content.decode()
    # From a public page, the choice lands on the same page in the chosen language.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/zh-hans/members/"})
    assert response["Location"] == "/en/members/"


def test_the_admin_follows_accept_language_without_a_prefix(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


def test_every_public_page_names_its_alternates_in_the_head(client):
    meeting = MeetingFactory(number=1)
    for language in ("en", "zh-hans"):
        html = client.get(meeting_url_in(language, meeting)).content.decode()
        head = html[: html.index("</head>")]
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
        assert links == {
            "en": settings.SITE_URL + meeting_url_in("en", meeting),
            "zh-hans": settings.SITE_URL + meeting_url_in("zh-hans", meeting),
            # The path without a prefix, sent on by Accept-Language.
            "x-default": settings.SITE_URL + meeting_url_in("en", meeting).removeprefix("/en"),
        }


def test_an_error_page_has_no_alternates(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "hreflang" not in response.content.decode()[: response.content.decode().index("</head>")]


def test_the_sitemap_lists_each_page_in_both_languages_with_alternates(client):
    meeting = MeetingFactory(number=1)
    xml = client.get("/sitemap.xml").content.decode()
    english = settings.SITE_URL + meeting_url_in("en", meeting)
    chinese = settings.SITE_URL + meeting_url_in("zh-hans", meeting)
    assert f"<loc>{english}</loc>" in xml
    assert f"<loc>{chinese}</loc>" in xml
    unprefixed = english.replace("/en/", "/", 1)
    for language, href in (("en", english), ("zh-hans", chinese), ("x-default", unprefixed)):
        assert f'<xhtml:link rel="alternate" hreflang="{language}" href="{href}"/>' in xml
    assert f"<loc>{settings.SITE_URL}/zh-hans/members/</loc>" in xml


def test_a_chinese_page_has_chinese_navigation_and_dates(client):
    meeting = MeetingFactory(number=1)  # 13-14 May 2019
    html = client.get(meeting_url_in("zh-hans", meeting)).content.decode()
    assert '<html lang="zh-hans">' in html
    for label in ("会议", "工作组", "成员", "行动计划", "登记联络人"):
        assert f">{label}</a>" in html, label
    assert "2019年5月13日" in html
    assert "Meetings</a>" not in html
    english = client.get(meeting_url_in("en", meeting)).content.decode()
    assert "13\N{EN DASH}14 May 2019" in english


def test_plurals_follow_the_count_in_english(client):
    organization = OrganizationFactory(country="KE")
    html = client.get(url_in("en", "members:organization_list")).content.decode()
    assert "1 member organization, by country or region." in html
    OrganizationFactory(country="NG")
    html = client.get(url_in("en", "members:organization_list")).content.decode()
    assert "2 member organizations, by country or region." in html
    html = client.get(url_in("zh-hans", "members:organization_list")).content.decode()
    assert "2 个成员组织，按国家或地区排列。" in html
    assert organization.name in html


def test_a_page_cached_in_english_is_never_served_in_chinese(client, page_cache):
    MeetingFactory(number=1)
    english, chinese = (
        url_in("en", "meetings:meeting_list"),
        url_in("zh-hans", "meetings:meeting_list"),
    )
    assert client.get(english)["X-Page-Cache"] == "miss"
    cached = client.get(english)
    assert cached["X-Page-Cache"] == "hit"
    response = client.get(chinese, HTTP_ACCEPT_LANGUAGE="en")
    assert response["X-Page-Cache"] == "miss"
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "以往会议" in response.content.decode()
    assert client.get(chinese)["X-Page-Cache"] == "hit"
    again = client.get(english, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en">' in again.content.decode()
    assert again["X-Page-Cache"] == "hit"


def _public_pages():
    body = BodyFactory()
    meeting = MeetingFactory(body=body, number=1)
    ParticipationFactory.create_batch(3, meeting=meeting, status="attended")
    PositionFactory.create_batch(2, body=body)
    ActionFactory()
    return [
        ("home",),
        ("meetings:meeting_list",),
        ("meetings:meeting_detail", meeting.start_date.year, meeting.slug),
        ("members:working_group",),
    ]


def test_public_pages_run_the_same_queries_in_both_languages(client):
    for page in _public_pages():
        counts = {}
        for language in ("en", "zh-hans"):
            url = url_in(language, *page)
            client.get(url)  # warm the per-process caches (content types, site name)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[language] = len(queries)
        assert counts["en"] == counts["zh-hans"], (page, counts)
