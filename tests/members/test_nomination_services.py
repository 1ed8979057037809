import datetime
import re

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from members.models import Person, Position, Role
from members.nominations import services
from members.nominations.models import Nomination, NominationEvent, NominationKind, NominationStatus
from tests.factories import (
    BodyFactory,
    NominationFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPROVAL_DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def working_group():
    return BodyFactory()


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer", is_staff=True)


def submit_data(organization, **overrides):
    data = {
        "organization": organization,
        "kind": NominationKind.CONTACT_PERSON,
        "honorific": "Prof.",
        "given_name": "Amina",
        "family_name": "Otieno",
        "name_order": "given_first",
        "email": "Amina.Otieno@Example.org",
        "job_title": "Director of Research",
        "country": "KE",
        "phone": "",
        "replaces": None,
        "consent_to_publish": True,
        "submitter_name": "Joseph Kamau",
        "submitter_email": "joseph@example.org",
        "submitter_role": "Representative",
    }
    data.update(overrides)
    return services.NominationDetails(**data)


# Constraint through the ORM ------------------------------------------------------------------


def test_nomination_constraint_one_open_per_nominee_and_organization():
    first = NominationFactory(email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            **{
                f.name: getattr(first, f.name)
                for f in Nomination._meta.concrete_fields
                if f.name not in {"id", "created_at", "email"}
            },
            email="SAME@example.org",
        )


def test_nomination_constraint_allows_new_open_one_after_a_decision(reviewer):
    organization = OrganizationFactory()
    NominationFactory(
        organization=organization,
        email="same@example.org",
        status=NominationStatus.REJECTED,
        reason="Wrong organization",
        reviewed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    NominationFactory(organization=organization, email="same@example.org")  # no error
    NominationFactory(email="same@example.org")  # another organization: no error
    assert Nomination.objects.filter(email="same@example.org").count() == 3


def test_nomination_constraint_rejected_needs_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationFactory(
            status=NominationStatus.REJECTED,
            reviewed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )


def test_nomination_constraint_approved_needs_position():
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationFactory(
            status=NominationStatus.APPROVED,
            reviewed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )


# Submit and confirm --------------------------------------------------------------------------


def test_nomination_submit_stores_unconfirmed_and_mails_link_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nomination = services.nomination_submit(
            details=submit_data(organization),
            client_address="203.0.113.9",
        )
        assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert nomination.status == NominationStatus.UNCONFIRMED
    assert nomination.email == "amina.otieno@example.org"
    assert nomination.submitter_ip_hash
    assert "203.0.113.9" not in nomination.submitter_ip_hash
    (mail,) = mailoutbox
    assert mail.to == ["joseph@example.org"]
    assert "Prof. Amina Otieno" in mail.subject
    match = re.search(
        re.escape(settings.SITE_URL) + r"/en/working-group/nominate/confirm/([^/\s]+)/", mail.body
    )
    assert services.nomination_from_token(token=match.group(1)).nomination == nomination
    (event,) = nomination.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", "unconfirmed", None)


def test_nomination_submit_refuses_second_open_one(django_capture_on_commit_callbacks, mailoutbox):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(details=submit_data(organization))
    with (
        pytest.raises(services.NominationAlreadyOpen),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.nomination_submit(
            details=submit_data(organization, email="amina.otieno@EXAMPLE.org"),
        )
    assert Nomination.objects.count() == 1
    assert len(mailoutbox) == 1


def test_nomination_submit_expires_stale_unconfirmed_one():
    """An unconfirmed nomination whose link expired does not block a new submission."""
    organization = OrganizationFactory()
    old = NominationFactory(
        organization=organization,
        email="amina.otieno@example.org",
        status=NominationStatus.UNCONFIRMED,
    )
    Nomination.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(days=8)
    )
    new = services.nomination_submit(details=submit_data(organization))
    old.refresh_from_db()
    assert old.status == NominationStatus.EXPIRED
    assert new.status == NominationStatus.UNCONFIRMED
    assert old.events.get().to_status == NominationStatus.EXPIRED


def test_nomination_confirm_moves_to_awaiting_review_once():
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    assert services.nomination_confirm(nomination=nomination) is True
    assert services.nomination_confirm(nomination=nomination) is False
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_REVIEW
    assert nomination.confirmed_at is not None
    assert list(nomination.events.values_list("from_status", "to_status")) == [
        ("unconfirmed", "awaiting_review")
    ]


def test_nomination_confirm_mails_the_secretariat_a_link_to_review_it(
    django_capture_on_commit_callbacks, mailoutbox
):
    from django.contrib.auth.models import Group

    from members.roles import SECRETARIAT_GROUP

    secretariat = Group.objects.get(name=SECRETARIAT_GROUP)
    for username, active in (("ana", True), ("ben", True), ("gone", False)):
        UserFactory(username=username, is_staff=True, is_active=active).groups.add(secretariat)
    UserFactory(username="outsider", is_staff=True)  # staff, not in the Secretariat
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)

    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_confirm(nomination=nomination)
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["ana@example.org", "ben@example.org"]
    assert nomination.display_name in mail.subject
    assert f"{settings.SITE_URL}/admin/members/nomination/{nomination.pk}/change/" in (mail.body)

    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_confirm(nomination=nomination)
    assert len(mailoutbox) == 1  # confirming again mails nobody


def test_nomination_token_round_trip_and_tampering():
    nomination = NominationFactory()
    token = services.nomination_token(nomination=nomination)
    check = services.nomination_from_token(token=token)
    assert check.nomination == nomination
    assert check.expired is False
    assert (
        services.nomination_from_token(token=token[:-1] + ("A" if token[-1] != "A" else "B"))
        is None
    )
    other = NominationFactory()
    forged = str(other.pk) + token[len(str(nomination.pk)) :]
    assert services.nomination_from_token(token=forged) is None


# Approve ------------------------------------------------------------------------------------


def test_nomination_approve_creates_person_and_position(
    working_group, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    nomination = NominationFactory(phone="+254 700 000000")
    with django_capture_on_commit_callbacks(execute=True):
        position = services.nomination_approve(
            nomination=nomination, reviewer=reviewer, on=APPROVAL_DAY
        )
    person = position.person
    assert person.email == nomination.email
    assert person.full_name == f"{nomination.given_name} {nomination.family_name}"
    assert person.organization == nomination.organization
    assert person.phone == "+254 700 000000"
    assert (position.role, position.body, position.appointed_by) == (
        Role.CONTACT_PERSON,
        working_group,
        nomination.organization,
    )
    assert position.start_date == APPROVAL_DAY
    assert position.end_date is None
    assert position.listed_publicly is True
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert nomination.reviewed_by == reviewer
    assert nomination.reviewed_at is not None
    assert (nomination.person, nomination.position) == (person, position)
    event = nomination.events.get()
    assert (event.from_status, event.to_status, event.actor) == (
        "awaiting_review",
        "approved",
        reviewer,
    )
    (mail,) = mailoutbox
    assert mail.to == [nomination.submitter_email]
    assert "approved" in mail.body


def test_nomination_approve_keeps_the_name_in_its_own_script(working_group, reviewer):
    nomination = NominationFactory(
        honorific="Prof.", given_name="Jinghua", family_name="Cao", name_original="曹京华"
    )
    person = services.nomination_approve(nomination=nomination, reviewer=reviewer).person
    assert person.name_original == "曹京华"
    assert person.slug == "jinghua-cao"


def test_nomination_approve_reuses_person_with_same_email(working_group, reviewer):
    existing = PersonFactory(email="known@example.org", phone="")
    nomination = NominationFactory(email="KNOWN@example.org", phone="+86 10 1234")
    position = services.nomination_approve(nomination=nomination, reviewer=reviewer)
    assert position.person == existing
    assert Person.objects.filter(email__iexact="known@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.phone == "+86 10 1234"  # filled in, since it was empty


def test_nomination_approve_expert_without_consent_is_not_listed(working_group, reviewer):
    nomination = NominationFactory(kind=NominationKind.EXPERT, consent_to_publish=False)
    position = services.nomination_approve(nomination=nomination, reviewer=reviewer)
    assert position.role == Role.EXPERT
    assert position.listed_publicly is False
    assert not Position.objects.working_group_members(position.start_date).listed_publicly()


def test_nomination_approve_ends_replaced_contact_person_day_before(working_group, reviewer):
    organization = OrganizationFactory()
    old = PositionFactory(
        person=PersonFactory(organization=organization),
        body=working_group,
        start_date=datetime.date(2019, 5, 13),
    )
    nomination = NominationFactory(organization=organization, replaces=old.person)
    services.nomination_approve(nomination=nomination, reviewer=reviewer, on=APPROVAL_DAY)
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 3, 1)
    members = Position.objects.working_group_members(APPROVAL_DAY)
    assert list(members.values_list("person__email", flat=True)) == [nomination.email]


def test_nomination_approve_twice_is_refused(working_group, reviewer, mailoutbox):
    nomination = NominationFactory()
    services.nomination_approve(nomination=nomination, reviewer=reviewer)
    with pytest.raises(services.NominationAlreadyDecided, match="already approved"):
        services.nomination_approve(nomination=nomination, reviewer=reviewer)
    with pytest.raises(services.NominationAlreadyDecided):
        services.nomination_reject(nomination=nomination, reviewer=reviewer, reason="No")
    assert Position.objects.count() == 1
    assert nomination.events.count() == 1


def test_nomination_approve_refuses_unconfirmed(working_group, reviewer):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    with pytest.raises(services.NominationError, match="awaiting review"):
        services.nomination_approve(nomination=nomination, reviewer=reviewer)
    assert not Position.objects.exists()


def test_nomination_approve_without_working_group_body_says_so(reviewer):
    nomination = NominationFactory()
    with pytest.raises(services.NominationError, match="no Working Group"):
        services.nomination_approve(nomination=nomination, reviewer=reviewer)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_REVIEW


def test_nomination_approve_refuses_when_already_holding_position(working_group, reviewer):
    organization = OrganizationFactory()
    current = PositionFactory(person=PersonFactory(organization=organization), body=working_group)
    nomination = NominationFactory(organization=organization, email=current.person.email)
    with pytest.raises(services.NominationError, match="already holds"):
        services.nomination_approve(nomination=nomination, reviewer=reviewer)
    assert Position.objects.count() == 1
    assert Nomination.objects.get().status == NominationStatus.AWAITING_REVIEW


# Reject -------------------------------------------------------------------------------------


def test_nomination_reject_records_reason_and_mails(
    reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_reject(
            nomination=nomination, reviewer=reviewer, reason="  Not a staff member.  "
        )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    assert nomination.reason == "Not a staff member."
    assert nomination.reviewed_by == reviewer
    (mail,) = mailoutbox
    assert "Not a staff member." in mail.body
    event = NominationEvent.objects.get()
    assert (event.from_status, event.to_status, event.note) == (
        "unconfirmed",
        "rejected",
        "Not a staff member.",
    )


def test_nomination_reject_needs_reason(reviewer, mailoutbox):
    nomination = NominationFactory()
    with pytest.raises(services.NominationError, match="reason"):
        services.nomination_reject(nomination=nomination, reviewer=reviewer, reason="   ")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_REVIEW
    assert mailoutbox == []
