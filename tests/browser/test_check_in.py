"""Check-in at the door, on a tablet, in the admin's layout: search, one tap to check a
participant in, the count follows, and nothing is wider than the window (portrait or
landscape), the walk-in form included."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.attendance.models import ParticipationStatus
from tests.factories import MeetingFactory, ParticipationFactory, PersonFactory, UserFactory

from .test_control_page import OVERFLOW, TABLET, signed_in
from .test_csp import RECORD_VIOLATIONS
from .test_invitations import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting_today():
    today = timezone.localdate()
    meeting = MeetingFactory(start_date=today, end_date=today + datetime.timedelta(days=1))
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.CONFIRMED)
    ParticipationFactory(
        meeting=meeting,
        person=PersonFactory(given_name="Wanjiru", family_name="Kamau-Otieno"),
        organization_name="Kenya Agricultural and Livestock Research Organization",
        status=ParticipationStatus.CONFIRMED,
    )
    return meeting


@pytest.mark.parametrize(
    "viewport", [TABLET, {"width": 1024, "height": 768}], ids=["portrait", "landscape"]
)
def test_a_participant_is_checked_in_on_a_tablet(browser, live_server, meeting_today, viewport):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(browser, live_server, viewport=viewport)
    try:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(
            live_server.url
            + reverse(
                "meetings:check_in",
                kwargs={"year": meeting_today.start_date.year, "slug": meeting_today.slug},
            )
        )
        # The admin's layout: its header and breadcrumbs, not the public menu.
        assert page.locator("#header #site-name").is_visible()
        assert page.locator("ol.breadcrumbs").is_visible()
        assert page.locator("#site-nav").count() == 0
        assert page.get_by_role("heading", name="Check-in", exact=True).is_visible()
        count = page.locator("#check-in-count")
        assert count.inner_text().startswith("0 of 4 checked in")
        assert page.evaluate(OVERFLOW) <= 0

        page.fill("#check-in-q", "kamau")
        rows = page.locator("#check-in-results .check-in-row")
        expect(rows).to_have_count(1)
        assert "Wanjiru Kamau-Otieno" in rows.inner_text()
        assert page.evaluate(OVERFLOW) <= 0
        button = rows.get_by_role("button", name="Check in")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a finger's target
        button.click()
        expect(rows.get_by_role("button", name="Undo")).to_be_visible()
        expect(rows).to_contain_text("checked in")
        expect(count.locator("[data-count=attended]")).to_have_text("1")
        assert count.locator("[data-count=registered]").inner_text() == "4"
        assert page.evaluate(OVERFLOW) <= 0

        page.locator("#walk-in summary").click()
        expect(page.get_by_label("Family name")).to_be_visible()
        assert page.evaluate(OVERFLOW) <= 0
        assert page.evaluate("window.__cspViolations") == []
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/check-in-{viewport['width']}.png", full_page=True)
    finally:
        context.close()
    participation = meeting_today.participations.get(person__family_name="Kamau-Otieno")
    assert participation.status == ParticipationStatus.ATTENDED


def test_the_check_in_page_has_no_serious_accessibility_violation(
    browser, live_server, meeting_today
):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(browser, live_server, viewport=TABLET, bypass_csp=True)
    try:
        page.goto(
            live_server.url
            + reverse(
                "meetings:check_in",
                kwargs={"year": meeting_today.start_date.year, "slug": meeting_today.slug},
            )
        )
        page.locator("#walk-in summary").click()
        assert_accessible(page)
    finally:
        context.close()
