"""What the site holds about a person, as plain JSON values (the member's download and page).

The members' own rows are read here; the other apps add their sections through
`hooks.export_section_register` (meetings: participations, invitations)."""

from django.db.models import Q

from anso.models import OutgoingMail

from ..models import Person, Position
from ..nominations.models import Nomination
from .hooks import export_sections


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
            "subject": mail.subject,
            "created_at": _when(mail.created_at),
            "sent_at": _when(mail.sent_at),
            "status": mail.status,
            "body": mail.body or None,
        }
        for mail in rows
        if address in (a.strip().lower() for a in mail.to)
    ]


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
            "honorific": person.honorific,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "name_order": person.name_order,
            "name_original": person.name_original,
            "display_name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "organization": str(person.organization) if person.organization_id else None,
            "country": person.country.code or None,
            "language": person.language or None,
            "email_doubtful_since": _when(person.email_doubtful_since),
        },
        "positions": [
            {
                "role": position.get_role_display(),
                "title": position.title,
                "body": str(position.body) if position.body_id else None,
                "organization": str(position.organization) if position.organization_id else None,
                "appointed_by": str(position.appointed_by) if position.appointed_by_id else None,
                "start_date": _when(position.start_date),
                "end_date": _when(position.end_date),
                "listed_publicly": position.listed_publicly,
            }
            for position in positions
        ],
        "nominations": [
            {
                "organization": str(nomination.organization),
                "kind": nomination.get_kind_display(),
                "status": nomination.get_status_display(),
                "submitted_at": _when(nomination.created_at),
                "confirmed_at": _when(nomination.confirmed_at),
                "job_title": nomination.job_title,
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
