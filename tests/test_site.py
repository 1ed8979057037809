"""Site-wide behaviour of the public pages: layout, error pages, accessibility basics."""

import pytest
from django.test import RequestFactory
from django.views import defaults

from .factories import ActionFactory, MeetingFactory, OrganizationFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    meeting = MeetingFactory()
    position = PositionFactory()
    return [
        "/en/",
        "/en/meetings/",
        meeting.get_absolute_url(),
        "/en/working-group/",
        "/en/members/",
        OrganizationFactory().get_absolute_url(),
        position.person.get_absolute_url(),
        "/en/meetings/action-plan/",
        ActionFactory().get_absolute_url(),
    ]


def test_every_page_has_lang_one_h1_landmarks_and_the_navigation(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        assert html.count("<h1") == 1, url
        for landmark in ("<header", '<main id="main"', "<footer", 'aria-label="Main navigation"'):
            assert landmark in html, (url, landmark)
        for link in ('href="/en/meetings/"', 'href="/en/working-group/"', 'href="/en/members/"'):
            assert link in html, (url, link)
        assert 'rel="canonical"' in html, url
        assert " style=" not in html, url  # no inline styles: the site will get a strict CSP
        assert "<script>" not in html, url  # no inline scripts either


@pytest.mark.parametrize(
    ("view", "code", "text"),
    [
        (defaults.bad_request, 400, "Bad request"),
        (defaults.permission_denied, 403, "Access denied"),
        (defaults.page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages_use_the_site_layout(view, code, text):
    request = RequestFactory().get("/somewhere/")
    response = view(request, exception=Exception())
    html = response.content.decode()
    assert response.status_code == code
    assert text in html
    assert 'aria-label="Main navigation"' in html


def test_server_error_page_renders_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Server error" in html
    assert "ANSO Working Group" in html
