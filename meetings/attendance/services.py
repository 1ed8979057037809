"""Writes for attendance: registration, cancellation, status changes, check-in and walk-ins.

Every function runs in one transaction; mail goes out only after the transaction commits.
Capacity is enforced by locking the meeting's registration window row (`select_for_update`):
two people asking for the last seat at the same moment are served one after the other, so
exactly one of them gets it.
"""

import dataclasses
import datetime
from collections.abc import Collection, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from anso.mail import send_after_commit
from anso.page_cache import bump_content_version
from anso.text import one_line
from members.models import Organization, Person

from ..models import Meeting
from . import selectors
from .models import (
    SEAT_STATUSES,
    Capacity,
    Participation,
    ParticipationEvent,
    ParticipationStatus,
    RegistrationWindow,
    new_manage_key,
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
    """`participation` is the new registration, or the existing one when the email was already
    registered (`created` False). `status` is what the visitor is told: for an existing
    registration, what a new one would have got, so that the answer is the same either way."""

    participation: Participation
    created: bool
    status: str

    @property
    def waitlisted(self) -> bool:
        return self.status == ParticipationStatus.WAITLISTED


# --- links to a registration ----------------------------------------------------------------


def _link_signer() -> signing.Signer:
    return signing.Signer(salt=REGISTRATION_LINK_SALT, sep=".")


def registration_token(*, participation: Participation) -> str:
    """The opaque part of the link that lets a registrant view and change their registration:
    the participation's random key, signed with the site's secret key. It carries no ids; a
    copy of the database alone cannot make a working link; `registration_link_renew` gives
    the participation a new key, and the earlier link stops working."""
    return _link_signer().sign(participation.manage_key)


def registration_link_valid_until(*, meeting: Meeting) -> datetime.date:
    """The last day a link to a registration works: the day after the meeting ends."""
    return meeting.end_date + datetime.timedelta(days=1)


def registration_link_expired(*, meeting: Meeting, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > registration_link_valid_until(meeting=meeting)


def registration_from_token(*, token: str, meeting: Meeting) -> Participation | None:
    """The participation a link points to, or None for a tampered, replaced or foreign link.
    Whether the link has expired is `registration_link_expired`."""
    try:
        key = _link_signer().unsign(token)
    except signing.BadSignature:
        return None
    return (
        Participation.objects.select_related("person", "organization", "meeting")
        .filter(manage_key=key, meeting=meeting)
        .first()
    )


def registration_manage_url(*, participation: Participation) -> str:
    meeting = participation.meeting
    return reverse(
        "meetings:registration_manage",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation=participation),
        },
    )


# --- helpers --------------------------------------------------------------------------------


