"""Dates and times as every page, mail and report writes them.

The formats are translatable strings (with a context, so that a translator sees which part of
a range each one is): a language writes a range in its own order and words, English
"13–14 May 2019" and Chinese "2019年5月13日至14日" alike, from the same call.

The dash is written as the character itself, not as an escape, so that `makemessages`
extracts the same text the code looks up."""  # noqa: RUF002 (an en dash, on purpose)

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import pgettext


def format_date(value: datetime.date) -> str:
    """One day: "30 January 2027"."""
    return dateformat.format(value, pgettext("one day", "j F Y"))


def date_range(start: datetime.date | None, end: datetime.date | None = None) -> str:
    """A day, or the days from `start` to `end`, with what they share written once:
    "30-31 January 2027", "30 January - 2 February 2027",
    "30 December 2026 - 2 January 2027" (each dash an en dash), "30 January 2027"."""
    if not start:
        return ""
    if not end or end == start:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        first = pgettext("first day of a range within one month", "j")
        last = pgettext("last day of a range within one month", "j F Y")
        joined = pgettext("range of days within one month", "%(start)s–%(end)s")  # noqa: RUF001
    elif start.year == end.year:
        first = pgettext("first day of a range within one year", "j F")
        last = pgettext("last day of a range within one year", "j F Y")
        joined = pgettext("range of days within one year", "%(start)s – %(end)s")  # noqa: RUF001
    else:
        first = pgettext("first day of a range across years", "j F Y")
        last = pgettext("last day of a range across years", "j F Y")
        joined = pgettext("range of days across years", "%(start)s – %(end)s")  # noqa: RUF001
    return joined % {
        "start": dateformat.format(start, first),
        "end": dateformat.format(end, last),
    }


def format_datetime(value: datetime.datetime | None) -> str:
    """A moment in the site's time zone, with the zone named: "30 January 2027, 18:00
    (Asia/Shanghai)". A time without its zone misleads a visitor abroad."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return pgettext("a moment and its time zone", "%(moment)s (%(zone)s)") % {
        "moment": dateformat.format(local, pgettext("a moment", "j F Y, H:i")),
        "zone": timezone.get_current_timezone_name(),
    }
