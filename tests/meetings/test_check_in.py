import pytest
from django.urls import reverse

from meetings.attendance import services
from meetings.attendance.models import Participation, ParticipationEvent, ParticipationStatus
from members.models import Person

from ..factories import (
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, meeting, **kwargs):
    return reverse(
        f"meetings:{name}",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug, **kwargs},
    )


def registered(meeting, **kwargs):
    return ParticipationFactory(meeting=meeting, status=ParticipationStatus.REGISTERED, **kwargs)


# --- services -----------------------------------------------------------------------------


def test_check_in_records_who_and_when_and_undo_restores_the_status(secretariat_user):
    participation = ParticipationFactory(status=ParticipationStatus.CONFIRMED)
    services.participation_check_in(participation=participation, by=secretariat_user)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.checked_in_by == secretariat_user
    assert participation.checked_in_at is not None

    services.participation_check_in_undo(participation=participation, by=secretariat_user)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.CONFIRMED
    assert participation.checked_in_at is None
    events = list(participation.events.order_by("pk").values_list("from_status", "to_status"))
    assert events == [("confirmed", "attended"), ("attended", "confirmed")]
    assert set(participation.events.values_list("by", flat=True)) == {secretariat_user.pk}


def test_check_in_twice_records_one_event(secretariat_user):
    participation = ParticipationFactory(status=ParticipationStatus.REGISTERED)
    services.participation_check_in(participation=participation, by=secretariat_user)
    services.participation_check_in(participation=participation, by=secretariat_user)
    assert participation.events.count() == 1


def test_walk_in_creates_an_attended_participation_and_reuses_a_person_by_email(
    secretariat_user,
):
    meeting = MeetingFactory()
    known = PersonFactory(email="known@example.org")
    details = services.RegistrantDetails(
        family_name="Known", email="Known@example.org", country="KE"
    )
    participation = services.participation_walk_in_add(
        meeting=meeting, details=details, by=secretariat_user
    )
    assert participation.person == known
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.checked_in_by == secretariat_user
    anonymous = services.participation_walk_in_add(
        meeting=meeting,
        details=services.RegistrantDetails(family_name="Nomail"),
        by=secretariat_user,
    )
    assert anonymous.person.email == ""
    assert ParticipationEvent.objects.filter(note="walk-in").count() == 2


# --- views --------------------------------------------------------------------------------


def test_check_in_page_needs_login_and_permission(client, outsider_staff_user):
    meeting = MeetingFactory()
    response = client.get(url("check_in", meeting))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(outsider_staff_user)
    assert client.get(url("check_in", meeting)).status_code == 403
    participation = registered(meeting)
    response = client.post(
        url("check_in_toggle", meeting, pk=participation.pk), {"action": "check_in"}
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_check_in_page_lists_registered_participants(secretariat_client):
    meeting = MeetingFactory(is_published=False)
    registered(meeting, person__family_name="Okafor")
    ParticipationFactory(
        meeting=meeting, status=ParticipationStatus.CANCELLED, person__family_name="Gone"
    )
    response = secretariat_client.get(url("check_in", meeting))
    assert response.status_code == 200
    assert b"Okafor" in response.content
    assert b"Gone" not in response.content
    assert b"<script>" not in response.content  # no inline script: only static files


@pytest.mark.parametrize("n", (1, 40))
def test_check_in_search_answers_from_one_query(secretariat_client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    organization = OrganizationFactory(name="Kenya Academy of Sample Sciences")
    for _ in range(n):
        registered(meeting, organization=organization)
    registered(meeting, person__family_name="Zhang")
    secretariat_client.get(url("check_in_search", meeting))  # warm the session and user
    # Session, user, its two permission queries and the meeting: 5; the search is one more.
    with django_assert_num_queries(6) as captured:
        response = secretariat_client.get(url("check_in_search", meeting), {"q": "kenya"})
    search_queries = [q for q in captured.captured_queries if "meetings_participation" in q["sql"]]
    assert len(search_queries) == 1
    assert response.status_code == 200
    assert response.content.count(b'class="check-in-form"') == n
    assert b"Zhang" not in response.content


def test_check_in_search_finds_nobody_with_a_helpful_message(secretariat_client):
    meeting = MeetingFactory()
    response = secretariat_client.get(url("check_in_search", meeting), {"q": "nobody-here"})
    assert b"Nobody matches" in response.content


def test_check_in_toggle_by_script_returns_the_row(secretariat_client, secretariat_user):
    meeting = MeetingFactory()
    participation = registered(meeting)
    response = secretariat_client.post(
        url("check_in_toggle", meeting, pk=participation.pk),
        {"action": "check_in"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert b"checked in" in response.content
    assert b'value="undo"' in response.content
    participation.refresh_from_db()
    assert participation.checked_in_by == secretariat_user
    response = secretariat_client.post(
        url("check_in_toggle", meeting, pk=participation.pk), {"action": "undo"}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_check_in_toggle_rejects_bad_input(secretariat_client):
    meeting = MeetingFactory()
    participation = registered(meeting)
    toggle = url("check_in_toggle", meeting, pk=participation.pk)
    assert secretariat_client.post(toggle, {"action": "explode"}).status_code == 400
    assert secretariat_client.get(toggle).status_code == 405
    other_meeting = MeetingFactory()
    wrong = url("check_in_toggle", other_meeting, pk=participation.pk)
    assert secretariat_client.post(wrong, {"action": "check_in"}).status_code == 404
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_check_in_toggle_needs_csrf(secretariat_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    meeting = MeetingFactory()
    participation = registered(meeting)
    response = client.post(
        url("check_in_toggle", meeting, pk=participation.pk), {"action": "check_in"}
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_walk_in_form_adds_and_checks_in(secretariat_client):
    meeting = MeetingFactory()
    response = secretariat_client.post(
        url("check_in", meeting),
        {
            "given_name": "Walk",
            "family_name": "In",
            "email": "",
            "organization_name": "Guest University",
            "country": "TH",
            "capacity": "guest",
        },
    )
    assert response.status_code == 302
    participation = Participation.objects.get(meeting=meeting)
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.organization_name == "Guest University"


def test_walk_in_form_with_errors_creates_nothing(secretariat_client):
    meeting = MeetingFactory()
    response = secretariat_client.post(
        url("check_in", meeting), {"family_name": "", "capacity": "bogus"}
    )
    assert response.status_code == 400
    assert "family_name" in response.context["walk_in_form"].errors
    assert Person.objects.count() == 0


def test_superuser_without_group_may_check_in(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    assert client.get(url("check_in", MeetingFactory())).status_code == 200
