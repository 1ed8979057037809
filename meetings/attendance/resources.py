"""Spreadsheets in and out (django-import-export) for meeting participants.

One row per person at a meeting: meeting (slug or title), email, honorific, given_name,
family_name, name_original (the name in its own script), organization (name or short name,
in English or Chinese; a name not in the list is kept as typed),
country (ISO code or name), capacity, status, listed_publicly (yes/no).

People are matched by email and created in bulk when new; participations are created and
updated in bulk. The lookups run a fixed number of queries per file; the background worker
runs the import (anso/background/imports.py). Any failing row rolls the whole import back.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader

from anso.spreadsheets.widgets import (
    AllOrNothingMixin,
    ChoiceWidget,
    CountryWidget,
    LookupWidget,
    YesNoWidget,
    normalise_headers,
    required_columns,
)
from members.models import Person
from members.resources import OrganizationLookup
from members.services import PersonDetails, people_find_or_create

from ..models import Meeting
from .models import Capacity, Participation, ParticipationStatus
from .status import participations_save

UPDATABLE_FIELDS = [
    "organization",
    "organization_name",
    "country",
    "capacity",
    "status",
    "listed_publicly",
]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class MeetingWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        meeting = self.resource.meetings.get(value.lower())
        if meeting is None:
            raise ValueError(
                _("Unknown meeting: “%(value)s” (use the meeting's slug or title).")
                % {"value": value}
            )
        return meeting

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class PersonByEmailWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        person = self.resource.people.get(_text(value).lower())
        if person is None:
            raise ValueError(_("A valid email is required to match people."))
        return person

    def render(self, value, obj=None, **kwargs):
        return value.email if value else ""


class OrganizationOrNoneWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        return self.resource.organizations.find(value)

    def render(self, value, obj=None, **kwargs):
        return value.name_en if value else ""


class ParticipationInstanceLoader(BaseInstanceLoader):
    def get_instance(self, row):
        resource = self.resource
        meeting = resource.meetings.get(_text(row.get("meeting")).lower())
        person = resource.people.get(_text(row.get("email")).lower())
        if meeting is None or person is None:
            return None
        return resource.participations.get((meeting.pk, person.pk))


class ParticipantResource(AllOrNothingMixin, resources.ModelResource):
    meeting = fields.Field(attribute="meeting", column_name="meeting")
    email = fields.Field(attribute="person", column_name="email")
    honorific = fields.Field(attribute="person__honorific", column_name="honorific", readonly=True)
    given_name = fields.Field(
        attribute="person__given_name", column_name="given_name", readonly=True
    )
    family_name = fields.Field(
        attribute="person__family_name", column_name="family_name", readonly=True
    )
    name_original = fields.Field(
        attribute="person__name_original", column_name="name_original", readonly=True
    )
    organization = fields.Field(attribute="organization", column_name="organization")
    organization_name = fields.Field(attribute="organization_name", column_name="organization_name")
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    capacity = fields.Field(
        attribute="capacity",
        column_name="capacity",
        widget=ChoiceWidget(Capacity, default=Capacity.OTHER),
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(ParticipationStatus, default=ParticipationStatus.REGISTERED),
    )
    listed_publicly = fields.Field(
        attribute="listed_publicly", column_name="listed_publicly", widget=YesNoWidget()
    )

    class Meta:
        model = Participation
        fields = (
            "meeting",
            "email",
            "honorific",
            "given_name",
            "family_name",
            "name_original",
            "organization",
            "organization_name",
            "country",
            "capacity",
            "status",
            "listed_publicly",
        )
        import_id_fields = ("meeting", "email")
        instance_loader_class = ParticipationInstanceLoader
        use_transactions = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["meeting"].widget = MeetingWidget(self)
        self.fields["email"].widget = PersonByEmailWidget(self)
        self.fields["organization"].widget = OrganizationOrNoneWidget(self)

    def get_queryset(self):
        return Participation.objects.select_related("meeting", "person", "organization")

    def get_bulk_update_fields(self):
        return UPDATABLE_FIELDS

    # --- import -------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Check the columns, then load every lookup once: meetings, organizations, people
        (creating the new ones in bulk) and the participations already recorded."""
        normalise_headers(dataset)
        required_columns(dataset, ("meeting", "email", "family_name"))
        keys = {_text(value).lower() for value in dataset["meeting"]} - {""}
        self.meetings = {}
        meetings = Meeting.objects.only("pk", "slug", "title_en", "title_zh_hans", "start_date")
        for meeting in meetings:
            titles = (meeting.title_en or "", meeting.title_zh_hans or "")
            for key in (meeting.slug.lower(), *(title.lower() for title in titles if title)):
                if key in keys:
                    self.meetings[key] = meeting
        self.organizations = OrganizationLookup()
        self.people = self._people_for(dataset)
        self.participations = {
            (p.meeting_id, p.person_id): p
            for p in Participation.objects.filter(
                meeting__in={m.pk for m in self.meetings.values()}
            )
        }
        self.seen: set[tuple[int, str]] = set()
        # Who imports: the status events and history of the rows name them.
        self.user = kwargs.get("user")

    def _people_for(self, dataset) -> dict[str, Person]:
        """The people of the file by email: found, their blank fields filled, or created
        (`members.services.people_find_or_create`)."""
        people = []
        country = CountryWidget()
        for values in dataset:
            row = dict(zip(dataset.headers, values, strict=False))
            email = _text(row.get("email")).lower()
            if "@" not in email or not _text(row.get("family_name")):
                continue  # the row itself reports it
            try:
                country_code = country.clean(row.get("country"))
            except ValueError:
                country_code = ""  # the row itself reports the country
            people.append(
                PersonDetails(
                    honorific=_text(row.get("honorific"))[:20],
                    given_name=_text(row.get("given_name"))[:100],
                    family_name=_text(row.get("family_name"))[:100],
                    name_original=_text(row.get("name_original"))[:100],
                    email=email,
                    organization=self.organizations.find(row.get("organization")),
                    country=country_code,
                )
            )
        return people_find_or_create(people=people, reason=_("imported"))

    def before_import_row(self, row, **kwargs):
        email = _text(row.get("email")).lower()
        if "@" not in email:
            raise ValidationError(_("A valid email is required to match people."))
        if not _text(row.get("family_name")):
            raise ValidationError(_("The family name is required."))
        key = (_text(row.get("meeting")).lower(), email)
        if key in self.seen:
            raise ValidationError(
                _("%(email)s appears twice for the same meeting.") % {"email": email}
            )
        self.seen.add(key)
        typed = _text(row.get("organization"))
        if typed and self.organizations.find(typed) is None:
            # Not in the list: kept as typed, like the registration form does.
            row["organization_name"] = typed[:200]
            row["organization"] = ""
        elif typed or row.get("organization_name") is None:
            row["organization_name"] = ""

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Through the status service: history, status events, check-in fields, fresh pages."""
        if using_transactions or not dry_run:
            self._save(self.create_instances, (), raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Through the status service too: a status the file changes is recorded like any
        other change of status."""
        if using_transactions or not dry_run:
            self._save(self.update_instances, UPDATABLE_FIELDS, raise_errors, result)

    def _save(self, instances, fields, raise_errors, result):
        if not instances:
            return
        try:
            participations_save(
                participations=instances,
                fields=fields,
                by=getattr(self, "user", None),
                note=_("imported"),
            )
        except Exception as error:  # reported as an import error, never a 500
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()
