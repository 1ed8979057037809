"""Writes for attendance: registration, the registrant's own changes through the link,
cancellation, check-in and walk-ins. Every change of status goes through the one write path
(`status.participations_save`).

Every function runs in one transaction; mail goes out only after the transaction commits.
Capacity is enforced by locking the meeting's registration window row (`select_for_update`):
two people asking for the last seat at the same moment are served one after the other, so
exactly one of them gets it.
"""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anso.background.tasks import background
from members.models import Organization
from members.services import PersonDetails, person_find_or_create

from ..models import Meeting
from . import selectors
from .links import (
    registration_link_expired,
    registration_mail_after_commit,
)
from .models import (
    Capacity,
    Participation,
    ParticipationStatus,
    RegistrationWindow,
    new_manage_key,
)
from .status import (
    participation_status_change,
    participations_save,
    participations_status_change,
)


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
    """`participation` is the new registration, or the existing one when the email was already
    registered (`created` False). `status` is what the visitor is told: for an existing
    registration, what a new one would have got, so that the answer is the same either way."""

    participation: Participation
    created: bool
    status: str

    @property
    def waitlisted(self) -> bool:
        return self.status == ParticipationStatus.WAITLISTED


def _apply_details(*, participation: Participation, details: RegistrantDetails) -> None:
    participation.organization = details.organization
    participation.organization_name = "" if details.organization else details.organization_name
    participation.country = details.country
    participation.capacity = details.capacity
    participation.listed_publicly = details.listed_publicly


def _status_for_newcomer(*, window: RegistrationWindow) -> str:
    """What someone registering now gets: a seat if one is left, else the waiting list, else
    RegistrationFull. The caller holds the window's row lock."""
    seats_left = selectors.seats_left(window=window)
    if seats_left is None or seats_left > 0:
        return ParticipationStatus.REGISTERED
    if window.waiting_list:
        return ParticipationStatus.WAITLISTED
    raise RegistrationFull(
        _("Sorry, this meeting is full: all %(capacity)s seats are taken.")
        % {"capacity": window.capacity}
    )


def _lock_window(*, meeting_id: int) -> RegistrationWindow | None:
    return (
        RegistrationWindow.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting_id=meeting_id)
        .first()
    )


#: What a registration form or a walk-in sets on a participation besides its status.
_DETAIL_FIELDS = ("organization", "organization_name", "country", "capacity", "listed_publicly")

#: What a registrant may cancel: not a cancellation, not an attendance.
_CANCELLABLE = frozenset(ParticipationStatus) - {
    ParticipationStatus.CANCELLED,
    ParticipationStatus.ATTENDED,
}

# --- registration ---------------------------------------------------------------------------


def registration_check_open(
    *, window: RegistrationWindow | None, now: datetime.datetime, invitation: str = ""
) -> None:
    """Raise RegistrationClosed with a message for the visitor unless registration is open to
    them (`selectors.registration_closed_message`)."""
    message = selectors.registration_closed_message(window=window, now=now, invitation=invitation)
    if message:
        raise RegistrationClosed(message)


def registration_submit(
    *,
    meeting: Meeting,
    details: RegistrantDetails,
    invitation: str = "",
    language: str = "",
    now: datetime.datetime | None = None,
) -> RegistrationResult:
    """Register a person for a meeting: a seat if one is left, else a place on the waiting
    list, else RegistrationFull. Mails a confirmation with the link to the registration.

    The form never changes an existing registration or person record: when the email (any
    case) is already registered for the meeting, whatever the status, nothing is written and
    the owner is mailed their link instead; the result (or RegistrationFull) is what a new
    registration would have got, so that the answer does not reveal the address. A new
    registration remembers `language` (the form's): its mails are written in it."""
    now = now or timezone.now()
    email = details.email.strip().lower()
    existing = None
    full = None
    with transaction.atomic():
        window = _lock_window(meeting_id=meeting.pk)
        registration_check_open(window=window, now=now, invitation=invitation)
        if email:
            existing = (
                Participation.objects.select_related("person", "meeting")
                .filter(meeting=meeting, person__email__iexact=email)
                .first()
            )
        try:
            status = _status_for_newcomer(window=window)
        except RegistrationFull as error:
            if existing is None:
                raise
            full, status = error, ""
        if existing is not None:
            registration_mail_after_commit(participation=existing, template="registration_exists")
            participation = existing
        else:
            participation = Participation(
                meeting=meeting,
                # The email alone does not prove who is typing: the record is left as it is.
                person=person_find_or_create(
                    details=PersonDetails.of(details),
                    fill_blanks=False,
                    reason=_("registration form"),
                ),
                status=status,
                registered_at=now,
                language=language or settings.LANGUAGE_CODE,
            )
            _apply_details(participation=participation, details=details)
            participations_save(
                participations=[participation],
                by=None,
                note=_("registration form"),
                now=now,
            )
            registration_mail_after_commit(
                participation=participation, template="registration_confirmation"
            )
    if full is not None:
        raise full
    return RegistrationResult(participation=participation, created=existing is None, status=status)


