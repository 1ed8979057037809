"""A task queued before a deploy runs after it, under the dotted path it was queued with.

Both queues store a task by its path (django_tasks_db's `task_path`, the RQ job's function
name) and the worker imports that path when it runs the task. Each task now lives beside its
work; its former path must still lead to the same work. Each test stores what the former code
queued (the path and the arguments, as that code passed them) in the real queue, and runs the
real worker on it."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from anso.models import ImportJob, ImportJobStatus, OutgoingMail, OutgoingMailStatus
from meetings.documents.models import DocumentVersion, PreviewState
from meetings.documents.services import document_create
from meetings.invitations.models import MailingRecipient
from members.models import Organization
from tests import sample_files as files
from tests.anso.test_worker import rq_queue  # noqa: F401  (a fixture)
from tests.factories import MeetingFactory
from tests.meetings.invitations.helpers import (
    compose_url,
    composer_data,
    open_meeting,
    working_group,
)

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parent / "data"


def a_queued_mail():
    mail = OutgoingMail.objects.create(
        to=["old@example.org"],
        subject="Queued before the deploy",
        body="Text",
        message_id="<old@example.org>",
        next_attempt_at=timezone.now(),
    )

    def check():
        mail.refresh_from_db()
        assert mail.status == OutgoingMailStatus.SENT

    return mail, check


def dispatch_mail(request):
    _, check = a_queued_mail()
    return (), {}, check


def send_mail(request):
    mail, check = a_queued_mail()
    return (mail.pk,), {}, check


def run_import_job(request):
    job = ImportJob.objects.create(
        created_by=request.getfixturevalue("secretariat_user"),
        model_label="members.organization",
        resource_path="members.resources.OrganizationResource",
        input_format="csv",
        file_name="organizations.csv",
        data=(DATA / "organizations.csv").read_bytes(),
    )

    def check():
        job.refresh_from_db()
        assert job.status == ImportJobStatus.CHECKED, job.errors
        assert Organization.objects.count() == 0  # a check saves nothing

    return (job.pk,), {}, check


def deliver_mailing(request):
    client = request.getfixturevalue("secretariat_client")
    working_group(2)
    response = client.post(compose_url(open_meeting()), composer_data(send="1"))
    assert response.status_code == 302
    recipients = MailingRecipient.objects.all()
    assert recipients.count() == 2

    def check():
        assert not recipients.filter(mail__isnull=True).exists()

    # As the former code passed them, by name, with the site's address.
    kwargs = {"mailing_id": recipients[0].mailing_id, "site_url": "http://testserver"}
    return (), kwargs, check


def make_preview(request):
    request.getfixturevalue("local_storage")
    document = document_create(title="Slides", meeting=MeetingFactory(), files=[files.pdf_upload()])
    version = DocumentVersion.objects.get(document=document)

    def check():
        version.refresh_from_db()
        assert version.preview_state == PreviewState.READY

    return (version.pk,), {}, check


FORMER_PATHS = {
    "anso.tasks.dispatch_mail": dispatch_mail,
    "anso.tasks.send_mail": send_mail,
    "anso.tasks.run_import_job": run_import_job,
    "meetings.invitations.tasks.deliver_mailing": deliver_mailing,
    "meetings.documents.tasks.make_preview": make_preview,
}


@pytest.mark.parametrize("path", FORMER_PATHS)
def test_database_worker_runs_a_task_queued_under_its_former_path(request, settings, path):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    args, kwargs, check = FORMER_PATHS[path](request)
    DBTaskResult.objects.all().delete()  # what the set-up queued under the current paths
    row = DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": list(args), "kwargs": kwargs},
        backend_name="default",
        queue_name="default",
    )

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL", row.traceback
    check()


@pytest.mark.parametrize("path", FORMER_PATHS)
def test_rq_worker_runs_a_task_queued_under_its_former_path(request, rq_queue, path):  # noqa: F811
    from django_tasks_rq.backend import failed_callback, success_callback
    from rq.job import Callback, JobStatus
    from rq.registry import FailedJobRegistry

    args, kwargs, check = FORMER_PATHS[path](request)
    rq_queue.empty()  # what the set-up queued under the current paths
    # As django_tasks_rq's backend creates a job, with the path of the time.
    job = rq_queue.create_job(
        path,
        args=args,
        kwargs=kwargs,
        on_failure=Callback(failed_callback),
        on_success=Callback(success_callback),
        meta={"backend_name": "default"},
    )
    rq_queue.enqueue_job(job)

    call_command(
        "rqworker",
        "default",
        burst=True,
        job_class="django_tasks_rq.backend.Job",
        worker_class="rq.worker.SimpleWorker",
    )
    assert FailedJobRegistry(queue=rq_queue).get_job_ids() == []
    assert job.get_status(refresh=True) == JobStatus.FINISHED
    check()


def test_the_former_paths_name_the_current_tasks():
    """An alias, not a copy: the former path runs the very task the site queues today
    (except `send_mail`, whose one argument the dispatcher does not take)."""
    from django.utils.module_loading import import_string

    from anso.background.imports import run_import_job as current_import
    from anso.mail.dispatch import dispatch_mail as current_dispatch
    from meetings.documents.previews import make_preview as current_preview
    from meetings.invitations.services import deliver_mailing as current_delivery

    assert import_string("anso.tasks.dispatch_mail") is current_dispatch
    assert import_string("anso.tasks.run_import_job") is current_import
    assert import_string("meetings.invitations.tasks.deliver_mailing") is current_delivery
    assert import_string("meetings.documents.tasks.make_preview") is current_preview
    assert current_dispatch.module_path == "anso.mail.dispatch.dispatch_mail"
