"""A mail server that refuses the confirmation mail does not turn an accepted, committed
submission into an error page: the mail stays queued with the error, and the record stays."""

import pytest
from django.urls import reverse

from anso.models import OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import Participation
from members.nominations.models import Nomination

from ..anso.smtp import free_port, smtp_mailers
from ..factories import OrganizationFactory, RegistrationWindowFactory
from ..meetings.test_registration import form_data as registration_data
from ..meetings.test_registration import register_url
from ..members.test_nomination_views import form_data as nomination_data


@pytest.fixture
def refusing_mail(settings):
    """Django's SMTP backend pointed at a port where no server listens: the connection is
    refused, as when the mail server is down."""
    settings.MAILERS = smtp_mailers(free_port())


def _mail_kept_for_a_retry() -> bool:
    mail = OutgoingMail.objects.get()
    return mail.status == OutgoingMailStatus.QUEUED and "refused" in mail.last_error


# Real commits: on-commit callbacks run as in production, not captured by the test.
@pytest.mark.django_db(transaction=True)
def test_nomination_is_accepted_and_kept_when_the_mail_server_refuses(client, refusing_mail):
    organization = OrganizationFactory()
    response = client.post(reverse("members:nomination_create"), nomination_data(organization))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:nomination_thanks")
    assert Nomination.objects.filter(email="amina@example.org").count() == 1
    assert _mail_kept_for_a_retry()


@pytest.mark.django_db(transaction=True)
def test_registration_is_accepted_and_kept_when_the_mail_server_refuses(client, refusing_mail):
    window = RegistrationWindowFactory()
    response = client.post(register_url(window.meeting), registration_data())
    assert response.status_code == 302
    assert Participation.objects.filter(meeting=window.meeting).count() == 1
    assert _mail_kept_for_a_retry()
