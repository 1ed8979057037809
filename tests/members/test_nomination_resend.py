"""A submitter whose confirmation mail never arrived asks for the link again."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from anso.models import OutgoingMail, OutgoingMailStatus
from members.nominations.models import Nomination, NominationStatus
from members.nominations.views import RESENDS_PER_EMAIL_PER_HOUR, RESENDS_PER_HOUR

from ..anso.smtp import Inbox, free_port, smtp_mailers, smtp_server
from ..factories import NominationFactory, OrganizationFactory
from .test_nomination_views import form_data

RESEND = "/en/working-group/nominate/resend/"
ANSWER = "If a nomination awaiting confirmation was submitted with this address"


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+/confirm/\S+/", message.body)


@pytest.mark.django_db(transaction=True)
def test_nominee_whose_confirmation_mail_failed_gets_a_new_link(client, settings):
    """The first mail is refused for good; submitting again is refused (the nomination is
    open for seven days) and offers the new link; the new link confirms the nomination."""
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    organization = OrganizationFactory()
    with smtp_server(port, Inbox(refuse="554 5.7.1 Rejected for now")):
        response = client.post(reverse("members:nomination_create"), form_data(organization))
    assert response.status_code == 302
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.FAILED

    response = client.post(reverse("members:nomination_create"), form_data(organization))
    assert response.status_code == 200
    assert f'href="{RESEND}"' in response.content.decode()

    with smtp_server(port) as inbox:
        response = client.post(RESEND, {"email": "Joseph@Example.org"}, follow=True)
    assert ANSWER in response.content.decode()
    [message] = inbox.messages
    assert message["To"] == "joseph@example.org"
    [link] = re.findall(r"https?://\S+/confirm/\S+/", message.get_payload(decode=True).decode())
    path = link.removeprefix(settings.SITE_URL)
    assert client.post(path).status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.status == NominationStatus.AWAITING_REVIEW


@pytest.mark.django_db
def test_resend_answers_the_same_whatever_the_address(client, django_capture_on_commit_callbacks):
    NominationFactory(submitter_email="known@example.org", status=NominationStatus.UNCONFIRMED)
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESEND, {"email": email})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page))
    assert ANSWER in answers[0]
    assert answers[0] == answers[1]
    assert [message.to for message in mail.outbox] == [["known@example.org"]]
    assert links_in(mail.outbox[0])


@pytest.mark.django_db
def test_resend_skips_confirmed_and_expired_nominations(client, django_capture_on_commit_callbacks):
    email = "s@example.org"
    NominationFactory(submitter_email=email, status=NominationStatus.AWAITING_REVIEW)
    old = NominationFactory(submitter_email=email, status=NominationStatus.UNCONFIRMED)
    Nomination.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND, {"email": email})
    assert mail.outbox == []


@pytest.mark.django_db
def test_resend_is_limited_per_client_address(client):
    for _ in range(RESENDS_PER_HOUR):
        assert client.post(RESEND, {"email": "x@example.org"}).status_code == 302
    response = client.post(RESEND, {"email": "x@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_resend_mails_one_address_a_few_times_an_hour_whoever_asks(
    client, django_capture_on_commit_callbacks
):
    NominationFactory(submitter_email="victim@example.org", status=NominationStatus.UNCONFIRMED)
    for n in range(RESENDS_PER_EMAIL_PER_HOUR + 2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                RESEND, {"email": "victim@example.org"}, REMOTE_ADDR=f"10.0.0.{n + 1}"
            )
        assert response.status_code == 302
    assert len(mail.outbox) == RESENDS_PER_EMAIL_PER_HOUR


@pytest.mark.django_db
def test_resend_form_refuses_a_malformed_address(client):
    response = client.post(RESEND, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert client.get(RESEND).status_code == 200


@pytest.mark.parametrize("n", (1, 5))
@pytest.mark.django_db
def test_resend_queries_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        NominationFactory(submitter_email="many@example.org", status=NominationStatus.UNCONFIRMED)
    with django_assert_num_queries(1):  # the pending nominations; mail is stored after commit
        assert client.post(RESEND, {"email": "many@example.org"}).status_code == 302
