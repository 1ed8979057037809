""" "Find a person by email and fill in what is blank": one rule (`members.services`), and every
way a person comes in through it gets the same result."""

import pytest
import tablib
from django.utils import timezone

from meetings.attendance import services as attendance
from meetings.attendance.resources import ParticipantResource
from members.models import Person
from members.nominations import services as nominations
from members.services import PersonDetails, people_find_or_create, person_find_or_create
from tests.factories import (
    BodyFactory,
    MeetingFactory,
    NominationFactory,
    OrganizationFactory,
    PersonFactory,
    RegistrationWindowFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    """A person the Secretariat typed in: an honorific and a family name, nothing else."""
    return PersonFactory(
        email="eve.known@example.org",
        honorific="Prof.",
        given_name="",
        family_name="Known",
        name_original="",
        phone="",
        organization=None,
        country="",
    )


@pytest.fixture
def organization():
    return OrganizationFactory(name="Sample Institute of Soil Science")


def given(organization) -> PersonDetails:
    """What each way in says about the person, with the email in another case."""
    return PersonDetails(
        family_name="Typed",
        email="Eve.Known@Example.org",
        honorific="Dr.",
        given_name="Eve",
        phone="+254 700 000 000",
        organization=organization,
        country="KE",
    )


# The rule ------------------------------------------------------------------------------------


def test_person_find_or_create_fills_only_blank_fields(known, organization):
    person = person_find_or_create(details=given(organization), reason="walk-in")
    assert person.pk == known.pk
    person.refresh_from_db()
    assert (person.honorific, person.family_name) == ("Prof.", "Known")  # typed: kept
    assert (person.given_name, person.phone) == ("Eve", "+254 700 000 000")
    assert (person.organization, person.country) == (organization, "KE")
    latest = person.history.latest()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "walk-in"


def test_person_find_or_create_without_filling_leaves_the_record(known, organization):
    person = person_find_or_create(details=given(organization), fill_blanks=False)
    assert person.pk == known.pk
    person.refresh_from_db()
    assert (person.given_name, person.country, person.organization) == ("", "", None)
    assert person.history.count() == 1


def test_person_find_or_create_creates_a_new_person_with_everything_given(organization):
    person = person_find_or_create(details=given(organization), reason="walk-in")
    person.refresh_from_db()
    assert person.email == "eve.known@example.org"
    assert (person.honorific, person.given_name, person.family_name) == ("Dr.", "Eve", "Typed")
    assert person.slug == "eve-typed"
    assert person.history.get().history_type == "+"


def test_person_without_email_is_always_new():
    first = person_find_or_create(details=PersonDetails(family_name="Nomail"))
    second = person_find_or_create(details=PersonDetails(family_name="Nomail"))
    assert first.pk != second.pk


@pytest.mark.parametrize("n", (1, 30))
def test_people_find_or_create_same_rule_in_flat_queries(
    known, organization, django_assert_num_queries, n
):
    """The spreadsheet's form of the rule: the same result as one by one, in a number of
    queries that does not grow with the file."""
    rows = [given(organization)] + [
        PersonDetails(family_name=f"New{i}", email=f"new{i}@example.org") for i in range(n)
    ]
    # find; fill (update, history); the pages that show the filled people (5: positions,
    # speakers, participations, chairs, the actions they own); slugs; create (insert, history)
    with django_assert_num_queries(11):
        people = people_find_or_create(people=rows, reason="imported")
    assert people["eve.known@example.org"].pk == known.pk
    known.refresh_from_db()
    assert (known.honorific, known.given_name, known.country) == ("Prof.", "Eve", "KE")
    assert known.history.latest().history_change_reason == "imported"
    assert Person.objects.filter(email__startswith="new").count() == n


# Every way in ----------------------------------------------------------------------------------


def _fields(details, *names) -> dict:
    return {name: getattr(details, name) for name in names}


_GIVEN = ("family_name", "email", "honorific", "given_name", "phone", "organization", "country")


def _walk_in(details):
    attendance.participation_walk_in_add(
        meeting=MeetingFactory(),
        details=attendance.RegistrantDetails(**_fields(details, *_GIVEN)),
        by=UserFactory(is_staff=True),
    )


def _nomination_approved(details):
    BodyFactory()
    nomination = NominationFactory(**_fields(details, *_GIVEN))
    nominations.nomination_approve(
        nomination=nomination, reviewer=UserFactory(is_staff=True), on=timezone.localdate()
    )


def _imported(details):
    meeting = MeetingFactory()
    columns = "meeting email honorific given_name family_name organization country"
    data = tablib.Dataset(headers=columns.split())
    data.append(
        [
            meeting.slug,
            details.email,
            details.honorific,
            details.given_name,
            details.family_name,
            details.organization.name,
            details.country,
        ]
    )
    result = ParticipantResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()


@pytest.mark.parametrize("way_in", (_walk_in, _nomination_approved, _imported))
def test_every_secretariat_way_in_fills_the_same_blanks(known, organization, way_in):
    """The door, the approval of a nomination and the participants' spreadsheet find the
    person whatever the email's case, and fill what is blank, never what was typed."""
    way_in(given(organization))
    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert (known.honorific, known.family_name) == ("Prof.", "Known")
    assert (known.given_name, known.organization, known.country) == ("Eve", organization, "KE")
    assert known.history.latest().history_type == "~"


def test_public_registration_finds_the_person_and_changes_nothing(known, organization):
    """The public form: the email alone does not prove who is typing."""
    details = given(organization)
    window = RegistrationWindowFactory()
    result = attendance.registration_submit(
        meeting=window.meeting,
        details=attendance.RegistrantDetails(
            family_name=details.family_name,
            email=details.email,
            given_name=details.given_name,
            organization=organization,
            country="KE",
        ),
    )
    assert result.participation.person_id == known.pk
    known.refresh_from_db()
    assert (known.given_name, known.organization, known.country) == ("", None, "")
    assert known.history.count() == 1
