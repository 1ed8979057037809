"""What the site holds about a person, as plain JSON values (the member's download and page).

The members' own rows are read here; the other apps add their sections through
`hooks.export_section_register` (meetings: participations, invitations, comments on minutes).
The page shows the same structure (`personal_data_shown`): each key of the JSON is a section
of the page, each key of its rows a column or a line, so neither holds what the other lacks.

A name or title shown in English for want of a Chinese one is a `MarkedText`: the JSON writes
its text, the page marks its element `lang="en"`, as the public pages do."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anso.models import OutgoingMail, OutgoingMailStatus
from anso.text.languages import MarkedText, marked_text, typed_text

from ..models import Person, Position
from ..names import NameOrder
from ..nominations.models import Nomination
from .hooks import (
    Field,
    Section,
    as_choice,
    as_country,
    as_date,
    as_kept,
    as_language,
    as_yesno,
    as_yesnos,
    export_sections,
    registered_sections,
)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _mails(person: Person) -> list[dict]:
    """The mails the outbox holds for the person's address: subject, dates, status; the text
    while it is kept (MAIL_BODY_DAYS)."""
    address = person.email.strip().lower()
    if not address:
        return []
    rows = OutgoingMail.objects.filter(to__icontains=address).order_by("-created_at", "-pk")
    return [
        {
            "subject": typed_text(mail.subject),
            "created_at": _when(mail.created_at),
            "sent_at": _when(mail.sent_at),
            "status": mail.status,
            "body": mail.body or None,
        }
        for mail in rows
        if address in (a.strip().lower() for a in mail.to)
    ]


def _name(obj) -> MarkedText | None:
    """An organization's or a body's name as the page's language shows it."""
    return marked_text(obj, "name") if obj is not None else None


def personal_data(*, person: Person) -> dict:
    """Everything the site holds about `person`: their record, positions, nominations, the
    other apps' sections, the mails sent to them and their consents."""
    positions = Position.objects.filter(person=person).select_related(
        "body", "organization", "appointed_by"
    )
    nominations = Nomination.objects.filter(
        Q(person=person) | (Q(email__iexact=person.email) & ~Q(email=""))
    ).select_related("organization")
    data = {
        "person": {
            "honorific": typed_text(person.honorific),
            "given_name": typed_text(person.given_name),
            "family_name": typed_text(person.family_name),
            "name_order": person.name_order,
            "name_original": typed_text(person.name_original),
            "display_name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "organization": _name(person.organization),
            "country": person.country.code or None,
            "language": person.language or None,
            "email_doubtful_since": _when(person.email_doubtful_since),
        },
        "positions": [
            {
                "role": position.get_role_display(),
                "title": marked_text(position, "title"),
                "body": _name(position.body),
                "organization": _name(position.organization),
                "appointed_by": _name(position.appointed_by),
                "start_date": _when(position.start_date),
                "end_date": _when(position.end_date),
                "listed_publicly": position.listed_publicly,
            }
            for position in positions
        ],
        "nominations": [
            {
                "organization": _name(nomination.organization),
                "kind": nomination.get_kind_display(),
                "status": nomination.get_status_display(),
                "submitted_at": _when(nomination.created_at),
                "confirmed_at": _when(nomination.confirmed_at),
                "job_title": typed_text(nomination.job_title),
                "email": nomination.email,
                "phone": nomination.phone,
                "consent_to_publish": nomination.consent_to_publish,
            }
            for nomination in nominations
        ],
        **export_sections(person),
        "mails": _mails(person),
    }
    data["consent"] = {
        "announcements": person.announcements_opted_out_at is None,
        "announcements_opted_out_at": _when(person.announcements_opted_out_at),
        "positions_listed_publicly": [p["listed_publicly"] for p in data["positions"]],
        "nominations_consent_to_publish": [n["consent_to_publish"] for n in data["nominations"]],
    }
    return data


