"""Every staff page in the admin's layout: its header (the site's admin title, the user's
tools, the language switch, the dark theme), never the public site's navigation.

The pages are those of the permission matrix (tests/test_permission_matrix.py): every pattern
of the URLconf, with its sample arguments, where an anonymous visitor is sent to sign in. A new
staff page is walked here without being named, so one that extends the public `base.html`
fails."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import requests_to_make, samples, sent_to_sign_in

pytestmark = pytest.mark.django_db

#: The public site's navigation (templates/base.html): its collapsible menu.
PUBLIC_NAV = 'id="site-nav"'
#: The admin's header (Django's admin/base.html, branded by templates/admin/base_site.html).
ADMIN_HEADER = re.compile(r'<header id="header">\s*<div id="branding">\s*<div id="site-name">')

#: Full pages of the staff side that are not pages of the site: a mail's HTML part, shown in a
#: frame of the outbox's page, as the recipient's mail program shows it.
NOT_SITE_PAGES = {"admin:anso_outgoingmail_html"}

__all__ = ["samples"]  # the matrix's sample objects, a fixture


def staff_pages(samples) -> list[tuple[str, str]]:
    """(label, url) of every page an anonymous visitor is sent to sign in for."""
    anonymous = Client()
    return [
        (label, url)
        for label, url, _expected in requests_to_make(samples)
        if label not in NOT_SITE_PAGES and sent_to_sign_in(anonymous.get(url))
    ]


def looks(response) -> str:
    """What is wrong with a staff page's look ("" when nothing)."""
    if "text/html" not in response.get("Content-Type", ""):
        return ""  # a file, JSON, a spreadsheet
    html = response.content.decode()
    if PUBLIC_NAV in html:
        return "carries the public site's navigation"
    if "<html" in html and not ADMIN_HEADER.search(html):
        return "is a page without the admin's header"
    return ""


def test_every_staff_page_has_the_admin_look(samples, secretariat_user, superuser):
    """Each page as a Secretariat member, else as a superuser (some pages are theirs alone)."""
    secretariat, admin = Client(), Client()
    secretariat.force_login(secretariat_user)
    admin.force_login(superuser)
    pages = staff_pages(samples)
    assert len(pages) > 100  # the walk found the admin and the Secretariat's pages
    seen, failures = set(), []
    for label, url in pages:
        response = secretariat.get(url)
        if response.status_code != 200:
            response = admin.get(url)
        if response.status_code != 200:
            continue
        seen.add(label)
        if problem := looks(response):
            failures.append(f"{label} {url} {problem}")
    assert failures == []
    assert {
        "meetings:check_in",
        "meetings:report",
        "meetings:report_print",
        "meetings:participant_list_print",
        "meetings:invitation_compose",
        "meetings:announcement_compose",
        "meetings:invitation_list",
        "meetings:statistics",
        "meetings:meeting_control",
        "admin:meetings_participation_import_job",
        "admin:meetings_participation_export_job",
    } <= seen


def test_a_page_on_the_public_layout_is_caught(client, superuser):
    """The check itself: a public page (the public layout) fails it, an admin page passes."""
    client.force_login(superuser)
    assert looks(client.get(reverse("meetings:meeting_list"))) == (
        "carries the public site's navigation"
    )
    assert looks(client.get(reverse("admin:index"))) == ""


def test_the_sites_staff_templates_use_the_admins_breadcrumb_markup():
    """Django 6's admin writes its breadcrumbs as a list (`<ol class="breadcrumbs">`, each step
    an item, the page itself `aria-current`); a page of the site's own with the older
    `<div class="breadcrumbs">` looks and reads differently from the admin's pages around it."""
    old = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if '<div class="breadcrumbs">' in path.read_text()
    ]
    assert old == []
