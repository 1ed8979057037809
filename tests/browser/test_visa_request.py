"""The registration form's visa details: hidden until the box is ticked (the static script),
then asked and recorded with the registration."""

import pytest

from meetings.papers.models import VisaRequest

from ..factories import RegistrationWindowFactory
from ..meetings.test_registration import register_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_visa_details_show_when_the_box_is_ticked(page, live_server):
    window = RegistrationWindowFactory()
    meeting = window.meeting
    page.goto(f"{live_server.url}{register_url(meeting)}")
    passport = page.get_by_label("Passport number")
    assert not passport.is_visible()
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Email").fill("amina.okafor@example.org")
    page.get_by_label("Organization, if not in the list").fill("Lagos Sample Institute")
    page.get_by_label("Country or region").select_option("NG")
    page.get_by_label("You attend as").select_option("expert")
    page.get_by_label("I need a letter of invitation for my visa").check()
    assert passport.is_visible()
    page.get_by_label("Name as in the passport").fill("OKAFOR AMINA")
    page.get_by_label("Nationality").select_option("NG")
    passport.fill("A07731925")
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Arrival").fill(meeting.start_date.isoformat())
    page.get_by_label("Departure").fill(meeting.end_date.isoformat())
    page.get_by_label("Consulate where you apply").fill("Consulate-General in Lagos")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()
    assert VisaRequest.objects.get().passport_number == "A07731925"
