"""Spreadsheets in and out (django-import-export) for organizations and people.

Imports match existing records instead of duplicating them: organizations by name or short
name (case-insensitive), people by email. Every lookup is loaded once per file, not once per
row. Values a person can get wrong (country, dates, choices, organization) fail the row with a
message that names the value; an import with any failing row is rolled back as a whole.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.instance_loaders import BaseInstanceLoader

from anso.imports import import_job_confirm, import_job_create, import_job_progress
from anso.models import ImportJob, ImportJobStatus
from anso.spreadsheets import OneLineCellsMixin, SpreadsheetParametersMixin

from .models import MembershipStatus, Organization, OrganizationKind, Person, Position, Role

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]


def required_columns(dataset, columns: tuple[str, ...]) -> None:
    """Refuse an empty file or one without the columns an import needs."""
    if not dataset.headers or len(dataset) == 0:
        raise ValueError(_("The file has no rows to import."))
    headers = {(header or "").strip().lower() for header in dataset.headers}
    missing = [column for column in columns if column not in headers]
    if missing:
        raise ValueError(
            _("The file lacks the column(s) %(missing)s. Expected columns: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(columns)}
        )


def normalise_headers(dataset) -> None:
    """Column names are matched without regard to case or surrounding spaces."""
    if dataset.headers:
        dataset.headers = [(header or "").strip().lower() for header in dataset.headers]


class CountryWidget(widgets.Widget):
    """A country or region as an ISO 3166 code ("KE") or its English name ("Kenya")."""

    _codes: frozenset[str] | None = None

    @classmethod
    def codes(cls) -> frozenset[str]:
        if cls._codes is None:
            cls._codes = frozenset(code for code, _name in countries)
        return cls._codes

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip()
        if not value:
            return ""
        if value.upper() in self.codes():
            return value.upper()
        code = countries.by_name(value)
        if code:
            return code
        raise ValueError(_("Unknown country or region: “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(value.code if hasattr(value, "code") else value or "")


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, by value ("delegate") or label ("member-organization delegate")."""

    def __init__(self, choices, *, default=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.default = default
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip().lower()
        if not value:
            if self.default is not None:
                return self.default
            raise ValueError(_("A value is required."))
        if value in self.lookup:
            return self.lookup[value]
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(self.choices.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES", "y", "x"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "n"]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in self.NULL_VALUES:
            return False
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": value})


class StrictDateWidget(widgets.DateWidget):
    """A date in one of DATE_FORMATS; exported as YYYY-MM-DD."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.formats = tuple(DATE_FORMATS)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value}
            ) from error


class AllOrNothingMixin(OneLineCellsMixin):
    """An import with any failing row, of any kind, saves nothing. Every import resource has
    it, so its cells are checked for control characters and line breaks too."""

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)


class OrganizationLookup:
    """All organizations by lower-cased name and short name, loaded in one query."""

    def __init__(self):
        self.by_key: dict[str, Organization] = {}
        for organization in Organization.objects.all():
            self.add(organization)

    def add(self, organization: Organization) -> None:
        self.by_key[organization.name.lower()] = organization
        if organization.short_name:
            self.by_key.setdefault(organization.short_name.lower(), organization)

    def find(self, value) -> Organization | None:
        return self.by_key.get(("" if value is None else str(value)).strip().lower())


class OrganizationWidget(widgets.Widget):
    """An organization by name or short name; unknown names are errors."""

    def __init__(self, resource, **kwargs):
        super().__init__(**kwargs)
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip()
        if not value:
            return None
        organization = self.resource.organizations.find(value)
        if organization is None:
            raise ValueError(_("Unknown organization: “%(value)s”.") % {"value": value})
        return organization

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class OrganizationInstanceLoader(BaseInstanceLoader):
    def get_instance(self, row):
        lookup = self.resource.organizations
        return lookup.find(row.get("name")) or lookup.find(row.get("short_name"))


class OrganizationResource(AllOrNothingMixin, resources.ModelResource):
    name = fields.Field(attribute="name", column_name="name")
    short_name = fields.Field(attribute="short_name", column_name="short_name")
    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(OrganizationKind, default=OrganizationKind.OTHER),
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    membership_status = fields.Field(
        attribute="membership_status",
        column_name="membership_status",
        widget=ChoiceWidget(MembershipStatus, default=MembershipStatus.NONE),
    )
    joined_on = fields.Field(
        attribute="joined_on", column_name="joined_on", widget=StrictDateWidget()
    )
    left_on = fields.Field(attribute="left_on", column_name="left_on", widget=StrictDateWidget())
    website = fields.Field(attribute="website", column_name="website")

    class Meta:
        model = Organization
        fields = (
            "name",
            "short_name",
            "kind",
            "country",
            "membership_status",
            "joined_on",
            "left_on",
            "website",
        )
        import_id_fields = ("name",)
        instance_loader_class = OrganizationInstanceLoader
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return Organization.objects.order_by("name")

    def before_import(self, dataset, **kwargs):
        normalise_headers(dataset)
        required_columns(dataset, ("name",))
        self.organizations = OrganizationLookup()

    def before_import_row(self, row, **kwargs):
        if not (row.get("name") or "").strip():
            raise ValidationError(_("The name is required."))
        for key in ("name", "short_name", "website"):
            if key in row and row[key] is None:
                row[key] = ""

    def after_save_instance(self, instance, row, **kwargs):
        # A later row of the same file naming this organization updates it, not a duplicate.
        self.organizations.add(instance)


class PersonInstanceLoader(BaseInstanceLoader):
    def get_instance(self, row):
        email = (row.get("email") or "").strip().lower()
        return self.resource.people.get(email)


class PersonResource(AllOrNothingMixin, resources.ModelResource):
    """People, matched by email. The export carries emails and phone numbers: it is for the
    Secretariat only (the admin), never a public page."""

    honorific = fields.Field(attribute="honorific", column_name="honorific")
    given_name = fields.Field(attribute="given_name", column_name="given_name")
    family_name = fields.Field(attribute="family_name", column_name="family_name")
    email = fields.Field(attribute="email", column_name="email")
    phone = fields.Field(attribute="phone", column_name="phone")
    organization = fields.Field(attribute="organization", column_name="organization")
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())

    class Meta:
        model = Person
        fields = (
            "honorific",
            "given_name",
            "family_name",
            "email",
            "phone",
            "organization",
            "country",
        )
        import_id_fields = ("email",)
        instance_loader_class = PersonInstanceLoader
        use_transactions = True
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["organization"].widget = OrganizationWidget(self)

    def get_queryset(self):
        return Person.objects.select_related("organization").order_by("family_name", "given_name")

    def before_import(self, dataset, **kwargs):
        normalise_headers(dataset)
        required_columns(dataset, ("email", "family_name"))
        self.organizations = OrganizationLookup()
        emails = {(email or "").strip().lower() for email in dataset["email"]} - {""}
        self.people = {p.email: p for p in Person.objects.filter(email__in=emails)}
        self.seen: set[str] = set()

    def before_import_row(self, row, **kwargs):
        email = (row.get("email") or "").strip().lower()
        if not email or "@" not in email:
            raise ValidationError(_("A valid email is required to match people."))
        if email in self.seen:
            raise ValidationError(_("%(email)s appears twice in the file.") % {"email": email})
        self.seen.add(email)
        row["email"] = email
        if not (row.get("family_name") or "").strip():
            raise ValidationError(_("The family name is required."))
        for key in ("honorific", "given_name", "phone"):
            if key in row and row[key] is None:
                row[key] = ""


# --- the upload form ---------------------------------------------------------------------------

#: Spreadsheets bigger than this are refused before they are read.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


def check_spreadsheet_upload(upload) -> None:
    """Refuse, with a message a person can act on, a file that is empty, too big, or not the
    spreadsheet its name claims."""
    from django.template.defaultfilters import filesizeformat

    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    name = (upload.name or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if name.endswith(".xlsx") and head != XLSX_MAGIC:
        raise ValidationError(
            _(
                "This file is not an Excel spreadsheet, although its name ends in .xlsx. "
                "Save it from your spreadsheet program as .xlsx or .csv."
            )
        )
    if name.endswith(".csv") and head.startswith(XLSX_MAGIC):
        raise ValidationError(
            _("This file is an Excel spreadsheet named .csv. Rename it to .xlsx.")
        )
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))


class SpreadsheetImportForm(ImportForm):
    """The admin's import form, with the checks of `check_spreadsheet_upload`."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_spreadsheet_upload(upload)
        return upload


class SpreadsheetAdminMixin(SpreadsheetParametersMixin, ImportExportMixin):
    """Import (CSV, XLSX) and export for an admin, with the upload checks above. Formulas are
    escaped in exports and hand-made parameters are a 400 (anso/spreadsheets.py).

    An upload becomes an `ImportJob` that the worker checks and, once confirmed, imports
    (anso/imports.py); its page shows the progress, then the rows saved or why none were."""

    import_form_class = SpreadsheetImportForm

    def has_import_permission(self, request):
        """Importing adds and changes records: both permissions are needed."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        return [
            path(
                "import/<int:job_pk>/",
                self.admin_site.admin_view(self.import_job_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_job",
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        """A valid upload is stored as a job for the worker; the rest (the empty form, a
        refused file) is the import screen as before."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                resource_class = self.choose_import_resource_class(form, request)
                input_format = self.get_import_formats()[int(form.cleaned_data["format"])]
                upload = form.cleaned_data["import_file"]
                job = import_job_create(
                    user=request.user,
                    model_label=self.opts.label_lower,
                    resource_path=f"{resource_class.__module__}.{resource_class.__qualname__}",
                    input_format=input_format().get_title().lower(),
                    file_name=upload.name or "",
                    data=b"".join(upload.chunks()),
                )
                return redirect(job.get_absolute_url())
        return super().import_action(request, **kwargs)

    def import_job_view(self, request, job_pk: int):
        """The job's page: progress while the worker runs, then what was saved or why not."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.defer("data").select_related("created_by"),
            pk=job_pk,
            model_label=self.opts.label_lower,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            "job": job,
            "progress": import_job_progress(job),
            "statuses": ImportJobStatus,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/import_job.html", context)

    def process_import(self, request, **kwargs):
        """The confirmation of a checked job: the worker imports it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            job_pk = int(request.POST.get("job", ""))
        except ValueError:
            raise Http404 from None
        job = get_object_or_404(
            ImportJob.objects.only("pk", "model_label"),
            pk=job_pk,
            model_label=self.opts.label_lower,
        )
        if import_job_confirm(job_pk=job.pk, model_label=job.model_label):
            messages.info(request, _("The import has started."))
        else:
            messages.warning(request, _("This file is not awaiting confirmation."))
        return redirect(job.get_absolute_url())

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            _(
                "The file could not be read as the chosen format. Check that it is a CSV "
                "(UTF-8) or XLSX file with one header row."
            ),
        )


class ContactPersonResource(resources.ModelResource):
    """Export only: the working group's contact persons as of today, with the organization
    that appointed them. Contact details included: for the Secretariat, not for publishing."""

    honorific = fields.Field(attribute="person__honorific", column_name="honorific")
    given_name = fields.Field(attribute="person__given_name", column_name="given_name")
    family_name = fields.Field(attribute="person__family_name", column_name="family_name")
    email = fields.Field(attribute="person__email", column_name="email")
    phone = fields.Field(attribute="person__phone", column_name="phone")
    appointed_by = fields.Field(attribute="appointed_by__name", column_name="appointed_by")
    country = fields.Field(
        attribute="appointed_by__country", column_name="country", widget=CountryWidget()
    )
    since = fields.Field(attribute="start_date", column_name="since", widget=StrictDateWidget())

    class Meta:
        model = Position
        fields = (
            "honorific",
            "given_name",
            "family_name",
            "email",
            "phone",
            "appointed_by",
            "country",
            "since",
        )
        name = "Contact persons (export only)"

    def get_queryset(self):
        return (
            Position.objects.working_group_members(timezone.localdate())
            .filter(role=Role.CONTACT_PERSON)
            .select_related("person", "appointed_by")
            .order_by("appointed_by__name", "person__family_name")
        )

    def filter_export(self, queryset, **kwargs):
        # Whatever the admin list holds, the export is the current contact persons.
        return self.get_queryset()
