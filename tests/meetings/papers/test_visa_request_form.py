"""The registration form's box for a visa letter: the details asked only when it is ticked,
errors on their fields, the form shown again with what was typed, the request recorded with
the registration."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.views.debug import SafeExceptionReporterFilter

from meetings.attendance.forms import RegistrationForm
from meetings.attendance.models import Participation
from meetings.papers.models import VisaRequest, VisaRequestStatus

from ...factories import RegistrationWindowFactory
from ..invitations.helpers import open_meeting, working_group
from ..invitations.test_respond import invite, link, register_form
from ..test_registration import form_data, register_url

pytestmark = pytest.mark.django_db


def visa_data(meeting, **overrides) -> dict:
    data = {
        "needs_visa": "on",
        "visa_passport_name": "OKAFOR AMINA",
        "visa_nationality": "NG",
        "visa_passport_number": "A07731925",
        "visa_date_of_birth": "1984-03-09",
        "visa_arrival": (meeting.start_date - datetime.timedelta(days=1)).isoformat(),
        "visa_departure": (meeting.end_date + datetime.timedelta(days=1)).isoformat(),
        "visa_consulate": "Consulate-General in Lagos",
    }
    data.update(overrides)
    return data


def test_without_the_box_the_details_are_not_asked_and_nothing_is_recorded(client):
    window = RegistrationWindowFactory()
    page = client.get(register_url(window.meeting)).content.decode()
    assert 'name="needs_visa"' in page
    assert 'name="visa_passport_number"' in page  # shown without JavaScript
    assert "js/visa-request.js" in page
    response = client.post(
        register_url(window.meeting), form_data(visa_passport_number="typed, then unticked")
    )
    assert response.status_code == 302
    assert Participation.objects.filter(meeting=window.meeting).count() == 1
    assert not VisaRequest.objects.exists()


def test_ticked_without_the_details_each_missing_one_is_named_and_what_was_typed_stays(client):
    window = RegistrationWindowFactory()
    data = form_data(needs_visa="on", visa_passport_name="OKAFOR AMINA")
    response = client.post(register_url(window.meeting), data)
    assert response.status_code == 400
    form = response.context["form"]
    for name in (
        "visa_nationality",
        "visa_passport_number",
        "visa_date_of_birth",
        "visa_arrival",
        "visa_departure",
        "visa_consulate",
    ):
        assert form.errors[name] == ["Needed for the letter of invitation."]
    assert "visa_passport_name" not in form.errors
    page = response.content.decode()
    assert 'value="OKAFOR AMINA"' in page
    assert "no-cache" in response["Cache-Control"]  # what was typed is kept by no cache
    assert not Participation.objects.exists()


def test_the_stay_is_checked_against_the_meetings_dates():
    window = RegistrationWindowFactory()
    meeting = window.meeting
    far = (meeting.start_date - datetime.timedelta(days=60)).isoformat()
    form = RegistrationForm(
        form_data(**visa_data(meeting, visa_arrival=far)),
        meeting=meeting,
    )
    assert not form.is_valid()
    assert "visa_arrival" in form.errors
    before = (meeting.start_date - datetime.timedelta(days=2)).isoformat()
    form = RegistrationForm(form_data(**visa_data(meeting, visa_departure=before)), meeting=meeting)
    assert not form.is_valid()
    assert form.errors["visa_departure"] == ["The departure is on or after the arrival."]


def test_a_ticked_complete_form_records_the_request_with_the_registration(client):
    window = RegistrationWindowFactory()
    meeting = window.meeting
    response = client.post(register_url(meeting), form_data(**visa_data(meeting)))
    assert response.status_code == 302
    visa = VisaRequest.objects.get()
    assert visa.participation == Participation.objects.get(meeting=meeting)
    assert visa.status == VisaRequestStatus.REQUESTED
    assert visa.passport_number == "A07731925"
    assert visa.nationality == "NG"
    assert visa.date_of_birth == "1984-03-09"
    assert visa.arrival == meeting.start_date - datetime.timedelta(days=1)


def test_the_script_that_hides_the_details_is_a_static_file():
    assert finders.find("js/visa-request.js")


def test_the_personal_invitation_link_records_the_request_too(client):
    meeting = open_meeting()
    (person,) = working_group(1)
    url = link(invite(meeting, person))
    page = client.get(url).content.decode()
    assert 'name="needs_visa"' in page and "js/visa-request.js" in page
    missing = client.post(url, register_form(person, needs_visa="on"))
    assert missing.status_code == 400
    assert missing.context["form"].errors["visa_passport_number"] == [
        "Needed for the letter of invitation."
    ]
    response = client.post(url, register_form(person, **visa_data(meeting)))
    assert response.status_code == 302
    visa = VisaRequest.objects.get()
    assert visa.participation.person == person
    assert visa.consulate == "Consulate-General in Lagos"


def test_the_passport_details_are_hidden_from_error_reports(client):
    window = RegistrationWindowFactory()
    meeting = window.meeting
    response = client.post(register_url(meeting), form_data(**visa_data(meeting)))
    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert shown["visa_passport_number"] != "A07731925"
    assert shown["family_name"] == "Okafor"
