"""The link to a registration: opaque, replaceable on request, expiring after the meeting, and
the only way to change or cancel a registration."""

import base64
import contextlib
import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.attendance import links, services, views
from meetings.attendance.models import ParticipationEvent, ParticipationStatus

from ..factories import MeetingFactory, ParticipationFactory, RegistrationWindowFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/registration/\S+/")


def manage_url(participation) -> str:
    return links.registration_manage_url(participation=participation)


def request_url(meeting) -> str:
    return reverse(
        "meetings:registration_link_request",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def registered(**kwargs):
    window = RegistrationWindowFactory()
    values = {
        "meeting": window.meeting,
        "person__email": "amina@example.org",
        "person__family_name": "Okafor",
        "status": ParticipationStatus.REGISTERED,
        "capacity": "delegate",
        "listed_publicly": False,
    }
    return ParticipationFactory(**{**values, **kwargs})


def decoded_parts(token: str) -> list[bytes]:
    parts = []
    for part in re.split(r"[.:]", token):
        with contextlib.suppress(ValueError):
            parts.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return parts


def test_registration_link_carries_no_ids():
    meeting = MeetingFactory(pk=876543)
    participation = ParticipationFactory(pk=987654, meeting=meeting)
    url = manage_url(participation)
    token = url.rstrip("/").rsplit("/", 1)[1]
    for text in [url.encode(), *decoded_parts(token)]:
        assert b"987654" not in text
        assert b"876543" not in text


def test_registration_link_works_until_the_day_after_the_meeting(client):
    today = timezone.localdate()
    participation = registered(
        meeting=MeetingFactory(
            start_date=today - datetime.timedelta(days=2), end_date=today - datetime.timedelta(1)
        )
    )
    assert client.get(manage_url(participation)).status_code == 200
    participation.meeting.end_date = participation.meeting.start_date
    participation.meeting.save()
    response = client.get(manage_url(participation))
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    response = client.post(manage_url(participation), {"cancel": "1"})
    assert response.status_code == 410
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


@pytest.mark.parametrize("n", (1, 30))
def test_registration_manage_page_queries_flat(client, django_assert_num_queries, n):
    participation = registered()
    ParticipationFactory.create_batch(n, meeting=participation.meeting)
    url = manage_url(participation)
    # The meeting, the participation with person and organization.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_registration_change_through_the_link_is_saved_and_recorded(client):
    participation = registered()
    response = client.post(
        manage_url(participation),
        {"change": "1", "listed_publicly": "on", "capacity": "expert"},
        follow=True,
    )
    assert b"Your changes are saved." in response.content
    participation.refresh_from_db()
    assert (participation.listed_publicly, participation.capacity) == (True, "expert")
    latest = participation.history.first()
    assert latest.history_change_reason == "changed through the registration link"
    assert (latest.listed_publicly, latest.capacity) == (True, "expert")
    assert not participation.events.exists()  # no status change


def test_registration_change_refuses_the_secretariat_capacity(client):
    participation = registered()
    response = client.post(manage_url(participation), {"change": "1", "capacity": "secretariat"})
    assert response.status_code == 400
    assert "capacity" in response.context["form"].errors
    participation.refresh_from_db()
    assert participation.capacity == "delegate"


def test_registration_change_after_attending_keeps_the_capacity_but_withdraws_consent(client):
    participation = registered(status=ParticipationStatus.ATTENDED, listed_publicly=True)
    response = client.post(manage_url(participation), {"change": "1", "capacity": "expert"})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.listed_publicly, participation.capacity) == (False, "delegate")


def test_registration_register_again_through_the_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    participation = registered(status=ParticipationStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(participation), {"register_again": "1"}, follow=True)
    assert b"You are registered again." in response.content
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED
    event = ParticipationEvent.objects.get(participation=participation)
    assert (event.from_status, event.to_status) == ("cancelled", "registered")
    assert len(mailoutbox) == 1


