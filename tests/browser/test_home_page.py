"""The Secretariat's home page in a browser: a Secretariat member signs in with the second
factor, reads a count in the "needs attention" panel, follows it and finds a list of as many
rows; on a phone, in Chinese, the page fits the window; the policy (CSP) holds and axe finds
no serious violation."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.attendance.models import ParticipationStatus
from tests.factories import DocumentFactory, ParticipationFactory, UserFactory
from tests.meetings.test_control_page import seeded, upcoming_meeting

from ..staff_helpers import admin_sign_in
from .test_control_page import OVERFLOW
from .test_csp import RECORD_VIOLATIONS
from .test_invitations import assert_accessible, secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def secretariat_page(browser, live_server, *, viewport, bypass_csp=False):
    """A Secretariat member signed in with the password and the second factor, on the home
    page."""
    staff = UserFactory(username="secretary", is_staff=True)
    staff.groups.add(secretariat_group())
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(RECORD_VIOLATIONS)
    admin_sign_in(page, live_server, device)
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


@pytest.fixture
def busy_meeting():
    meeting = upcoming_meeting(capacity=40)
    seeded(meeting, invited=6)  # 4 registered (one of them invited), 2 waiting
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.REGISTERED)
    DocumentFactory.create_batch(2, meeting=meeting)
    return meeting


def test_an_attention_count_opens_a_list_of_as_many_rows(browser, live_server, busy_meeting):
    context, page = secretariat_page(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        entry = page.locator("#needs-attention li", has_text="Registrations awaiting a decision")
        count = int(entry.locator(".workbench-count").inner_text())
        assert count == 7
        card = page.locator(f'.workbench-card[data-meeting="{busy_meeting.pk}"]')
        assert card.locator('[data-figure="documents"]').inner_text() == "2"
        assert page.evaluate("window.__cspViolations") == []

        entry.get_by_role("link").click()
        page.wait_for_url(re.compile(r"/admin/meetings/participation/\?"))
        assert page.locator("#result_list tbody tr").count() == count
        # The filters the link set are the list's own, shown as chosen.
        assert "status__exact=registered" in page.url and "when=coming" in page.url
    finally:
        context.close()


def test_on_a_phone_in_chinese_the_home_page_fits_and_is_accessible(
    browser, live_server, busy_meeting
):
    context, page = secretariat_page(browser, live_server, viewport=PHONE, bypass_csp=True)
    try:
        page.context.add_cookies(
            [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
        )
        page.goto(f"{live_server.url}/admin/")
        assert page.locator("#needs-attention-title").inner_text() == "需要处理"
        assert page.evaluate(OVERFLOW) <= 0
        cards = page.locator(".workbench-card")
        assert cards.count() == 1
        box = cards.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert_accessible(page)
    finally:
        context.close()
