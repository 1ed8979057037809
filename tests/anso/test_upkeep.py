"""The upkeep (anso/background/upkeep.py): every app's chores run, each in its own transaction, one
failure stopping none of the others; import jobs a dead worker left end done or failed with
"Try again"; what is past its retention is deleted."""

import datetime
import logging
import threading
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from anso.background import upkeep
from anso.background.imports import (
    import_job_create,
    import_job_files_delete,
    import_job_run,
    import_jobs_recover,
)
from anso.mail.dispatch import dispatch_mail, mail_bodies_delete, mail_due_dispatch
from anso.mail.sending import Attachment, Mail, mails_queue
from anso.models import ImportJob, ImportJobStatus, OutgoingMail, OutgoingMailStatus
from members.models import Organization

from ..factories import MeetingFactory, UserFactory

DATA = Path(__file__).resolve().parent.parent / "data"
LATER = datetime.timedelta(hours=1)


def organizations_job(user, *, status=ImportJobStatus.IMPORTING, **fields) -> ImportJob:
    """An organizations file left by a worker in `status`, queued an hour ago."""
    return ImportJob.objects.create(
        created_by=user,
        model_label="members.organization",
        resource_path="members.resources.OrganizationResource",
        input_format="csv",
        file_name="organizations.csv",
        data=(DATA / "organizations.csv").read_bytes(),
        status=status,
        **{"queued_at": timezone.now() - LATER, "attempts": 1, **fields},
    )


# --- the registry -----------------------------------------------------------------------------


def test_upkeep_runs_the_chores_of_every_app():
    assert {
        "imports.recover",
        "imports.delete_files",
        "exports.recover",
        "exports.delete_files",
        "mail.dispatch_due",
        "mail.delete_bodies",
        "meetings.mailings_unwritten",
        "members.sign_in_links_scrub",
    } <= set(upkeep.chore_names())


@pytest.fixture
def _locks_need_a_transaction_on_any_database(monkeypatch):
    """A row lock taken outside a transaction fails on SQLite as on PostgreSQL. SQLite has no
    row locks, and Django leaves `select_for_update` out of its SQL without a word; PostgreSQL
    refuses it outside a transaction."""
    compile_query = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        if self.query.select_for_update and self.connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        return compile_query(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)


@pytest.mark.usefixtures("_locks_need_a_transaction_on_any_database")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", upkeep.chore_names())
def test_every_chore_runs_on_its_own_outside_the_upkeep(name):
    """A chore is also called on its own (by a test, a command, a shell), outside the upkeep's
    transaction and outside any test's: the rows it locks need a transaction of its own."""
    upkeep._CHORES[name]()


@pytest.mark.django_db
def test_upkeep_chore_that_fails_is_rolled_back_and_logged_and_the_others_run(monkeypatch, caplog):
    monkeypatch.setattr(upkeep, "_CHORES", {})

    def failing():
        Organization.objects.create(name="Written, then rolled back")
        raise RuntimeError("broken chore")

    upkeep.chore_register("first", failing)
    upkeep.chore_register("second", lambda: Organization.objects.create(name="Kept") and 1)
    with caplog.at_level(logging.INFO, logger="anso.background.upkeep"):
        results = upkeep.upkeep.enqueue().return_value
    assert results == {"first": "failed", "second": 1}
    assert list(Organization.objects.values_list("name", flat=True)) == ["Kept"]
    assert "Upkeep chore first failed" in caplog.text
    assert "first failed, second 1" in caplog.text
    assert "broken chore" in caplog.text


@pytest.mark.django_db
def test_upkeep_timer_queues_the_task_once_per_period_whatever_the_number_of_timers(
    settings, django_capture_on_commit_callbacks
):
    from anso.management.commands.upkeep_timer import upkeep_enqueue_once_per_period

    settings.UPKEEP_SECONDS = 300
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    start = 1_000_000 * 300.0
    assert upkeep_enqueue_once_per_period(now=start)
    assert not upkeep_enqueue_once_per_period(now=start + 10)  # another machine's timer
    assert upkeep_enqueue_once_per_period(now=start + 300)
    assert DBTaskResult.objects.filter(task_path="anso.background.upkeep.upkeep").count() == 2

    call_command("upkeep_timer", once=True)
    assert DBTaskResult.objects.filter(task_path="anso.background.upkeep.upkeep").count() == 3


# --- import jobs a dead worker left ----------------------------------------------------------


@pytest.mark.django_db
def test_import_job_left_by_a_dead_worker_is_run_again_and_finishes(
    secretariat_user, django_capture_on_commit_callbacks
):
    job = organizations_job(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.errors
    assert job.attempts == 2
    assert Organization.objects.count() == job.new > 0


@pytest.mark.django_db
def test_import_job_queued_recently_is_left_to_its_worker(
    secretariat_user, django_capture_on_commit_callbacks
):
    job = organizations_job(secretariat_user)
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 0
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJobStatus.IMPORTING, 1)


