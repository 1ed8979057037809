"""Mailings whose delivery was lost (the queue down when they were sent) are written and
sent: by the upkeep, or by "send again" in the admin."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from anso.models import OutgoingMail
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from meetings.invitations.services import MailingDraft, mailing_send, mailings_unwritten_deliver

from ...anso.smtp import free_port
from .helpers import open_meeting, working_group

LATER = datetime.timedelta(hours=1)


def invitation_sent_while_the_queue_was_down(settings, meeting, people) -> Mailing:
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    draft = MailingDraft(
        kind=MailingKind.INVITATION,
        meeting=meeting,
        subject_en="Invitation: {meeting}",
        body_en="Dear {name}, register: {link}",
    )
    with transaction.atomic():
        mailing = mailing_send(draft=draft, people=people, by=None)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert OutgoingMail.objects.count() == 0
    return mailing


@pytest.mark.django_db(transaction=True)
def test_mailing_whose_delivery_was_never_queued_is_written_by_the_upkeep(settings):
    meeting = open_meeting()
    people = working_group(3)
    mailing = invitation_sent_while_the_queue_was_down(settings, meeting, people)

    with transaction.atomic():
        assert mailings_unwritten_deliver() == 0  # its own task may still come
    assert OutgoingMail.objects.count() == 0
    with transaction.atomic():
        assert mailings_unwritten_deliver(now=timezone.now() + LATER) == 1
    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert MailingRecipient.objects.filter(mail__isnull=False).count() == 3
    assert OutgoingMail.objects.count() == 3
    with transaction.atomic():  # nothing is written twice
        assert mailings_unwritten_deliver(now=timezone.now() + LATER) == 0
    assert OutgoingMail.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_admin_sends_again_a_mailing_that_never_left(settings, client, superuser):
    meeting = open_meeting()
    mailing = invitation_sent_while_the_queue_was_down(settings, meeting, working_group(2))
    client.force_login(superuser)
    changelist = "/admin/meetings/mailing/"
    data = {"action": "send_again", "_selected_action": [mailing.pk]}
    response = client.post(changelist, data, follow=True)
    assert "1 mailing handed to the worker again." in response.content.decode()
    assert OutgoingMail.objects.count() == 2
    assert all(f"{settings.SITE_URL}/" in mail.body for mail in OutgoingMail.objects.all())
    response = client.post(changelist, data, follow=True)
    assert "0 mailings handed to the worker again." in response.content.decode()
    assert OutgoingMail.objects.count() == 2
