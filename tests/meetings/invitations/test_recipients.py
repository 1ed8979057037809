"""The groups the Secretariat writes to, one query each, and who a mailing skips."""

import datetime

import pytest
from django.utils import timezone

from meetings.attendance.models import ParticipationStatus
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient, RecipientList
from meetings.invitations.selectors import RecipientGroup, group_people, recipients_pick
from members.models import BodyKind, MembershipStatus, Role
from tests.factories import (
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
)

from .helpers import START, working_group

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def names(people):
    return sorted(person.family_name for person in people)


def test_contact_persons_are_those_of_member_organizations_holding_the_position():
    (current,) = working_group(1)
    former_org = OrganizationFactory(
        membership_status=MembershipStatus.FORMER, left_on=datetime.date(2020, 1, 1)
    )
    of_former = PersonFactory(organization=former_org)
    PositionFactory(person=of_former, role=Role.CONTACT_PERSON, start_date=START)
    ended = PersonFactory()
    PositionFactory(
        person=ended, role=Role.CONTACT_PERSON, start_date=START, end_date=datetime.date(2020, 1, 1)
    )
    expert = PersonFactory()
    PositionFactory(person=expert, role=Role.EXPERT, appointed_by=None, start_date=START)

    people = group_people(group=RecipientGroup.CONTACT_PERSONS, date=TODAY)
    assert names(people) == [current.family_name]


def test_working_group_on_a_date_and_experts(django_assert_num_queries):
    body = BodyFactory(kind=BodyKind.WORKING_GROUP)
    (contact,) = working_group(1, body=body)
    expert = PersonFactory()
    PositionFactory(person=expert, body=body, role=Role.EXPERT, appointed_by=None, start_date=START)
    later = PersonFactory()
    PositionFactory(person=later, body=body, start_date=datetime.date(2027, 1, 1))

    with django_assert_num_queries(1):
        members = list(group_people(group=RecipientGroup.WORKING_GROUP, date=TODAY))
    assert names(members) == names([contact, expert])
    experts = group_people(group=RecipientGroup.EXPERTS, date=TODAY)
    assert names(experts) == [expert.family_name]


def test_saved_list_and_registrants_of_another_meeting():
    listed = PersonFactory()
    saved = RecipientList.objects.create(name="Partners")
    saved.people.add(listed)
    people = group_people(group=RecipientGroup.SAVED_LIST, date=TODAY, recipient_list=saved)
    assert names(people) == [listed.family_name]

    meeting = MeetingFactory()
    came = ParticipationFactory(meeting=meeting).person
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.CANCELLED)
    people = group_people(group=RecipientGroup.REGISTRANTS, date=TODAY, meeting=meeting)
    assert names(people) == [came.family_name]


def test_pick_skips_people_without_email_opted_out_and_already_invited(django_assert_num_queries):
    meeting = MeetingFactory()
    ok, no_email, opted_out, invited = working_group(4)
    no_email.email = ""
    no_email.save()
    opted_out.announcements_opted_out_at = timezone.now()
    opted_out.save()
    earlier = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="s", body_en="b"
    )
    MailingRecipient.objects.create(mailing=earlier, person=invited, address=invited.email)
    group = group_people(group=RecipientGroup.WORKING_GROUP, date=TODAY)

    with django_assert_num_queries(1):
        invitation = recipients_pick(people=group, kind=MailingKind.INVITATION, meeting=meeting)
    # Invitations ignore the opt-out: it concerns announcements only.
    assert names(invitation.people) == names([ok, opted_out])
    assert {(p.family_name, str(reason)) for p, reason in invitation.skipped} == {
        (no_email.family_name, "no email address"),
        (invited.family_name, "already invited to this meeting"),
    }

    announcement = recipients_pick(people=group, kind=MailingKind.ANNOUNCEMENT, meeting=None)
    assert names(announcement.people) == names([ok, invited])
    assert (opted_out.family_name, "opted out of announcements") in {
        (p.family_name, str(reason)) for p, reason in announcement.skipped
    }


def test_mail_language_is_the_persons_else_their_latest_registration(settings):
    chinese, from_registration, unknown = working_group(3)
    chinese.language = "zh-hans"
    chinese.save()
    ParticipationFactory(person=from_registration, language="zh-hans")
    group = group_people(group=RecipientGroup.WORKING_GROUP, date=TODAY)
    pick = recipients_pick(people=group, kind=MailingKind.ANNOUNCEMENT, meeting=None)
    languages = {person.pk: person.mail_language for person in pick.people}
    assert languages == {chinese.pk: "zh-hans", from_registration.pk: "zh-hans", unknown.pk: "en"}


def test_pick_flags_addresses_a_server_refused():
    fine, refused = working_group(2)
    refused.email_doubtful_since = timezone.now()
    refused.email_doubtful_reason = "550 5.1.1 No such user"
    refused.save()
    group = group_people(group=RecipientGroup.WORKING_GROUP, date=TODAY)
    pick = recipients_pick(people=group, kind=MailingKind.ANNOUNCEMENT, meeting=None)
    assert names(pick.people) == names([fine, refused])  # still sent: the Secretariat decides
    assert [p.pk for p in pick.doubtful] == [refused.pk]
