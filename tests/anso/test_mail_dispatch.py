"""The mail dispatcher through a real SMTP server: both parts, the site's headers, refused
recipients, a server that is down, the shared rate, and queuing many mails at once."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anso.mail.dispatch import mail_dispatch
from anso.mail.sending import Mail, mail_refused, mails_queue, send_after_commit
from anso.models import OutgoingMail, OutgoingMailStatus

from .smtp import Inbox, free_port, smtp_mailers, smtp_server

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_database_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.DEFAULT_FROM_EMAIL = "ANSO Secretariat <noreply@anso.example.org>"
    settings.MAIL_DOMAIN = "anso.example.org"
    settings.MAIL_REPLY_TO = "ANSO Secretariat <secretariat@anso.example.org>"
    return port


@pytest.mark.django_db(transaction=True)
def test_a_mail_with_both_parts_and_extra_headers_arrives_as_written(smtp_port):
    unsubscribe = "<https://anso.example.org/unsubscribe/abc>"
    with smtp_server(smtp_port) as inbox:
        [stored] = mails_queue(
            [
                Mail(
                    to=["Wang Fang <wang@example.org>", "amina@example.org"],
                    subject="会议通知 Meeting notice",
                    body="您好。请查收会议通知。\nHello, the notice.",
                    html="<p>您好 <b>Hello</b></p>",
                    headers={
                        "List-Unsubscribe": unsubscribe,
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                    bulk=True,
                )
            ]
        )
    [message] = inbox.messages
    assert inbox.envelopes == [["wang@example.org", "amina@example.org"]]
    assert message["From"] == "ANSO Secretariat <noreply@anso.example.org>"
    assert message["Reply-To"] == "ANSO Secretariat <secretariat@anso.example.org>"
    assert message["Subject"] == "会议通知 Meeting notice"
    assert message["List-Unsubscribe"] == unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"]
    assert re.fullmatch(r"<[^<>@\s]+@anso\.example\.org>", message["Message-ID"])
    stored.refresh_from_db()
    assert message["Message-ID"] == stored.message_id
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "您好。请查收会议通知。" in text
    assert "<p>您好 <b>Hello</b></p>" in html
    assert stored.status == OutgoingMailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_a_plain_mail_has_one_part_and_no_bulk_marks(smtp_port):
    with smtp_server(smtp_port) as inbox:
        send_after_commit(subject="Registered", body="Text 中文", to=["a@example.org"])
    [message] = inbox.messages
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Text 中文"
    assert message["Precedence"] is None


def test_extra_headers_must_be_one_line_and_not_the_sites_own():
    for headers in ({"X-Note": "a\r\nBcc: x@example.org"}, {"From": "x@example.org"}, {"A b": "c"}):
        with pytest.raises(ValueError):
            send_after_commit(subject="S", body="B", to=["a@example.org"], headers=headers)


@pytest.mark.django_db(transaction=True)
def test_message_ids_are_unique_and_kept_across_a_retry(smtp_port, settings):
    settings.TASKS = DATABASE_QUEUE
    mails_queue([Mail(to=[f"p{i}@example.org"], subject="S", body="B") for i in range(3)])
    run_database_worker()  # nothing listens yet: every mail waits for its retry
    stored = list(OutgoingMail.objects.order_by("pk"))
    assert {mail.status for mail in stored} == {OutgoingMailStatus.QUEUED}
    assert len({mail.message_id for mail in stored}) == 3
    OutgoingMail.objects.update(next_attempt_at=timezone.now())  # the retry's time comes
    with smtp_server(smtp_port) as inbox:
        mail_dispatch()
    assert sorted(message["Message-ID"] for message in inbox.messages) == sorted(
        mail.message_id for mail in stored
    )


@pytest.mark.django_db(transaction=True)
def test_recipients_refused_for_good_are_recorded_and_announced(smtp_port):
    announced = []

    def receiver(sender, *, addresses, reply, mail, **kwargs):
        announced.append((addresses, reply, mail.pk))

    mail_refused.connect(receiver)
    try:
        inbox = Inbox(refuse_only={"gone@example.org": "550 5.1.1 No such user"})
        with smtp_server(smtp_port, inbox):
            send_after_commit(
                subject="S", body="B", to=["here@example.org", "Gone <gone@example.org>"]
            )
    finally:
        mail_refused.disconnect(receiver)
    assert inbox.envelopes == [["here@example.org"]]
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.SENT
    assert stored.refused == ["gone@example.org"]
    assert "550 5.1.1 No such user" in stored.refused_reply
    assert announced == [(["gone@example.org"], "550 5.1.1 No such user", stored.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_recipient_refused_for_now_is_tried_again_alone(smtp_port, settings):
    settings.TASKS = DATABASE_QUEUE
    inbox = Inbox(refuse_only={"busy@example.org": "451 4.3.0 Try again later"})
    with smtp_server(smtp_port, inbox):
        send_after_commit(subject="S", body="B", to=["here@example.org", "busy@example.org"])
        run_database_worker()
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert stored.pending_to == ["busy@example.org"]
    assert stored.refused == []
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    with smtp_server(smtp_port) as inbox_later:
        mail_dispatch()
    assert inbox_later.envelopes == [["busy@example.org"]]
    assert inbox_later.messages[0]["Message-ID"] == inbox.messages[0]["Message-ID"]
    stored.refresh_from_db()
    assert stored.status == OutgoingMailStatus.SENT
    assert stored.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_mail_waits_while_the_server_is_stopped_and_goes_out_when_it_is_back(smtp_port, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    with smtp_server(smtp_port) as inbox:
        send_after_commit(subject="First", body="B", to=["a@example.org"])
        run_database_worker()
    assert len(inbox.messages) == 1
    # The server stops; two mails are queued and the worker cannot reach it.
    mails_queue([Mail(to=[f"p{i}@example.org"], subject="Later", body="B") for i in range(2)])
    run_database_worker()
    waiting = OutgoingMail.objects.filter(subject="Later")
    assert {mail.status for mail in waiting} == {OutgoingMailStatus.QUEUED}
    assert all("ConnectionRefusedError" in mail.last_error for mail in waiting)
    [planned] = DBTaskResult.objects.filter(status="READY")
    assert planned.run_after > timezone.now()
    # Back on the same port; the retry's time comes.
    DBTaskResult.objects.filter(pk=planned.pk).update(run_after=timezone.now())
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    with smtp_server(smtp_port) as inbox:
        run_database_worker()
    assert sorted(message["To"] for message in inbox.messages) == [
        "p0@example.org",
        "p1@example.org",
    ]
    assert {mail.status for mail in waiting.all()} == {OutgoingMailStatus.SENT}


@pytest.mark.django_db(transaction=True)
def test_one_run_sends_within_the_rate_and_defers_the_rest(smtp_port, settings, fresh_rate_window):
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_RATE_PER_MINUTE = 3
    with transaction.atomic():
        mails_queue([Mail(to=[f"p{i}@example.org"], subject="S", body="B") for i in range(5)])
        send_after_commit(subject="Registered", body="B", to=["first@example.org"])
    with smtp_server(smtp_port) as inbox:
        assert mail_dispatch() == 3
        # Another run (another worker) counts against the same rate in the shared cache.
        assert mail_dispatch() == 0
    assert len(inbox.messages) == 3
    assert OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED).count() == 3
    # One waiting run, however many runs found the rate used up.
    [later] = DBTaskResult.objects.exclude(run_after=get_date_max())
    assert 0 < (later.run_after - timezone.now()).total_seconds() <= fresh_rate_window + 60
    assert later.run_after.second == 0  # the next rate window


@pytest.mark.django_db(transaction=True)
def test_individual_mail_goes_before_bulk_mail(smtp_port, settings, fresh_rate_window):
    settings.MAIL_RATE_PER_MINUTE = 1
    settings.TASKS = DATABASE_QUEUE
    mails_queue(
        [Mail(to=[f"p{i}@example.org"], subject="Bulk", body="B", bulk=True) for i in range(3)]
    )
    mails_queue([Mail(to=["one@example.org"], subject="Registered", body="B")])
    with smtp_server(smtp_port) as inbox:
        mail_dispatch()
    assert [message["Subject"] for message in inbox.messages] == ["Registered"]


@pytest.mark.parametrize("n", (1, 200))
@pytest.mark.django_db
def test_queuing_many_mails_takes_a_constant_number_of_queries(django_assert_num_queries, n):
    mails = [Mail(to=[f"p{i}@example.org"], subject="S", body="B", bulk=True) for i in range(n)]
    with django_assert_num_queries(1):
        stored = mails_queue(mails)
    assert len(stored) == n
    assert len({mail.message_id for mail in stored}) == n
