"""The one write path of a participation's status: every change of status (the public form,
the link, check-in, walk-ins, the admin's forms, bulk action and deletion, imports) goes
through `participations_save`, which writes the event and the history, keeps the check-in
fields, moves the waiting list up and renews the public pages, in one transaction.
"""

import dataclasses
import datetime
from collections.abc import Collection, Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from anso.caching import tags as cache_tags

from ..models import Meeting
from . import selectors
from .links import registration_mail_after_commit
from .models import (
    SEAT_STATUSES,
    Participation,
    ParticipationEvent,
    ParticipationStatus,
    RegistrationWindow,
)

# --- status changes: the one write path ---------------------------------------------------

#: Rows per UPDATE or INSERT in the bulk writes below.
_BATCH = 500

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
            # Bulk writes send no signals: renew the pages of these rows (anso/caching/tags.py).
            written = new + to_update
            cache_tags.bump(
                *cache_tags.tags_of(Participation, written),
                *cache_tags.tags_of(Participation.history.model, []),
                *cache_tags.tags_of(ParticipationEvent, []),
            )
        promoted = []
        for meeting_id in sorted(freed_meetings):
            promoted += _waitlist_promote(
                meeting_id=meeting_id,
                by=by,
                exclude=[p.pk for p in changed],
                now=now,
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
        )


def participation_status_change(
    *,
    participation: Participation,
    to_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    from_statuses: Collection[str] | None = None,
    now: datetime.datetime | None = None,
) -> Participation:
    """Change one participation's status (see `participations_save`); returns it as stored."""
    changes = participations_status_change(
        participations=[participation],
        to_status=to_status,
        by=by,
        note=note,
        from_statuses=from_statuses,
        now=now,
    )
    return next(iter(changes.changed + changes.unchanged), participation)


def participations_delete(
    *,
    participations: QuerySet[Participation] | Iterable[Participation],
    by: AbstractBaseUser | None,
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
            _waitlist_promote(meeting_id=meeting_id, by=_user(by))
    return len(locked)


def _waitlist_promote(
    *,
    meeting_id: int,
    by: AbstractBaseUser | None,
    exclude: Collection[int] = (),
    now: datetime.datetime | None = None,
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
        )
        for participation in changes.changed:
            registration_mail_after_commit(
                participation=participation, template="registration_confirmation"
            )
    return changes.changed


def registration_waitlist_promote(
    *, meeting: Meeting, by: AbstractBaseUser | None
) -> list[Participation]:
    """Give the free seats of a meeting to the people on its waiting list, first come first
    served; each is mailed after commit. Called when a seat is freed and when the capacity
    grows."""
    return _waitlist_promote(meeting_id=meeting.pk, by=by)


def registration_window_save(
    *, window: RegistrationWindow, by: AbstractBaseUser | None
) -> list[Participation]:
    """Save a meeting's registration window. A capacity raised or removed gives the new seats
    to the waiting list at once; returns those moved up."""
    with transaction.atomic():
        window.save()
        return _waitlist_promote(meeting_id=window.meeting_id, by=by)