@pytest.mark.django_db
def test_import_job_whose_worker_died_each_time_fails_then_runs_again_from_its_page(
    secretariat_client, secretariat_user, settings, django_capture_on_commit_callbacks
):
    """After IMPORT_JOB_ATTEMPTS runs the job is failed with a message, its page stops
    refreshing and offers "Try again", which runs the import (confirmed anew)."""
    settings.IMPORT_JOB_ATTEMPTS = 2
    job = organizations_job(secretariat_user, attempts=2, confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert "The background worker stopped before this step ended, 2 times" in str(job.errors)
    assert bytes(job.data)  # kept for "Try again"

    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "The background worker stopped before this step ended" in content
    retry = f"{job.get_absolute_url()}retry/"
    assert f'action="{retry}"' in content

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(retry)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.errors
    assert Organization.objects.count() == job.new > 0
    assert job.confirmed_by == secretariat_user
    # A second click finds nothing to try again.
    response = secretariat_client.post(retry, follow=True)
    assert "This job cannot be tried again." in response.content.decode()


@pytest.mark.django_db
def test_failed_import_job_without_its_file_offers_no_retry(secretariat_client, secretariat_user):
    job = organizations_job(secretariat_user, status=ImportJobStatus.FAILED, finished_at=None)
    ImportJob.objects.filter(pk=job.pk).update(data=b"")
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "retry/" not in content
    assert secretariat_client.post(f"{job.get_absolute_url()}retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED


@pytest.mark.django_db
def test_staff_cancel_a_waiting_import_job_and_no_worker_runs_it(
    secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    job = organizations_job(secretariat_user, status=ImportJobStatus.CHECKING)
    cancel = f"{job.get_absolute_url()}cancel/"
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert f'action="{cancel}"' in content
    response = secretariat_client.post(cancel, follow=True)
    assert "The job is cancelled; nothing was saved." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CANCELLED
    assert bytes(job.data) == b""

    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 0
    assert import_job_run(job_pk=job.pk) == ImportJobStatus.CANCELLED
    assert Organization.objects.count() == 0
    response = secretariat_client.post(cancel, follow=True)
    assert "it cannot be cancelled" in response.content.decode()


@pytest.mark.django_db
def test_import_job_actions_need_the_import_permission_and_a_post(
    client, secretariat_user, outsider_staff_user
):
    job = organizations_job(secretariat_user, status=ImportJobStatus.CHECKING)
    client.force_login(outsider_staff_user)
    assert client.post(f"{job.get_absolute_url()}cancel/").status_code == 403
    client.force_login(secretariat_user)
    assert client.get(f"{job.get_absolute_url()}cancel/").status_code == 405
    assert client.post(f"{job.get_absolute_url()}explode/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKING


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks")
@pytest.mark.django_db(transaction=True)
def test_import_job_a_live_worker_holds_is_left_to_it(secretariat_user):
    """A running step holds its job's row locked (another connection here): the upkeep does
    not queue it again, and a second run of the step leaves it without running it."""
    job = organizations_job(secretariat_user)
    locked, release = threading.Event(), threading.Event()

    def worker_holding_the_job():
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_holding_the_job)
    thread.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            assert import_jobs_recover() == 0
        assert import_job_run(job_pk=job.pk) == ImportJobStatus.IMPORTING
    finally:
        release.set()
        thread.join()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started_at) == (ImportJobStatus.IMPORTING, 1, None)
    assert Organization.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_import_queued_while_the_queue_is_down_is_taken_by_the_upkeep(settings, secretariat_user):
    """Robust enqueue: the upload is answered, the job waits, and the upkeep queues it."""
    from .smtp import free_port

    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with transaction.atomic():
        job = import_job_create(
            user=secretariat_user,
            model_label="members.organization",
            resource_path="members.resources.OrganizationResource",
            input_format="csv",
            file_name="organizations.csv",
            data=(DATA / "organizations.csv").read_bytes(),
        )
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKING

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with transaction.atomic():  # as the upkeep runs each chore
        assert import_jobs_recover(now=timezone.now() + LATER) == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED, job.errors


# --- retention -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_files_of_ended_import_jobs_are_deleted_after_their_days(settings, secretariat_user):
    settings.IMPORT_JOB_FILE_DAYS = 7
    now = timezone.now()
    old = organizations_job(
        secretariat_user, status=ImportJobStatus.FAILED, finished_at=now - datetime.timedelta(8)
    )
    recent = organizations_job(
        secretariat_user, status=ImportJobStatus.FAILED, finished_at=now - datetime.timedelta(6)
    )
    running = organizations_job(secretariat_user, status=ImportJobStatus.IMPORTING)
    assert import_job_files_delete() == 1
    assert import_job_files_delete() == 0
    sizes = {job.pk: len(bytes(job.data)) for job in ImportJob.objects.all()}
    assert sizes[old.pk] == 0
    assert sizes[recent.pk] > 0
    assert sizes[running.pk] > 0
    old.refresh_from_db()
    assert old.status == ImportJobStatus.FAILED and old.file_name == "organizations.csv"


@pytest.mark.django_db
def test_sent_mail_loses_its_text_after_its_days_and_keeps_its_headers(settings):
    settings.MAIL_BODY_DAYS = 30
    now = timezone.now()
    old, recent, failed = mails_queue(
        [
            Mail(to=[f"m{i}@example.org"], subject=f"S{i}", body="Link", html="<p>Link</p>")
            for i in range(3)
        ]
    )
    OutgoingMail.objects.filter(pk=old.pk).update(
        status=OutgoingMailStatus.SENT, sent_at=now - datetime.timedelta(31)
    )
    OutgoingMail.objects.filter(pk=recent.pk).update(
        status=OutgoingMailStatus.SENT, sent_at=now - datetime.timedelta(29)
    )
    OutgoingMail.objects.filter(pk=failed.pk).update(status=OutgoingMailStatus.FAILED)
    assert mail_bodies_delete() == 1
    assert mail_bodies_delete() == 0
    old.refresh_from_db()
    assert (old.body, old.html) == ("", "")
    assert (old.to, old.subject, old.status) == (["m0@example.org"], "S0", OutgoingMailStatus.SENT)
    assert old.sent_at is not None and old.message_id
    assert OutgoingMail.objects.exclude(pk=old.pk).filter(body="Link").count() == 2


# --- mail whose run was lost -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_due_mail_without_a_run_gets_one(settings, mailoutbox):
    """The queue was down when the mail was stored: nothing took it. The upkeep plans a run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mails_queue([Mail(to=["late@example.org"], subject="Waited", body="B")])
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the run its enqueue planned is lost
    with transaction.atomic():
        assert mail_due_dispatch() == 0  # just queued: its own run may still come
    assert DBTaskResult.objects.count() == 0

    with transaction.atomic():
        assert mail_due_dispatch(now=timezone.now() + LATER) == 1
    assert DBTaskResult.objects.filter(task_path=dispatch_mail.module_path).count() == 1
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT
    assert [message.subject for message in mailoutbox] == ["Waited"]


# --- who confirmed an import -----------------------------------------------------------------


@pytest.mark.django_db
def test_imported_rows_history_names_who_confirmed_the_job_not_who_uploaded_it(
    client, secretariat_user, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from members.roles import SECRETARIAT_GROUP

    MeetingFactory(number=1)
    uploader = secretariat_user
    confirmer = UserFactory(username="confirmer", is_staff=True)
    confirmer.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    client.force_login(uploader)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            user=uploader,
            model_label="members.organization",
            resource_path="members.resources.OrganizationResource",
            input_format="csv",
            file_name="organizations.csv",
            data=(DATA / "organizations.csv").read_bytes(),
        )
    client.force_login(confirmer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/members/organization/process_import/", {"job": job.pk})
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.errors
    assert (job.created_by, job.confirmed_by) == (uploader, confirmer)
    assert job.confirmed_at is not None
    imported = Organization.history.filter(history_date__gte=job.confirmed_at)
    assert imported.count() == job.new == 2
    history_users = set(imported.values_list("history_user", flat=True))
    assert history_users == {confirmer.pk}
    assert set(LogEntry.objects.values_list("user", flat=True)) == {confirmer.pk}
    content = client.get(job.get_absolute_url()).content.decode()
    assert "Import confirmed by confirmer." in content


@pytest.mark.django_db
def test_a_failed_mail_loses_its_attachments_after_the_mail_days(settings):
    settings.MAIL_BODY_DAYS = 30
    old, recent = mails_queue(
        [
            Mail(
                to=[f"m{i}@example.org"],
                subject=f"S{i}",
                body="Attached.",
                attachments=(Attachment("letter.pdf", b"%PDF-1.7", "application/pdf"),),
            )
            for i in range(2)
        ]
    )
    OutgoingMail.objects.update(status=OutgoingMailStatus.FAILED)
    OutgoingMail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(31)
    )
    mail_bodies_delete()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.attachments == [] and old.body == "Attached."
    assert recent.attachments[0]["filename"] == "letter.pdf"
