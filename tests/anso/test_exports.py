"""Admin exports too large for the request: the worker writes them (anso/background/exports.py), the
job's page links to the file, only its creator downloads it, and the file is deleted after its
days."""

import io
import os
import subprocess
import sys
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anso.background.exports import export_files_delete, export_jobs_recover
from anso.models import ExportJob, ExportJobStatus
from meetings.attendance.models import Participation
from members.roles import SECRETARIAT_GROUP

from ..factories import ParticipationFactory, UserFactory

ROWS = 12
EXPORT_URL = reverse("admin:meetings_participation_export")


@pytest.fixture
def participations(db):
    """ROWS participations; names a spreadsheet program would run as formulas among them."""
    ParticipationFactory(organization=None, organization_name='=HYPERLINK("x")')
    ParticipationFactory(organization=None, organization_name="@SUM(1+1)")
    return ParticipationFactory.create_batch(ROWS - 2)


def _post_xlsx_export(client, query: str = ""):
    """The export form of the participations' list as a person fills it in: XLSX, the first
    resource with all its fields."""
    form = client.get(EXPORT_URL + query).context["form"]
    [xlsx] = [value for value, title in form.fields["format"].choices if title == "xlsx"]
    data = {"format": str(xlsx), "resource": "0"}
    for name, field in form.fields.items():
        if getattr(field, "resource_index", None) == 0:
            data[name] = "on"
    return client.post(EXPORT_URL + query, data)


