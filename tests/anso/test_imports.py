"""Spreadsheet imports as worker jobs: the result page tells the truth (rows saved, or why
none were), and the database worker runs them for real."""

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from anso.background.imports import import_job_create, import_job_run
from anso.models import ImportJob, ImportJobStatus
from meetings.attendance.models import Participation
from meetings.models import Meeting
from members.models import Organization, Person

from ..factories import MeetingFactory

DATA = Path(__file__).resolve().parent.parent / "data"
PARTICIPANTS_IMPORT = "/admin/meetings/participation/import/"
CONFIRM = "/admin/meetings/participation/process_import/"


def upload_participants(client, capture, name="participants.csv", fmt="0"):
    with capture(execute=True):
        response = client.post(
            PARTICIPANTS_IMPORT,
            {
                "import_file": SimpleUploadedFile(name, (DATA / name).read_bytes()),
                "format": fmt,
                "resource": "0",
            },
        )
    assert response.status_code == 302
    return ImportJob.objects.get()


@pytest.mark.django_db
def test_import_that_fails_at_confirmation_reports_failure_and_logs_nothing(
    secretariat_client, django_capture_on_commit_callbacks
):
    """Finding 7: the meeting's slug is renamed between the check and the confirmation. The
    import is rolled back; the page says so with the row errors, not "Import finished: 3 new",
    and no admin log entry names rows that do not exist."""
    meeting = MeetingFactory(number=1)
    job = upload_participants(secretariat_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED
    assert job.new == 3

    Meeting.objects.filter(pk=meeting.pk).update(slug="renamed-meanwhile")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(CONFIRM, {"job": job.pk})
    response = secretariat_client.get(job.get_absolute_url())

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert (job.new, job.updated) == (0, 0)
    assert [error["row"] for error in job.errors] == [1, 2, 3]
    content = response.content.decode()
    assert "Import finished" not in content
    assert "The import failed and nothing was saved" in content
    assert "Unknown meeting: “1st-anso-working-group-meeting”" in content
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0
    assert LogEntry.objects.count() == 0


@pytest.mark.django_db
def test_successful_import_logs_each_saved_row_for_its_uploader(
    secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    MeetingFactory(number=1)
    job = upload_participants(
        secretariat_client, django_capture_on_commit_callbacks, "participants.xlsx", "1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(CONFIRM, {"job": job.pk})
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    entries = LogEntry.objects.filter(user=secretariat_user)
    assert sorted(int(entry.object_id) for entry in entries) == sorted(
        Participation.objects.values_list("pk", flat=True)
    )
    assert entries.count() == 3


@pytest.mark.django_db
def test_a_job_is_confirmed_once(secretariat_client, django_capture_on_commit_callbacks):
    MeetingFactory(number=1)
    job = upload_participants(secretariat_client, django_capture_on_commit_callbacks)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post(CONFIRM, {"job": job.pk}, follow=True)
    assert "This file is not awaiting confirmation." in response.content.decode()
    assert Participation.objects.count() == 3


@pytest.mark.django_db
def test_job_page_of_another_list_or_a_bad_confirmation_is_not_found(
    secretariat_client, django_capture_on_commit_callbacks
):
    MeetingFactory(number=1)
    job = upload_participants(secretariat_client, django_capture_on_commit_callbacks)
    other = reverse("admin:members_person_import_job", args=[job.pk])
    assert secretariat_client.get(other).status_code == 404
    assert secretariat_client.post(CONFIRM, {"job": "x"}).status_code == 404
    assert secretariat_client.post(CONFIRM, {"job": "99999"}).status_code == 404
    assert secretariat_client.get(CONFIRM).status_code == 405


@pytest.mark.django_db
def test_job_page_needs_the_import_permission(
    client, outsider_staff_user, secretariat_user, django_capture_on_commit_callbacks
):
    client.force_login(secretariat_user)
    MeetingFactory(number=1)
    job = upload_participants(client, django_capture_on_commit_callbacks)
    client.force_login(outsider_staff_user)
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.post(CONFIRM, {"job": job.pk}).status_code == 403


@pytest.mark.django_db
def test_running_job_page_refreshes_and_shows_the_rows_read(secretariat_client, secretariat_user):
    from django.core.cache import caches

    from anso.background.imports import _progress_key

    job = ImportJob.objects.create(
        created_by=secretariat_user,
        model_label="meetings.participation",
        resource_path="meetings.attendance.resources.ParticipantResource",
        input_format="csv",
        file_name="big.csv",
        total_rows=50000,
    )
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for the background worker to take it." in content

    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    caches["progress"].set(_progress_key(job.pk), 12500)
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "12500 of 50000 rows read." in content
    assert "Waiting for the background worker" not in content


@pytest.mark.parametrize("n", (1, 30))
@pytest.mark.django_db
def test_job_page_queries_flat(secretariat_client, secretariat_user, django_assert_num_queries, n):
    job = ImportJob.objects.create(
        created_by=secretariat_user,
        model_label="meetings.participation",
        resource_path="meetings.attendance.resources.ParticipantResource",
        input_format="csv",
        file_name="bad.csv",
        status=ImportJobStatus.REJECTED,
        errors=[{"row": i, "messages": ["Unknown country"]} for i in range(n)],
    )
    secretariat_client.get(job.get_absolute_url())
    with django_assert_num_queries(5):
        assert secretariat_client.get(job.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_database_worker_checks_then_imports_the_file(settings, secretariat_user):
    """The database queue's worker for real, on the file stored in the database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED, job.errors
    assert Organization.objects.count() == 0

    from anso.background.imports import import_job_confirm

    assert import_job_confirm(job_pk=job.pk, model_label="members.organization")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Organization.objects.count() == job.new > 0
    assert bytes(job.data) == b""


@pytest.mark.django_db
def test_secretariat_sees_the_imports_in_the_admin(
    secretariat_client, django_capture_on_commit_callbacks
):
    MeetingFactory(number=1)
    job = upload_participants(secretariat_client, django_capture_on_commit_callbacks)
    response = secretariat_client.get(reverse("admin:anso_importjob_changelist"))
    assert response.status_code == 200
    assert job.get_absolute_url() in response.content.decode()
    assert import_job_run(job_pk=job.pk) == ImportJobStatus.CHECKED  # nothing to run twice


def participants_rows(meeting_slug: str, count: int) -> bytes:
    lines = ["meeting,email,given_name,family_name,country"]
    lines += [f"{meeting_slug},p{n}@example.org,Given{n},Family{n},KE" for n in range(count)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("n", (60, 200))
@pytest.mark.django_db
def test_import_renews_the_page_cache_tags_once_not_per_row(
    settings, secretariat_user, django_capture_on_commit_callbacks, n
):
    """With the database cache (no Redis), each renewal of a page's tags is a write into its
    table: 30,000 rows made 30,000 writes and the check took 528 s. The writes into the
    cache's table do not grow with the rows; the pages are still renewed once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anso.background.imports import import_job_confirm
    from anso.caching.tags import ANY, clock, fresh

    settings.CACHES = {
        **settings.CACHES,
        "versions": {
            "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
            "LOCATION": "anso_versions_t",
        },
    }
    call_command("createcachetable", verbosity=0)
    meeting = MeetingFactory(number=1)
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(
            user=secretariat_user,
            model_label="meetings.participation",
            resource_path="meetings.attendance.resources.ParticipantResource",
            input_format="csv",
            file_name="participants.csv",
            data=participants_rows(meeting.slug, n),
        )

    def cache_writes(step) -> int:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            step()
        return sum(
            1
            for query in queries.captured_queries
            if "anso_versions_t" in query["sql"]
            and query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        )

    assert cache_writes(lambda: import_job_run(job_pk=job.pk)) == 0  # the check saves nothing
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED, job.errors
    rendered_at = clock()
    assert import_job_confirm(job_pk=job.pk, model_label="meetings.participation")
    # One renewal of every page: a tick of the clock, and two tags (`all`, `any`).
    assert cache_writes(lambda: import_job_run(job_pk=job.pk)) == 3
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.errors
    assert Participation.objects.count() == n
    assert not fresh([ANY], rendered_at)
