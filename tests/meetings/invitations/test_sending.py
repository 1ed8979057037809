"""Invitations and announcements through a real SMTP server (aiosmtpd), read as received:
recipients, headers, both parts, each recipient's language, and the personal link followed
end to end with the test client."""

import datetime
import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from anso.models import OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.invitations.models import MailingRecipient
from members.models import Person
from tests.anso.smtp import Inbox, free_port, smtp_mailers, smtp_server

from .helpers import (
    compose_url,
    composer_data,
    invitation_list_url,
    open_meeting,
    remind_url,
    working_group,
)

LINK = re.compile(r"https?://\S+/invitation/\S+/")


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.DEFAULT_FROM_EMAIL = "ANSO Secretariat <noreply@anso.example.org>"
    settings.MAIL_DOMAIN = "anso.example.org"
    settings.MAIL_REPLY_TO = "ANSO Secretariat <secretariat@anso.example.org>"
    settings.MAIL_RATE_PER_MINUTE = 1000
    return port


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def by_recipient(inbox) -> dict:
    return {message["To"]: message for message in inbox.messages}


def announcement_url() -> str:
    return reverse("meetings:announcement_compose")


# Real commits: the worker reads what the request committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_invitations_arrive_in_each_language_and_the_link_registers_the_person(
    secretariat_client, smtp_port
):
    meeting = open_meeting()
    english, chinese = working_group(2)
    chinese.language = "zh-hans"
    chinese.save()

    with smtp_server(smtp_port) as inbox:
        response = secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    assert response.status_code == 302
    assert response["Location"] == invitation_list_url(meeting)

    received = by_recipient(inbox)
    assert sorted(received) == sorted([english.email, chinese.email])
    mail_en, mail_zh = received[english.email], received[chinese.email]
    assert mail_en["Subject"] == f"Invitation: {meeting.title_en}"
    assert mail_zh["Subject"].startswith("邀请:")
    for message in (mail_en, mail_zh):
        assert message["Reply-To"] == "ANSO Secretariat <secretariat@anso.example.org>"
        assert message["Message-ID"].endswith("@anso.example.org>")
        assert message["List-Unsubscribe"] is None  # never on an invitation
    text_en, html_en = parts(mail_en)
    assert f"Dear {english.display_name} of {english.organization.name}," in text_en
    assert "Ya'ao International Hotel, Beijing" in text_en
    assert "<p>Dear" in html_en
    link = LINK.search(text_en).group(0)
    assert "/en/meetings/" in link
    assert f'href="{link}"' in html_en
    text_zh, _html_zh = parts(mail_zh)
    assert "尊敬的" in text_zh
    assert "/zh-hans/meetings/" in LINK.search(text_zh).group(0)

    # The invited person follows the link: the form is filled in and bound to them.
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{english.email}"' in html
    assert f'value="{english.family_name}"' in html
    form = {
        "honorific": english.honorific,
        "given_name": english.given_name,
        "family_name": english.family_name,
        "email": "someone-else@example.org",  # ignored: the address is fixed
        "phone": "",
        "organization": english.organization_id,
        "organization_name": "",
        "country": "KE",
        "capacity": "delegate",
    }
    with smtp_server(smtp_port) as confirmations:
        response = invitee.post(link, form)
    assert response.status_code == 302
    participation = Participation.objects.get(meeting=meeting)
    assert participation.person_id == english.pk  # attached to the existing record
    assert participation.status == ParticipationStatus.REGISTERED
    assert Person.objects.filter(email="someone-else@example.org").count() == 0
    assert [m["To"] for m in confirmations.messages] == [english.email]
    assert "registered" in invitee.get(link).content.decode()

    page = secretariat_client.get(invitation_list_url(meeting))
    assert page.context["states"][3][2] == 1  # registered
    assert page.context["unanswered"] == 1
    assert [r.person_id for r in page.context["page"].object_list] == [chinese.pk]


def test_invitation_link_admits_to_an_invitation_only_meeting(secretariat_client, smtp_port):
    meeting = open_meeting(mode="invitation")
    (person,) = working_group(1)
    with smtp_server(smtp_port) as inbox:
        secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    link = LINK.search(parts(inbox.messages[0])[0]).group(0)
    form = {
        "family_name": person.family_name,
        "organization": person.organization_id,
        "country": "KE",
        "capacity": "delegate",
    }
    with smtp_server(smtp_port):
        assert Client().post(link, form).status_code == 302
    assert Participation.objects.filter(meeting=meeting, person=person).exists()


def test_expired_and_tampered_links(secretariat_client, smtp_port):
    meeting = open_meeting()
    working_group(1)
    with smtp_server(smtp_port) as inbox:
        secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    link = LINK.search(parts(inbox.messages[0])[0]).group(0)
    visitor = Client()
    assert visitor.get(link[:-3] + "xx/").status_code == 404
    meeting.registration.closes_at = (
        meeting.registration.opens_at
        + (meeting.registration.closes_at - meeting.registration.opens_at) / 100
    )
    meeting.registration.save()
    response = visitor.get(link)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert visitor.post(link, {"decline": "1"}).status_code == 410


