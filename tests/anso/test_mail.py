"""Mail through the worker: stored after commit, sent by a task, retried while the server
answers with a temporary failure, marked failed on a permanent one, visible in the admin."""

import base64
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from anso.mail.sending import Attachment, Mail, mails_queue, send_after_commit
from anso.models import OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import Participation
from members.nominations.models import Nomination

from ..factories import OrganizationFactory, RegistrationWindowFactory
from ..meetings.test_registration import form_data as registration_data
from ..meetings.test_registration import register_url
from ..members.test_nomination_views import form_data as nomination_data
from .smtp import Inbox, free_port, smtp_mailers, smtp_server

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_database_worker():
    """The database queue's worker, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)


# Real commits: the mail is stored after the commit, and the worker reads what is committed.
@pytest.mark.django_db(transaction=True)
def test_registration_mail_goes_through_a_real_smtp_server(client, settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    window = RegistrationWindowFactory()
    with smtp_server(port) as inbox:
        response = client.post(register_url(window.meeting), registration_data())
    assert response.status_code == 302
    [message] = inbox.messages
    assert message["To"] == "amina@example.org"
    assert window.meeting.title in message["Subject"]
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.SENT
    assert stored.attempts == 1
    assert stored.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_mail_waits_while_the_server_is_down_and_goes_out_when_it_is_back(client, settings):
    """The database queue's worker for real: the first attempt finds no server, the mail
    stays queued with the error and a retry planned; the retry, with the server back, sends
    it. The registration is answered and kept all along."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    port = free_port()  # nothing listens here yet
    settings.MAILERS = smtp_mailers(port)
    window = RegistrationWindowFactory()

    response = client.post(register_url(window.meeting), registration_data())
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Participation.objects.filter(meeting=window.meeting).count() == 1
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert stored.attempts == 0  # the request only queued it

    run_database_worker()
    stored.refresh_from_db()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert stored.attempts == 1
    assert "ConnectionRefusedError" in stored.last_error
    assert stored.next_attempt_at > timezone.now()
    retry = DBTaskResult.objects.get(status="READY")
    # At the retry's time, rounded up to the second (a queue may round its times down).
    assert 0 <= (retry.run_after - stored.next_attempt_at).total_seconds() < 1
    assert retry.run_after.microsecond == 0

    run_database_worker()  # too early: the retry waits for its time
    stored.refresh_from_db()
    assert stored.attempts == 1

    # Time passes: the retry's time comes, for the queue and for the mail.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    OutgoingMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())
    with smtp_server(port) as inbox:
        run_database_worker()
    stored.refresh_from_db()
    assert stored.status == OutgoingMailStatus.SENT
    assert stored.attempts == 2
    [message] = inbox.messages
    assert message["To"] == "amina@example.org"


@pytest.mark.django_db(transaction=True)
def test_nomination_is_answered_and_its_mail_kept_when_the_server_is_down(client, settings):
    settings.MAILERS = smtp_mailers(free_port())
    organization = OrganizationFactory()
    response = client.post(reverse("members:nomination_create"), nomination_data(organization))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:nomination_thanks")
    assert Nomination.objects.filter(email="amina@example.org").count() == 1
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert stored.to == ["joseph@example.org"]
    assert stored.last_error


