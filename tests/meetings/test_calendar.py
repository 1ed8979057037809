import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

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


def test_calendar_feed_lists_published_meetings_only(client):
    published = [MeetingFactory(), MeetingFactory()]
    MeetingFactory(is_published=False)
    response = client.get(reverse("meetings:meeting_calendar"))
    assert response.status_code == 200
    uids = {str(event["uid"]) for event in events(response)}
    assert uids == {f"meeting-{m.pk}@meetings.anso-working-group" for m in published}


@pytest.mark.parametrize("n", [1, 30])
def test_calendar_feed_queries_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        MeetingFactory()
    with django_assert_num_queries(1):
        client.get(reverse("meetings:meeting_calendar"))


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_ical_queries_flat(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for _ in range(n):
        MeetingFactory()
    url = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    with django_assert_num_queries(1):
        client.get(url)
