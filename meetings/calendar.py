"""iCalendar (.ics) export of meetings: every meeting is an all-day event (meetings have dates,
not times), DTEND is the day after the last day (exclusive, as RFC 5545 wants), and the UID is
built from the primary key so it never changes when a meeting is edited or renamed.

The file is written directly (RFC 5545: text escaped, lines folded at 75 octets, CRLF): built
with the `icalendar` package's components, a feed of 900 meetings took 1.5 s, 1.5 ms an event
in property objects and folding; written here it takes a few milliseconds. The tests read the
files back with `icalendar`."""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone

from .models import Meeting

PRODID = "-//ANSO Working Group//Meetings//EN"
UID_DOMAIN = "meetings.anso-working-group"
#: Octets of a content line before it is folded (RFC 5545, 3.1).
LINE_OCTETS = 75


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, line breaks
    as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """The content line folded so that no line passes 75 octets, never inside a character."""
    if len(line.encode()) <= LINE_OCTETS:
        return line
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode())
        if size + octets > LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation line starts with a space
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n".join(parts)


def meeting_event(meeting: Meeting, *, url: str, stamp: str) -> list[str]:
    """The lines of one meeting's VEVENT."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{stamp}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"DTSTART;VALUE=DATE:{meeting.start_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{meeting.end_date + datetime.timedelta(days=1):%Y%m%d}",
    ]
    location = ", ".join(
        part for part in (meeting.venue, meeting.city, meeting.country.name) if part
    )
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if meeting.summary:
        lines.append(f"DESCRIPTION:{escape_text(meeting.summary)}")
    lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar_bytes(
    meetings: Iterable[Meeting], *, url_for: Callable[[Meeting], str], name: str
) -> bytes:
    """An .ics file with one event per meeting; `url_for(meeting)` gives its absolute URL."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for meeting in meetings:
        lines += meeting_event(meeting, url=url_for(meeting), stamp=stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
