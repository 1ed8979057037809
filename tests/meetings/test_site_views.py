"""The pages of an organization and of a person (meetings/site/): the members' records with
the meetings attended, the talks given and the sessions chaired."""

import datetime

import pytest
from django.urls import reverse

from members.models import Role

from ..factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# -- organizations ---------------------------------------------------------------------------


def test_organization_page_shows_contact_persons_and_meetings_attended(client):
    organization = OrganizationFactory()
    contact = PositionFactory(person__organization=organization)
    former = PositionFactory(
        person__organization=organization, end_date=datetime.date(2019, 12, 31)
    )
    attended = MeetingFactory()
    ParticipationFactory(meeting=attended, organization=organization)
    not_attended = MeetingFactory()
    ParticipationFactory(meeting=not_attended, organization=organization, status="absent")
    response = client.get(organization.get_absolute_url())
    html = response.content.decode()
    assert contact.person.display_name in html
    assert former.person.display_name not in html
    assert attended.title in html
    assert not_attended.title not in html
    assert contact.person.email not in html


def test_organization_unknown_slug_is_404(client):
    assert client.get(reverse("organization_detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_organization_page_queries_flat(client, django_assert_num_queries, n):
    organization = OrganizationFactory()
    for _ in range(n):
        PositionFactory(person__organization=organization)
        ParticipationFactory(meeting=MeetingFactory(), organization=organization)
    with django_assert_num_queries(3):
        response = client.get(organization.get_absolute_url())
    assert len(response.context["meetings"]) == n


# -- people ----------------------------------------------------------------------------------


def test_person_page_shows_positions_meetings_and_items_but_no_contact_details(client):
    person = PersonFactory(phone="+86 10 5555 0000")
    current = PositionFactory(person=person, title="Contact person for the sample institute")
    past = PositionFactory(
        person=person,
        role=Role.EXPERT,
        appointed_by=None,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2018, 12, 31),
    )
    meeting = MeetingFactory()
    ParticipationFactory(meeting=meeting, person=person)
    item = AgendaItemFactory(session__meeting=meeting, title="Overall work of the Secretariat")
    SpeakerFactory(item=item, person=person, capacity="Executive Director")
    hidden_meeting = MeetingFactory()
    ParticipationFactory(meeting=hidden_meeting, person=person, listed_publicly=False)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert current.title in html
    assert "Past positions" in html and past.get_role_display() in html
    assert meeting.title in html
    assert item.title in html and "Executive Director" in html
    assert hidden_meeting.title not in html
    assert person.email not in html
    assert "5555" not in html


def test_person_with_no_public_record_is_404(client):
    """Someone only listed privately (a participant who did not agree to be listed) has no
    public page."""
    participation = ParticipationFactory(listed_publicly=False)
    assert client.get(participation.person.get_absolute_url()).status_code == 404
    assert client.get(reverse("person_detail", args=["nobody"])).status_code == 404


def test_person_name_is_escaped(client):
    position = PositionFactory(person__family_name=SCRIPT)
    html = client.get(position.person.get_absolute_url()).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html


def test_chair_of_a_session_has_a_page(client):
    session = SessionFactory(title="Opening session")
    response = client.get(session.chair.get_absolute_url())
    assert response.status_code == 200
    assert "Opening session" in response.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_person_page_queries_flat(client, django_assert_num_queries, n):
    person = PersonFactory()
    body = BodyFactory()
    for i in range(n):
        PositionFactory(
            person=person,
            body=body,
            start_date=datetime.date(2019, 1, 1) + datetime.timedelta(days=i),
        )
        meeting = MeetingFactory()
        ParticipationFactory(meeting=meeting, person=person)
        SpeakerFactory(item__session__meeting=meeting, person=person)
        SessionFactory(meeting=meeting, chair=person)
    # person, positions, attendance, talks, sessions chaired, presentations (none: no
    # versions to read)
    with django_assert_num_queries(6):
        response = client.get(person.get_absolute_url())
    assert len(response.context["attended"]) == n