@pytest.mark.django_db(transaction=True)
def test_a_permanent_refusal_marks_the_mail_failed_at_once(settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    with smtp_server(port, Inbox(refuse="550 5.1.1 No such user")) as inbox:
        send_after_commit(subject="Hello", body="Text", to=["nobody@example.org"])
    assert inbox.messages == []
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.FAILED
    assert stored.attempts == 1
    assert "550" in stored.last_error


@pytest.mark.django_db(transaction=True)
def test_temporary_failures_end_as_failed_after_the_last_attempt(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_RETRY_DELAYS = [0, 0]
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    with smtp_server(port, Inbox(refuse="451 4.3.0 Try again later")):
        send_after_commit(subject="Hello", body="Text", to=["busy@example.org"])
        run_database_worker()
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.FAILED
    assert stored.attempts == 3
    assert "451" in stored.last_error


@pytest.mark.django_db(transaction=True)
def test_nothing_is_stored_or_sent_when_the_write_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit(subject="Hello", body="Text", to=["a@example.org"])
        raise RuntimeError
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_subject_with_control_characters_is_sent_on_one_line():
    send_after_commit(subject="Nomination of A\x01B\nC", body="Text", to=["a@example.org"])
    [message] = mail.outbox
    assert message.subject == "Nomination of A B C"
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_secretariat_sends_failed_mail_again_from_the_admin(secretariat_client, settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    with smtp_server(port, Inbox(refuse="550 5.1.1 No such user")):
        send_after_commit(subject="Hello", body="Text", to=["later@example.org"])
    stored = OutgoingMail.objects.get(status=OutgoingMailStatus.FAILED)

    changelist = reverse("admin:anso_outgoingmail_changelist")
    response = secretariat_client.get(changelist)
    assert response.status_code == 200
    assert "later@example.org" in response.content.decode()

    with smtp_server(port) as inbox:
        response = secretariat_client.post(
            changelist, {"action": "send_again", "_selected_action": [stored.pk]}, follow=True
        )
    assert "1 mail queued again." in response.content.decode()
    stored.refresh_from_db()
    assert stored.status == OutgoingMailStatus.SENT
    assert len(inbox.messages) == 1


@pytest.mark.django_db
def test_outgoing_mail_cannot_be_added_edited_or_deleted_in_the_admin(secretariat_client):
    stored = OutgoingMail.objects.create(to=["a@example.org"], subject="S", body="B")
    assert secretariat_client.get(reverse("admin:anso_outgoingmail_add")).status_code == 403
    url = reverse("admin:anso_outgoingmail_change", args=[stored.pk])
    secretariat_client.post(url, {"subject": "Changed", "body": "Changed"})
    stored.refresh_from_db()
    assert stored.subject == "S"
    delete = reverse("admin:anso_outgoingmail_delete", args=[stored.pk])
    assert secretariat_client.post(delete, {"post": "yes"}).status_code == 403
    assert OutgoingMail.objects.count() == 1


@pytest.mark.parametrize("n", (1, 30))
@pytest.mark.django_db
def test_outgoing_mail_list_queries_flat(secretariat_client, django_assert_num_queries, n):
    OutgoingMail.objects.bulk_create(
        OutgoingMail(to=[f"p{i}@example.org"], subject=f"S{i}", body="B") for i in range(n)
    )
    url = reverse("admin:anso_outgoingmail_changelist")
    secretariat_client.get(url)  # warm the session and permission caches
    with django_assert_num_queries(8):  # the whole table's count is cached
        assert secretariat_client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_outbox_shows_a_mail_whole_and_its_html_without_running_it(secretariat_client):
    [stored] = mails_queue(
        [
            Mail(
                to=["Wang Fang <wang@example.org>"],
                subject="Notice",
                body="Plain 中文 part",
                html='<p>Rich</p><script>alert("x")</script>',
                headers={"List-Unsubscribe": "<https://anso.example.org/u/1>"},
                bulk=True,
            )
        ]
    )
    OutgoingMail.objects.filter(pk=stored.pk).update(
        refused=["gone@example.org"], refused_reply="gone@example.org: 550 No such user"
    )
    page = secretariat_client.get(stored.get_absolute_url()).content.decode()
    assert escape(stored.message_id) in page
    assert "List-Unsubscribe: &lt;https://anso.example.org/u/1&gt;" in page
    assert "Plain 中文 part" in page
    assert '<iframe sandbox=""' in page
    assert (
        "<script>alert" not in page
    )  # only escaped, in the source (the frame has its own address)
    assert "&lt;script&gt;alert" in page
    assert "550 No such user" in page


@pytest.mark.django_db
def test_the_outbox_finds_mail_by_recipient_and_filters_by_state(secretariat_client):
    mails_queue(
        [
            Mail(to=["Wang Fang <wang@example.org>"], subject="First", body="B", bulk=True),
            Mail(to=["amina@example.org"], subject="Second", body="B"),
        ]
    )
    OutgoingMail.objects.filter(subject="Second").update(refused=["amina@example.org"])
    changelist = reverse("admin:anso_outgoingmail_changelist")

    def subjects(**params):
        response = secretariat_client.get(changelist, params)
        return [mail.subject for mail in response.context["cl"].result_list]

    assert subjects(q="wang@") == ["First"]
    assert subjects(q="Second") == ["Second"]
    assert subjects(bulk__exact="1") == ["First"]
    assert subjects(refused="yes") == ["Second"]
    assert subjects(status__exact="queued", bulk__exact="0") == ["Second"]


@pytest.mark.django_db(transaction=True)
def test_an_attachment_waits_encrypted_and_arrives_whole(settings):
    """An attachment (a visa letter holds passport details) is stored encrypted while the mail
    waits for the worker, and reaches the recipient as it was given."""
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.TASKS = DATABASE_QUEUE
    content = b"%PDF-1.7 passport number X1234567"
    letter = Attachment("letter.pdf", content, "application/pdf")
    [stored] = mails_queue(
        [
            Mail(
                to=["amina@example.org"],
                subject="Your letter",
                body="Attached.",
                attachments=(letter,),
            )
        ]
    )
    # The column as stored (a JSON field keeps its strings as they are written).
    raw = json.dumps(OutgoingMail.objects.values_list("attachments", flat=True).get(pk=stored.pk))
    assert "letter.pdf" in raw
    assert "X1234567" not in raw
    assert base64.b64encode(content).decode() not in raw
    with smtp_server(port) as inbox:
        run_database_worker()
    [message] = inbox.messages
    [part] = list(message.iter_attachments())
    assert part.get_filename() == "letter.pdf"
    assert part.get_content() == content
