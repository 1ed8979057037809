"""Demo data for registration: an upcoming 2nd ANSO Working Group Meeting (sample data, not a
real meeting) whose registration is open, so a visitor can register and staff can check in."""

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Body, BodyKind

from .attendance.models import RegistrationWindow
from .models import Meeting

DEMO_SUMMARY = "Sample data: an upcoming meeting invented for the demonstration of registration."


def registration_demo_load() -> Meeting | None:
    """Create (or leave as is) the upcoming sample meeting and keep its registration open from
    now on. Needs the working group from the main demo data; returns None without it."""
    body = Body.objects.filter(kind=BodyKind.WORKING_GROUP).first()
    if body is None:
        return None
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.filter(body=body, number=2).first()
        if meeting is None:
            start = today + datetime.timedelta(days=60)
            meeting = Meeting.objects.create(
                body=body,
                number=2,
                start_date=start,
                end_date=start + datetime.timedelta(days=1),
                venue="Sample Conference Centre",
                city="Beijing",
                country="CN",
                summary=DEMO_SUMMARY,
                is_published=True,
            )
        window, _ = RegistrationWindow.objects.get_or_create(
            meeting=meeting,
            defaults={
                "opens_at": now - datetime.timedelta(days=1),
                "closes_at": now + datetime.timedelta(days=50),
                "capacity": 80,
            },
        )
        if not window.is_open(now) and meeting.end_date >= today:
            window.opens_at = now - datetime.timedelta(days=1)
            window.closes_at = max(
                now + datetime.timedelta(days=1),
                timezone.make_aware(
                    datetime.datetime.combine(meeting.start_date, datetime.time(0, 0))
                ),
            )
            window.save()
    return meeting