def site_url(request: HttpRequest | None) -> str:
    """The site's address ("https://example.org"), for the links in the mails: taken from
    the request that causes them; "" without one."""
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def _mail_after_commit(*, participation: Participation, template: str, site_url: str) -> None:
    """Send one of the registration mails once the transaction has committed."""
    if not participation.person.email:
        return
    context = {
        "participation": participation,
        "meeting": participation.meeting,
        "person": participation.person,
        "manage_url": site_url + registration_manage_url(participation=participation),
        "meeting_url": site_url + participation.meeting.get_absolute_url(),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = one_line(render_to_string(f"meetings/email/{template}_subject.txt", context))
    body = render_to_string(f"meetings/email/{template}.txt", context)
    send_after_commit(subject=subject, body=body, to=[participation.person.email])


def _person_for(*, details: RegistrantDetails, complete: bool = True) -> Person:
    """The person with this email, or a new one. An existing record is never overwritten: the
    email alone does not prove who is typing. With `complete` (the Secretariat at the door)
    its blank fields are filled; the public form leaves it as it is."""
    email = details.email.strip().lower()
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person is not None and not complete:
        return person
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


# --- status changes: the one write path ---------------------------------------------------

#: Rows per UPDATE or INSERT in the bulk writes below.
_BATCH = 500

#: What a registration form or a walk-in sets on a participation besides its status.
_DETAIL_FIELDS = ("organization", "organization_name", "country", "capacity", "listed_publicly")

#: What a registrant may cancel: not a cancellation, not an attendance.
_CANCELLABLE = frozenset(ParticipationStatus) - {
    ParticipationStatus.CANCELLED,
    ParticipationStatus.ATTENDED,
}

#: The fields a change of status writes itself.
_STATUS_FIELDS = ("status", "checked_in_at", "checked_in_by", "updated_at")


@dataclasses.dataclass(frozen=True)
class StatusChanges:
    """What `participations_save` did: the rows whose status changed, the others (same status,
    or a stored status not among `from_statuses`), and the people moved up from the waiting
    list."""

    changed: list[Participation]
    unchanged: list[Participation]
    promoted: list[Participation]


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _lock_windows(meeting_ids: Iterable[int]) -> dict[int, RegistrationWindow]:
    """Lock the registration windows of these meetings (the capacity lock, always taken
    before the participation rows)."""
    windows = (
        RegistrationWindow.objects.select_for_update()
        .filter(meeting_id__in=set(meeting_ids))
        .order_by("pk")
    )
    return {window.meeting_id: window for window in windows}


def participations_save(
    *,
    participations: Iterable[Participation],
    fields: Collection[str] = (),
    by: AbstractBaseUser | None,
    note: str = "",
    from_statuses: Collection[str] | None = None,
    now: datetime.datetime | None = None,
    site_url: str = "",
) -> StatusChanges:
    """Save participations whose `status` holds the status they should have: new ones (no
    primary key) are created, existing ones get their status and the given `fields` written.
    Every write of a participation's status goes through here.

    In one transaction, with a number of queries that does not grow with the rows: locks the
    meetings' registration windows, then the rows, and reads their stored status; writes a
    ParticipationEvent for each change of status and a history row for each row written; sets
    the check-in time and person on arriving at "attended" and clears them on leaving it;
    moves the waiting list up where a seat was freed (those moved up are mailed after commit);
    renews the public pages.

    With `from_statuses`, an existing row whose stored status is not one of them is left as
    it is (an undo repeated, a cancellation after the check-in)."""
    now = now or timezone.now()
    by = _user(by)
    note = str(note)
    participations = list(participations)
    if not participations:
        return StatusChanges(changed=[], unchanged=[], promoted=[])
    with transaction.atomic():
        _lock_windows(p.meeting_id for p in participations)
        existing = [p.pk for p in participations if p.pk is not None]
        stored = {
            row["pk"]: row
            for row in Participation.objects.select_for_update()
            .filter(pk__in=existing)
            .order_by("pk")
            .values("pk", "meeting_id", "status", "checked_in_at", "checked_in_by")
        }
        new, to_update, changed, unchanged, events = [], [], [], [], []
        freed_meetings = set()
        for participation in participations:
            row = stored.get(participation.pk)
            if participation.pk is not None and (
                row is None or (from_statuses is not None and row["status"] not in from_statuses)
            ):
                # Deleted meanwhile, or not to be changed: left as stored.
                participation.status = row["status"] if row else participation.status
                unchanged.append(participation)
                continue
            previous = row["status"] if row else ""
            if row:
                # The check-in stays as stored unless the status changes below.
                participation.checked_in_at = row["checked_in_at"]
                participation.checked_in_by_id = row["checked_in_by"]
            if participation.status == previous:
                unchanged.append(participation)
                if fields:
                    to_update.append(participation)
                continue
            if participation.status == ParticipationStatus.ATTENDED:
                participation.checked_in_at = now
                participation.checked_in_by = by
            elif previous == ParticipationStatus.ATTENDED:
                participation.checked_in_at = None
                participation.checked_in_by = None
            if row and row["status"] in SEAT_STATUSES and not participation.holds_seat:
                freed_meetings.add(row["meeting_id"])
            (to_update if row else new).append(participation)
            changed.append(participation)
            events.append(
                ParticipationEvent(
                    participation=participation,
                    from_status=previous,
                    to_status=participation.status,
                    by=by,
                    note=note[:200],
                )
            )
        history = {"default_user": by, "default_change_reason": note[:100], "default_date": now}
        if new:
            bulk_create_with_history(new, Participation, batch_size=_BATCH, **history)
        if to_update:
            for participation in to_update:
                participation.updated_at = now
            bulk_update_with_history(
                to_update,
                Participation,
                sorted(set(fields) | set(_STATUS_FIELDS)),
                batch_size=_BATCH,
                **history,
            )
        if events:
            ParticipationEvent.objects.bulk_create(events, batch_size=_BATCH)
        if new or to_update:
            bump_content_version()
        promoted = []
        for meeting_id in sorted(freed_meetings):
            promoted += _waitlist_promote(
                meeting_id=meeting_id,
                by=by,
                exclude=[p.pk for p in changed],
                now=now,
                site_url=site_url,
            )
    return StatusChanges(changed=changed, unchanged=unchanged, promoted=promoted)


def participations_status_change(
    *,
    participations: QuerySet[Participation] | Iterable[Participation],
    to_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    from_statuses: Collection[str] | None = None,
    now: datetime.datetime | None = None,
    site_url: str = "",
) -> StatusChanges:
    """Give many participations the same status (see `participations_save`), in a fixed
    number of queries."""
    if isinstance(participations, QuerySet):
        # A plain queryset: an admin's joins over nullable relations cannot be locked.
        selected = participations.order_by().values("pk")
    else:
        selected = [participation.pk for participation in participations]
    with transaction.atomic():
        rows = list(Participation.objects.filter(pk__in=selected).order_by("pk"))
        for participation in rows:
            participation.status = to_status
        return participations_save(
            participations=rows,
            by=by,
            note=note,
            from_statuses=from_statuses,
            now=now,
            site_url=site_url,
        )


def participation_status_change(
    *,
    participation: Participation,
    to_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    from_statuses: Collection[str] | None = None,
    now: datetime.datetime | None = None,
    site_url: str = "",
) -> Participation:
    """Change one participation's status (see `participations_save`); returns it as stored."""
    changes = participations_status_change(
        participations=[participation],
        to_status=to_status,
        by=by,
        note=note,
        from_statuses=from_statuses,
        now=now,
        site_url=site_url,
    )
    return next(iter(changes.changed + changes.unchanged), participation)


def participations_delete(
    *,
    participations: QuerySet[Participation] | Iterable[Participation],
    by: AbstractBaseUser | None,
    site_url: str = "",
) -> int:
    """Delete participations (their status events go with them; the history keeps them). The
    seats freed go to the waiting list. Returns how many were deleted."""
    if isinstance(participations, QuerySet):
        selected = participations.order_by().values("pk")
    else:
        selected = [participation.pk for participation in participations]
    with transaction.atomic():
        rows = Participation.objects.filter(pk__in=selected).order_by()
        _lock_windows(rows.values_list("meeting_id", flat=True))
        locked = list(rows.select_for_update().values_list("meeting_id", "status"))
        rows.delete()
        freed_meetings = {meeting_id for meeting_id, status in locked if status in SEAT_STATUSES}
        for meeting_id in sorted(freed_meetings):
            _waitlist_promote(meeting_id=meeting_id, by=_user(by), site_url=site_url)
    return len(locked)


def _waitlist_promote(
    *,
    meeting_id: int,
    by: AbstractBaseUser | None,
    exclude: Collection[int] = (),
    now: datetime.datetime | None = None,
    site_url: str = "",
) -> list[Participation]:
    with transaction.atomic():
        window = _lock_windows([meeting_id]).get(meeting_id)
        if window is None:
            return []
        seats_left = selectors.seats_left(window=window)
        if seats_left == 0:
            return []
        waiting = (
            # Related rows for the mail, in the same query.
            Participation.objects.select_related("person", "meeting", "organization")
            .filter(meeting_id=meeting_id, status=ParticipationStatus.WAITLISTED)
            .exclude(pk__in=exclude)
            .order_by("registered_at", "pk")
        )
        promoted = list(waiting if seats_left is None else waiting[:seats_left])
        if not promoted:
            return []
        for participation in promoted:
            participation.status = ParticipationStatus.REGISTERED
        changes = participations_save(
            participations=promoted,
            by=by,
            note=_("moved up from the waiting list"),
            from_statuses=[ParticipationStatus.WAITLISTED],
            now=now,
            site_url=site_url,
        )
        for participation in changes.changed:
            _mail_after_commit(
                participation=participation, template="registration_confirmation", site_url=site_url
            )
    return changes.changed


def registration_waitlist_promote(
    *, meeting: Meeting, by: AbstractBaseUser | None, site_url: str = ""
) -> list[Participation]:
    """Give the free seats of a meeting to the people on its waiting list, first come first
    served; each is mailed after commit. Called when a seat is freed and when the capacity
    grows."""
    return _waitlist_promote(meeting_id=meeting.pk, by=by, site_url=site_url)


def registration_window_save(
    *, window: RegistrationWindow, by: AbstractBaseUser | None, site_url: str = ""
) -> list[Participation]:
    """Save a meeting's registration window. A capacity raised or removed gives the new seats
    to the waiting list at once; returns those moved up."""
    with transaction.atomic():
        window.save()
        return _waitlist_promote(meeting_id=window.meeting_id, by=by, site_url=site_url)


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
    site_url: str = "",
    now: datetime.datetime | None = None,
) -> RegistrationResult:
    """Register a person for a meeting: a seat if one is left, else a place on the waiting
    list, else RegistrationFull. Mails a confirmation with the link to the registration.

    The form never changes an existing registration or person record: when the email (any
    case) is already registered for the meeting, whatever the status, nothing is written and
    the owner is mailed their link instead; the result (or RegistrationFull) is what a new
    registration would have got, so that the answer does not reveal the address."""
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
            _mail_after_commit(
                participation=existing, template="registration_exists", site_url=site_url
            )
            participation = existing
        else:
            participation = Participation(
                meeting=meeting,
                person=_person_for(details=details, complete=False),
                status=status,
                registered_at=now,
            )
            _apply_details(participation=participation, details=details)
            participations_save(
                participations=[participation],
                by=None,
                note=_("registration form"),
                now=now,
                site_url=site_url,
            )
            _mail_after_commit(
                participation=participation, template="registration_confirmation", site_url=site_url
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
    *, participation: Participation, site_url: str = "", now: datetime.datetime | None = None
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
            site_url=site_url,
        )
        _mail_after_commit(
            participation=participation, template="registration_confirmation", site_url=site_url
        )
    return participation


def registration_link_renew(*, meeting: Meeting, email: str, site_url: str = "") -> None:
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
        _mail_after_commit(
            participation=participation, template="registration_link_new", site_url=site_url
        )


def registration_cancel(
    *, participation: Participation, by: AbstractBaseUser | None = None, site_url: str = ""
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
            site_url=site_url,
        )
        participation = Participation.objects.select_related("person", "meeting").get(
            pk=participation.pk
        )
        if changes.changed:
            _mail_after_commit(
                participation=participation, template="registration_cancelled", site_url=site_url
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
        person = (
            _person_for(details=details)
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
