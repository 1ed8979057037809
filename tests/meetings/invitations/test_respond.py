"""The page a personal invitation link opens: its rate limit (its own, not the network's),
the capacity it suggests, and declining with a substitute."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from anso.models import OutgoingMail
from meetings.attendance import views as attendance_views
from meetings.attendance.models import Capacity, Participation
from meetings.invitations import views as invitation_views
from meetings.invitations.links import invitation_path
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from members.models import BodyKind, MembershipStatus, Role
from tests.factories import (
    BodyFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
)

from .helpers import START, open_meeting, working_group

pytestmark = pytest.mark.django_db


def invite(meeting, person) -> MailingRecipient:
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="Invitation", body_en="{link}"
    )
    return MailingRecipient.objects.create(mailing=mailing, person=person, address=person.email)


def link(recipient) -> str:
    return invitation_path(recipient=recipient, meeting=recipient.mailing.meeting)


def register_form(person, **overrides) -> dict:
    form = {
        "family_name": person.family_name,
        "organization": person.organization_id,
        "country": "KE",
        "capacity": "delegate",
    }
    form.update(overrides)
    return form


def test_invitation_link_registers_after_the_network_used_up_its_registrations():
    """A delegation behind one institutional address: the public form's limit for that
    network is used up, and the invited still register through their own links."""
    meeting = open_meeting()
    people = working_group(2)
    network = Client(REMOTE_ADDR="192.0.2.10")
    public = reverse(
        "meetings:registration_create",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )
    for _n in range(attendance_views.REGISTRATION_POSTS_PER_HOUR):
        network.post(public, {"family_name": ""})
    assert network.post(public, {"family_name": ""}).status_code == 429

    for person in people:
        response = network.post(link(invite(meeting, person)), register_form(person))
        assert response.status_code == 302
        assert Participation.objects.filter(meeting=meeting, person=person).exists()
    # Nor did the links count against the network: still refused, not reopened.
    assert network.post(public, {"family_name": ""}).status_code == 429


def test_invitation_link_has_its_own_limit_with_retry_after_and_keeps_what_was_typed():
    meeting = open_meeting()
    first, second = working_group(2)
    url = link(invite(meeting, first))
    visitor = Client()
    for _n in range(invitation_views.INVITATION_LINK_POSTS_PER_HOUR):
        assert visitor.post(url, {"family_name": ""}).status_code == 400
    response = visitor.post(url, register_form(first, family_name="Typed-Name"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    page = response.content.decode()
    assert "Too many attempts through this link" in page
    assert 'value="Typed-Name"' in page
    assert not Participation.objects.filter(meeting=meeting, person=first).exists()
    # Declining through the same link is counted too.
    assert visitor.post(url, {"decline": "1"}).status_code == 429
    # Another person's link, from the same network, is not affected.
    assert visitor.post(link(invite(meeting, second)), register_form(second)).status_code == 302


def selected_capacity(response) -> str:
    html = response.content.decode()
    select = re.search(r'<select name="capacity".*?</select>', html, re.S).group(0)
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen[0] if chosen else ""


def test_you_attend_as_is_filled_in_from_why_the_person_was_invited():
    meeting = open_meeting()
    (contact,) = working_group(1)
    body = BodyFactory(kind=BodyKind.WORKING_GROUP)
    expert = PersonFactory()
    PositionFactory(person=expert, body=body, role=Role.EXPERT, start_date=START)
    member = PersonFactory()
    PositionFactory(person=member, body=body, role=Role.MEMBER, start_date=START)
    came_before = PersonFactory()  # on a saved list: a guest at an earlier meeting
    ParticipationFactory(person=came_before, capacity=Capacity.GUEST)
    stranger = PersonFactory()

    expected = {
        contact: "delegate",
        expert: "expert",
        member: "working_group_member",
        came_before: "guest",
        stranger: "",
    }
    client = Client()
    for person, capacity in expected.items():
        assert selected_capacity(client.get(link(invite(meeting, person)))) == capacity, person


def test_a_contact_person_whose_organization_left_attends_as_a_working_group_member():
    """Delegates come for a member organization: once it has left, the position in the
    working group is what remains."""
    meeting = open_meeting()
    (contact,) = working_group(1)
    contact.organization.membership_status = MembershipStatus.FORMER
    contact.organization.left_on = START
    contact.organization.save()
    page = Client().get(link(invite(meeting, contact)))
    assert selected_capacity(page) == "working_group_member"


def substitute_form(**overrides) -> dict:
    form = {"substitute": "1", "given_name": "Amina", "family_name": "Diallo"}
    form.update(overrides)
    return form


def test_declining_is_recorded_and_a_substitute_gets_a_link_of_their_own(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_REPLY_TO = "ANSO Secretariat <secretariat@anso.example.org>"
    meeting = open_meeting()
    (declining,) = working_group(1)
    recipient = invite(meeting, declining)
    url = link(recipient)

    page = client.post(url, {"decline": "1"}, follow=True).content.decode()
    assert "Your answer is recorded: you cannot come." in page
    assert 'id="invitation-substitute-form"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, substitute_form(email="Amina.Diallo@Example.org"))
    assert response.status_code == 302
    substitute = MailingRecipient.objects.get(replaces=recipient)
    assert substitute.mailing_id == recipient.mailing_id
    assert substitute.address == "amina.diallo@example.org"
    person = substitute.person
    assert (person.given_name, person.family_name) == ("Amina", "Diallo")
    assert person.organization_id == declining.organization_id
    # The worker wrote the substitute's own invitation, with their own link.
    mail = OutgoingMail.objects.get(to=["amina.diallo@example.org"])
    substitute.refresh_from_db()
    assert substitute.mail_id == mail.pk
    assert f"{declining.display_name} cannot come and has named you" in mail.body
    assert link(substitute) in mail.body
    assert link(recipient) not in mail.body
    # The Secretariat is told.
    told = OutgoingMail.objects.get(to=[settings.MAIL_REPLY_TO])
    assert "Diallo" in told.subject or "Diallo" in told.body
    assert "amina.diallo@example.org" in told.body

    page = client.get(url).content.decode()
    assert "Amina Diallo to attend in your place" in page
    assert 'id="invitation-substitute-form"' not in page
    # One substitute per declined invitation.
    response = client.post(url, substitute_form(email="someone.else@example.org"))
    assert response.status_code == 409
    assert MailingRecipient.objects.filter(replaces=recipient).count() == 1
    # The substitute's link is theirs: it opens their own form.
    page = Client().get(link(substitute)).content.decode()
    assert 'value="amina.diallo@example.org"' in page


def test_a_substitute_is_someone_else_of_the_same_organization_not_yet_invited(client):
    meeting = open_meeting()
    declining, colleague_invited = working_group(2)
    colleague_invited.organization = declining.organization
    colleague_invited.save()
    invite(meeting, colleague_invited)
    other_organization = PersonFactory(organization=OrganizationFactory())
    recipient = invite(meeting, declining)
    url = link(recipient)
    # Not before declining.
    assert client.post(url, substitute_form(email="new@example.org")).status_code == 409
    client.post(url, {"decline": "1"})

    refused = {
        declining.email: "this is your own address",
        other_organization.email: "comes from your own organization",
        colleague_invited.email: "already invited to the meeting",
        "not-an-address": "Enter a valid email address.",
    }
    for email, message in refused.items():
        response = client.post(url, substitute_form(email=email))
        assert response.status_code == 400, email
        assert message in response.content.decode(), email
    assert (
        client.post(url, substitute_form(email="new@example.org", family_name="")).status_code
        == 400
    )
    assert not MailingRecipient.objects.filter(replaces=recipient).exists()


def test_an_invitee_registered_since_declining_names_no_substitute(client):
    """Registered wins over declined: nobody is invited in the place of someone who comes."""
    meeting = open_meeting()
    (person,) = working_group(1)
    recipient = invite(meeting, person)
    url = link(recipient)
    client.post(url, {"decline": "1"})
    assert client.post(url, register_form(person)).status_code == 302
    assert 'id="invitation-substitute-form"' not in client.get(url).content.decode()
    response = client.post(url, substitute_form(email="new@example.org"), follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 409
    assert "You are registered for this meeting" in response.content.decode()
    assert not MailingRecipient.objects.filter(replaces=recipient).exists()


def test_the_form_comes_back_filled_in_after_a_refused_substitute(client):
    meeting = open_meeting()
    (person,) = working_group(1)
    url = link(invite(meeting, person))
    client.post(url, {"decline": "1"})
    response = client.post(url, substitute_form(email=person.email))
    assert response.status_code == 400
    assert selected_capacity(response) == "delegate"  # the registration form, still offered


@pytest.mark.parametrize("n", [1, 30])
def test_invitation_page_queries_flat(client, django_assert_num_queries, n):
    """Whatever the number of people invited and of the person's earlier meetings."""
    meeting = open_meeting()
    people = working_group(n)
    person = people[0]
    for other in people[1:]:
        invite(meeting, other)
    ParticipationFactory.create_batch(n, person=person, capacity=Capacity.EXPERT)
    url = link(invite(meeting, person))
    # meeting, recipient, window; the capacity (one query); the participation, the
    # substitute; the organizations of the form's list
    with django_assert_num_queries(7):
        response = client.get(url)
    assert selected_capacity(response) == "delegate"


def test_the_invitation_page_shows_whom_a_substitute_stands_in_for(
    client, secretariat_client, django_capture_on_commit_callbacks
):
    meeting = open_meeting()
    (declining,) = working_group(1)
    recipient = invite(meeting, declining)
    client.post(link(recipient), {"decline": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link(recipient), substitute_form(email="amina.diallo@example.org"))
    url = reverse(
        "meetings:invitation_list",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )
    html = secretariat_client.get(url).content.decode()
    assert f"substitute for {declining.display_name}" in html
