"""Writes for meetings: registration, cancellation, check-in, walk-ins and the published summary.

Every function runs in one transaction; mail goes out only after the transaction commits.
Capacity is enforced by locking the meeting's registration window row (`select_for_update`):
two people asking for the last seat at the same moment are served one after the other, so
exactly one of them gets it.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from anso.mail import send_after_commit
from members.models import Organization, Person

from .models import (
    Capacity,
    Meeting,
    Participation,
    ParticipationEvent,
    ParticipationStatus,
    RegistrationMode,
    RegistrationWindow,
)

REGISTRATION_LINK_SALT = "meetings.registration"


class RegistrationError(Exception):
    """A registration that cannot be accepted; `message` is for the visitor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistrationClosed(RegistrationError):
    pass


class RegistrationFull(RegistrationError):
    pass


@dataclasses.dataclass(frozen=True)
class RegistrantDetails:
    """What a registration form (or a walk-in form) collects about a person."""

    family_name: str
    email: str = ""
    given_name: str = ""
    honorific: str = ""
    phone: str = ""
    organization: Organization | None = None
    organization_name: str = ""
    country: str = ""
    capacity: str = Capacity.OTHER
    listed_publicly: bool = False


@dataclasses.dataclass(frozen=True)
class RegistrationResult:
    participation: Participation
    created: bool

    @property
    def waitlisted(self) -> bool:
        return self.participation.status == ParticipationStatus.WAITLISTED


# --- signed links -------------------------------------------------------------------------


def registration_token(participation: Participation) -> str:
    """The signed part of the link that lets a registrant view or cancel their registration."""
    return signing.dumps(
        {"p": participation.pk, "m": participation.meeting_id}, salt=REGISTRATION_LINK_SALT
    )


def registration_from_token(token: str, *, meeting: Meeting) -> Participation | None:
    """The participation a signed link points to, or None for a tampered or foreign link."""
    try:
        data = signing.loads(token, salt=REGISTRATION_LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        return None
    return (
        Participation.objects.select_related("person", "organization", "meeting")
        .filter(pk=data.get("p"), meeting=meeting)
        .first()
    )


def registration_manage_url(participation: Participation) -> str:
    meeting = participation.meeting
    return reverse(
        "meetings:registration_manage",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation),
        },
    )


# --- helpers --------------------------------------------------------------------------------


def _record(
    participation: Participation, *, from_status: str, by=None, note: str = ""
) -> ParticipationEvent:
    return ParticipationEvent.objects.create(
        participation=participation,
        from_status=from_status,
        to_status=participation.status,
        by=by,
        note=note,
    )


