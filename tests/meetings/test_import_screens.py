"""The admin's import screens with the spreadsheet checks: preview, confirm, refusals."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anso.models import ImportJob, ImportJobStatus
from meetings.attendance.models import Participation
from members.models import Person

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = "/admin/meetings/participation/import/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes() if content is None else content)


def start_import(client, capture, data):
    """Upload a file: the check runs as the worker's task (at once in tests), and the answer
    is the job's page."""
    with capture(execute=True):
        response = client.post(IMPORT_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    return job, client.get(response["Location"])


@pytest.mark.parametrize(
    ("name", "fmt"), (("participants.csv", CSV_FORMAT), ("participants.xlsx", XLSX_FORMAT))
)
def test_import_preview_then_confirm(
    secretariat_client, django_capture_on_commit_callbacks, name, fmt
):
    MeetingFactory(number=1)
    job, response = start_import(
        secretariat_client,
        django_capture_on_commit_callbacks,
        {"import_file": upload(name), "format": fmt, "resource": "0"},
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED
    assert job.new == 3
    assert "Confirm import" in response.content.decode()
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/meetings/participation/process_import/", {"job": job.pk}
        )
    assert response["Location"] == job.get_absolute_url()
    response = secretariat_client.get(response["Location"])
    assert response.status_code == 200
    assert "Import finished: 3 new, 0 updated, 0 unchanged." in response.content.decode()
    assert Participation.objects.count() == 3
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert bytes(job.data) == b""


def test_import_with_bad_rows_shows_them_and_offers_no_confirm(
    secretariat_client, django_capture_on_commit_callbacks
):
    MeetingFactory(number=1)
    _job, response = start_import(
        secretariat_client,
        django_capture_on_commit_callbacks,
        {"import_file": upload("participants_bad_rows.csv"), "format": CSV_FORMAT, "resource": "0"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Confirm import" not in content
    assert "Narnia" in content
    assert "nothing was saved" in content
    assert Participation.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "fmt", "message"),
    (
        (upload("not_a_spreadsheet.xlsx"), XLSX_FORMAT, "not an Excel spreadsheet"),
        (upload("empty.csv"), CSV_FORMAT, "file is empty."),
        (SimpleUploadedFile("big.csv", b"a," * (25 * 1024 * 1024)), CSV_FORMAT, "the limit is"),
    ),
    ids=("renamed-text", "empty", "50-mb"),
)
def test_import_refuses_bad_files_with_a_readable_error(secretariat_client, file, fmt, message):
    MeetingFactory(number=1)
    file.seek(0)
    response = secretariat_client.post(
        IMPORT_URL, {"import_file": file, "format": fmt, "resource": "0"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Participation.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_import_of_a_file_in_another_format_says_so(
    secretariat_client, django_capture_on_commit_callbacks
):
    job, response = start_import(
        secretariat_client,
        django_capture_on_commit_callbacks,
        {"import_file": upload("participants.csv"), "format": XLSX_FORMAT, "resource": "0"},
    )
    assert "could not be read as the chosen format" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert Participation.objects.count() == 0


def test_import_with_wrong_columns_says_which(
    secretariat_client, django_capture_on_commit_callbacks
):
    _job, response = start_import(
        secretariat_client,
        django_capture_on_commit_callbacks,
        {
            "import_file": upload("participants_wrong_columns.csv"),
            "format": CSV_FORMAT,
            "resource": "0",
        },
    )
    assert "lacks the column(s) meeting, email, family_name" in response.content.decode()
    assert Participation.objects.count() == 0


def test_export_participants_as_csv(secretariat_client):
    from ..factories import ParticipationFactory

    participation = ParticipationFactory()
    response = secretariat_client.post(
        "/admin/meetings/participation/export/",
        {
            "format": CSV_FORMAT,
            "resource": "0",
            **{
                f"participantresource_{f}": "on"
                for f in ("meeting", "email", "family_name", "organization", "country", "status")
            },
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert participation.person.email in response.content.decode()


def test_import_needs_the_permission(client, outsider_staff_user):
    client.force_login(outsider_staff_user)
    assert client.get(IMPORT_URL).status_code == 403
