"""Sending an approved request's letter again (docs/papers.md, "Visa letters"): the same paper
while it stands, a new one once it was revoked; refused for a request not approved or whose
details were erased; a line in the request's history; the Secretariat's only."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from meetings.papers import services, visa
from meetings.papers.models import Paper, VisaRequest
from meetings.papers.visa import VisaDecisionRefused, visa_letter_send_again

from .test_visa_admin import run_action
from .test_visa_letters import PASSPORT_NUMBER, requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(django_capture_on_commit_callbacks, secretariat_user):
    visa_request = requested()
    with django_capture_on_commit_callbacks(execute=True):
        visa.visa_requests_approve(requests=[visa_request], by=secretariat_user)
    visa_request.refresh_from_db()
    assert len(mail.outbox) == 1
    return visa_request


def history(visa_request) -> list[str]:
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(visa_request.pk)).order_by("pk")
    ]


def letter_reference(message) -> str:
    [(filename, _content, mimetype)] = message.attachments
    assert mimetype == "application/pdf"
    assert PASSPORT_NUMBER not in message.body
    return filename.removesuffix(".pdf")


def test_the_letter_is_made_again_with_the_same_paper(
    approved, secretariat_client, django_capture_on_commit_callbacks
):
    paper = approved.paper
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(secretariat_client, "send_again", [approved])
    assert "1 letter is being made again and mailed." in response.text
    assert len(mail.outbox) == 2
    assert letter_reference(mail.outbox[1]) == paper.reference == "ANSO-2027-WG3-V-0001"
    approved.refresh_from_db()
    assert approved.paper == paper and Paper.objects.count() == 1
    assert history(approved) == [
        "Approved: letter ANSO-2027-WG3-V-0001",
        "Letter sent again: ANSO-2027-WG3-V-0001",
    ]
    page = secretariat_client.get(reverse("admin:meetings_visarequest_history", args=[approved.pk]))
    assert page.status_code == 200 and "Letter sent again: ANSO-2027-WG3-V-0001" in page.text


def test_a_revoked_paper_stays_revoked_and_the_letter_gets_a_new_one(
    approved, secretariat_user, django_capture_on_commit_callbacks
):
    old = approved.paper
    services.paper_revoke(paper=old, by=secretariat_user, reason="Wrong dates of stay.")
    with django_capture_on_commit_callbacks(execute=True):
        new = visa_letter_send_again(visa=approved, by=secretariat_user)
    assert new.reference == "ANSO-2027-WG3-V-0002" and not new.is_revoked
    assert letter_reference(mail.outbox[-1]) == new.reference
    approved.refresh_from_db()
    assert approved.paper == new
    old.refresh_from_db()
    assert old.is_revoked
    assert history(approved)[-1] == (
        "Letter sent again with a new paper, ANSO-2027-WG3-V-0002 (the previous one was revoked)"
    )


def test_refused_when_erased_or_not_approved(
    approved, secretariat_client, django_capture_on_commit_callbacks
):
    meeting = approved.participation.meeting
    waiting = requested(meeting)
    refused = requested(meeting)
    visa.visa_request_refuse(visa=refused, by=None, reason="After the deadline.")
    erased = requested(meeting)
    visa.visa_requests_approve(requests=[erased], by=None)
    VisaRequest.objects.filter(pk=erased.pk).update(erased_at="2026-06-14T12:00:00Z")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(secretariat_client, "send_again", [waiting, refused, erased])
    assert len(mail.outbox) == 0
    text = response.text
    assert "1 letter" not in text
    assert text.count("Only an approved request&#x27;s letter can be sent again.") == 2
    assert "The passport details were erased after the meeting" in text
    with pytest.raises(VisaDecisionRefused):
        visa_letter_send_again(visa=erased, by=None)


def test_only_the_secretariat_sends_a_letter_again(
    approved, client, outsider_staff_user, django_capture_on_commit_callbacks
):
    client.force_login(outsider_staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "send_again", [approved])
    assert response.status_code == 403
    assert len(mail.outbox) == 1
