"""Writes for meetings."""

from django.db import transaction

from .models import Meeting


def meeting_summary_publish(*, meeting: Meeting, text: str) -> Meeting:
    """Save a (reviewed) report as the meeting's published summary. The meeting's history
    keeps the previous text and who changed it."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.summary = text.strip()
        meeting.save()
    return meeting
