"""The admin's import screens with the spreadsheet checks: preview, confirm, refusals."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Participation
from members.models import Person

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = "/admin/meetings/participation/import/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes() if content is None else content)


@pytest.mark.parametrize(
    ("name", "fmt"), (("participants.csv", CSV_FORMAT), ("participants.xlsx", XLSX_FORMAT))
)
def test_import_preview_then_confirm(secretariat_client, name, fmt):
    MeetingFactory(number=1)
    response = secretariat_client.post(
        IMPORT_URL, {"import_file": upload(name), "format": fmt, "resource": "0"}
    )
    assert response.status_code == 200
    assert response.context["result"].totals["new"] == 3
    confirm = response.context["confirm_form"]
    assert confirm is not None
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0

    data = {key: confirm[key].value() for key in confirm.fields}
    response = secretariat_client.post(
        "/admin/meetings/participation/process_import/", data, follow=True
    )
    assert response.status_code == 200
    assert Participation.objects.count() == 3


def test_import_with_bad_rows_shows_them_and_offers_no_confirm(secretariat_client):
    MeetingFactory(number=1)
    response = secretariat_client.post(
        IMPORT_URL,
        {"import_file": upload("participants_bad_rows.csv"), "format": CSV_FORMAT, "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "Narnia" in response.content.decode()
    assert Participation.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "fmt", "message"),
    (
        (upload("not_a_spreadsheet.xlsx"), XLSX_FORMAT, "not an Excel spreadsheet"),
        (upload("empty.csv"), CSV_FORMAT, "file is empty."),
        (SimpleUploadedFile("big.csv", b"a," * (25 * 1024 * 1024)), CSV_FORMAT, "the limit is"),
        (upload("participants.csv"), XLSX_FORMAT, "could not be read as the chosen format"),
    ),
    ids=("renamed-text", "empty", "50-mb", "wrong-format"),
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


def test_import_with_wrong_columns_says_which(secretariat_client):
    response = secretariat_client.post(
        IMPORT_URL,
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