def _mail_after_commit(participation: Participation, *, template: str, site_url: str) -> None:
    """Send one of the registration mails once the transaction has committed."""
    if not participation.person.email:
        return
    context = {
        "participation": participation,
        "meeting": participation.meeting,
        "person": participation.person,
        "manage_url": site_url + registration_manage_url(participation),
        "meeting_url": site_url + participation.meeting.get_absolute_url(),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = render_to_string(f"meetings/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"meetings/email/{template}.txt", context)
    send_after_commit(subject=subject, body=body, to=[participation.person.email])


def _person_for(details: RegistrantDetails) -> Person:
    """The person with this email, or a new one. An existing record is only completed (blank
    fields filled), never overwritten: the email alone does not prove who is typing."""
    email = details.email.strip().lower()
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person is None:
        return Person.objects.create(
            honorific=details.honorific,
            given_name=details.given_name,
            family_name=details.family_name,
            email=email,
            phone=details.phone,
            organization=details.organization,
            country=details.country,
        )
    changed = []
    for field in ("honorific", "given_name", "phone", "country", "organization"):
        value = getattr(details, field)
        if value and not getattr(person, field):
            setattr(person, field, value)
            changed.append(field)
    if changed:
        person.save(update_fields=changed)
    return person


def _apply_details(participation: Participation, details: RegistrantDetails) -> None:
    participation.organization = details.organization
    participation.organization_name = "" if details.organization else details.organization_name
    participation.country = details.country
    participation.capacity = details.capacity
    participation.listed_publicly = details.listed_publicly


def _seats_left(window: RegistrationWindow) -> int | None:
    if window.capacity is None:
        return None
    taken = Participation.objects.filter(meeting_id=window.meeting_id).holding_seats().count()
    return max(window.capacity - taken, 0)


# --- registration ---------------------------------------------------------------------------


def registration_check_open(
    *, window: RegistrationWindow | None, now: datetime.datetime, invitation: str = ""
) -> None:
    """Raise RegistrationClosed with a message for the visitor unless registration is open to
    them."""
    if window is None or not window.meeting.is_published:
        raise RegistrationClosed(_("This meeting does not take registrations."))
    if now < window.opens_at:
        raise RegistrationClosed(
            _("Registration opens on %(date)s.")
            % {"date": timezone.localtime(window.opens_at).strftime("%d %B %Y, %H:%M")}
        )
    if now >= window.closes_at:
        raise RegistrationClosed(_("Registration for this meeting has closed."))
    if window.mode == RegistrationMode.INVITATION and not constant_time_compare(
        invitation or "", window.invitation_token
    ):
        raise RegistrationClosed(
            _(
                "Registration for this meeting is by invitation only. "
                "Please use the link in your invitation."
            )
        )


def registration_submit(
    *,
    meeting: Meeting,
    details: RegistrantDetails,
    invitation: str = "",
    site_url: str = "",
    now: datetime.datetime | None = None,
) -> RegistrationResult:
    """Register a person for a meeting, or update their registration if the email is already
    registered. Takes a seat if one is left, else a place on the waiting list, else refuses
    with RegistrationFull. Mails a confirmation with the signed view/cancel link."""
    now = now or timezone.now()
    with transaction.atomic():
        window = (
            RegistrationWindow.objects.select_for_update()
            .select_related("meeting")
            .filter(meeting=meeting)
            .first()
        )
        registration_check_open(window=window, now=now, invitation=invitation)
        person = _person_for(details)
        participation = Participation.objects.filter(meeting=meeting, person=person).first()
        created = participation is None
        if created:
            participation = Participation(meeting=meeting, person=person)
        previous = "" if created else participation.status
        _apply_details(participation, details)

        if created or not participation.holds_seat:
            seats_left = _seats_left(window)
            if seats_left is None or seats_left > 0:
                participation.status = ParticipationStatus.REGISTERED
            elif window.waiting_list:
                participation.status = ParticipationStatus.WAITLISTED
            else:
                raise RegistrationFull(
                    _("Sorry, this meeting is full: all %(capacity)s seats are taken.")
                    % {"capacity": window.capacity}
                )
            if previous != participation.status:
                participation.registered_at = now
        participation.save()
        if previous != participation.status:
            _record(participation, from_status=previous, note=_("registration form"))
        _mail_after_commit(participation, template="registration_confirmation", site_url=site_url)
    return RegistrationResult(participation=participation, created=created)


def registration_cancel(
    *, participation: Participation, by=None, site_url: str = ""
) -> Participation:
    """Cancel a registration. A seat freed goes to the first person on the waiting list, who
    is told by mail."""
    with transaction.atomic():
        window = (
            RegistrationWindow.objects.select_for_update()
            .filter(meeting_id=participation.meeting_id)
            .first()
        )
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.status in (ParticipationStatus.CANCELLED, ParticipationStatus.ATTENDED):
            return participation
        freed_seat = participation.holds_seat
        previous = participation.status
        participation.status = ParticipationStatus.CANCELLED
        participation.save(update_fields=["status", "updated_at"])
        _record(participation, from_status=previous, by=by, note=_("cancelled"))
        participation = Participation.objects.select_related("person", "meeting").get(
            pk=participation.pk
        )
        _mail_after_commit(participation, template="registration_cancelled", site_url=site_url)
        if freed_seat and window is not None and window.waiting_list:
            seats_left = _seats_left(window)
            if seats_left is None or seats_left > 0:
                promoted = (
                    Participation.objects.select_related("person", "meeting")
                    .filter(
                        meeting_id=participation.meeting_id,
                        status=ParticipationStatus.WAITLISTED,
                    )
                    .order_by("registered_at", "pk")
                    .first()
                )
                if promoted is not None:
                    promoted.status = ParticipationStatus.REGISTERED
                    promoted.save(update_fields=["status", "updated_at"])
                    _record(
                        promoted,
                        from_status=ParticipationStatus.WAITLISTED,
                        by=by,
                        note=_("moved up from the waiting list"),
                    )
                    _mail_after_commit(
                        promoted, template="registration_confirmation", site_url=site_url
                    )
    return participation


# --- check-in -------------------------------------------------------------------------------


def participation_check_in(*, participation: Participation, by) -> Participation:
    """Mark a participant as attended (one tap at the door). Repeating it changes nothing."""
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.status == ParticipationStatus.ATTENDED:
            return participation
        previous = participation.status
        participation.status = ParticipationStatus.ATTENDED
        participation.checked_in_at = timezone.now()
        participation.checked_in_by = by
        participation.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
        _record(participation, from_status=previous, by=by, note=_("checked in"))
    return participation


def participation_check_in_undo(*, participation: Participation, by) -> Participation:
    """Undo a check-in made by mistake: back to the status before it (registered if unknown)."""
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.status != ParticipationStatus.ATTENDED:
            return participation
        last = (
            participation.events.filter(to_status=ParticipationStatus.ATTENDED)
            .exclude(from_status="")
            .order_by("-at", "-pk")
            .first()
        )
        participation.status = last.from_status if last else ParticipationStatus.REGISTERED
        participation.checked_in_at = None
        participation.checked_in_by = None
        participation.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
        _record(
            participation,
            from_status=ParticipationStatus.ATTENDED,
            by=by,
            note=_("check-in undone"),
        )
    return participation


def participation_walk_in_add(*, meeting: Meeting, details: RegistrantDetails, by) -> Participation:
    """Add someone who arrives without registering and check them in at once. The capacity is
    not applied: the person is already in the room."""
    now = timezone.now()
    with transaction.atomic():
        person = (
            _person_for(details)
            if details.email
            else Person.objects.create(
                honorific=details.honorific,
                given_name=details.given_name,
                family_name=details.family_name,
                phone=details.phone,
                organization=details.organization,
                country=details.country,
            )
        )
        participation = (
            Participation.objects.select_for_update().filter(meeting=meeting, person=person).first()
        )
        previous = ""
        if participation is None:
            participation = Participation(meeting=meeting, person=person, registered_at=now)
        else:
            previous = participation.status
        _apply_details(participation, details)
        participation.status = ParticipationStatus.ATTENDED
        participation.checked_in_at = now
        participation.checked_in_by = by
        participation.save()
        _record(participation, from_status=previous, by=by, note=_("walk-in"))
    return participation


# --- summary ----------------------------------------------------------------------------------


def meeting_summary_publish(*, meeting: Meeting, text: str) -> Meeting:
    """Save a (reviewed) report as the meeting's published summary. The meeting's history
    keeps the previous text and who changed it."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.summary = text.strip()
        meeting.save()
    return meeting
