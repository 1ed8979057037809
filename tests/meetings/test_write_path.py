"""One write path for a participation's status: the bulk action, the import, the admin's forms,
the check-in and the registration pages all write the event, the history and the check-in
fields, move the waiting list up and renew the public pages."""

import re

import pytest
import tablib
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.attendance import services, status
from meetings.attendance.models import Participation, ParticipationEvent, ParticipationStatus
from meetings.attendance.resources import ParticipantResource

from ..admin_helpers import admin_post, inline_management_data
from ..factories import (
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    RegistrationWindowFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPATIONS = reverse("admin:meetings_participation_changelist")
ATTENDED = ParticipationStatus.ATTENDED
REGISTERED = ParticipationStatus.REGISTERED
WAITLISTED = ParticipationStatus.WAITLISTED


def attended_figure(meeting) -> int:
    """The meeting page's "Total participants", as an anonymous visitor sees it (through the
    page cache when it is on)."""
    response = Client().get(meeting.get_absolute_url())
    assert response.status_code == 200
    match = re.search(r'data-figure="participants"><dt>[^<]*</dt><dd>(\d+)</dd>', response.text)
    return int(match[1])


def registered(meeting, n=1, **kwargs):
    return ParticipationFactory.create_batch(n, meeting=meeting, status=REGISTERED, **kwargs)


def act(client, action: str, objects):
    return client.post(
        PARTICIPATIONS, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    )


# --- the bulk action ----------------------------------------------------------------------


def test_mark_attended_records_events_check_in_and_renews_the_meeting_page(
    secretariat_client, secretariat_user, page_cache
):
    meeting = MeetingFactory()
    people = registered(meeting, 2)
    assert attended_figure(meeting) == 0
    assert attended_figure(meeting) == 0  # now from the page cache

    assert act(secretariat_client, "mark_attended", people).status_code == 302

    assert attended_figure(meeting) == 2
    for participation in Participation.objects.all():
        assert participation.checked_in_by == secretariat_user
        assert participation.checked_in_at is not None
        event = participation.events.get()
        assert (event.from_status, event.to_status, event.by) == (
            REGISTERED,
            ATTENDED,
            secretariat_user,
        )
        latest = participation.history.latest()
        assert (latest.status, latest.history_user) == (ATTENDED, secretariat_user)


def _mark_attended_queries(client, n: int) -> int:
    meeting = MeetingFactory()
    RegistrationWindowFactory(meeting=meeting, capacity=None)
    people = registered(meeting, n)
    with CaptureQueriesContext(connection) as queries:
        assert act(client, "mark_attended", people).status_code == 302
    assert Participation.objects.filter(meeting=meeting, status=ATTENDED).count() == n
    assert ParticipationEvent.objects.filter(participation__meeting=meeting).count() == n
    return len(queries)


def test_mark_attended_queries_do_not_grow_with_rows(secretariat_client):
    assert _mark_attended_queries(secretariat_client, 1) == _mark_attended_queries(
        secretariat_client, 30
    )


def test_bulk_status_change_queries_do_not_grow_with_rows(secretariat_user):
    def queries(n: int) -> int:
        meeting = MeetingFactory()
        RegistrationWindowFactory(meeting=meeting, capacity=5 * n)
        people = registered(meeting, n)
        ParticipationFactory.create_batch(n, meeting=meeting, status=WAITLISTED)
        with CaptureQueriesContext(connection) as captured:
            changes = status.participations_status_change(
                participations=Participation.objects.filter(pk__in=[p.pk for p in people]),
                to_status=ParticipationStatus.CANCELLED,
                by=secretariat_user,
            )
        assert len(changes.changed) == n
        assert len(changes.promoted) == n
        return len(captured)

    assert queries(1) == queries(25)


def test_leaving_attended_clears_the_check_in_and_moves_the_waiting_list_up(secretariat_user):
    meeting = MeetingFactory()
    RegistrationWindowFactory(meeting=meeting, capacity=1)
    (participation,) = registered(meeting)
    waiting = ParticipationFactory(meeting=meeting, status=WAITLISTED)
    status.participation_status_change(
        participation=participation, to_status=ATTENDED, by=secretariat_user
    )
    status.participation_status_change(
        participation=participation, to_status=ParticipationStatus.ABSENT, by=secretariat_user
    )
    participation.refresh_from_db()
    waiting.refresh_from_db()
    assert (participation.checked_in_at, participation.checked_in_by) == (None, None)
    assert waiting.status == REGISTERED
    assert list(participation.events.order_by("pk").values_list("to_status", flat=True)) == [
        ATTENDED,
        ParticipationStatus.ABSENT,
    ]


# --- the import -----------------------------------------------------------------------------


def _participants(rows) -> tablib.Dataset:
    data = tablib.Dataset(headers=["meeting", "email", "family_name", "status"])
    for row in rows:
        data.append(row)
    return data


def test_import_with_status_attended_writes_history_events_check_in_and_renews_the_page(
    secretariat_user, page_cache
):
    meeting = MeetingFactory()
    (existing,) = registered(meeting, person=PersonFactory(email="known@example.org"))
    assert attended_figure(meeting) == 0
    history_before = existing.history.count()

    result = ParticipantResource().import_data(
        _participants(
            [
                (meeting.slug, "known@example.org", "Known", "attended"),
                (meeting.slug, "new@example.org", "New", "attended"),
            ]
        ),
        dry_run=False,
        user=secretariat_user,
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert attended_figure(meeting) == 2
    existing.refresh_from_db()
    assert existing.history.count() == history_before + 1
    assert existing.history.latest().status == ATTENDED
    assert existing.history.latest().history_user == secretariat_user
    for participation in Participation.objects.filter(meeting=meeting):
        assert participation.status == ATTENDED
        assert participation.checked_in_by == secretariat_user
        assert participation.checked_in_at is not None
        assert participation.events.get().to_status == ATTENDED
        assert participation.history.exists()


def test_import_preview_writes_nothing(secretariat_user):
    meeting = MeetingFactory()
    (existing,) = registered(meeting, person=PersonFactory(email="known@example.org"))
    ParticipantResource().import_data(
        _participants([(meeting.slug, "known@example.org", "Known", "attended")]),
        dry_run=True,
        user=secretariat_user,
    )
    existing.refresh_from_db()
    assert existing.status == REGISTERED
    assert not ParticipationEvent.objects.exists()


@pytest.mark.parametrize("rows", (1, 40))
def test_import_of_status_changes_queries_do_not_grow_with_rows(
    django_assert_max_num_queries, secretariat_user, rows
):
    meeting = MeetingFactory()
    people = registered(meeting, rows)
    data = _participants(
        [(meeting.slug, p.person.email, p.person.family_name, "attended") for p in people]
    )
    with django_assert_max_num_queries(25):
        ParticipantResource().import_data(data, dry_run=False, user=secretariat_user)
    assert ParticipationEvent.objects.filter(to_status=ATTENDED).count() == rows


# --- the admin's forms ----------------------------------------------------------------------


def _participation_form(participation, **values) -> dict:
    data = {
        "meeting": participation.meeting_id,
        "person": participation.person_id,
        "organization": participation.organization_id or "",
        "organization_name": participation.organization_name,
        "country": participation.country,
        "capacity": participation.capacity,
        "status": participation.status,
        "listed_publicly": "on" if participation.listed_publicly else "",
        "language": participation.language,
    }
    data.update(values)
    return data


def test_admin_change_of_status_records_an_event_and_the_check_in(
    secretariat_client, secretariat_user, page_cache
):
    (participation,) = registered(MeetingFactory())
    assert attended_figure(participation.meeting) == 0
    url = reverse("admin:meetings_participation_change", args=[participation.pk])
    response = admin_post(
        secretariat_client, url, _participation_form(participation, status=ATTENDED)
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == ATTENDED
    assert participation.checked_in_by == secretariat_user
    event = participation.events.get()
    assert (event.from_status, event.to_status, event.by) == (
        REGISTERED,
        ATTENDED,
        secretariat_user,
    )
    assert participation.history.latest().history_user == secretariat_user
    assert attended_figure(participation.meeting) == 1


def test_admin_edit_without_a_status_change_records_no_event(secretariat_client):
    (participation,) = registered(MeetingFactory())
    url = reverse("admin:meetings_participation_change", args=[participation.pk])
    form = _participation_form(participation, country="FR")
    assert admin_post(secretariat_client, url, form).status_code == 302
    participation.refresh_from_db()
    assert participation.country == "FR"
    assert not participation.events.exists()


def test_admin_add_of_an_attended_participation_records_it(secretariat_client, secretariat_user):
    meeting, person = MeetingFactory(), PersonFactory()
    form = _participation_form(
        Participation(meeting=meeting, person=person), status=ATTENDED, capacity="expert"
    )
    response = admin_post(secretariat_client, reverse("admin:meetings_participation_add"), form)
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert participation.checked_in_by == secretariat_user
    assert participation.events.get().to_status == ATTENDED
    assert participation.history.get().history_user == secretariat_user


def _meeting_form(meeting) -> dict:
    return {
        "body": meeting.body_id,
        "number": meeting.number,
        "slug": meeting.slug,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "venue_en": meeting.venue,
        "city_en": meeting.city,
        "country": meeting.country,
        "summary_en": meeting.summary,
        "reported_attendance_en": meeting.reported_attendance,
        "is_published": "on" if meeting.is_published else "",
    }


def test_meeting_page_inline_change_of_status_records_an_event(
    secretariat_client, secretariat_user
):
    (participation,) = registered(MeetingFactory())
    meeting = participation.meeting
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {**inline_management_data(secretariat_client, url), **_meeting_form(meeting)}
    prefix = "participations"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": participation.pk,
            f"{prefix}-0-meeting": meeting.pk,
            f"{prefix}-0-person": participation.person_id,
            f"{prefix}-0-organization": participation.organization_id or "",
            f"{prefix}-0-country": participation.country,
            f"{prefix}-0-capacity": participation.capacity,
            f"{prefix}-0-status": ATTENDED,
            f"{prefix}-0-listed_publicly": "on",
        }
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    participation.refresh_from_db()
    assert participation.status == ATTENDED
    assert participation.checked_in_by == secretariat_user
    assert participation.events.get().by == secretariat_user


# --- capacity -------------------------------------------------------------------------------


def _window_form(window, **values) -> dict:
    data = {
        "meeting": window.meeting_id,
        "opens_at_0": window.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": window.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": window.closes_at.strftime("%Y-%m-%d"),
        "closes_at_1": window.closes_at.strftime("%H:%M:%S"),
        "capacity": window.capacity or "",
        "waiting_list": "on" if window.waiting_list else "",
        "mode": window.mode,
        "invitation_token": window.invitation_token,
    }
    data.update(values)
    return data


def _full_meeting_with_a_waiting_list():
    window = RegistrationWindowFactory(capacity=1)
    registered(window.meeting)
    waiting = []
    for n in range(3):
        person = PersonFactory(email=f"waiting{n}@example.org")
        waiting.append(
            ParticipationFactory(meeting=window.meeting, person=person, status=WAITLISTED)
        )
    return window, waiting


def test_capacity_raise_in_the_admin_moves_the_waiting_list_up_in_order_and_mails(
    secretariat_client, secretariat_user, mailoutbox, django_capture_on_commit_callbacks
):
    window, waiting = _full_meeting_with_a_waiting_list()
    url = reverse("admin:meetings_registrationwindow_change", args=[window.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_post(secretariat_client, url, _window_form(window, capacity="3"))
    assert response.status_code == 302
    statuses = [Participation.objects.get(pk=p.pk).status for p in waiting]
    assert statuses == [REGISTERED, REGISTERED, WAITLISTED]
    assert sorted(m.to[0] for m in mailoutbox) == ["waiting0@example.org", "waiting1@example.org"]
    event = waiting[0].events.get()
    assert (event.from_status, event.to_status, event.by) == (
        WAITLISTED,
        REGISTERED,
        secretariat_user,
    )


def test_capacity_removed_on_the_meeting_page_moves_everyone_up(secretariat_client):
    window, _waiting = _full_meeting_with_a_waiting_list()
    meeting = window.meeting
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {**inline_management_data(secretariat_client, url), **_meeting_form(meeting)}
    prefix = "registration"
    form = _window_form(window, capacity="")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": window.pk,
            **{f"{prefix}-0-{key}": value for key, value in form.items()},
        }
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert not Participation.objects.filter(status=WAITLISTED).exists()


def test_registration_window_save_with_the_same_capacity_moves_nobody(secretariat_user):
    window, _waiting = _full_meeting_with_a_waiting_list()
    window.closes_at = window.closes_at.replace(microsecond=0)
    status.registration_window_save(window=window, by=secretariat_user)
    assert Participation.objects.filter(status=WAITLISTED).count() == 3


def test_deleting_a_participant_in_the_admin_moves_the_waiting_list_up(
    secretariat_client, mailoutbox, django_capture_on_commit_callbacks
):
    window, waiting = _full_meeting_with_a_waiting_list()
    seat = Participation.objects.get(meeting=window.meeting, status=REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            PARTICIPATIONS,
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [seat.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Participation.objects.filter(pk=seat.pk).exists()
    statuses = [Participation.objects.get(pk=p.pk).status for p in waiting]
    assert statuses == [REGISTERED, WAITLISTED, WAITLISTED]
    assert [m.to[0] for m in mailoutbox] == ["waiting0@example.org"]


def test_admin_history_revert_of_a_status_records_an_event_and_clears_the_check_in(
    secretariat_client, secretariat_user
):
    (participation,) = registered(MeetingFactory())
    earliest = participation.history.earliest()
    services.participation_check_in(participation=participation, by=secretariat_user)
    url = reverse(
        "admin:meetings_participation_simple_history",
        args=[participation.pk, earliest.history_id],
    )
    page = secretariat_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["listed_publicly"] = "on" if data["listed_publicly"] else ""
    assert secretariat_client.post(url, data).status_code == 302
    participation.refresh_from_db()
    assert participation.status == REGISTERED
    assert (participation.checked_in_at, participation.checked_in_by) == (None, None)
    assert list(participation.events.order_by("pk").values_list("to_status", flat=True)) == [
        ATTENDED,
        REGISTERED,
    ]
