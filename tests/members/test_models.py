"""Rules of organizations, people and positions: the database refuses what breaks them
(IntegrityError), and full_clean() says why on the field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import BodyKind, Organization, Person, Position, Role
from members.names import NameOrder

from ..factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _refused_by_database(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def _field_errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


# --- organizations ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Chinese Academy of Sciences", "CHINESE academy of sciences"])
def test_organization_duplicate_name_is_refused_by_the_database(name):
    OrganizationFactory(name="Chinese Academy of Sciences")
    _refused_by_database(OrganizationFactory.build(name=name))
    assert Organization.objects.count() == 1


@pytest.mark.parametrize("name", ["Chinese Academy of Sciences", "chinese ACADEMY of Sciences"])
def test_organization_duplicate_name_gets_a_message_on_the_name(name):
    OrganizationFactory(name="Chinese Academy of Sciences")
    errors = _field_errors(OrganizationFactory.build(name=name, slug="other"))
    assert errors["name_en"] == ["An organization with this name already exists."]


def test_organization_leaving_before_joining_is_refused():
    org = OrganizationFactory.build(joined_on=D(2019, 1, 1), left_on=D(2018, 12, 31))
    assert "left_on" in _field_errors(org)
    _refused_by_database(org)


def test_organization_slug_comes_from_the_short_name_and_stays_unique():
    first = OrganizationFactory(name="Chinese Academy of Sciences", short_name="CAS")
    second = OrganizationFactory(name="Caspian Academy of Sciences", short_name="CAS")
    assert (first.slug, second.slug) == ("cas", "cas-2")


def test_members_on_counts_former_members_for_the_years_they_were_in():
    OrganizationFactory(name="Current", joined_on=D(2018, 11, 4))
    OrganizationFactory(name="Later", joined_on=D(2019, 6, 1))
    OrganizationFactory(
        name="Former", membership_status="former", joined_on=D(2018, 11, 4), left_on=D(2020, 1, 1)
    )
    OrganizationFactory(name="Partner", membership_status="partner", joined_on=None)
    names = lambda day: set(Organization.objects.members_on(day).values_list("name", flat=True))  # noqa: E731
    assert names(D(2019, 5, 13)) == {"Current", "Former"}
    assert names(D(2020, 1, 1)) == {"Current", "Later", "Former"}
    assert names(D(2020, 1, 2)) == {"Current", "Later"}


# --- people -----------------------------------------------------------------------------------


def test_person_email_is_unique_when_given_whatever_the_case():
    PersonFactory(email="li.yin@example.org")
    _refused_by_database(
        PersonFactory.build(email="Li.Yin@Example.org", slug="someone-else", organization=None)
    )
    assert Person.objects.filter(email__iexact="li.yin@example.org").count() == 1


def test_person_duplicate_email_gets_a_message_on_the_email():
    PersonFactory(email="li.yin@example.org")
    errors = _field_errors(
        PersonFactory.build(email="LI.YIN@example.org", slug="someone-else", organization=None)
    )
    assert errors["email"] == ["A person with this email already exists."]


def test_person_without_email_is_allowed_many_times():
    PersonFactory.create_batch(3, email="")
    another = PersonFactory.build(email="", slug="fourth", organization=None)
    another.full_clean()
    another.save()
    assert Person.objects.filter(email="").count() == 4


def test_person_names_in_either_order_and_as_a_mononym():
    assert str(PersonFactory(honorific="Prof.", given_name="Yin", family_name="LI")) == (
        "Prof. Yin LI"
    )
    assert (
        PersonFactory(given_name="Ka-ming", family_name="Wong", name_order=NameOrder.FAMILY_FIRST)
    ).full_name == "Wong Ka-ming"
    assert str(PersonFactory(honorific="Prof.", given_name="", family_name="Ailikun")) == (
        "Prof. Ailikun"
    )


# --- positions --------------------------------------------------------------------------------


def test_position_ending_before_it_starts_is_refused():
    position = PositionFactory.build(
        person=PersonFactory(),
        body=BodyFactory(),
        start_date=D(2019, 5, 1),
        end_date=D(2019, 4, 30),
    )
    position.appointed_by = position.person.organization
    assert _field_errors(position)["end_date"] == ["A position cannot end before it starts."]
    _refused_by_database(position)


def test_position_ending_on_its_first_day_is_allowed():
    PositionFactory(start_date=D(2019, 5, 1), end_date=D(2019, 5, 1)).full_clean()


def test_contact_person_without_appointing_organization_is_refused():
    position = PositionFactory.build(person=PersonFactory(), body=BodyFactory(), appointed_by=None)
    assert _field_errors(position)["appointed_by"] == [
        "A contact person is appointed by a member organization."
    ]
    _refused_by_database(position)


def test_expert_needs_no_appointing_organization():
    PositionFactory(role=Role.EXPERT, appointed_by=None).full_clean()


@pytest.mark.parametrize("where", ["both", "neither"])
def test_position_is_in_a_body_or_an_organization(where):
    org = OrganizationFactory()
    position = PositionFactory.build(
        person=PersonFactory(organization=org),
        role=Role.DIRECTOR_GENERAL,
        appointed_by=None,
        body=BodyFactory() if where == "both" else None,
        organization=org if where == "both" else None,
    )
    assert _field_errors(position)["body"] == ["Choose either a body or an organization, not both."]
    _refused_by_database(position)


def test_position_held_twice_from_the_same_date_is_refused():
    first = PositionFactory()
    _refused_by_database(
        PositionFactory.build(
            person=first.person,
            body=first.body,
            role=first.role,
            start_date=first.start_date,
            appointed_by=first.appointed_by,
        )
    )


# --- positions on a date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "held"),
    [
        (D(2019, 2, 28), False),  # the day before it starts
        (D(2019, 3, 1), True),  # its first day
        (D(2019, 12, 31), True),  # its last day: the end date is included
        (D(2020, 1, 1), False),  # the day after
    ],
)
def test_position_held_on_boundaries(day, held):
    position = PositionFactory(start_date=D(2019, 3, 1), end_date=D(2019, 12, 31))
    assert (position in Position.objects.held_on(day)) is held


def test_open_ended_position_is_held_on_any_later_date():
    position = PositionFactory(start_date=D(2019, 3, 1), end_date=None)
    assert position in Position.objects.held_on(D(2039, 3, 1))
    assert position not in Position.objects.held_on(D(2019, 2, 28))


def test_working_group_members_on_a_date():
    """Only working-group roles in the Working Group body count, held on that date."""
    wg = BodyFactory(kind=BodyKind.WORKING_GROUP)
    secretariat = BodyFactory(kind=BodyKind.SECRETARIAT, organization=wg.organization)
    contact = PositionFactory(body=wg, start_date=D(2019, 3, 1))
    expert = PositionFactory(
        body=wg, role=Role.EXPERT, appointed_by=None, start_date=D(2019, 5, 13)
    )
    PositionFactory(
        body=wg, start_date=D(2019, 3, 1), end_date=D(2019, 5, 12)
    )  # left the day before
    PositionFactory(body=wg, start_date=D(2019, 5, 14))  # joined the day after
    PositionFactory(body=wg, role=Role.STAFF, appointed_by=None, start_date=D(2019, 3, 1))
    PositionFactory(
        body=secretariat, role=Role.EXECUTIVE_DIRECTOR, appointed_by=None, start_date=D(2019, 3, 1)
    )
    members = Position.objects.working_group_members(D(2019, 5, 13))
    assert set(members) == {contact, expert}