def _cells(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def _downloaded(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _other_secretariat_client(client_class):
    user = UserFactory(username="other-secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    other = client_class()
    other.force_login(user)
    return other


def _check_the_finished_job(client, job, in_request: bytes, outsider_client) -> None:
    """What the Secretariat relies on once the worker has run the job."""
    job.refresh_from_db()
    assert job.status == ExportJobStatus.DONE, job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.get_download_url() in page

    cells = _cells(_downloaded(client.get(job.get_download_url())))
    assert len(cells) == ROWS + 1  # the header and every row
    assert cells == _cells(in_request)  # the same columns and cells as in the request
    flat = [cell for row in cells for cell in row if isinstance(cell, str)]
    assert '\'=HYPERLINK("x")' in flat
    assert "'@SUM(1+1)" in flat

    # Staff without the permission: 403; another Secretariat member: not theirs, 404.
    assert outsider_client.get(job.get_download_url()).status_code == 403
    assert outsider_client.get(job.get_absolute_url()).status_code == 403
    other = _other_secretariat_client(type(client))
    assert other.get(job.get_download_url()).status_code == 404
    assert other.get(job.get_absolute_url()).status_code == 404
    # The list of exports shows each staff member their own.
    changelist = reverse("admin:anso_exportjob_changelist")
    assert job.get_download_url() in client.get(changelist).content.decode()
    assert job.get_download_url() not in other.get(changelist).content.decode()

    client.logout()
    response = client.get(job.get_download_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _export_in_request(client, settings) -> bytes:
    settings.EXPORT_IN_REQUEST_MAX_ROWS = ROWS
    response = _post_xlsx_export(client)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def outsider_client(client_class, outsider_staff_user):
    outsider = client_class()
    outsider.force_login(outsider_staff_user)
    return outsider


@pytest.fixture
def client_class(client):
    return type(client)


@pytest.mark.django_db
def test_export_over_the_threshold_is_a_job_for_the_worker(
    secretariat_client,
    participations,
    settings,
    outsider_client,
    django_capture_on_commit_callbacks,
):
    in_request = _export_in_request(secretariat_client, settings)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = ROWS - 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post_xlsx_export(secretariat_client)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ExportJobStatus.QUEUED
    assert job.total_rows == ROWS
    page = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "This page refreshes itself." in page
    assert job.get_download_url() not in page
    assert secretariat_client.get(job.get_download_url()).status_code == 404

    for callback in callbacks:  # the immediate backend: the worker's task, here
        callback()
    _check_the_finished_job(secretariat_client, job, in_request, outsider_client)


@pytest.mark.django_db
def test_export_job_keeps_the_lists_filters(
    secretariat_client, participations, settings, django_capture_on_commit_callbacks
):
    """The export page is reached from a filtered list; the worker exports what it showed."""
    chosen = participations[0]
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    query = f"?meeting__id__exact={chosen.meeting_id}"
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_xlsx_export(secretariat_client, query)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    expected = Participation.objects.filter(meeting=chosen.meeting).count()
    assert job.total_rows == expected
    cells = _cells(_downloaded(secretariat_client.get(job.get_download_url())))
    assert len(cells) == expected + 1


def _database_url() -> str:
    database = connections["default"].settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_database_worker_process_writes_the_export(
    secretariat_client, participations, settings, outsider_client
):
    """`manage.py db_worker` as its own process, as in production: it reads the job from the
    database and writes the file into the storage the site reads."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("the worker process needs a database it can open: run on PostgreSQL")
    in_request = _export_in_request(secretariat_client, settings)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = _post_xlsx_export(secretariat_client)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.QUEUED

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "TASKS_REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="anso.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=_database_url(),
        DJANGO_MEDIA_ROOT=settings.MEDIA_ROOT,
        EXPORT_IN_REQUEST_MAX_ROWS="3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    _check_the_finished_job(secretariat_client, job, in_request, outsider_client)


@pytest.mark.django_db
def test_export_files_delete_removes_the_files_past_their_days(secretariat_user):
    def job(finished_days_ago: int) -> ExportJob:
        job = ExportJob.objects.create(
            created_by=secretariat_user,
            model_label="meetings.participation",
            file_format="csv",
            file_name="participations.csv",
            language="en",
            status=ExportJobStatus.DONE,
            finished_at=timezone.now() - timedelta(days=finished_days_ago),
        )
        job.file.save("participations.csv", ContentFile(b"a,b\n"))
        return job

    old, recent = job(8), job(2)
    old_name, recent_name = old.file.name, recent.file.name
    assert export_files_delete(older_than=timedelta(days=7)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file
    assert not default_storage.exists(old_name)
    assert recent.file.name == recent_name
    assert default_storage.exists(recent_name)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["left the Secretariat", "no longer staff", "deactivated"])
def test_export_job_of_someone_no_longer_allowed_writes_no_file(
    secretariat_client, secretariat_user, participations, settings, change,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Between the request and the worker, the creator lost the right to export the list."""
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post_xlsx_export(secretariat_client)
    if change == "left the Secretariat":
        secretariat_user.groups.clear()
    else:
        field = "is_staff" if change == "no longer staff" else "is_active"
        setattr(secretariat_user, field, False)
        secretariat_user.save()
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.FAILED
    assert not job.file
    assert job.error == "You may no longer export these records."


def _exports_list_queries(client, user, n: int) -> int:
    ExportJob.objects.bulk_create(
        ExportJob(
            created_by=user,
            model_label="meetings.participation",
            file_format="xlsx",
            file_name=f"participations-{i}.xlsx",
            language="en",
            status=ExportJobStatus.DONE,
            file=f"exports/participations-{i}.xlsx",
        )
        for i in range(n)
    )
    url = reverse("admin:anso_exportjob_changelist")
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= n
    return len(queries)


@pytest.mark.django_db
def test_exports_list_queries_do_not_grow_with_rows(secretariat_client, secretariat_user):
    assert _exports_list_queries(secretariat_client, secretariat_user, 1) == (
        _exports_list_queries(secretariat_client, secretariat_user, 29)
    )


@pytest.mark.django_db
def test_upkeep_queues_again_an_export_whose_enqueue_was_lost_and_fails_one_whose_worker_died(
    secretariat_client,
    secretariat_user,
    participations,
    settings,
    django_capture_on_commit_callbacks,
):
    """A job still waiting long after it was asked for (the queue was down at commit) is
    written by the upkeep's run; one left writing by a dead worker ends failed, with a message
    on its page, instead of refreshing for good."""
    settings.EXPORT_IN_REQUEST_MAX_ROWS = ROWS - 1
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue is lost
        _post_xlsx_export(secretariat_client)
    lost = ExportJob.objects.get()
    stopped = ExportJob.objects.create(
        created_by=secretariat_user,
        model_label="meetings.participation",
        file_format="xlsx",
        file_name="participations.xlsx",
        language="en",
        status=ExportJobStatus.RUNNING,
        started_at=timezone.now(),
    )
    later = timezone.now() + timedelta(seconds=settings.IMPORT_JOB_STALE_SECONDS + 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs_recover(now=later) == 2

    lost.refresh_from_db()
    stopped.refresh_from_db()
    assert lost.status == ExportJobStatus.DONE
    assert lost.file
    assert stopped.status == ExportJobStatus.FAILED
    page = secretariat_client.get(stopped.get_absolute_url()).content.decode()
    assert "The background worker stopped while writing the file." in page
    assert "This page refreshes itself." not in page


@pytest.mark.django_db
def test_upkeep_leaves_an_export_queued_a_moment_ago_to_its_worker(
    secretariat_client, participations, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = ROWS - 1
    with django_capture_on_commit_callbacks(execute=False):
        _post_xlsx_export(secretariat_client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert export_jobs_recover() == 0
    assert callbacks == []
    assert ExportJob.objects.get().status == ExportJobStatus.QUEUED
