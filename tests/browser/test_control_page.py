"""A meeting's control page in a browser: on a tablet its stages stack and fit the window, the
check-in count follows check-ins made elsewhere without a reload, the policy (CSP) holds, axe
finds no serious violation, and check-in opens from it."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.attendance import services
from meetings.attendance.models import ParticipationStatus
from meetings.workbench import views as workbench_views
from tests.factories import (
    AgendaItemFactory,
    DocumentFactory,
    MeetingFactory,
    ParticipationFactory,
    SessionFactory,
    UserFactory,
)
from tests.meetings.test_control_page import seeded, upcoming_meeting

from .test_csp import RECORD_VIOLATIONS
from .test_invitations import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
TABLET = {"width": 768, "height": 1024}


def signed_in(browser, live_server, *, viewport, bypass_csp=False):
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return context, page


@pytest.fixture
def meeting_today():
    today = timezone.localdate()
    meeting = MeetingFactory(start_date=today, end_date=today + datetime.timedelta(days=1))
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.CONFIRMED)
    return meeting


def control_url(live_server, meeting) -> str:
    return live_server.url + reverse(
        "meetings:meeting_control",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def test_on_a_tablet_the_stages_stack_and_the_check_in_count_is_live(
    browser, live_server, meeting_today, monkeypatch
):
    monkeypatch.setattr(workbench_views, "CHECK_IN_REFRESH_SECONDS", 1)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(browser, live_server, viewport=TABLET)
    try:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(control_url(live_server, meeting_today))
        assert page.evaluate(OVERFLOW) <= 0
        lefts = {
            round(box["x"])
            for box in (s.bounding_box() for s in page.locator("section.control-stage").all())
        }
        assert len(lefts) == 1, lefts  # one column
        current = page.locator("section.control-stage[aria-current=step]")
        assert current.get_attribute("id") == "stage-check_in"
        count = page.locator("#check-in-count")
        assert count.locator("[data-count=attended]").inner_text() == "0"
        # Someone at the door checks a participant in.
        services.participation_check_in(
            participation=meeting_today.participations.first(), by=admin
        )
        expect(count.locator("[data-count=attended]")).to_have_text("1", timeout=10_000)
        assert count.locator("[data-count=registered]").inner_text() == "3"
        assert page.evaluate("window.__cspViolations") == []
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/control-page-tablet.png", full_page=True)
        page.click("#tool-check-in")
        page.wait_for_url("**/check-in/")
        assert page.locator("#check-in-q").is_visible()
    finally:
        context.close()


def test_the_control_page_has_no_serious_accessibility_violation(browser, live_server):
    """A meeting in a month: its programme entered, registration open, invitations out and
    partly answered."""
    meeting = upcoming_meeting(capacity=40)
    for session in SessionFactory.create_batch(3, meeting=meeting):
        AgendaItemFactory.create_batch(4, session=session)
    DocumentFactory.create_batch(5, meeting=meeting)
    seeded(meeting, invited=12)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(
        browser, live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    try:
        page.goto(control_url(live_server, meeting))
        assert page.evaluate(OVERFLOW) <= 0
        current = page.locator("section.control-stage[aria-current=step]")
        assert current.get_attribute("id") == "stage-invitations"
        assert_accessible(page)
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            # From the breadcrumbs down: the header's language names need a Chinese font
            # that a bare test machine may lack.
            top = page.locator("ol.breadcrumbs").bounding_box()["y"]
            height = page.evaluate("document.documentElement.scrollHeight") - top
            page.screenshot(
                path=f"{shots}/control-page.png",
                full_page=True,
                clip={"x": 0, "y": top, "width": 1280, "height": height},
            )
    finally:
        context.close()
