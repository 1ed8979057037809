"""Shared set-up for the tests of invitations and announcements."""

import datetime

from django.urls import reverse

from members.models import BodyKind, MembershipStatus, Role
from tests.factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    RegistrationWindowFactory,
)

START = datetime.date(2019, 1, 1)


def working_group(count: int, *, body=None) -> list:
    """`count` contact persons of member organizations, each in the working group."""
    body = body or BodyFactory(kind=BodyKind.WORKING_GROUP)
    people = []
    for _ in range(count):
        organization = OrganizationFactory(membership_status=MembershipStatus.MEMBER)
        person = PersonFactory(organization=organization)
        PositionFactory(person=person, body=body, role=Role.CONTACT_PERSON, start_date=START)
        people.append(person)
    return people


def open_meeting(**window):
    """A published, upcoming meeting whose registration is open."""
    return RegistrationWindowFactory(**window).meeting


def meeting_kwargs(meeting) -> dict:
    return {"year": meeting.start_date.year, "slug": meeting.slug}


def compose_url(meeting) -> str:
    return reverse("meetings:invitation_compose", kwargs=meeting_kwargs(meeting))


def invitation_list_url(meeting) -> str:
    return reverse("meetings:invitation_list", kwargs=meeting_kwargs(meeting))


def remind_url(meeting) -> str:
    return reverse("meetings:invitation_remind", kwargs=meeting_kwargs(meeting))


def composer_data(**overrides) -> dict:
    data = {
        "group": "working_group",
        "date": "",
        "subject_en": "Invitation: {meeting}",
        "body_en": "Dear {name} of {organization},\n\nYou are invited to the {meeting}, "
        "{dates}, at {venue}.\n\nRegister here: {link}\n",
        "subject_zh_hans": "邀请:{meeting}",
        "body_zh_hans": "尊敬的{name}:\n\n诚邀您出席{meeting}({dates},{venue})。\n\n注册:{link}\n",
    }
    data.update(overrides)
    return data
