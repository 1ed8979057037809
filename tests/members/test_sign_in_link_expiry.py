"""A member's sign-in link past its validity is taken out of the outbox's copy of its mail by
the upkeep: a copy of the outbox (a backup, a leak) holds no credential."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from anso.models import OutgoingMail
from members.chores import sign_in_links_scrub

from ..factories import PositionFactory
from .test_member_sign_in import ask_for_link, link_in

pytestmark = pytest.mark.django_db


def test_expired_sign_in_link_is_scrubbed_from_the_outbox_and_the_mail_stays_readable(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SESAME_MAX_AGE = 3600
    member = PositionFactory(person__email="amina@example.org").person
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    (sent,) = mailoutbox
    link = link_in(sent)
    stored = OutgoingMail.objects.get()
    assert "sesame=" in stored.body

    with transaction.atomic():
        assert sign_in_links_scrub() == 0  # still valid: kept
    later = timezone.now() + datetime.timedelta(seconds=3601)
    with transaction.atomic():
        assert sign_in_links_scrub(now=later) == 1
        assert sign_in_links_scrub(now=later) == 0
    stored.refresh_from_db()
    assert "sesame=" not in stored.body
    assert link.split("sesame=")[1].split("&")[0] not in stored.body
    assert "/sign-in/link/" in stored.body and "Dear" in stored.body
    assert (stored.to, stored.subject) == (sent.to, sent.subject)
