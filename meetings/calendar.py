"""iCalendar (.ics) export of meetings: every meeting is an all-day event (meetings have dates,
not times), DTEND is the day after the last day (exclusive, as RFC 5545 wants), and the UID is
built from the primary key so it never changes when a meeting is edited or renamed."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from anso.text.places import place_text

from .models import Meeting

PRODID = "-//ANSO Working Group//Meetings//EN"
UID_DOMAIN = "meetings.anso-working-group"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def meeting_event(meeting: Meeting, *, url: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", meeting.end_date + datetime.timedelta(days=1))
    # In the language of the calendar's address (/zh-hans/...: "中国北京...").
    location = place_text(venue=meeting.venue, city=meeting.city, country=meeting.country)
    if location:
        event.add("location", location)
    if meeting.summary:
        event.add("description", meeting.summary)
    event.add("url", url)
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, url_for, name: str) -> bytes:
    """An .ics file with one event per meeting; `url_for(meeting)` gives its absolute URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url=url_for(meeting), stamp=stamp))
    return calendar.to_ical()
