"""The meetings admin: bad input gets a message on the field, bulk actions, CSV export, the
demo meeting's page, and changelists whose query count does not grow with the rows."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.attendance.models import Participation, ParticipationStatus
from meetings.attendance.selectors import attendance_counts
from meetings.demo import demo_load
from meetings.models import Meeting, Session

from ..admin_helpers import admin_post, form_errors
from ..factories import (
    ActionFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPATIONS = reverse("admin:meetings_participation_changelist")


def _meeting(body, **values) -> dict:
    data = {
        "body": body.pk,
        "number": "1",
        "slug": "",
        "start_date": "2019-05-13",
        "end_date": "2019-05-14",
        "venue_en": "Ya'ao International Hotel",
        "city_en": "Beijing",
        "country": "CN",
        "summary_en": "",
        "reported_attendance_en": "",
        "is_published": "on",
    }
    data.update(values)
    return data


def test_admin_adds_a_meeting_with_its_title(secretariat_client):
    body = BodyFactory()
    response = admin_post(secretariat_client, reverse("admin:meetings_meeting_add"), _meeting(body))
    assert response.status_code == 302
    assert Meeting.objects.get().title == "1st ANSO Working Group Meeting"


def test_admin_refuses_a_meeting_ending_before_it_starts(secretariat_client):
    data = _meeting(BodyFactory(), end_date="2019-05-12")
    response = admin_post(secretariat_client, reverse("admin:meetings_meeting_add"), data)
    assert form_errors(response)["end_date"] == ["A meeting cannot end before it starts."]
    assert 'value="2019-05-12"' in response.text  # the input is kept
    assert not Meeting.objects.exists()


def test_admin_refuses_a_session_ending_before_it_starts(secretariat_client):
    meeting = MeetingFactory()
    data = {
        "meeting": meeting.pk,
        "order": "1",
        "title_en": "Opening session",
        "kind": "opening",
        "date": "2019-05-13",
        "start_time": "10:00",
        "end_time": "09:30",
        "chair": "",
        "chair_capacity": "",
    }
    response = admin_post(secretariat_client, reverse("admin:meetings_session_add"), data)
    assert form_errors(response)["end_time"] == ["A session cannot end before it starts."]
    assert not Session.objects.exists()


def test_admin_refuses_the_same_person_twice_at_one_meeting(secretariat_client):
    first = ParticipationFactory()
    data = {
        "meeting": first.meeting.pk,
        "person": first.person.pk,
        "organization": "",
        "country": "KE",
        "capacity": "guest",
        "status": "registered",
    }
    response = admin_post(secretariat_client, reverse("admin:meetings_participation_add"), data)
    assert form_errors(response)["person"] == [
        "This person is already a participant of this meeting."
    ]
    assert Participation.objects.count() == 1


def test_admin_refuses_the_same_person_twice_in_the_meeting_participants_inline(
    secretariat_client,
):
    meeting = MeetingFactory(body=BodyFactory())
    person = PersonFactory()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = _meeting(meeting.body, number=str(meeting.number))
    rows = {
        "participations-TOTAL_FORMS": "2",
        "participations-INITIAL_FORMS": "0",
        **{
            f"participations-{n}-{key}": value
            for n in (0, 1)
            for key, value in {
                "person": str(person.pk),
                "capacity": "guest",
                "status": "attended",
            }.items()
        },
    }
    response = admin_post(secretariat_client, url, {**data, **rows})
    assert response.status_code == 200
    assert "Please correct the duplicate data for person" in response.text
    assert not Participation.objects.exists()


def _act(client, action: str, objects):
    return client.post(
        PARTICIPATIONS,
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]},
    )


def test_mark_attended_updates_the_selection_and_says_how_many(secretariat_client):
    meeting = MeetingFactory()
    registered = ParticipationFactory.create_batch(
        2, meeting=meeting, status=ParticipationStatus.REGISTERED
    )
    attended = ParticipationFactory(meeting=meeting, status=ParticipationStatus.ATTENDED)
    untouched = ParticipationFactory(meeting=meeting, status=ParticipationStatus.ABSENT)
    response = _act(secretariat_client, "mark_attended", [*registered, attended])
    assert response.status_code == 302
    statuses = dict(Participation.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in (*registered, attended)] == ["attended"] * 3
    assert statuses[untouched.pk] == "absent"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["2 participants marked attended. 1 was already marked attended."]
    latest = registered[0].history.latest()
    assert (latest.status, latest.history_user.username) == ("attended", "secretariat")


def test_mark_attended_is_refused_to_staff_outside_the_secretariat(client, outsider_staff_user):
    participation = ParticipationFactory(status=ParticipationStatus.REGISTERED)
    client.force_login(outsider_staff_user)
    assert _act(client, "mark_attended", [participation]).status_code == 403
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_export_selected_rows_to_csv(secretariat_client):
    chosen = ParticipationFactory(
        person=PersonFactory(given_name="Ayesha", family_name="Siddiqui"),
        organization=OrganizationFactory(name="=HYPERLINK(1)"),
    )
    ParticipationFactory()  # not selected
    response = _act(secretariat_client, "export_as_csv", [chosen])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="participations-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["ID", "meeting", "person", "organization"]
    assert len(rows) == 2
    assert rows[1][2] == "Dr. Ayesha Siddiqui"
    assert rows[1][3] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert "attended" in rows[1]


def test_export_is_offered_to_the_secretariat_on_every_list(secretariat_client):
    for url in (PARTICIPATIONS, reverse("admin:members_organization_changelist")):
        response = secretariat_client.get(url)
        choices = dict(response.context["action_form"].fields["action"].choices)
        assert "export_as_csv" in choices


def test_export_is_refused_without_the_view_permission(client, outsider_staff_user):
    participation = ParticipationFactory()
    client.force_login(outsider_staff_user)
    response = _act(client, "export_as_csv", [participation])
    assert response.status_code == 403


def test_demo_meeting_page_shows_its_sessions_participants_and_computed_counts(
    secretariat_client,
):
    meeting = demo_load().objects["meeting"]
    response = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert formsets["sessions"].initial_form_count() == 2
    assert formsets["participations"].initial_form_count() == 47
    others = attendance_counts(meeting_id=meeting.pk).other_participants
    assert (
        f"45 attended: 17 member organizations and {others} other participants, from 14 "
        "countries and regions." in response.text
    )


#: For each changelist, a factory making one row with everything its list shows.
ROW_FACTORIES = {
    "members_organization": lambda: OrganizationFactory(parent=OrganizationFactory()),
    "members_person": PersonFactory,
    "members_body": lambda: BodyFactory(organization=OrganizationFactory()),
    "members_position": PositionFactory,
    "meetings_meeting": lambda: ParticipationFactory().meeting,
    "meetings_session": SessionFactory,
    "meetings_agendaitem": lambda: SpeakerFactory(item__action=ActionFactory()),
    "meetings_speaker": SpeakerFactory,
    "meetings_participation": ParticipationFactory,
    "meetings_decision": DecisionFactory,
    "meetings_action": lambda: ActionFactory(
        endorsed_by=DecisionFactory(), endorsed_at=MeetingFactory()
    ),
}


def _changelist_queries(client, name: str, n: int) -> int:
    for _ in range(n):
        ROW_FACTORIES[name]()
    url = reverse(f"admin:{name}_changelist")
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= n
    return len(queries)


@pytest.mark.parametrize("name", sorted(ROW_FACTORIES))
def test_admin_changelist_queries_do_not_grow_with_rows(secretariat_client, name):
    """The same number of queries for 1 row as for 30 (pretalx's query-count tests)."""
    small = _changelist_queries(secretariat_client, name, 1)
    large = _changelist_queries(secretariat_client, name, 29)
    assert large == small


def _meeting_page_queries(client, meeting) -> tuple[int, str]:
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


def test_meeting_page_queries_do_not_grow_with_participants_and_sessions(secretariat_client):
    """Inline rows render their autocompletes from the rows' own related objects."""
    meeting = MeetingFactory()
    SessionFactory(meeting=meeting)
    ParticipationFactory(meeting=meeting)
    small, _ = _meeting_page_queries(secretariat_client, meeting)
    SessionFactory.create_batch(3, meeting=meeting)
    ParticipationFactory.create_batch(29, meeting=meeting)
    large, _ = _meeting_page_queries(secretariat_client, meeting)
    assert large == small


def test_meeting_page_inline_autocompletes_show_the_chosen_person_and_organization(
    secretariat_client,
):
    participation = ParticipationFactory(
        person=PersonFactory(honorific="Prof.", given_name="Qasim", family_name="Jan")
    )
    _, html = _meeting_page_queries(secretariat_client, participation.meeting)
    person = participation.person
    org = participation.organization
    assert f'<option value="{person.pk}" selected>Prof. Qasim Jan</option>' in html
    assert f'<option value="{org.pk}" selected>{org.name}</option>' in html