def test_decline_then_reminder_goes_only_to_those_who_have_not_answered(
    secretariat_client, smtp_port
):
    meeting = open_meeting()
    declines, registers, silent, bounced = working_group(4)
    inbox = Inbox(refuse_only={bounced.email: "550 5.1.1 No such user here"})
    with smtp_server(smtp_port, inbox):
        secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    links = {m["To"]: LINK.search(parts(m)[0]).group(0) for m in inbox.messages}
    assert bounced.email not in links

    response = Client().post(links[declines.email], {"decline": "1"})
    assert response.status_code == 302
    assert MailingRecipient.objects.get(person=declines).declined_at is not None
    Participation.objects.create(meeting=meeting, person=registers, status="registered")

    page = secretariat_client.get(invitation_list_url(meeting))
    counts = {value: count for value, _label, count in page.context["states"]}
    assert counts == {"queued": 0, "sent": 1, "failed": 1, "registered": 1, "declined": 1}
    html = page.content.decode()
    assert "550 5.1.1 No such user here" in html  # the server's answer, shown to the Secretariat
    assert OutgoingMail.objects.filter(status=OutgoingMailStatus.FAILED).count() == 1

    assert secretariat_client.get(reverse(
        "meetings:invitation_remind", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )).status_code == 405  # fmt: skip
    # Right after the mailing, nobody has had time to answer: no reminder yet.
    assert 'id="reminder-later"' in html
    too_early = secretariat_client.post(remind_url(meeting), follow=True)
    assert "Nobody to remind now" in too_early.content.decode()
    assert not MailingRecipient.objects.filter(reminder_pending=True).exists()
    OutgoingMail.objects.update(sent_at=F("sent_at") - datetime.timedelta(days=3))
    with smtp_server(smtp_port) as reminders:
        response = secretariat_client.post(
            reverse(
                "meetings:invitation_remind",
                kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
            ),
            follow=True,
        )
    assert "A reminder to 1 person is queued." in response.content.decode()
    [reminder] = reminders.messages
    assert reminder["To"] == silent.email
    assert reminder["Subject"].startswith("Reminder: Invitation:")
    assert LINK.search(parts(reminder)[0]).group(0) == links[silent.email]  # the same link
    assert MailingRecipient.objects.get(person=silent).reminders_sent == 1


def test_announcement_unsubscribe_link_header_and_one_click(secretariat_client, smtp_port):
    first, second = working_group(2)
    data = {
        "group": "working_group",
        "subject_en": "The report is published",
        "body_en": "Dear {name},\n\nThe report of the meeting is on the site.",
    }
    with smtp_server(smtp_port) as inbox:
        response = secretariat_client.post(announcement_url(), {**data, "send": "1"})
    assert response.status_code == 302
    received = by_recipient(inbox)
    message = received[first.email]
    header = message["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://\S+/announcements/unsubscribe/\S+/>", header)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header[1:-1]
    text, html = parts(message)
    assert url in text and f'href="{url}"' in html
    assert LINK.search(text) is None  # no registration link

    # A mail program's one-click POST: no CSRF token, and it needs none.
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(url).status_code == 200  # a page that asks; nothing changes yet
    first.refresh_from_db()
    assert first.announcements_opted_out_at is None
    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.announcements_opted_out_at is not None
    assert mail_program.post(url[:-4] + "abc/").status_code == 404

    with smtp_server(smtp_port) as inbox:
        secretariat_client.post(announcement_url(), {**data, "send": "1"})
    assert [m["To"] for m in inbox.messages] == [second.email]
    # Invitations still reach them.
    meeting = open_meeting()
    with smtp_server(smtp_port) as inbox:
        secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    assert sorted(m["To"] for m in inbox.messages) == sorted([first.email, second.email])


def test_with_the_server_down_invitations_stay_queued_then_go_out(
    secretariat_client, smtp_port, settings
):
    """The database queue's worker for real: the request only stores the recipients and
    enqueues one task; the worker writes the mails and finds no server, so they stay queued
    (the invitation page says so); once the server is back, the retry sends them."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def run_database_worker():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    meeting = open_meeting()
    people = working_group(3)
    response = secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    assert response.status_code == 302
    assert not OutgoingMail.objects.exists()  # the request only queued the task

    run_database_worker()  # nothing listens on the port
    assert OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED).count() == 3
    page = secretariat_client.get(invitation_list_url(meeting))
    assert page.context["states"][0][2] == 3  # queued

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    with smtp_server(smtp_port) as inbox:
        run_database_worker()
    assert sorted(m["To"] for m in inbox.messages) == sorted(p.email for p in people)
    page = secretariat_client.get(invitation_list_url(meeting))
    assert page.context["states"][1][2] == 3  # sent
