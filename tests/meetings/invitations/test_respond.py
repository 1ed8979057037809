"""The page a personal invitation link opens: its rate limit (its own, not the network's),
the capacity it suggests, and declining with a substitute."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.attendance import views as attendance_views
from meetings.attendance.models import Participation
from meetings.invitations import views as invitation_views
from meetings.invitations.links import invitation_path
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient

from .helpers import open_meeting, working_group

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