def test_registration_manage_post_without_an_action_is_400(client):
    participation = registered()
    assert client.post(manage_url(participation), {}).status_code == 400
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_registration_new_link_replaces_the_old_one(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    participation = registered()
    old = manage_url(participation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            request_url(participation.meeting), {"email": "AMINA@example.org"}, follow=True
        )
    assert b"If that address is registered for this meeting" in response.content
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amina@example.org"]
    new = LINK.search(mailoutbox[0].body).group(0)
    assert not new.endswith(old)
    old_response = client.get(old)
    assert old_response.status_code == 404
    assert b"replaced by a newer one" in old_response.content
    assert client.get(new).status_code == 200


def test_registration_new_link_answer_does_not_reveal_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    participation = registered()
    url = request_url(participation.meeting)

    def answer(email):
        response = client.post(url, {"email": email}, follow=True)
        messages = [(m.level, m.message) for m in response.context["messages"]]
        return response.status_code, response.redirect_chain, messages

    with django_capture_on_commit_callbacks(execute=True):
        known = answer("amina@example.org")
        unknown = answer("nobody@example.org")
    assert known == unknown
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]


def test_registration_new_link_is_not_sent_after_the_meeting(client, mailoutbox):
    meeting = MeetingFactory()  # in 2019
    ParticipationFactory(meeting=meeting, person__email="amina@example.org")
    response = client.get(request_url(meeting))
    assert response.status_code == 200
    assert b"links to registrations have expired" in response.content
    response = client.post(request_url(meeting), {"email": "amina@example.org"})
    assert response.status_code == 410
    assert mailoutbox == []


def test_registration_new_link_requests_are_rate_limited(client):
    meeting = RegistrationWindowFactory().meeting
    url = request_url(meeting)
    for n in range(views.REGISTRATION_LINK_REQUESTS_PER_HOUR):
        assert client.post(url, {"email": f"p{n}@example.org"}).status_code == 302
    response = client.post(url, {"email": "one-more@example.org"})
    assert response.status_code == 429
    assert b"Too many new links were asked for" in response.content


def test_registration_new_links_for_one_address_are_limited_whoever_asks(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Each new link kills the one before: five clients asking for one registrant's link in a
    minute send three mails, then the address waits; another address is not held up."""
    participation = registered()
    url = request_url(participation.meeting)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                url, {"email": "Amina@example.org"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
            ).status_code
            for n in range(1, 6)
        ]
    assert statuses == [302] * views.REGISTRATION_LINK_REQUESTS_PER_EMAIL_PER_HOUR + [429, 429]
    assert [m.to for m in mailoutbox] == [["amina@example.org"]] * 3
    refused = client.post(url, {"email": "amina@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert b"Too many new links were asked for" in refused.content
    assert refused.context["form"]["email"].value() == "amina@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        other = client.post(url, {"email": "li@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302
    assert len(mailoutbox) == 3


def test_registration_new_link_with_a_bad_email_is_400(client):
    meeting = RegistrationWindowFactory().meeting
    response = client.post(request_url(meeting), {"email": "x" * 250 + "@example.org"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "An email address can have at most 254 characters."
    ]


@pytest.mark.parametrize("n", (1, 30))
def test_registration_link_request_page_queries_flat(client, django_assert_num_queries, n):
    meeting = RegistrationWindowFactory().meeting
    ParticipationFactory.create_batch(n, meeting=meeting)
    with django_assert_num_queries(1):
        assert client.get(request_url(meeting)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_registration_new_link_request_does_the_same_work_for_any_address(
    client, mailoutbox, settings
):
    """The answer takes no longer for a registered address: the request queues one task
    whatever was typed, and the worker looks the address up and mails its registrant only."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    participation = registered()
    url = request_url(participation.meeting)
    client.post(url, {"email": "first@example.org"})  # what a first request does once
    queries = {}
    for email in ("amina@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"email": email}).status_code == 302
        queries[email] = len(captured)
    assert queries["amina@example.org"] == queries["nobody@example.org"]
    queued = DBTaskResult.objects.filter(
        task_path=services.registration_link_renew_task.module_path
    )
    assert sorted(task.args_kwargs["kwargs"]["email"] for task in queued) == [
        "amina@example.org",
        "first@example.org",
        "nobody@example.org",
    ]
    assert mailoutbox == []

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    assert [mail.to for mail in mailoutbox] == [["amina@example.org"]]
    assert client.get(manage_url(participation)).status_code == 404  # replaced by the new one
