"""Writes for meetings."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from .models import Meeting
from .record import arising


def meeting_summary_publish(*, meeting: Meeting, text: str) -> Meeting:
    """Save a (reviewed) report as the meeting's published summary. The meeting's history
    keeps the previous text and who changed it."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.summary = text.strip()
        meeting.save()
    return meeting


def meeting_create(*, meeting: Meeting, by: AbstractBaseUser | None = None) -> Meeting:
    """Create a meeting of a body, its history naming who did, and give its programme what it
    takes up from the body's previous meeting: the approval of its minutes and the matters
    arising (`meetings.record.arising.matters_arising_add`; none for a body's first meeting)."""
    with transaction.atomic():
        meeting._history_user = by if by is not None and by.is_authenticated else None
        meeting.save()
        arising.matters_arising_add(meeting=meeting, by=by)
    return meeting


def meeting_carry_over(*, meeting: Meeting, by: AbstractBaseUser | None = None) -> None:
    """The second half of `meeting_create`, for a meeting saved with its sessions first (the
    admin's add page saves the sessions after the meeting)."""
    arising.matters_arising_add(meeting=meeting, by=by)
