"""The composer in a browser: after "Preview", the preview (below the long form) is brought
into view and its heading has the focus, so that a screen reader reads it out."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.meetings.invitations.helpers import open_meeting, working_group

from .test_control_page import signed_in
from .test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_preview_is_scrolled_into_view_and_its_heading_has_the_focus(browser, live_server):
    meeting = open_meeting()
    working_group(3)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(browser, live_server, viewport={"width": 1280, "height": 800})
    try:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(
            live_server.url
            + reverse(
                "meetings:invitation_compose",
                kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
            )
        )
        page.get_by_label("the working group's members on a date").check()
        page.get_by_role("button", name="Preview").click()
        heading = page.locator("#preview-title")
        heading.wait_for()
        expect(heading).to_be_focused()
        expect(heading).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 0  # the preview is below the form's top
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()
