"""What every public page shares: its title with the site's name, and the main navigation
with the current section marked. The staff pages' titles use the same separator."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from .public_pages import ALL_PAGES, DEMO_MEETING, HOME, OPEN_MEETING

pytestmark = pytest.mark.django_db

SEPARATOR = " | "
SITE = "ANSO Working Group"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def title_of(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1))


def current_links(html: str) -> list[tuple[str, str, str]]:
    """(class, href, aria-current) of the main navigation's links that are marked current."""
    nav = re.search(r'<ul class="navbar-nav.*?</ul>', html, re.DOTALL).group(0)
    return re.findall(
        r'<a class="(nav-link active)" href="([^"]+)" aria-current="([^"]+)">', nav
    ) + re.findall(r'<a class="nav-link" href="([^"]+)" aria-current', nav)


def test_every_page_title_is_the_page_then_the_site_name_with_one_separator(client, demo):
    for path in ALL_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        title = title_of(response.content.decode())
        if path == HOME:
            assert title == SITE
            continue
        page, separator, site = title.rpartition(SEPARATOR)
        assert separator and site == SITE, (path, title)
        assert page.strip() == page and page, (path, title)
        assert not page.endswith(SITE), (path, title)
        assert SEPARATOR not in page, (path, title)


def test_a_title_that_needs_escaping_is_escaped_once(client, demo):
    from meetings.models import Meeting

    Meeting.objects.filter(slug="1st-anso-working-group-meeting").update(title="R&D <1st>")
    html = client.get(DEMO_MEETING).content.decode()
    assert "<title>R&amp;D &lt;1st&gt; | ANSO Working Group</title>" in html


def test_a_staff_page_title_uses_the_same_separator(admin_client, demo):
    """The admin's pages and the Secretariat's own: the page, then the site's admin title."""
    statistics = title_of(admin_client.get(reverse("meetings:statistics")).content.decode())
    assert statistics == "Attendance statistics | ANSO Working Group"
    meetings = admin_client.get(reverse("admin:meetings_meeting_changelist"))
    assert title_of(meetings.content.decode()) == "Select meeting to change | ANSO Working Group"


def test_no_template_writes_a_separator_into_its_title():
    """A page's title is joined in one place (`title_join` in anso/templatetags/site_tags.py):
    a template's title block holds its own title only, never a separator of its own."""
    templates = Path(settings.BASE_DIR, "templates")
    found = []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text()
        for block in re.findall(r"{% block title %}(.*?){% endblock", text, re.DOTALL):
            if re.search(r" [|\u00b7\u2013\u2014-] ", block):
                found.append(f"{path.relative_to(templates)}: {block}")
        head = re.search(r"<head>.*?</head>", text, re.DOTALL)
        for block in re.findall(r"<title>(.*?)</title>", head.group(0) if head else ""):
            if "{% block title %}" not in block:
                found.append(f"{path.relative_to(templates)}: <title> without the title block")
    assert found == []


@pytest.mark.parametrize(
    ("path", "section", "current"),
    [
        ("/en/meetings/", "/en/meetings/", "page"),
        (DEMO_MEETING, "/en/meetings/", "true"),
        (f"{OPEN_MEETING}register/", "/en/meetings/", "true"),
        ("/en/working-group/", "/en/working-group/", "page"),
        ("/en/people/jinghua-cao/", "/en/working-group/", "true"),
        ("/en/members/", "/en/members/", "page"),
        ("/en/members/acsd/", "/en/members/", "true"),
        ("/en/meetings/action-plan/", "/en/meetings/action-plan/", "page"),
        (
            "/en/meetings/action-plan/anso-joint-research-programmes/",
            "/en/meetings/action-plan/",
            "true",
        ),
        ("/en/working-group/nominate/", "/en/working-group/nominate/", "page"),
        ("/en/working-group/nominate/resend/", "/en/working-group/nominate/", "true"),
    ],
)
def test_the_navigation_marks_the_current_section(client, demo, path, section, current):
    html = client.get(path, follow=True).content.decode()
    assert current_links(html) == [("nav-link active", section, current)]


@pytest.mark.parametrize("path", ["/en/", "/en/no-such-page/"])
def test_the_navigation_marks_nothing_outside_its_sections(client, demo, path):
    assert current_links(client.get(path).content.decode()) == []


def test_every_public_select_says_what_its_empty_choice_means(client, demo):
    """Django's "---------" tells a visitor nothing: each empty choice is worded."""
    seen = 0
    for path in ALL_PAGES:
        html = client.get(path).content.decode()
        for select in re.findall(r"<select.*?</select>", html, re.DOTALL):
            name = re.search(r'name="([^"]+)"', select).group(1)
            empty = re.search(r'<option value=""[^>]*>([^<]*)</option>', select)
            if empty:
                seen += 1
                label = empty.group(1).strip()
                assert re.search(r"[A-Za-z]{3}", label), (path, name, label)
            assert "---------" not in select, (path, name)
    assert seen >= 6
