"""The meetings' part of each person's rights over their data (docs/personal-data.md): their
participations and invitations in the export, their erasure, and the retention of the contact
details of people who registered and never attended. `members` knows nothing of meetings:
`MeetingsConfig.ready()` registers the section and the step (`register`)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anso.text.languages import MarkedText, marked_text, typed_text
from members.models import Person
from members.personal_data.hooks import (
    Field,
    Section,
    as_country,
    as_date,
    as_language,
    as_yesno,
    erasure_step_register,
    export_section_register,
)
from members.personal_data.services import log_entries_scrub, person_contact_details_clear

from ..invitations.models import MailingRecipient
from ..papers.models import VisaRequest
from .models import Participation, ParticipationEvent, ParticipationStatus


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _organization(participation) -> MarkedText | str | None:
    """The organization's name in the page's language, or what the participant typed."""
    if participation.organization_id:
        return marked_text(participation.organization, "name")
    return typed_text(participation.organization_name) or None


def participations_export(person: Person) -> list[dict]:
    rows = Participation.objects.filter(person=person).select_related("meeting", "organization")
    return [
        {
            "meeting": marked_text(p.meeting, "title"),
            "start_date": _when(p.meeting.start_date),
            "status": p.get_status_display(),
            "capacity": p.get_capacity_display(),
            "organization": _organization(p),
            "country": p.country.code or None,
            "registered_at": _when(p.registered_at),
            "checked_in_at": _when(p.checked_in_at),
            "language": p.language,
            "listed_publicly": p.listed_publicly,
        }
        for p in rows.order_by("meeting__start_date", "pk")
    ]


def invitations_export(person: Person) -> list[dict]:
    rows = MailingRecipient.objects.filter(person=person).select_related("mailing")
    return [
        {
            "mailing": marked_text(r.mailing, "subject"),
            "address": r.address,
            "language": r.language,
            "declined_at": _when(r.declined_at),
        }
        for r in rows.order_by("pk")
    ]


def participations_erase(person: Person) -> int:
    """The person's participations stay, as anonymous rows (meeting, status, capacity,
    organization and country: the meeting's figures count them), no longer listed publicly;
    the notes on their status changes go, and their visa requests' passport details."""
    rows = Participation.objects.filter(person=person)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(listed_publicly=False)
    Participation.history.filter(id__in=ids).update(listed_publicly=False)
    log_entries_scrub(model=Participation, ids=ids)
    ParticipationEvent.objects.filter(participation_id__in=ids).exclude(note="").update(note="")
    VisaRequest.objects.filter(participation_id__in=ids).unerased().update(
        passport_name="",
        nationality="",
        passport_number="",
        date_of_birth="",
        consulate="",
        erased_at=timezone.now(),
    )
    return len(ids)


def invitations_erase(person: Person) -> int:
    """The invitations sent to the person keep their row (a mailing's counts) without the
    address."""
    return MailingRecipient.objects.filter(person=person).exclude(address="").update(address="")


def registrants_contact_details_clear(*, now: datetime.datetime | None = None) -> int:
    """The upkeep's chore: clear the email and phone of the people who registered for meetings
    and never attended one, `CONTACT_RETENTION_MONTHS` after the last of those meetings ended.
    People who hold a position (contact persons, experts) or who attended keep theirs, and so
    does anyone registered for a meeting not that far past. Returns how many people."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - datetime.timedelta(
        days=round(settings.CONTACT_RETENTION_MONTHS * 365.25 / 12)
    )
    mine = Participation.objects.filter(person=OuterRef("pk"))
    people = (
        Person.objects.filter(erased_at__isnull=True)
        .exclude(email="", phone="")
        .filter(Exists(mine))
        .exclude(Exists(mine.filter(status=ParticipationStatus.ATTENDED)))
        .exclude(Exists(mine.filter(meeting__end_date__gte=cutoff)))
        .filter(positions__isnull=True)
    )
    ids = list(people.values_list("pk", flat=True).distinct())
    return person_contact_details_clear(person_ids=ids)


PARTICIPATIONS = Section(
    key="participations",
    title=_("Meetings"),
    empty=_("You have not registered for any meeting."),
    fields=(
        Field("meeting", _("Meeting")),
        Field("start_date", _("Date"), as_date),
        Field("status", _("Status")),
        Field("capacity", _("Capacity")),
        Field("organization", _("Organization")),
        Field("country", _("Country or region"), as_country),
        Field("registered_at", _("Registered"), as_date),
        Field("checked_in_at", _("Checked in"), as_date),
        Field("language", _("Language"), as_language),
        Field("listed_publicly", _("Listed publicly"), as_yesno),
    ),
    read=participations_export,
)
INVITATIONS = Section(
    key="invitations",
    title=_("Invitations"),
    empty=_("The Secretariat has sent you no invitation."),
    fields=(
        Field("mailing", _("Invitation")),
        Field("address", _("Sent to")),
        Field("language", _("Language"), as_language),
        Field("declined_at", _("Declined"), as_date),
    ),
    read=invitations_export,
)


def register() -> None:
    export_section_register(PARTICIPATIONS)
    export_section_register(INVITATIONS)
    erasure_step_register("participations", participations_erase)
    erasure_step_register("invitations", invitations_erase)
