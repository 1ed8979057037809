"""The members' access rule (members/access.py): a contact person, in a position held today,
appointed by an organization that is a member today."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from members.access import is_member, member_person, sign_in_url
from members.models import MembershipStatus, Role
from tests.factories import BodyFactory, OrganizationFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _contact_person(**position):
    position = PositionFactory(**position)
    person = position.person
    person.user = UserFactory(username=f"member-{person.pk}")
    person.save(update_fields=["user"])
    return person


def _fresh(user):
    """The user as the next request loads it (without the answer kept on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_contact_person_of_a_member_organization_is_a_member():
    person = _contact_person()
    assert member_person(person.user) == person
    assert is_member(person.user)


def test_anonymous_visitors_and_other_accounts_are_not_members(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert member_person(AnonymousUser()) is None
        assert member_person(None) is None
    assert not is_member(UserFactory())


def test_one_query_and_the_answer_kept_for_the_request(django_assert_num_queries):
    person = _contact_person()
    user = _fresh(person.user)
    with django_assert_num_queries(1):
        assert member_person(user) == person
        assert is_member(user)
        assert member_person(user) == person
    other = UserFactory()
    with django_assert_num_queries(1):
        assert member_person(other) is None
        assert not is_member(other)


def test_a_position_that_ended_or_has_not_started_gives_no_access():
    today = timezone.localdate()
    ended = _contact_person(end_date=today - datetime.timedelta(days=1))
    future = _contact_person(start_date=today + datetime.timedelta(days=1))
    ends_today = _contact_person(end_date=today)
    assert member_person(ended.user) is None
    assert member_person(future.user) is None
    assert member_person(ends_today.user) == ends_today


def test_only_contact_persons_are_members():
    expert = _contact_person(role=Role.EXPERT, appointed_by=None)
    assert member_person(expert.user) is None


def test_the_appointing_organization_must_be_a_member_today():
    today = timezone.localdate()
    left = OrganizationFactory(
        membership_status=MembershipStatus.FORMER, left_on=today - datetime.timedelta(days=1)
    )
    partner = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    assert member_person(_contact_person(appointed_by=left).user) is None
    assert member_person(_contact_person(appointed_by=partner).user) is None


def test_an_inactive_account_is_not_a_member():
    person = _contact_person()
    person.user.is_active = False
    person.user.save()
    assert member_person(_fresh(person.user)) is None


def test_one_of_several_positions_is_enough():
    person = _contact_person(end_date=datetime.date(2020, 1, 1))
    PositionFactory(person=person, body=BodyFactory(), start_date=datetime.date(2021, 1, 1))
    assert member_person(person.user) == person


def test_sign_in_url_keeps_a_local_next_and_drops_another():
    assert sign_in_url("/en/meetings/2019/x/") == "/en/sign-in/?next=%2Fen%2Fmeetings%2F2019%2Fx%2F"
    assert sign_in_url("https://evil.example/") == "/en/sign-in/"
    assert sign_in_url("//evil.example/") == "/en/sign-in/"
    assert sign_in_url("") == "/en/sign-in/"
