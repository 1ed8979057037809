"""Dates as every page, mail and report writes them: one rule (anso.text.dates), its formats
translatable, and a time always with its time zone."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from anso.text.dates import date_range, format_datetime
from meetings.attendance import services
from meetings.attendance.reports import meeting_report_draft
from meetings.attendance.selectors import registration_closed_message

from ..factories import MeetingFactory, RegistrationWindowFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (D(2027, 1, 30), D(2027, 1, 31), "30\u201331 January 2027"),
        (D(2027, 1, 30), D(2027, 2, 2), "30 January \u2013 2 February 2027"),
        (D(2026, 12, 30), D(2027, 1, 2), "30 December 2026 \u2013 2 January 2027"),
        (D(2027, 1, 30), D(2027, 1, 30), "30 January 2027"),
        (D(2027, 1, 30), None, "30 January 2027"),
    ],
)
def test_date_range_writes_shared_parts_once(start, end, text):
    assert date_range(start, end) == text


def test_date_range_takes_a_language_s_own_formats(monkeypatch):
    """A translation gives each part's format and the joining words: Chinese writes the year
    first and the range with 至."""
    chinese = {
        "first day of a range within one month": "Y年n月j日",
        "last day of a range within one month": "j日",
        "range of days within one month": "%(start)s至%(end)s",
    }

    def pgettext(context, message):
        return chinese.get(context, message)

    monkeypatch.setattr("anso.text.dates.pgettext", pgettext)
    assert date_range(D(2019, 5, 13), D(2019, 5, 14)) == "2019年5月13日至14日"


def test_a_moment_names_the_site_time_zone(settings):
    moment = datetime.datetime(2027, 1, 30, 10, 0, tzinfo=datetime.UTC)
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert format_datetime(moment) == "30 January 2027, 18:00 (Asia/Shanghai)"
    with timezone.override("Europe/Berlin"):
        assert format_datetime(moment) == "30 January 2027, 11:00 (Europe/Berlin)"


def test_the_template_filters_are_the_same_rule():
    html = Template(
        "{% load site_tags %}{{ a|date_range:b }}|{{ a|date_range }}|{{ m|moment }}"
    ).render(
        Context(
            {
                "a": D(2027, 1, 30),
                "b": D(2027, 2, 2),
                "m": datetime.datetime(2027, 1, 30, 10, 0, tzinfo=datetime.UTC),
            }
        )
    )
    assert html == (
        "30 January \u2013 2 February 2027|30 January 2027|30 January 2027, 18:00 (Asia/Shanghai)"
    )


DATE_LIKE = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.|\d+-\d+ [A-Z][a-z]+")


@pytest.mark.django_db
def test_pages_mails_and_the_report_write_a_meeting_s_dates_alike(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory(
        meeting__start_date=D(2027, 1, 30),
        meeting__end_date=D(2027, 1, 31),
        closes_at=datetime.datetime(2027, 1, 20, 10, 0, tzinfo=datetime.UTC),
    )
    meeting = window.meeting
    expected = "30\u201331 January 2027"
    for path in (meeting.get_absolute_url(), f"{meeting.get_absolute_url()}register/"):
        html = client.get(path).content.decode()
        assert expected in html, path
        assert not DATE_LIKE.search(html), (path, DATE_LIKE.search(html))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Registration is open until 20 January 2027, 18:00 (Asia/Shanghai)." in page
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.registration_submit(
            meeting=meeting,
            details=services.RegistrantDetails(
                given_name="Amina",
                family_name="Okafor",
                email="amina@example.org",
                country="NG",
                organization_name="Lagos Institute of Sample Studies",
                capacity="delegate",
                listed_publicly=True,
            ),
        )
    assert f"Dates: {expected}" in mailoutbox[0].body
    assert f"on {expected}." in meeting_report_draft(meeting=meeting, today=D(2026, 12, 1))


@pytest.mark.django_db
def test_registration_not_yet_open_says_when_with_the_time_zone():
    meeting = MeetingFactory(is_published=True)
    window = RegistrationWindowFactory(
        meeting=meeting,
        opens_at=datetime.datetime(2027, 1, 2, 1, 30, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2027, 1, 20, 1, 30, tzinfo=datetime.UTC),
    )
    message = registration_closed_message(
        window=window, now=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    )
    assert message == "Registration opens on 2 January 2027, 09:30 (Asia/Shanghai)."
