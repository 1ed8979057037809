import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import selectors
from meetings.calendar import calendar_bytes

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_meeting_ical_is_an_all_day_event_with_exclusive_end(client):
    meeting = MeetingFactory(
        start_date=datetime.date(2019, 5, 13), end_date=datetime.date(2019, 5, 14)
    )
    url = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    [event] = events(response)
    assert event.decoded("dtstart") == datetime.date(2019, 5, 13)
    assert event.decoded("dtend") == datetime.date(2019, 5, 15)
    assert str(event["summary"]) == meeting.title
    assert "Beijing" in str(event["location"])
    assert str(event["url"]).endswith(meeting.get_absolute_url())


def test_meeting_uid_is_stable_across_downloads_and_edits(client):
    meeting = MeetingFactory()
    url = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    [first] = events(client.get(url))
    meeting.venue = "Another venue"
    meeting.save()
    [second] = events(client.get(url))
    assert (
        str(first["uid"])
        == str(second["uid"])
        == f"meeting-{meeting.pk}@meetings.anso-working-group"
    )


def recent(**kwargs):
    """A meeting that started a week ago (the feed lists the last year and what comes)."""
    start = timezone.localdate() - datetime.timedelta(days=7)
    return MeetingFactory(start_date=start, end_date=start + datetime.timedelta(days=1), **kwargs)


def test_calendar_feed_lists_published_meetings_only(client):
    published = [recent(), recent()]
    recent(is_published=False)
    response = client.get(reverse("meetings:meeting_calendar"))
    assert response.status_code == 200
    uids = {str(event["uid"]) for event in events(response)}
    assert uids == {f"meeting-{m.pk}@meetings.anso-working-group" for m in published}


def test_calendar_feed_lists_the_last_year_and_what_comes_in_date_order(client):
    today = timezone.localdate()
    old = MeetingFactory(
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=399),
    )
    last_year = MeetingFactory(
        start_date=today - datetime.timedelta(days=300),
        end_date=today - datetime.timedelta(days=299),
    )
    far = MeetingFactory(
        start_date=today + datetime.timedelta(days=3000),
        end_date=today + datetime.timedelta(days=3001),
    )
    now = recent()
    response = client.get(reverse("meetings:meeting_calendar"))
    uids = [str(event["uid"]) for event in events(response)]
    assert uids == [f"meeting-{m.pk}@meetings.anso-working-group" for m in (last_year, now, far)]
    assert f"meeting-{old.pk}@" not in response.content.decode()


def test_calendar_feed_is_bounded_to_the_nearest_meetings(client, monkeypatch):
    monkeypatch.setattr(selectors, "CALENDAR_LIMIT", 2)
    first, second = recent(), recent()
    recent()
    uids = [str(event["uid"]) for event in events(client.get(reverse("meetings:meeting_calendar")))]
    assert uids == [f"meeting-{m.pk}@meetings.anso-working-group" for m in (first, second)]


def test_calendar_text_is_escaped_and_long_lines_folded():
    """Commas, semicolons, backslashes and line breaks survive a round trip through a
    calendar reader; lines stay within 75 octets without splitting a character."""
    title = "Meeting; with, commas \\ and 中文 " + "long " * 40
    meeting = MeetingFactory(summary="First line\nSecond, line; end")
    meeting.title = title  # saving would set the numbered title
    content = calendar_bytes([meeting], url_for=lambda m: "https://example.org/m/", name="ANSO")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == title
    assert str(event["description"]) == "First line\nSecond, line; end"
    assert str(event["url"]) == "https://example.org/m/"


@pytest.mark.parametrize("n", [1, 30])
def test_calendar_feed_queries_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        recent()
    with django_assert_num_queries(1):
        response = client.get(reverse("meetings:meeting_calendar"))
    assert len(events(response)) == n


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_ical_queries_flat(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for _ in range(n):
        MeetingFactory()
    url = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    with django_assert_num_queries(1):
        client.get(url)
