"""Spreadsheets in and out (django-import-export) for organizations and people.

Imports match existing records instead of duplicating them: organizations by name or short
name (case-insensitive, in English or Chinese), people by email. Translated text has a column
per language: `name` (English) and `name_zh_hans` (Chinese), `short_name` and
`short_name_zh_hans`; a person's name in its own script is `name_original`. Every lookup is
loaded once per file, not once per row. Values a person can get wrong (country, dates,
choices, organization) fail the row with a message that names the value; an import with any
failing row is rolled back as a whole.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader

from anso.spreadsheets.widgets import (
    AllOrNothingMixin,
    ChoiceWidget,
    CountryWidget,
    LookupWidget,
    StrictDateWidget,
    normalise_headers,
    required_columns,
)

from .models import MembershipStatus, Organization, OrganizationKind, Person, Position, Role


class OrganizationLookup:
    """All organizations by lower-cased name and short name, in both languages, loaded in one
    query."""

    def __init__(self):
        self.by_key: dict[str, Organization] = {}
        for organization in Organization.objects.all():
            self.add(organization)

    def add(self, organization: Organization) -> None:
        for name in (organization.name_en, organization.name_zh_hans):
            if name:
                self.by_key[name.lower()] = organization
        for short_name in (organization.short_name_en, organization.short_name_zh_hans):
            if short_name:
                self.by_key.setdefault(short_name.lower(), organization)

    def find(self, value) -> Organization | None:
        return self.by_key.get(("" if value is None else str(value)).strip().lower())


class OrganizationWidget(LookupWidget):
    """An organization by name or short name; unknown names are errors."""

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip()
        if not value:
            return None
        organization = self.resource.organizations.find(value)
        if organization is None:
            raise ValueError(_("Unknown organization: “%(value)s”.") % {"value": value})
        return organization

    def render(self, value, obj=None, **kwargs):
        return value.name_en if value else ""


class OrganizationInstanceLoader(BaseInstanceLoader):
    def get_instance(self, row):
        lookup = self.resource.organizations
        return next(filter(None, (lookup.find(row.get(key)) for key in TRANSLATED_COLUMNS)), None)


#: The columns of the translated fields: English under the field's name, Chinese beside it.
TRANSLATED_COLUMNS = ("name", "name_zh_hans", "short_name", "short_name_zh_hans")


class OrganizationResource(AllOrNothingMixin, resources.ModelResource):
    # The language columns by name: `name` is English whatever the admin's language.
    name = fields.Field(attribute="name_en", column_name="name")
    name_zh_hans = fields.Field(attribute="name_zh_hans", column_name="name_zh_hans")
    short_name = fields.Field(attribute="short_name_en", column_name="short_name")
    short_name_zh_hans = fields.Field(
        attribute="short_name_zh_hans", column_name="short_name_zh_hans"
    )
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
            "name_zh_hans",
            "short_name",
            "short_name_zh_hans",
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
        return Organization.objects.order_by("name_en")

    def before_import(self, dataset, **kwargs):
        normalise_headers(dataset)
        required_columns(dataset, ("name",))
        self.organizations = OrganizationLookup()

    def before_import_row(self, row, **kwargs):
        if not (row.get("name") or "").strip():
            raise ValidationError(_("The name is required."))
        for key in ("name", "short_name", "short_name_zh_hans", "website"):
            if key in row and row[key] is None:
                row[key] = ""
        # No Chinese name is NULL, not "": the names are unique.
        if "name_zh_hans" in row:
            row["name_zh_hans"] = str(row["name_zh_hans"] or "").strip() or None

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
    name_original = fields.Field(attribute="name_original", column_name="name_original")
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
            "name_original",
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
        for key in ("honorific", "given_name", "name_original", "phone"):
            if key in row and row[key] is None:
                row[key] = ""


class ContactPersonResource(resources.ModelResource):
    """Export only: the working group's contact persons as of today, with the organization
    that appointed them. Contact details included: for the Secretariat, not for publishing."""

    honorific = fields.Field(attribute="person__honorific", column_name="honorific")
    given_name = fields.Field(attribute="person__given_name", column_name="given_name")
    family_name = fields.Field(attribute="person__family_name", column_name="family_name")
    name_original = fields.Field(attribute="person__name_original", column_name="name_original")
    email = fields.Field(attribute="person__email", column_name="email")
    phone = fields.Field(attribute="person__phone", column_name="phone")
    appointed_by = fields.Field(attribute="appointed_by__name_en", column_name="appointed_by")
    appointed_by_zh_hans = fields.Field(
        attribute="appointed_by__name_zh_hans", column_name="appointed_by_zh_hans"
    )
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
            "name_original",
            "email",
            "phone",
            "appointed_by",
            "appointed_by_zh_hans",
            "country",
            "since",
        )
        name = "Contact persons (export only)"

    def get_queryset(self):
        return (
            Position.objects.working_group_members(timezone.localdate())
            .filter(role=Role.CONTACT_PERSON)
            .select_related("person", "appointed_by")
            .order_by("appointed_by__name_en", "person__family_name")
        )

    def filter_export(self, queryset, **kwargs):
        # Whatever the admin list holds, the export is the current contact persons.
        return self.get_queryset()
