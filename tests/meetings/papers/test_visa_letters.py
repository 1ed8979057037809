"""Visa letters: the passport details encrypted at rest, the approval that makes the worker
mail the signed letter as an attachment, the key's rotation, and the erasure after the meeting."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from anso.models import OutgoingMail, OutgoingMailStatus
from meetings.papers import visa
from meetings.papers.models import Paper, PaperKind, VisaRequest, VisaRequestStatus
from tests.anso.smtp import free_port, smtp_mailers, smtp_server
from tests.factories import BodyFactory, MeetingFactory, ParticipationFactory, PersonFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PASSPORT_NAME = "OKONKWO CHIDINMA ADAEZE"
PASSPORT_NUMBER = "A07731925"
CONSULATE = "Consulate-General in Lagos"


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)


def details(meeting, **changes) -> visa.VisaDetails:
    values = {
        "passport_name": PASSPORT_NAME,
        "nationality": "NG",
        "passport_number": PASSPORT_NUMBER,
        "date_of_birth": datetime.date(1984, 3, 9),
        "arrival": meeting.start_date - datetime.timedelta(days=1),
        "departure": meeting.end_date + datetime.timedelta(days=1),
        "consulate": CONSULATE,
    }
    return visa.VisaDetails(**(values | changes))


def new_meeting(**kwargs):
    values = {
        "body": BodyFactory(kind="working_group"),
        "number": 3,
        "start_date": datetime.date(2027, 5, 13),
        "end_date": datetime.date(2027, 5, 14),
        "is_published": True,
    }
    return MeetingFactory(**(values | kwargs))


def requested(meeting=None) -> VisaRequest:
    meeting = meeting or new_meeting()
    person = PersonFactory(given_name="Chidinma", family_name="Okonkwo", language="en")
    participation = ParticipationFactory(meeting=meeting, person=person)
    return visa.visa_request_submit(participation=participation, details=details(meeting))


def raw_row(visa_request) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_name, nationality, passport_number, date_of_birth, consulate "
            "FROM meetings_visarequest WHERE id = %s",
            [visa_request.pk],
        )
        return cursor.fetchone()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_the_database_column_holds_no_plaintext():
    visa_request = requested()
    row = raw_row(visa_request)
    stored = " ".join(row)
    for plain in (PASSPORT_NAME, PASSPORT_NUMBER, CONSULATE, "1984-03-09"):
        assert plain not in stored
    assert row[1] != "NG"  # two letters may occur inside a token by chance; the column is not them
    assert all(value.startswith("gAAAA") for value in row)  # Fernet tokens
    again = VisaRequest.objects.get(pk=visa_request.pk)
    assert again.passport_name == PASSPORT_NAME
    assert again.passport_number == PASSPORT_NUMBER


@pytest.mark.django_db
def test_a_new_key_first_reads_the_old_rows_and_the_rotation_writes_them_with_it(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VISA_DATA_KEYS = [old]
    visa_request = requested()
    settings.VISA_DATA_KEYS = [new, old]
    assert VisaRequest.objects.get(pk=visa_request.pk).passport_name == PASSPORT_NAME
    call_command("visa_data_rotate", stdout=io.StringIO())
    settings.VISA_DATA_KEYS = [new]  # the old key is gone: the rows still read
    assert VisaRequest.objects.get(pk=visa_request.pk).passport_number == PASSPORT_NUMBER
    token = raw_row(visa_request)[0]
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == PASSPORT_NAME


@pytest.mark.django_db
def test_production_without_a_key_fails_the_deploy_check(settings):
    from anso.security.encryption import check_visa_data_keys

    settings.VISA_DATA_DEV_KEY = False
    settings.VISA_DATA_KEYS = []
    assert [message.id for message in check_visa_data_keys()] == ["anso.E002"]
    settings.VISA_DATA_KEYS = ["not a key"]
    assert [message.id for message in check_visa_data_keys()] == ["anso.E003"]
    settings.VISA_DATA_KEYS = [Fernet.generate_key().decode()]
    assert check_visa_data_keys() == []


# Real commits: the task is enqueued after the approval commits, and the worker reads it.
@pytest.mark.django_db(transaction=True)
def test_approval_makes_the_worker_mail_the_signed_letter_as_an_attachment(settings):
    settings.TASKS = DATABASE_QUEUE
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    visa_request = requested()
    result = visa.visa_requests_approve(requests=[visa_request], by=None)
    assert result.approved and not result.skipped
    visa_request.refresh_from_db()
    paper = visa_request.paper
    assert visa_request.status == VisaRequestStatus.APPROVED
    assert paper.kind == PaperKind.VISA_LETTER
    assert paper.reference == "ANSO-2027-WG3-V-0001"

    with smtp_server(port) as inbox:
        run_worker()

    [message] = inbox.messages
    assert message["To"] == visa_request.participation.person.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "attached" in body
    for secret in (PASSPORT_NAME, PASSPORT_NUMBER, CONSULATE):
        assert secret not in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "ANSO-2027-WG3-V-0001.pdf"
    text = pdf_text(attachment.get_content())
    assert PASSPORT_NAME in text
    assert PASSPORT_NUMBER in text
    assert paper.reference in text

    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.SENT
    assert stored.attachments == []  # the letter does not stay in the mail's row
    assert PASSPORT_NAME not in stored.body
    paper.refresh_from_db()
    assert len(paper.sha256) == 64
    assert not paper.file  # the letter's PDF is not kept


@pytest.mark.django_db
def test_the_details_are_erased_after_the_meeting_and_the_verification_stands(
    client, settings, django_capture_on_commit_callbacks
):
    settings.VISA_DATA_RETENTION_DAYS = 30
    meeting = new_meeting(
        start_date=datetime.date(2026, 5, 13), end_date=datetime.date(2026, 5, 14)
    )
    visa_request = requested(meeting)
    with django_capture_on_commit_callbacks(execute=False):
        visa.visa_requests_approve(requests=[visa_request], by=None)
    visa_request.refresh_from_db()
    later = requested(new_meeting(number=4))  # a meeting still to come keeps its details

    too_early = datetime.datetime(2026, 6, 13, 12, tzinfo=datetime.UTC)
    assert visa.visa_data_erase(now=too_early) == 0
    after = datetime.datetime(2026, 6, 14, 12, tzinfo=datetime.UTC)
    assert visa.visa_data_erase(now=after) == 1

    erased = VisaRequest.objects.get(pk=visa_request.pk)
    assert erased.erased_at == after
    assert raw_row(erased) == ("", "", "", "", "")
    assert erased.status == VisaRequestStatus.APPROVED
    assert VisaRequest.objects.get(pk=later.pk).passport_name == PASSPORT_NAME

    paper = Paper.objects.get(pk=visa_request.paper_id)
    page = client.get(reverse("papers:verify", kwargs={"reference": paper.reference}))
    assert page.status_code == 200
    assert "Issued on" in page.content.decode() or "issued" in page.content.decode()
    assert PASSPORT_NAME not in page.content.decode()


@pytest.mark.django_db
def test_the_upkeep_runs_the_erasure():
    from anso.background.upkeep import chore_names

    assert "meetings.visa_data_erase" in chore_names()


@pytest.mark.django_db
def test_the_rotation_also_writes_the_waiting_mails_attachments_with_the_new_key(settings):
    """A letter waiting for the dispatcher is encrypted too (anso/mail/sending.py): after the
    rotation, the old key can go and the mail still goes out with its attachment."""
    from django.core import mail

    from anso.mail.dispatch import mail_dispatch
    from anso.mail.sending import Attachment, Mail, mails_queue
    from anso.security.encryption import decrypt_bytes

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VISA_DATA_KEYS = [old]
    letter = b"%PDF-1.7 a letter naming " + PASSPORT_NUMBER.encode()
    [waiting] = mails_queue(
        [
            Mail(
                to=["chidinma@example.org"],
                subject="Your letter of invitation",
                body="Attached.",
                attachments=(Attachment("ANSO-2027-WG3-V-0001.pdf", letter, "application/pdf"),),
            )
        ]
    )  # not handed to the worker: the test's transaction never commits
    sent = OutgoingMail.objects.create(
        to=["sent@example.org"], subject="Sent", status=OutgoingMailStatus.SENT
    )
    token = waiting.attachments[0]["content"]
    Fernet(old.encode()).decrypt(token.encode())

    settings.VISA_DATA_KEYS = [new, old]
    out = io.StringIO()
    call_command("visa_data_rotate", stdout=out)
    assert "Mails whose attachments were written with the newest key: 1" in out.getvalue()
    settings.VISA_DATA_KEYS = [new]  # the old key is gone
    waiting.refresh_from_db()
    [attachment] = waiting.attachments
    assert attachment["content"] != token
    assert attachment["filename"] == "ANSO-2027-WG3-V-0001.pdf"
    assert decrypt_bytes(attachment["content"]) == letter
    assert Fernet(new.encode()).decrypt(attachment["content"].encode()) == letter
    sent.refresh_from_db()
    assert sent.attachments == []  # a sent mail gets none back

    mail_dispatch()
    [message] = mail.outbox
    [(filename, content, _mimetype)] = message.attachments
    assert (filename, content) == ("ANSO-2027-WG3-V-0001.pdf", letter)
