"""The admin refuses bad input with a message on the field, and its filters answer "who held
which position when"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import BodyKind, Organization, Position, Role

from ..admin_helpers import admin_post, form_errors
from ..factories import (
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

ORG_ADD = reverse("admin:members_organization_add")
POSITION_ADD = reverse("admin:members_position_add")


def _organization(name: str) -> dict:
    return {
        "name_en": name,
        "short_name_en": "",
        "slug": "",
        "kind": "academy",
        "country": "CN",
        "membership_status": "member",
        "joined_on": "2018-11-04",
    }


def test_admin_adds_an_organization(secretariat_client):
    response = admin_post(secretariat_client, ORG_ADD, _organization("Chinese Academy of Sciences"))
    assert response.status_code == 302
    org = Organization.objects.get()
    assert org.slug == "chinese-academy-of-sciences"
    assert org.history.get().history_user.username == "secretariat"


@pytest.mark.parametrize("name", ["Chinese Academy of Sciences", "chinese academy OF SCIENCES"])
def test_admin_refuses_a_duplicate_organization_name(secretariat_client, name):
    OrganizationFactory(name="Chinese Academy of Sciences")
    response = admin_post(secretariat_client, ORG_ADD, _organization(name))
    errors = form_errors(response)
    assert any("already exists" in message for message in errors["name_en"])
    assert name in response.text  # the input is kept
    assert Organization.objects.count() == 1


def _position(**values) -> dict:
    data = {
        "person": "",
        "role": Role.CONTACT_PERSON,
        "title": "",
        "body": "",
        "organization": "",
        "appointed_by": "",
        "start_date": "2019-05-01",
        "end_date": "",
    }
    data.update({key: str(value) for key, value in values.items()})
    return data


def test_admin_refuses_a_position_ending_before_it_starts(secretariat_client):
    person = PersonFactory()
    data = _position(
        person=person.pk,
        body=BodyFactory().pk,
        appointed_by=person.organization.pk,
        end_date="2019-04-30",
    )
    errors = form_errors(admin_post(secretariat_client, POSITION_ADD, data))
    assert errors["end_date"] == ["A position cannot end before it starts."]
    assert not Position.objects.exists()


def test_admin_refuses_a_position_in_both_a_body_and_an_organization(secretariat_client):
    person = PersonFactory()
    data = _position(
        person=person.pk,
        role=Role.DIRECTOR_GENERAL,
        body=BodyFactory().pk,
        organization=person.organization.pk,
    )
    errors = form_errors(admin_post(secretariat_client, POSITION_ADD, data))
    assert errors["body"] == ["Choose either a body or an organization, not both."]
    assert not Position.objects.exists()


def test_admin_refuses_a_contact_person_without_appointing_organization(secretariat_client):
    data = _position(person=PersonFactory().pk, body=BodyFactory().pk)
    errors = form_errors(admin_post(secretariat_client, POSITION_ADD, data))
    assert errors["appointed_by"] == ["A contact person is appointed by a member organization."]


def test_admin_adds_a_position_with_its_person_inline(secretariat_client):
    """A person's positions are edited on the person's page."""
    org = OrganizationFactory()
    wg = BodyFactory(kind=BodyKind.WORKING_GROUP)
    url = reverse("admin:members_person_add")
    data = {
        "honorific": "Dr.",
        "given_name": "Ayesha",
        "family_name": "Siddiqui",
        "name_order": "given_first",
        "slug": "",
        "email": "",
        "phone": "",
        "organization": org.pk,
        "country": "PK",
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-role": Role.CONTACT_PERSON,
        "positions-0-body": wg.pk,
        "positions-0-appointed_by": org.pk,
        "positions-0-start_date": "2019-03-01",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    position = Position.objects.get()
    assert (position.person.full_name, position.appointed_by) == ("Ayesha Siddiqui", org)


def _changelist_people(client, **params) -> set[str]:
    response = client.get(reverse("admin:members_position_changelist"), params)
    assert response.status_code == 200
    return {position.person.family_name for position in response.context["cl"].result_list}


def test_position_filters_held_today_ended_and_not_started(secretariat_client):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    PositionFactory(person=PersonFactory(family_name="Current"), start_date=today - day)
    PositionFactory(
        person=PersonFactory(family_name="Ended"), start_date=today - 9 * day, end_date=today - day
    )
    PositionFactory(person=PersonFactory(family_name="Future"), start_date=today + day)
    assert _changelist_people(secretariat_client, held="current") == {"Current"}
    assert _changelist_people(secretariat_client, held="past") == {"Ended"}
    assert _changelist_people(secretariat_client, held="future") == {"Future"}


def test_position_filter_held_at_the_time_of_a_meeting(secretariat_client):
    meeting = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    on_the_day = meeting.start_date
    PositionFactory(person=PersonFactory(family_name="In"), start_date=on_the_day)
    PositionFactory(
        person=PersonFactory(family_name="Left"),
        start_date=datetime.date(2019, 1, 1),
        end_date=on_the_day - datetime.timedelta(days=1),
    )
    assert _changelist_people(secretariat_client, held_at_meeting=meeting.pk) == {"In"}
    assert _changelist_people(secretariat_client, held_at_meeting="not-a-number") == set()


def test_admin_history_shows_changes_and_reverts_them(secretariat_client):
    """SimpleHistoryAdmin: an earlier version can be opened and saved back."""
    org = OrganizationFactory(name="Chinese Academy of Sciences", short_name="CAS")
    org.name = "Chinese Academy of Science"  # a mistake to undo
    org.save()
    history_url = reverse("admin:members_organization_history", args=[org.pk])
    response = secretariat_client.get(history_url)
    assert response.status_code == 200
    assert "Chinese Academy of Science" in response.text
    first = org.history.earliest()
    revert_url = reverse(
        "admin:members_organization_simple_history", args=[org.pk, first.history_id]
    )
    form = secretariat_client.get(revert_url)
    assert form.status_code == 200
    data = {**form.context["adminform"].form.initial}
    data = {key: "" if value is None else value for key, value in data.items()}
    data.pop("id", None)
    data["parent"] = ""
    response = secretariat_client.post(revert_url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Chinese Academy of Sciences"
    assert org.history.count() == 3
