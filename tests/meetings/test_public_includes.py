"""The pieces the public meeting page includes: registration box, attendance charts and the
participant list. Aggregates and consenting names only; never an email or a phone number."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from meetings.models import ParticipationStatus, RegistrationMode

from ..factories import (
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
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


def test_public_participants_lists_only_those_who_consented_without_contacts():
    meeting = MeetingFactory()
    ParticipationFactory(
        meeting=meeting,
        person=PersonFactory(family_name="Listed", email="listed@example.org", phone="+86 1"),
        listed_publicly=True,
    )
    ParticipationFactory(meeting=meeting, person__family_name="Private", listed_publicly=False)
    ParticipationFactory(
        meeting=meeting,
        person__family_name="Cancelled",
        listed_publicly=True,
        status=ParticipationStatus.CANCELLED,
    )
    html = render("{% public_participants meeting %}", meeting=meeting)
    assert "Listed" in html
    assert "Private" not in html
    assert "Cancelled" not in html
    assert "@" not in html
    assert "+86" not in html


@pytest.mark.parametrize("n", (1, 30))
def test_public_includes_run_a_fixed_number_of_queries(django_assert_num_queries, n):
    window = RegistrationWindowFactory(capacity=100)
    ParticipationFactory.create_batch(n, meeting=window.meeting)
    with django_assert_num_queries(2 + 3 + 1):
        html = render(
            "{% registration_box meeting %}{% attendance_charts meeting %}"
            "{% public_participants meeting %}",
            meeting=window.meeting,
        )
    assert html.count("<svg") == 2
    assert "@" not in html


def test_attendance_chart_pair_draws_two_charts_or_nothing():
    meeting = MeetingFactory()
    assert "<svg" not in render("{% attendance_chart_pair meeting %}", meeting=meeting)
    ParticipationFactory(meeting=meeting)
    assert render("{% attendance_chart_pair meeting %}", meeting=meeting).count("<svg") == 2
