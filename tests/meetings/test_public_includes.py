"""The pieces the public meeting page includes: the registration box and the attendance
charts. Aggregates only; the participant list is tested with the page."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from meetings.attendance.models import ParticipationStatus, RegistrationMode
from meetings.attendance.selectors import attendance_summary

from ..factories import (
    MeetingFactory,
    ParticipationFactory,
    RegistrationWindowFactory,
)

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    request = RequestFactory().get("/", context.pop("query", {}))
    return Template("{% load meeting_extras %}" + source).render(
        Context({"request": request, **context})
    )


def test_registration_box_links_to_the_form_with_seats_left():
    window = RegistrationWindowFactory(capacity=2)
    ParticipationFactory(meeting=window.meeting, status=ParticipationStatus.REGISTERED)
    html = render("{% registration_box meeting %}", meeting=window.meeting)
    assert "1 seat left." in html
    assert f"/{window.meeting.slug}/register/" in html


def test_registration_box_when_full_offers_the_waiting_list():
    window = RegistrationWindowFactory(capacity=1)
    ParticipationFactory(meeting=window.meeting, status=ParticipationStatus.REGISTERED)
    html = render("{% registration_box meeting %}", meeting=window.meeting)
    assert "Join the waiting list" in html


def test_registration_box_closed_or_invitation_only_says_why():
    window = RegistrationWindowFactory(
        opens_at=timezone.now() + datetime.timedelta(days=2),
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    html = render("{% registration_box meeting %}", meeting=window.meeting)
    assert "Registration opens on" in html
    assert "/register/" not in html
    invited = RegistrationWindowFactory(mode=RegistrationMode.INVITATION)
    html = render("{% registration_box meeting %}", meeting=invited.meeting)
    assert "by invitation only" in html
    html = render(
        "{% registration_box meeting %}",
        meeting=invited.meeting,
        query={"invitation": invited.invitation_token},
    )
    assert f"?invitation={invited.invitation_token}" in html


def test_registration_box_is_empty_without_a_window():
    assert render("{% registration_box meeting %}", meeting=MeetingFactory()).strip() == ""


@pytest.mark.parametrize("n", (1, 30))
def test_registration_box_runs_a_fixed_number_of_queries(django_assert_num_queries, n):
    window = RegistrationWindowFactory(capacity=100)
    ParticipationFactory.create_batch(n, meeting=window.meeting)
    with django_assert_num_queries(2):
        html = render("{% registration_box meeting %}", meeting=window.meeting)
    assert f"{100 - n} seats left." in html


def test_attendance_chart_pair_draws_two_charts_or_nothing():
    meeting = MeetingFactory()
    source = '{% include "meetings/includes/attendance_chart_pair.html" %}'
    stats = attendance_summary(meeting_id=meeting.pk)
    assert "<svg" not in render(source, stats=stats)
    ParticipationFactory(meeting=meeting)
    stats = attendance_summary(meeting_id=meeting.pk)
    assert render(source, stats=stats).count("<svg") == 2
