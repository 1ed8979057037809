"""The passport details of a visa request leave the site in the letter only: in no export,
no public page, no log line and no mail body."""

import logging

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from anso.admin_tools import csv_rows
from anso.models import OutgoingMail
from meetings.attendance.models import Participation
from meetings.attendance.resources import ParticipantResource
from meetings.papers import visa
from meetings.papers.models import VisaRequest

from ...factories import RegistrationWindowFactory
from ..test_registration import form_data, register_url
from .test_visa_request_form import visa_data

pytestmark = pytest.mark.django_db

SECRETS = ("OKAFOR AMINA", "A07731925", "Consulate-General in Lagos", "1984-03-09")


def assert_none_in(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {where}"


def test_passport_details_appear_in_no_export_page_log_or_mail_body(
    client, superuser, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    window = RegistrationWindowFactory(meeting__is_published=True)
    meeting = window.meeting
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(meeting), form_data(**visa_data(meeting)))
    assert response.status_code == 302
    visa_request = VisaRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        visa.visa_requests_approve(requests=[visa_request], by=superuser)
    visa_request.refresh_from_db()

    # Mail: the letter is an attachment; the bodies say only that it is attached.
    assert len(mail.outbox) == 2  # the registration's confirmation, the letter
    for message in mail.outbox:
        assert_none_in(message.body, "a mail body")
        for alternative, _type in message.alternatives:
            assert_none_in(str(alternative), "a mail's HTML part")
    for stored in OutgoingMail.objects.all():
        assert_none_in(stored.body + stored.html, "a stored mail")

    # Public pages.
    for url in (
        meeting.get_absolute_url(),
        visa_request.paper.get_absolute_url(),
        register_url(meeting),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert_none_in(page.content.decode(), url)

    # Exports: the admin's CSV of every model that could reach them, the import-export
    # resource of the participants, and the CSV action refused on the visa requests.
    for queryset in (
        VisaRequest.objects.all(),
        Participation.objects.all(),
        OutgoingMail.objects.all(),
    ):
        assert_none_in(repr(list(csv_rows(queryset))), f"the CSV of {queryset.model}")
    assert_none_in(ParticipantResource().export().csv, "the participants' export")
    client.force_login(superuser)
    refused = client.post(
        reverse("admin:meetings_visarequest_changelist"),
        {"action": "export_as_csv", ACTION_CHECKBOX_NAME: [visa_request.pk]},
    )
    assert refused.get("Content-Type", "").startswith("text/html")
    assert_none_in(refused.content.decode(), "the visa requests' list")

    # Logs, at DEBUG, of all of the above.
    assert caplog.records
    assert_none_in(caplog.text, "a log line")
