"""A visa letter from end to end (docs/papers.md, "Visa letters"): a participant asks for it on
the registration form, the Secretariat approves the request in the admin, the worker mails the
signed letter to a real SMTP server (aiosmtpd), the address printed on the letter (and held by
its QR code, read back from the PDF) leads to its verification page, which says it stands;
revoked in the admin, the page says so."""

import io
import re
import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from pypdf import PdfReader

from meetings.papers.models import Paper, VisaRequest, VisaRequestStatus

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..factories import RegistrationWindowFactory
from ..meetings.papers.qr import qr_holds
from ..meetings.test_registration import register_url
from .test_secretariat_morning import DESKTOP, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPORT_NAME = "OKAFOR AMINA NGOZI"
PASSPORT_NUMBER = "A07731925"
REFERENCE = re.compile(r"ANSO-\d{4}-[A-Z0-9]+-V-\d{4}")


def run_worker_in_its_own_thread():
    """The worker signs the letter (pyHanko runs an event loop of its own), which Playwright's
    sync API, running its loop in this thread, would refuse: the worker gets a thread. It is
    the database queue's worker, as `db_worker --batch` runs it, less the signal handlers
    (which only the main thread may set)."""
    failures = []

    def work():
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="visa-letter-path",
            excluded_queue_names=[],
        )
        try:
            worker.run()
        except BaseException as error:  # raised again below, in the test
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the worker did not finish"
    if failures:
        raise failures[0]


def ask_for_a_letter(page, url: str, meeting) -> None:
    page.goto(url)
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Email").fill("amina.okafor@example.org")
    page.get_by_label("Organization, if not in the list").fill("Lagos Sample Institute")
    page.get_by_label("Country or region").select_option("NG")
    page.get_by_label("You attend as").select_option("expert")
    page.get_by_label("I need a letter of invitation for my visa").check()
    page.get_by_label("Name as in the passport").fill(PASSPORT_NAME)
    page.get_by_label("Nationality").select_option("NG")
    page.get_by_label("Passport number").fill(PASSPORT_NUMBER)
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Arrival").fill(meeting.start_date.isoformat())
    page.get_by_label("Departure").fill(meeting.end_date.isoformat())
    page.get_by_label("Consulate where you apply").fill("Consulate-General in Lagos")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()


def run_action(page, url: str, action: str) -> None:
    """Tick every row of an admin list and run one of its actions."""
    page.goto(url)
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()


def test_a_visa_letter_from_the_form_to_its_revocation(browser, page, live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    meeting = RegistrationWindowFactory().meeting

    ask_for_a_letter(page, f"{live_server.url}{register_url(meeting)}", meeting)
    request = VisaRequest.objects.get()
    assert request.status == VisaRequestStatus.REQUESTED

    context, admin = sign_in(browser, live_server, DESKTOP)
    changelist = f"{live_server.url}/admin/meetings/visarequest/"
    run_action(admin, changelist, "Approve and send the letters")
    admin.get_by_text("1 request approved: its letter is being mailed.").wait_for()

    with smtp_server(port) as inbox:
        run_worker_in_its_own_thread()
    [letter] = [m for m in inbox.messages if any(m.iter_attachments())]
    assert letter["To"] == "amina.okafor@example.org"
    for part in letter.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            assert PASSPORT_NUMBER not in part.get_content()
            assert PASSPORT_NAME not in part.get_content()
    assert PASSPORT_NUMBER not in letter["Subject"]
    [attachment] = list(letter.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert PASSPORT_NUMBER in text  # in the letter itself, for the consulate
    reference = REFERENCE.search(text).group(0)
    assert reference == Paper.objects.get().reference

    # The address printed beside the code, and the code itself, module for module.
    address = re.search(r"https?://\S+/papers/\S+/", text).group(0)
    assert address.startswith(live_server.url) and address.endswith(f"/{reference}/")
    assert qr_holds(pdf, address)

    page.goto(address)
    state = page.locator("#paper-state")
    assert state.get_attribute("data-state") == "issued"
    assert "stands" in state.inner_text()
    assert reference in page.content()

    run_action(admin, f"{live_server.url}/admin/meetings/paper/", "Revoke the selected papers…")
    admin.get_by_label("Reason").fill("Issued to the wrong passport.")
    admin.get_by_role("button", name="Revoke").click()
    admin.get_by_text("1 paper revoked.").wait_for()
    context.close()

    page.goto(address)
    state = page.locator("#paper-state")
    assert state.get_attribute("data-state") == "revoked"
    assert "revoked" in state.inner_text()
