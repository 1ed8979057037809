"""The admin's own screens fit the window: the index on a phone, a meeting with its sessions
and participants on a laptop."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
#: Tabular inlines whose table is wider than the box that holds it (it would scroll sideways).
WIDE_INLINES = """() => [...document.querySelectorAll(".inline-group .tabular .wrapper")]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => w.closest(".inline-group").id + ": " + w.scrollWidth + " > " + w.clientWidth)"""


def signed_in_page(browser, live_server, width: int):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return context, page


def test_admin_index_fits_a_phone(browser, live_server):
    context, page = signed_in_page(browser, live_server, 375)
    try:
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/admin-index-phone.png", full_page=True)
        assert page.evaluate(OVERFLOW) <= 0
        links = page.locator("#secretariat-tools th a")
        assert links.count() >= 2  # statistics, announcements
        for link in links.all():
            box = link.bounding_box()
            assert box["height"] < 2 * 24, box  # one or two lines, not a letter per line
    finally:
        context.close()


def test_meeting_change_page_with_its_inlines_fits_a_laptop(browser, live_server):
    call_command("load_demo", verbosity=0)
    meeting = Meeting.objects.get(slug="1st-anso-working-group-meeting")
    context, page = signed_in_page(browser, live_server, 1280)
    try:
        page.goto(live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        page.wait_for_selector("#sessions-group .select2-container")
        assert page.evaluate(OVERFLOW) <= 0
        assert page.evaluate(WIDE_INLINES) == []
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.locator("#sessions-group").screenshot(path=f"{shots}/admin-sessions.png")
            page.locator("#participations-group tr.form-row").first.screenshot(
                path=f"{shots}/admin-participations.png"
            )
    finally:
        context.close()