def registration_change(
    *, participation: Participation, listed_publicly: bool, capacity: str | None = None
) -> bool:
    """The registrant's own change, through their link: consent to the public list and, when
    given, the capacity. The participation's history records it. Returns whether anything
    changed."""
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        changed = []
        if participation.listed_publicly != listed_publicly:
            participation.listed_publicly = listed_publicly
            changed.append("listed_publicly")
        if capacity is not None and participation.capacity != capacity:
            participation.capacity = capacity
            changed.append("capacity")
        if changed:
            participation._change_reason = _("changed through the registration link")
            participation.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def registration_resume(
    *, participation: Participation, now: datetime.datetime | None = None
) -> Participation:
    """Register again, through the link, after cancelling: a seat if one is left, else the
    waiting list, else RegistrationFull; only while registration is open. The link stands in
    for the invitation of an invitation-only meeting: its owner was admitted before."""
    now = now or timezone.now()
    with transaction.atomic():
        window = _lock_window(meeting_id=participation.meeting_id)
        registration_check_open(
            window=window, now=now, invitation=window.invitation_token if window else ""
        )
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("person", "meeting")
            .get(pk=participation.pk)
        )
        if participation.status != ParticipationStatus.CANCELLED:
            return participation
        participation.status = _status_for_newcomer(window=window)
        participation.registered_at = now
        participations_save(
            participations=[participation],
            fields=["registered_at"],
            by=None,
            note=_("registered again through the link"),
            from_statuses=[ParticipationStatus.CANCELLED],
            now=now,
        )
        registration_mail_after_commit(
            participation=participation, template="registration_confirmation"
        )
    return participation


def registration_link_request(*, meeting: Meeting, email: str) -> None:
    """ "Lost your link?": hand the typed address to the worker, whatever it is. The request
    does the same work for an address that is registered and for one that is not (it queues
    one task), so that its answer takes no longer for either; the worker looks the address
    up and mails its registrant only (`registration_link_renew`)."""
    meeting_id, email = meeting.pk, email.strip().lower()
    transaction.on_commit(
        lambda: registration_link_renew_task.enqueue(meeting_id=meeting_id, email=email),
        robust=True,
    )


@background
def registration_link_renew_task(meeting_id: int, email: str) -> None:
    """The worker's side of `registration_link_request`."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is not None:
        registration_link_renew(meeting=meeting, email=email)


def registration_link_renew(*, meeting: Meeting, email: str) -> None:
    """Mail a new link to the registration of `email` for `meeting`, if there is one; the
    earlier link stops working. Says nothing either way: the visitor's answer must not reveal
    whether the address is registered. Nothing is sent once links have expired."""
    email = email.strip().lower()
    if not email or registration_link_expired(meeting=meeting):
        return
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("person", "meeting")
            .filter(meeting=meeting, person__email__iexact=email)
            .first()
        )
        if participation is None:
            return
        participation.manage_key = new_manage_key()
        participation._change_reason = _("new link requested")
        participation.save(update_fields=["manage_key", "updated_at"])
        registration_mail_after_commit(
            participation=participation, template="registration_link_new"
        )


def registration_cancel(
    *, participation: Participation, by: AbstractBaseUser | None = None
) -> Participation:
    """Cancel a registration. A seat freed goes to the first person on the waiting list, who
    is told by mail."""
    with transaction.atomic():
        changes = participations_status_change(
            participations=[participation],
            to_status=ParticipationStatus.CANCELLED,
            by=by,
            note=_("cancelled"),
            from_statuses=_CANCELLABLE,
        )
        participation = Participation.objects.select_related("person", "meeting").get(
            pk=participation.pk
        )
        if changes.changed:
            registration_mail_after_commit(
                participation=participation, template="registration_cancelled"
            )
    return participation


# --- check-in -------------------------------------------------------------------------------


def participation_check_in(
    *, participation: Participation, by: AbstractBaseUser | None
) -> Participation:
    """Mark a participant as attended (one tap at the door). Repeating it changes nothing."""
    return participation_status_change(
        participation=participation,
        to_status=ParticipationStatus.ATTENDED,
        by=by,
        note=_("checked in"),
    )


def participation_check_in_undo(
    *, participation: Participation, by: AbstractBaseUser | None
) -> Participation:
    """Undo a check-in made by mistake: back to the status before it (registered if unknown)."""
    last = (
        participation.events.filter(to_status=ParticipationStatus.ATTENDED)
        .exclude(from_status="")
        .order_by("-at", "-pk")
        .first()
    )
    return participation_status_change(
        participation=participation,
        to_status=last.from_status if last else ParticipationStatus.REGISTERED,
        by=by,
        note=_("check-in undone"),
        from_statuses=[ParticipationStatus.ATTENDED],
    )


def participation_walk_in_add(
    *, meeting: Meeting, details: RegistrantDetails, by: AbstractBaseUser | None
) -> Participation:
    """Add someone who arrives without registering and check them in at once. The capacity is
    not applied: the person is already in the room."""
    now = timezone.now()
    with transaction.atomic():
        person = person_find_or_create(details=PersonDetails.of(details), reason=_("walk-in"))
        participation = Participation.objects.filter(meeting=meeting, person=person).first()
        if participation is None:
            participation = Participation(meeting=meeting, person=person, registered_at=now)
        _apply_details(participation=participation, details=details)
        participation.status = ParticipationStatus.ATTENDED
        participations_save(
            participations=[participation],
            fields=_DETAIL_FIELDS,
            by=by,
            note=_("walk-in"),
            now=now,
        )
    return participation
