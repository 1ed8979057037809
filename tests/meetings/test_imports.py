"""Spreadsheets in and out, with the sample files in tests/data/."""

import datetime
from pathlib import Path

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats.base_formats import CSV, XLSX

from anso.spreadsheets.admin import MAX_UPLOAD_BYTES, check_spreadsheet_upload
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.attendance.resources import ParticipantResource
from members.models import Organization, Person
from members.resources import OrganizationResource, PersonResource

from ..factories import MeetingFactory, OrganizationFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def dataset(name: str) -> tablib.Dataset:
    path = DATA / name
    if name.endswith(".xlsx"):
        return XLSX().create_dataset(path.read_bytes())
    return CSV().create_dataset(path.read_text())


def first_meeting():
    return MeetingFactory(number=1)


def errors_of(result) -> list[str]:
    messages = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        messages.extend(str(e) for e in row.error.messages)
    for _number, row_errors in result.row_errors():
        messages.extend(str(error.error) for error in row_errors)
    return messages


@pytest.mark.parametrize("name", ("participants.csv", "participants.xlsx"))
def test_participants_import_preview_creates_nothing_then_confirm_imports(name):
    meeting = first_meeting()
    siwr = OrganizationFactory(name="Sample Institute of Water Research", short_name="SIWR")
    preview = ParticipantResource().import_data(dataset(name), dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors()
    assert preview.totals["new"] == 3
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0

    result = ParticipantResource().import_data(dataset(name), dry_run=False)
    assert not result.has_errors(), errors_of(result)
    participations = {p.person.email: p for p in Participation.objects.select_related("person")}
    assert len(participations) == 3
    dlamini = participations["sample.nomvula.dlamini@example.org"]
    assert dlamini.meeting == meeting
    assert dlamini.organization == siwr
    assert dlamini.capacity == "guest"
    assert dlamini.listed_publicly is True
    perera = participations["sample.arjun.perera@example.org"]
    assert perera.organization is None
    assert perera.organization_name == "Sample University of Colombo"
    assert perera.country == "LK"  # "Sri Lanka" by name
    assert participations["sample.olga.ivanova@example.org"].capacity == "other"
    assert Person.objects.get(email="sample.olga.ivanova@example.org").history.count() == 1


def test_participants_import_matches_people_by_email_and_updates_participations():
    meeting = first_meeting()
    person = PersonFactory(email="sample.arjun.perera@example.org", family_name="Perera")
    ParticipationFactory(
        meeting=meeting, person=person, status=ParticipationStatus.ATTENDED, capacity="guest"
    )
    result = ParticipantResource().import_data(dataset("participants.csv"), dry_run=False)
    assert not result.has_errors(), errors_of(result)
    assert result.totals["update"] == 1
    assert Person.objects.filter(email="sample.arjun.perera@example.org").count() == 1
    participation = Participation.objects.get(person=person)
    assert participation.capacity == "expert"
    assert participation.status == ParticipationStatus.REGISTERED
    # Importing the same file again changes nothing and duplicates nothing.
    ParticipantResource().import_data(dataset("participants.csv"), dry_run=False)
    assert Participation.objects.count() == 3
    assert Person.objects.count() == 3


def test_participants_import_with_bad_rows_reports_each_and_imports_nothing():
    first_meeting()
    result = ParticipantResource().import_data(dataset("participants_bad_rows.csv"), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    messages = " ".join(errors_of(result))
    assert "Unknown country or region: “Narnia”" in messages
    assert "Unknown meeting: “no-such-meeting”" in messages
    assert "A valid email is required" in messages
    assert "“emperor” is not one of" in messages
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0  # the good row's person is rolled back too


def test_participants_import_with_wrong_columns_says_which_are_missing():
    result = ParticipantResource().import_data(
        dataset("participants_wrong_columns.csv"), dry_run=False
    )
    messages = " ".join(errors_of(result))
    assert "lacks the column(s) meeting, email, family_name" in messages
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0


def test_participants_import_of_an_empty_file_is_refused():
    result = ParticipantResource().import_data(tablib.Dataset(), dry_run=False)
    assert "The file has no rows to import." in " ".join(errors_of(result))


def test_participants_import_refuses_the_same_person_twice_for_a_meeting():
    first_meeting()
    data = dataset("participants.csv")
    data.append(data[0])
    result = ParticipantResource().import_data(data, dry_run=False)
    assert "appears twice" in " ".join(errors_of(result))
    assert Participation.objects.count() == 0


@pytest.mark.parametrize("rows", (5, 60))
def test_participants_import_queries_do_not_grow_with_rows(django_assert_max_num_queries, rows):
    """Lookups are loaded once per file and rows written in bulk (with their history and
    status events): the query count stays flat as the file grows."""
    first_meeting()
    data = tablib.Dataset(headers=["meeting", "email", "family_name", "country", "status"])
    for n in range(rows):
        data.append(["1st-anso-working-group-meeting", f"p{n}@example.org", f"P{n}", "KE", ""])
    with django_assert_max_num_queries(24):
        result = ParticipantResource().import_data(data, dry_run=False)
    assert not result.has_errors(), errors_of(result)
    assert Participation.objects.count() == rows


def test_participants_export_has_the_import_columns():
    participation = ParticipationFactory(organization_name="")
    exported = ParticipantResource().export()
    assert exported.headers[:5] == ["meeting", "email", "honorific", "given_name", "family_name"]
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["meeting"] == participation.meeting.slug
    assert row["email"] == participation.person.email
    assert row["organization"] == participation.organization.name
    # What is exported imports again without errors and without duplicates.
    result = ParticipantResource().import_data(
        CSV().create_dataset(exported.export("csv")), dry_run=False
    )
    assert not result.has_errors(), errors_of(result)
    assert Participation.objects.count() == 1


def test_organizations_import_matches_by_name_or_short_name():
    existing = OrganizationFactory(name="Sample University of Colombo", short_name="SUC")
    OrganizationFactory(name="Another", short_name="SIWR")  # matched by short name
    result = OrganizationResource().import_data(dataset("organizations.csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert Organization.objects.count() == 2
    existing.refresh_from_db()
    assert existing.joined_on == datetime.date(2019, 3, 1)
    assert existing.country == "LK"


def test_organizations_import_with_a_bad_date_imports_nothing():
    result = OrganizationResource().import_data(
        dataset("organizations_bad_dates.csv"), dry_run=False
    )
    assert "“31/31/2019” is not a date" in " ".join(errors_of(result))
    assert Organization.objects.count() == 0


def test_people_import_matches_by_email_and_resolves_organizations():
    siwr = OrganizationFactory(name="Sample Institute of Water Research", short_name="SIWR")
    OrganizationFactory(name="Sample University of Colombo", short_name="SUC")
    existing = PersonFactory(email="sample.arjun.perera@example.org", phone="")
    result = PersonResource().import_data(dataset("people.csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert Person.objects.count() == 2
    assert Person.objects.get(email="sample.nomvula.dlamini@example.org").organization == siwr
    existing.refresh_from_db()
    assert existing.family_name == "Perera"


def test_people_import_with_unknown_organization_is_an_error():
    result = PersonResource().import_data(dataset("people.csv"), dry_run=False)
    assert "Unknown organization: “SIWR”" in " ".join(errors_of(result))
    assert Person.objects.count() == 0


# --- the upload checks ------------------------------------------------------------------------


def test_upload_check_refuses_a_renamed_text_file():
    content = (DATA / "not_a_spreadsheet.xlsx").read_bytes()
    upload = SimpleUploadedFile("participants.xlsx", content)
    with pytest.raises(ValidationError, match="not an Excel spreadsheet"):
        check_spreadsheet_upload(upload)


def test_upload_check_refuses_an_empty_file():
    upload = SimpleUploadedFile("empty.csv", (DATA / "empty.csv").read_bytes())
    with pytest.raises(ValidationError, match="empty"):
        check_spreadsheet_upload(upload)


def test_upload_check_refuses_a_50_mb_file():
    upload = SimpleUploadedFile("big.csv", b"a" * (50 * 1024 * 1024))
    assert upload.size > MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError, match="the limit is"):
        check_spreadsheet_upload(upload)


def test_upload_check_accepts_the_samples():
    for name in ("participants.csv", "participants.xlsx"):
        check_spreadsheet_upload(SimpleUploadedFile(name, (DATA / name).read_bytes()))


def test_participants_import_with_only_a_bad_value_saves_the_good_rows_neither():
    """A value error (unknown country) is a validation error in django-import-export, which
    by default would still save the other rows; here the whole import is rolled back."""
    first_meeting()
    data = tablib.Dataset(headers=["meeting", "email", "family_name", "country"])
    data.append(["1st-anso-working-group-meeting", "good@example.org", "Good", "KE"])
    data.append(["1st-anso-working-group-meeting", "bad@example.org", "Bad", "Narnia"])
    result = ParticipantResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0


def test_contact_persons_export_lists_current_contact_persons_only():
    from members.resources import ContactPersonResource

    from ..factories import PositionFactory

    current = PositionFactory(start_date=datetime.date(2019, 1, 1))
    PositionFactory(start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2020, 1, 1))
    exported = ContactPersonResource().export()
    assert len(exported) == 1
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["email"] == current.person.email
    assert row["appointed_by"] == current.appointed_by.name
    assert row["since"] == "2019-01-01"
