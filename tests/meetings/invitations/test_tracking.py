"""A meeting's invitation page while its mailings go out and after: each mailing's progress
from its mails in the outbox, the moment it was sent, and the reminder, offered only once
those invited had time to answer (`selectors.reminder_due`)."""

import datetime
import re

import pytest
from django.utils import timezone

from anso.models import OutgoingMail, OutgoingMailStatus
from anso.text.dates import format_datetime
from meetings.attendance.models import Participation
from meetings.invitations import selectors, services
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient

from .helpers import invitation_list_url, open_meeting, working_group

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def invited(meeting, people, *, statuses, sent_at=None, subject="Invitation"):
    """A mailing of the meeting to `people`, their mails in the given outbox states."""
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION,
        meeting=meeting,
        subject_en=subject,
        body_en="{link}",
        recipients_label="the working group",
    )
    for person, status in zip(people, statuses, strict=True):
        mail = None
        if status is not None:
            mail = OutgoingMail.objects.create(
                to=[person.email],
                subject=subject,
                body="b",
                status=status,
                sent_at=sent_at if status == OutgoingMailStatus.SENT else None,
            )
        MailingRecipient.objects.create(
            mailing=mailing, person=person, address=person.email, mail=mail
        )
    return mailing


def test_a_mailing_being_sent_shows_how_far_it_is(secretariat_client):
    meeting = open_meeting()
    people = working_group(4)
    invited(
        meeting,
        people,
        statuses=[OutgoingMailStatus.SENT, OutgoingMailStatus.QUEUED, None, "failed"],
        sent_at=NOW,
    )
    html = secretariat_client.get(invitation_list_url(meeting)).content.decode()
    assert "Sending: 1 of 4 sent (2 queued, 1 failed)." in html
    assert re.search(r'<progress value="2" max="4"', html)
    assert 'data-state="sending"' in html


def test_a_mailing_sent_says_when(secretariat_client):
    meeting = open_meeting()
    people = working_group(3)
    invited(
        meeting,
        people,
        statuses=[OutgoingMailStatus.SENT, OutgoingMailStatus.SENT, OutgoingMailStatus.FAILED],
        sent_at=NOW,
    )
    html = secretariat_client.get(invitation_list_url(meeting)).content.decode()
    assert f"Sent {format_datetime(NOW)}: 2 of 3 mails." in html
    assert "1 failed." in html
    assert "<progress" not in html


def test_the_progress_counts_the_invitations_of_each_mailing_apart():
    meeting = open_meeting()
    first, second = working_group(3), working_group(2)
    invited(meeting, first, statuses=["sent", "sent", "sent"], sent_at=NOW - DAY, subject="A")
    invited(meeting, second, statuses=["queued", "sent"], sent_at=NOW, subject="B")
    newest, oldest = selectors.mailings_progress(meeting=meeting)
    assert (newest.mailing.subject_en, newest.queued, newest.sent, newest.in_progress) == (
        "B",
        1,
        1,
        True,
    )
    assert (oldest.sent, oldest.total, oldest.sent_at, oldest.in_progress) == (
        3,
        3,
        NOW - DAY,
        False,
    )


# --- the reminder rule ------------------------------------------------------------------------


def test_no_reminder_right_after_the_mailing_and_the_page_says_when(secretariat_client, settings):
    settings.INVITATION_REMINDER_AFTER_DAYS = 3
    meeting = open_meeting()
    invited(meeting, working_group(2), statuses=["sent", "sent"], sent_at=timezone.now())
    offer = selectors.reminder_offer(meeting=meeting, now=timezone.now())
    assert offer.count == 0
    assert offer.available_at == MailingRecipient.objects.first().mail.sent_at + 3 * DAY
    html = secretariat_client.get(invitation_list_url(meeting)).content.decode()
    assert "Send a reminder" not in html
    assert (
        f"can be sent from {format_datetime(offer.available_at)}, 3 days after their mail" in html
    )


def test_the_reminder_is_offered_after_the_interval_as_a_secondary_action(
    secretariat_client, settings
):
    settings.INVITATION_REMINDER_AFTER_DAYS = 3
    meeting = open_meeting()
    invited(meeting, working_group(2), statuses=["sent", "sent"], sent_at=timezone.now() - 3 * DAY)
    html = secretariat_client.get(invitation_list_url(meeting)).content.decode()
    button = re.search(r'<button type="submit" class="([^"]+)">Send a reminder to 2 people', html)
    assert button and button.group(1) == "button"  # not the page's default action
    assert 'id="reminder-later"' not in html


def test_the_rule_counts_only_those_who_have_not_answered_and_had_time(settings):
    settings.INVITATION_REMINDER_AFTER_DAYS = 3
    meeting = open_meeting()
    early, late, registered, declined, failed = working_group(5)
    invited(meeting, [early, registered, declined], statuses=["sent"] * 3, sent_at=NOW - 4 * DAY)
    invited(meeting, [late], statuses=["sent"], sent_at=NOW - DAY)
    invited(meeting, [failed], statuses=["failed"])
    Participation.objects.create(meeting=meeting, person=registered, status="registered")
    MailingRecipient.objects.filter(person=declined).update(declined_at=NOW - DAY)

    assert [r.person for r in selectors.reminder_targets(meeting=meeting, now=NOW)] == [early]
    assert selectors.reminder_offer(meeting=meeting, now=NOW) == selectors.ReminderOffer(
        count=1, available_at=None
    )
    # Once `early` is reminded, `late` is the next, two days on.
    assert services.invitation_reminders_queue(meeting=meeting, now=NOW) == 1
    assert selectors.reminder_offer(meeting=meeting, now=NOW) == selectors.ReminderOffer(
        count=0, available_at=NOW + 2 * DAY
    )


def test_a_reminder_restarts_the_clock(settings):
    settings.INVITATION_REMINDER_AFTER_DAYS = 3
    meeting = open_meeting()
    [person] = working_group(1)
    invited(meeting, [person], statuses=["sent"], sent_at=NOW - 10 * DAY)
    recipient = MailingRecipient.objects.get()
    recipient.reminder_mail = OutgoingMail.objects.create(
        to=[person.email], subject="Reminder", body="b", status="sent", sent_at=NOW - DAY
    )
    recipient.save()
    assert selectors.reminder_offer(meeting=meeting, now=NOW).available_at == NOW + 2 * DAY
    assert services.invitation_reminders_queue(meeting=meeting, now=NOW) == 0
    assert services.invitation_reminders_queue(meeting=meeting, now=NOW + 2 * DAY) == 1


def test_the_interval_is_a_setting(settings):
    meeting = open_meeting()
    invited(meeting, working_group(1), statuses=["sent"], sent_at=NOW - DAY)
    settings.INVITATION_REMINDER_AFTER_DAYS = 3
    assert selectors.reminder_offer(meeting=meeting, now=NOW).count == 0
    settings.INVITATION_REMINDER_AFTER_DAYS = 1
    assert selectors.reminder_offer(meeting=meeting, now=NOW).count == 1