#: The members' own sections, in the page's order: the record first, the mails and the
#: consents after the other apps' sections.
PERSON = Section(
    key="person",
    title=_("Your record"),
    empty=_("The site holds no record of you."),
    fields=(
        Field("display_name", _("Name")),
        Field("honorific", _("Honorific")),
        Field("given_name", _("Given name")),
        Field("family_name", _("Family name")),
        Field("name_order", _("Name order"), as_choice(NameOrder.choices)),
        Field("name_original", _("Name in original script")),
        Field("email", _("Email")),
        Field("phone", _("Phone")),
        Field("organization", _("Organization")),
        Field("country", _("Country or region"), as_country),
        Field("language", _("Language of mails"), as_language),
        Field("email_doubtful_since", _("Address refused by a mail server since"), as_date),
    ),
)
POSITIONS = Section(
    key="positions",
    title=_("Positions"),
    empty=_("You hold no position in the working group's records."),
    fields=(
        Field("role", _("Role")),
        Field("title", _("Title")),
        Field("body", _("Body")),
        Field("organization", _("Organization")),
        Field("appointed_by", _("Appointed by")),
        Field("start_date", _("From"), as_date),
        Field("end_date", _("Until"), as_date),
        Field("listed_publicly", _("Listed publicly"), as_yesno),
    ),
)
NOMINATIONS = Section(
    key="nominations",
    title=_("Nominations"),
    empty=_("No nomination names you."),
    fields=(
        Field("organization", _("Organization")),
        Field("kind", _("Kind")),
        Field("status", _("Status")),
        Field("submitted_at", _("Submitted"), as_date),
        Field("confirmed_at", _("Confirmed"), as_date),
        Field("job_title", _("Job title")),
        Field("email", _("Email")),
        Field("phone", _("Phone")),
        Field("consent_to_publish", _("Consent to publish"), as_yesno),
    ),
)
MAILS = Section(
    key="mails",
    title=_("Mails sent to you"),
    empty=_("The site keeps no mail sent to your address."),
    fields=(
        Field("subject", _("Subject")),
        Field("created_at", _("Date"), as_date),
        Field("sent_at", _("Sent"), as_date),
        Field("status", _("Status"), as_choice(OutgoingMailStatus.choices)),
        Field("body", _("Text kept"), as_kept),
    ),
)
CONSENT = Section(
    key="consent",
    title=_("Consent"),
    empty=_("No consent recorded."),
    fields=(
        Field("announcements", _("You receive the Secretariat's announcements"), as_yesno),
        Field("announcements_opted_out_at", _("Opted out of the announcements on"), as_date),
        Field("positions_listed_publicly", _("Positions listed publicly"), as_yesnos),
        Field(
            "nominations_consent_to_publish", _("Nominations with consent to publish"), as_yesnos
        ),
    ),
)
OWN_SECTIONS = {s.key: s for s in (PERSON, POSITIONS, NOMINATIONS, MAILS, CONSENT)}


@dataclass(frozen=True)
class Cell:
    text: str
    lang: str | None  # the language to mark the element with, when not the page's


@dataclass(frozen=True)
class ShownSection:
    """One section of the page: a table of `rows` under `labels`, or the labelled lines of
    `record` (a section holding one dict); `empty` when it holds nothing."""

    key: str
    title: str
    empty: str
    labels: list[str]
    rows: list[list[Cell]]
    record: list[tuple[str, Cell]]


def _cell(field: Field, value) -> Cell:
    text = field.show(value)
    return Cell(text=str(text), lang=getattr(text, "lang", None))


def _fields(section: Section, keys) -> list[Field]:
    """The section's fields, and any key it did not describe under its own name (so that
    nothing the JSON holds is missing from the page)."""
    described = {field.key for field in section.fields}
    return list(section.fields) + [Field(k, k) for k in keys if k not in described]


def personal_data_shown(data: dict) -> list[ShownSection]:
    """The page of `personal_data`'s result: a section per key, in its order."""
    described = {**OWN_SECTIONS, **{s.key: s for s in registered_sections()}}
    shown = []
    for key, value in data.items():
        section = described.get(key) or Section(key=key, title=key, empty="", fields=())
        if isinstance(value, dict):
            fields = _fields(section, value)
            record = [(field.label, _cell(field, value.get(field.key))) for field in fields]
            labels, rows = [], []
        else:
            keys = dict.fromkeys(k for row in value for k in row)
            fields = _fields(section, keys)
            labels = [field.label for field in fields]
            rows = [[_cell(field, row.get(field.key)) for field in fields] for row in value]
            record = []
        shown.append(
            ShownSection(
                key=key,
                title=section.title,
                empty=section.empty,
                labels=labels,
                rows=rows,
                record=record,
            )
        )
    return shown
