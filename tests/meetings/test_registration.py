import datetime
import re

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from meetings.attendance import links, services
from meetings.attendance.models import (
    Participation,
    ParticipationEvent,
    ParticipationStatus,
    RegistrationMode,
    RegistrationWindow,
)
from members.models import Person

from ..factories import (
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    RegistrationWindowFactory,
)

pytestmark = pytest.mark.django_db


def details(**overrides) -> services.RegistrantDetails:
    values = {
        "given_name": "Amina",
        "family_name": "Okafor",
        "email": "amina@example.org",
        "country": "NG",
        "organization_name": "Lagos Institute of Sample Studies",
        "capacity": "delegate",
        "listed_publicly": True,
    }
    values.update(overrides)
    return services.RegistrantDetails(**values)


def register_url(meeting) -> str:
    return reverse(
        "meetings:registration_create",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def form_data(**overrides) -> dict:
    data = {
        "honorific": "Dr.",
        "given_name": "Amina",
        "family_name": "Okafor",
        "email": "Amina@Example.org",
        "phone": "+234 1 555 0100",
        "organization": "",
        "organization_name": "Lagos Institute of Sample Studies",
        "country": "NG",
        "capacity": "delegate",
        "listed_publicly": "on",
    }
    data.update(overrides)
    return data


# --- model constraints --------------------------------------------------------------------


def test_registration_window_closing_before_opening_is_refused_by_the_database():
    meeting = MeetingFactory()
    now = timezone.now()
    with pytest.raises(IntegrityError):
        RegistrationWindow.objects.create(meeting=meeting, opens_at=now, closes_at=now)


def test_registration_window_zero_capacity_is_refused_by_the_database():
    window = RegistrationWindowFactory.build(meeting=MeetingFactory(), capacity=0)
    with pytest.raises(IntegrityError):
        window.save()


def test_registration_window_clean_names_the_field():
    now = timezone.now()
    window = RegistrationWindow(
        meeting=MeetingFactory(), opens_at=now, closes_at=now - datetime.timedelta(hours=1)
    )
    with pytest.raises(Exception) as excinfo:
        window.full_clean()
    assert "closes_at" in excinfo.value.message_dict


# --- services -----------------------------------------------------------------------------


def test_registration_submit_creates_person_participation_event_and_mails(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registration_submit(meeting=window.meeting, details=details())
    participation = result.participation
    assert result.created
    assert participation.status == ParticipationStatus.REGISTERED
    assert participation.registered_at is not None
    assert participation.organization is None
    assert participation.organization_name == "Lagos Institute of Sample Studies"
    assert participation.person.email == "amina@example.org"
    event = ParticipationEvent.objects.get(participation=participation)
    assert (event.from_status, event.to_status, event.by) == ("", "registered", None)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amina@example.org"]
    assert f"{settings.SITE_URL}/en/meetings/" in mailoutbox[0].body
    assert "/registration/" in mailoutbox[0].body


def test_registration_mail_is_not_sent_when_the_transaction_rolls_back(mailoutbox):
    """Mail goes out on commit only: a test transaction that never commits sends nothing."""
    window = RegistrationWindowFactory()
    services.registration_submit(meeting=window.meeting, details=details())
    assert mailoutbox == []


def snapshot(participation: Participation) -> dict:
    """Everything about a participation and its person that a form could change."""
    participation = Participation.objects.select_related("person").get(pk=participation.pk)
    person = participation.person
    return {
        **{
            field: getattr(participation, field)
            for field in (
                "status",
                "organization_id",
                "organization_name",
                "country",
                "capacity",
                "listed_publicly",
                "registered_at",
                "checked_in_at",
                "manage_key",
                "updated_at",
            )
        },
        **{
            f"person.{field}": getattr(person, field)
            for field in ("honorific", "given_name", "family_name", "phone", "country", "email")
        },
        "person.organization_id": person.organization_id,
        "events": participation.events.count(),
        "history": participation.history.count(),
    }


def test_registration_submit_with_a_registered_email_changes_nothing_and_mails_the_owner(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory()
    first = services.registration_submit(
        meeting=window.meeting, details=details(phone="", honorific="")
    )
    before = snapshot(first.participation)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registration_submit(
            meeting=window.meeting,
            details=details(
                email="AMINA@example.org ",
                honorific="Mx.",
                phone="+1 555 0199",
                country="FR",
                organization=OrganizationFactory(name="Impostors Inc."),
                capacity="expert",
                listed_publicly=False,
            ),
        )
    assert not result.created
    assert result.status == ParticipationStatus.REGISTERED
    assert snapshot(first.participation) == before
    assert (Participation.objects.count(), Person.objects.count()) == (1, 1)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["amina@example.org"]
    assert "already registered, so nothing was changed" in mail.body
    assert links.registration_manage_url(participation=first.participation) in mail.body


def test_registration_submit_leaves_an_existing_person_as_it_is():
    person = PersonFactory(
        email="amina@example.org", given_name="Amina", family_name="Okafor", phone="", honorific=""
    )
    window = RegistrationWindowFactory()
    result = services.registration_submit(
        meeting=window.meeting,
        details=details(family_name="Impostor", phone="123", honorific="Dr."),
    )
    assert result.created
    person.refresh_from_db()
    assert (person.family_name, person.phone, person.honorific) == ("Okafor", "", "")
    assert person.history.count() == 1
    assert result.participation.person == person


def test_registration_submit_does_not_reactivate_a_cancelled_registration(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory()
    cancelled = ParticipationFactory(
        meeting=window.meeting,
        person__email="amina@example.org",
        status=ParticipationStatus.CANCELLED,
        listed_publicly=False,
    )
    before = snapshot(cancelled)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registration_submit(meeting=window.meeting, details=details())
    assert result.status == ParticipationStatus.REGISTERED  # what a newcomer would be told
    assert snapshot(cancelled) == before
    assert "Register again" in mailoutbox[0].body


def test_registration_submit_with_a_registered_email_when_full_answers_full(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A newcomer would be refused, so the owner's address is refused the same way; the owner
    still gets their link."""
    window = RegistrationWindowFactory(capacity=1, waiting_list=False)
    owner = ParticipationFactory(
        meeting=window.meeting, person__email="amina@example.org", status="registered"
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.RegistrationFull),
    ):
        services.registration_submit(meeting=window.meeting, details=details())
    assert len(mailoutbox) == 1
    assert links.registration_manage_url(participation=owner) in mailoutbox[0].body


def test_registration_submit_matches_a_typed_organization_in_the_form():
    organization = OrganizationFactory(name="Kenya Academy of Sample Sciences", short_name="KASS")
    window = RegistrationWindowFactory()
    from meetings.attendance.forms import RegistrationForm

    form = RegistrationForm(data=form_data(organization_name="kass"))
    assert form.is_valid(), form.errors
    result = services.registration_submit(meeting=window.meeting, details=form.details())
    assert result.participation.organization == organization
    assert result.participation.organization_name == ""


def test_registration_submit_outside_the_window_is_refused_without_a_record():
    window = RegistrationWindowFactory(
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    with pytest.raises(services.RegistrationClosed, match="opens on"):
        services.registration_submit(meeting=window.meeting, details=details())
    window.opens_at = timezone.now() - datetime.timedelta(days=5)
    window.closes_at = timezone.now() - datetime.timedelta(days=1)
    window.save()
    with pytest.raises(services.RegistrationClosed, match="closed"):
        services.registration_submit(meeting=window.meeting, details=details())
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0


def test_registration_submit_without_a_window_or_unpublished_is_refused():
    with pytest.raises(services.RegistrationClosed):
        services.registration_submit(meeting=MeetingFactory(), details=details())
    window = RegistrationWindowFactory(meeting__is_published=False)
    with pytest.raises(services.RegistrationClosed):
        services.registration_submit(meeting=window.meeting, details=details())
    assert Participation.objects.count() == 0


def test_registration_by_invitation_needs_the_token():
    window = RegistrationWindowFactory(mode=RegistrationMode.INVITATION)
    with pytest.raises(services.RegistrationClosed, match="invitation"):
        services.registration_submit(meeting=window.meeting, details=details(), invitation="x")
    result = services.registration_submit(
        meeting=window.meeting, details=details(), invitation=window.invitation_token
    )
    assert result.participation.status == ParticipationStatus.REGISTERED


def test_registration_when_full_goes_to_the_waiting_list():
    window = RegistrationWindowFactory(capacity=1)
    first = services.registration_submit(meeting=window.meeting, details=details())
    second = services.registration_submit(
        meeting=window.meeting, details=details(email="second@example.org")
    )
    assert first.participation.status == ParticipationStatus.REGISTERED
    assert second.waitlisted


def test_registration_when_full_without_waiting_list_is_refused():
    window = RegistrationWindowFactory(capacity=1, waiting_list=False)
    services.registration_submit(meeting=window.meeting, details=details())
    with pytest.raises(services.RegistrationFull, match="full"):
        services.registration_submit(
            meeting=window.meeting, details=details(email="second@example.org")
        )
    assert Participation.objects.count() == 1


def test_registration_cancel_frees_the_seat_for_the_first_on_the_waiting_list(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory(capacity=1)
    first = services.registration_submit(meeting=window.meeting, details=details())
    waiting = services.registration_submit(
        meeting=window.meeting, details=details(email="second@example.org")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(participation=first.participation)
    first.participation.refresh_from_db()
    waiting.participation.refresh_from_db()
    assert first.participation.status == ParticipationStatus.CANCELLED
    assert waiting.participation.status == ParticipationStatus.REGISTERED
    assert sorted(m.to[0] for m in mailoutbox) == ["amina@example.org", "second@example.org"]
    assert waiting.participation.events.first().note == "moved up from the waiting list"


def test_registration_token_round_trip_and_tampering():
    window = RegistrationWindowFactory()
    participation = services.registration_submit(
        meeting=window.meeting, details=details()
    ).participation
    token = links.registration_token(participation=participation)
    assert links.registration_from_token(token=token, meeting=window.meeting) == participation
    assert links.registration_from_token(token=token + "x", meeting=window.meeting) is None
    assert links.registration_from_token(token="nonsense", meeting=window.meeting) is None
    other = RegistrationWindowFactory().meeting
    assert links.registration_from_token(token=token, meeting=other) is None


# --- views --------------------------------------------------------------------------------


def test_registration_page_shows_the_form(client):
    window = RegistrationWindowFactory()
    response = client.get(register_url(window.meeting))
    assert response.status_code == 200
    assert b'name="family_name"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_registration_post_registers_mails_and_redirects(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(window.meeting), form_data())
    assert response.status_code == 302
    assert response["Location"].endswith("/register/done/")
    participation = Participation.objects.get()
    assert participation.person.email == "amina@example.org"
    assert participation.person.phone == "+234 1 555 0100"
    assert len(mailoutbox) == 1


def test_registration_post_with_bad_input_keeps_the_input_and_creates_nothing(client):
    window = RegistrationWindowFactory()
    response = client.post(
        register_url(window.meeting),
        form_data(email="not-an-email", organization_name="", country="XX"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"email", "organization", "country"}
    assert b"not-an-email" in response.content
    assert Participation.objects.count() == 0


def test_registration_outside_the_window_shows_a_message_and_records_nothing(client):
    window = RegistrationWindowFactory(
        opens_at=timezone.now() - datetime.timedelta(days=5),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = client.get(register_url(window.meeting))
    assert response.status_code == 200
    assert b"Registration for this meeting has closed." in response.content
    assert b'name="family_name"' not in response.content
    response = client.post(register_url(window.meeting), form_data())
    assert response.status_code == 403
    assert Participation.objects.count() == 0


def test_registration_page_of_an_unpublished_meeting_is_404(client):
    window = RegistrationWindowFactory(meeting__is_published=False)
    assert client.get(register_url(window.meeting)).status_code == 404
    assert client.post(register_url(window.meeting), form_data()).status_code == 404
    assert Participation.objects.count() == 0


def test_registration_page_by_invitation_without_the_link_says_so(client):
    window = RegistrationWindowFactory(mode=RegistrationMode.INVITATION)
    response = client.get(register_url(window.meeting))
    assert b"by invitation only" in response.content
    response = client.post(register_url(window.meeting), form_data())
    assert response.status_code == 403
    url = register_url(window.meeting) + f"?invitation={window.invitation_token}"
    response = client.get(url)
    assert b'name="family_name"' in response.content
    response = client.post(url, form_data())
    assert response.status_code == 302
    assert Participation.objects.count() == 1


def test_registration_full_without_waiting_list_shows_full_message(client):
    window = RegistrationWindowFactory(capacity=1, waiting_list=False)
    ParticipationFactory(meeting=window.meeting, status=ParticipationStatus.REGISTERED)
    response = client.post(register_url(window.meeting), form_data())
    assert response.status_code == 409
    assert b"this meeting is full" in response.content
    assert Participation.objects.count() == 1


def answer(client, url, data) -> tuple:
    """What a visitor sees of a form post: statuses, redirects and messages."""
    response = client.post(url, data, follow=True)
    messages = [(m.level, m.message) for m in response.context["messages"]]
    return response.status_code, response.redirect_chain, messages


def test_registration_post_with_a_registered_email_answers_as_for_a_new_one(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """An attacker who knows an attended participant's email and types it in another case
    changes nothing, learns nothing, and the owner gets their link."""
    window = RegistrationWindowFactory()
    victim = ParticipationFactory(
        meeting=window.meeting,
        person__email="amina@example.org",
        person__family_name="Okafor",
        status=ParticipationStatus.ATTENDED,
        listed_publicly=False,
        capacity="delegate",
    )
    before = snapshot(victim)
    attack = form_data(
        email="AMINA@EXAMPLE.ORG",
        organization_name="Impostors Inc.",
        country="FR",
        capacity="expert",
        listed_publicly="on",
    )
    url = register_url(window.meeting)
    with django_capture_on_commit_callbacks(execute=True):
        attacked = answer(client, url, attack)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = answer(client, url, form_data(email="newcomer@example.org"))
    assert attacked == fresh
    assert attacked[0] == 200 and attacked[1][0][1] == 302
    assert snapshot(victim) == before
    assert not Participation.objects.filter(organization_name="Impostors Inc.").exists()
    page = client.get(window.meeting.get_absolute_url())
    assert b"Impostors Inc." not in page.content
    assert [m.to for m in mailoutbox] == [["amina@example.org"], ["newcomer@example.org"]]
    assert "already registered" in mailoutbox[0].body


def test_registration_email_longer_than_the_column_is_a_field_error(client):
    """The form took up to 320 characters, the column 254: a 500 on PostgreSQL."""
    window = RegistrationWindowFactory()
    email = "a" * 68 + "@" + ".".join(["b" * 60, "c" * 60, "d" * 60, "org"])
    assert len(email) == 255
    response = client.post(register_url(window.meeting), form_data(email=email))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "An email address can have at most 254 characters."
    ]
    assert Person.objects.count() == 0


def manage_url(participation, token=None):
    meeting = participation.meeting
    return reverse(
        "meetings:registration_manage",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": token or links.registration_token(participation=participation),
        },
    )


def test_registration_manage_link_shows_and_cancels(client):
    window = RegistrationWindowFactory()
    participation = services.registration_submit(
        meeting=window.meeting, details=details()
    ).participation
    response = client.get(manage_url(participation))
    assert response.status_code == 200
    assert b"Okafor" in response.content
    assert b"amina@example.org" not in response.content
    response = client.post(manage_url(participation), {"cancel": "1"}, follow=True)
    assert b"Your registration is cancelled." in response.content
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.CANCELLED


def test_registration_manage_tampered_link_changes_nothing(client):
    window = RegistrationWindowFactory()
    participation = services.registration_submit(
        meeting=window.meeting, details=details()
    ).participation
    token = links.registration_token(participation=participation)
    tampered = re.sub(r".$", lambda m: "A" if m.group() != "A" else "B", token)
    response = client.post(manage_url(participation, tampered), {"cancel": "1"})
    assert response.status_code == 404
    assert b"This link is not valid" in response.content
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED


def test_registration_posts_are_rate_limited_per_address(client):
    from meetings.attendance import views

    window = RegistrationWindowFactory()
    url = register_url(window.meeting)
    for n in range(views.REGISTRATION_POSTS_PER_HOUR):
        response = client.post(url, form_data(email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = client.post(url, form_data(email="one-more@example.org", family_name="Typed"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many registrations" in page
    # The form comes back with what the visitor typed, as on the invitation's link
    # (tests/meetings/invitations/test_respond.py).
    assert 'value="one-more@example.org"' in page
    assert 'value="Typed"' in page
    assert not Person.objects.filter(email="one-more@example.org").exists()


def test_registration_page_without_a_window_says_so(client):
    meeting = MeetingFactory()
    response = client.get(register_url(meeting))
    assert response.status_code == 200
    assert b"This meeting does not take registrations." in response.content
    assert client.post(register_url(meeting), form_data()).status_code == 403
    assert Participation.objects.count() == 0


def test_registration_when_full_puts_the_visitor_on_the_waiting_list(client):
    window = RegistrationWindowFactory(capacity=1)
    ParticipationFactory(meeting=window.meeting, status=ParticipationStatus.REGISTERED)
    response = client.post(register_url(window.meeting), form_data(), follow=True)
    assert b"you are on the waiting list" in response.content
    assert Participation.objects.get(person__email="amina@example.org").status == (
        ParticipationStatus.WAITLISTED
    )
