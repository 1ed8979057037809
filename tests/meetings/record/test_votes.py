"""Votes on decisions: the constraints, the services' refusals, delegations, the result's
arithmetic, the mails, the ballot page and the public result (docs/record.md, "Decisions and
votes"). The race of two ballots at the same moment: test_votes_concurrency.py."""

import datetime
import decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from anso.background.upkeep import upkeep_run
from meetings.demo import demo_load
from meetings.demo.votes import demo_vote_decision
from meetings.models import DecisionState
from meetings.record.votes import selectors, services, views
from meetings.record.votes.links import ballot_path
from meetings.record.votes.models import Ballot, Delegation, Majority, Vote, VoteMethod
from members.models import MembershipStatus
from tests.factories import DecisionFactory, OrganizationFactory, PositionFactory

from .votes_helpers import electorate, open_vote

pytestmark = pytest.mark.django_db


def cast(vote, person, choice="yes", organization=None):
    return services.ballot_cast(
        vote=vote,
        person=person,
        organization=organization or person.organization,
        choice=choice,
    )


# --- constraints, through the ORM ----------------------------------------------------------


def test_vote_constraint_closes_after_opening():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            decision=DecisionFactory(),
            method=VoteMethod.WRITTEN,
            opens_at=now,
            closes_at=now,
        )


def test_vote_constraint_quorum_is_a_fraction():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            decision=DecisionFactory(),
            method=VoteMethod.WRITTEN,
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
            quorum=decimal.Decimal("1.50"),
        )


def test_ballot_constraint_one_per_organization():
    (person,) = electorate(1)
    vote = open_vote()
    Ballot.objects.create(vote=vote, organization=person.organization, choice="yes", cast_by=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            vote=vote, organization=person.organization, choice="no", cast_by=person
        )


def test_delegation_constraint_not_to_itself():
    (person,) = electorate(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegation.objects.create(
            vote=open_vote(),
            organization=person.organization,
            delegate=person.organization,
            given_by=person,
        )


# --- the services' refusals ----------------------------------------------------------------


def test_ballot_cast_stored_once_and_final():
    (person,) = electorate(1)
    vote = open_vote()
    ballot = cast(vote, person, "no")
    assert ballot.cast_by == person and ballot.via_delegation is None
    with pytest.raises(services.VoteRefused) as refused:
        cast(vote, person, "yes")
    assert "has already voted; a ballot is final" in refused.value.message
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["no"]


def test_ballot_cast_after_closing_refused_with_message():
    (person,) = electorate(1)
    now = timezone.now()
    vote = open_vote(
        opens_at=now - datetime.timedelta(days=7),
        opened_at=now - datetime.timedelta(days=7),
        closes_at=now - datetime.timedelta(minutes=1),
    )
    with pytest.raises(services.VoteRefused) as refused:
        cast(vote, person)
    assert refused.value.message.startswith("The vote closed on ")
    assert "no ballot is taken after closing" in refused.value.message
    assert not Ballot.objects.exists()


def test_ballot_cast_refused_once_closed_by_the_secretariat():
    (person,) = electorate(1)
    vote = open_vote()
    services.vote_close(vote=vote)
    vote.refresh_from_db()
    with pytest.raises(services.VoteRefused, match="no ballot is taken after closing"):
        cast(vote, person)


def test_ballot_cast_refused_for_an_organization_not_member_on_the_votes_date():
    """The organization joined after the vote opened: it has no vote, though its contact
    person is in place today."""
    vote = open_vote()
    late = OrganizationFactory(joined_on=timezone.localdate())
    person = PositionFactory(person__organization=late, start_date=datetime.date(2019, 1, 1)).person
    vote.opens_at -= datetime.timedelta(days=2)
    vote.save()
    with pytest.raises(services.VoteRefused) as refused:
        cast(vote, person)
    assert refused.value.message == (
        f"{late.name} was not a member organization on {vote.electorate_date.isoformat()}, "
        "the date of this vote: it has no vote."
    )


def test_ballot_cast_refused_for_a_partner():
    vote = open_vote()
    partner = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    person = PositionFactory(person__organization=partner).person
    with pytest.raises(services.VoteRefused, match="was not a member organization"):
        cast(vote, person)


def test_ballot_cast_refused_for_another_organization():
    mine, theirs = electorate(2)
    vote = open_vote()
    with pytest.raises(services.VoteRefused) as refused:
        cast(vote, mine, organization=theirs.organization)
    assert refused.value.message == (
        f"You are not the contact person of {theirs.organization.name}: you cannot vote for it."
    )


def test_ballot_cast_refused_for_a_former_contact_person():
    (person,) = electorate(1)
    position = person.positions.get()
    position.end_date = timezone.localdate() - datetime.timedelta(days=1)
    position.save()
    with pytest.raises(services.VoteRefused, match="You are not the contact person"):
        cast(open_vote(), person)


def test_ballot_cast_refused_before_opening():
    (person,) = electorate(1)
    vote = open_vote(opened_at=None)
    with pytest.raises(services.VoteRefused, match="The vote opens on"):
        cast(vote, person)


# --- delegation ------------------------------------------------------------------------------


def test_delegation_the_delegate_casts_both_ballots():
    giver, delegate, other = electorate(3)
    vote = open_vote()
    delegation = services.delegation_give(
        vote=vote, person=giver, organization=giver.organization, delegate=delegate.organization
    )
    with pytest.raises(services.VoteRefused, match="has delegated its vote to"):
        cast(vote, giver)
    with pytest.raises(services.VoteRefused, match="has delegated its vote to"):
        cast(vote, other, organization=giver.organization)
    own = cast(vote, delegate, "yes")
    delegated = cast(vote, delegate, "no", organization=giver.organization)
    assert own.via_delegation is None
    assert delegated.via_delegation == delegation and delegated.cast_by == delegate
    result = selectors.vote_result(vote)
    assert (result.yes, result.no) == (1, 1)
    assert [(d.organization, d.delegate) for d in result.delegations] == [
        (giver.organization.name, delegate.organization.name)
    ]
    assert [b.delegate for b in result.ballots if b.organization == giver.organization.name] == [
        delegate.organization.name
    ]


def test_delegation_does_not_chain():
    first, second, third = electorate(3)
    vote = open_vote()
    services.delegation_give(
        vote=vote, person=first, organization=first.organization, delegate=second.organization
    )
    with pytest.raises(services.VoteRefused, match="delegations do not chain"):
        services.delegation_give(
            vote=vote, person=second, organization=second.organization, delegate=third.organization
        )
    with pytest.raises(services.VoteRefused, match="delegations do not chain"):
        services.delegation_give(
            vote=vote, person=third, organization=third.organization, delegate=first.organization
        )
    with pytest.raises(services.VoteRefused, match="already delegated"):
        services.delegation_give(
            vote=vote, person=first, organization=first.organization, delegate=third.organization
        )


def test_delegation_refused_after_voting():
    giver, delegate = electorate(2)
    vote = open_vote()
    cast(vote, giver)
    with pytest.raises(services.VoteRefused, match="has already voted"):
        services.delegation_give(
            vote=vote, person=giver, organization=giver.organization, delegate=delegate.organization
        )


# --- the result's arithmetic -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("majority", "quorum", "counts", "needed", "quorum_reached", "majority_reached"),
    [
        # 10 members, half: 5 must take part. 3 + 1 + 1 = 5 took part; 3 yes > 1 no.
        (Majority.SIMPLE, "0.50", (3, 1, 1), 5, True, True),
        # 4 took part < 5: no quorum, though 3 yes > 1 no.
        (Majority.SIMPLE, "0.50", (3, 1, 0), 5, False, True),
        # Abstentions count towards the quorum, not the majority: 2 yes = 2 no is no majority.
        (Majority.SIMPLE, "0.50", (2, 2, 4), 5, True, False),
        # Two-thirds of those voting: 4 yes, 2 no: 3 x 4 = 12 >= 2 x 6 = 12, reached.
        (Majority.TWO_THIRDS, "0.50", (4, 2, 0), 5, True, True),
        # 3 yes, 2 no: 9 < 10, not reached (60%), whatever the 5 abstentions.
        (Majority.TWO_THIRDS, "0.50", (3, 2, 5), 5, True, False),
        # A third of 10 is 3.33: 4 must take part.
        (Majority.SIMPLE, "0.33", (1, 0, 3), 4, True, True),
    ],
)
def test_vote_result_quorum_and_majority(
    majority, quorum, counts, needed, quorum_reached, majority_reached
):
    people = electorate(10)
    vote = open_vote(majority=majority, quorum=quorum)
    choices = ["yes"] * counts[0] + ["no"] * counts[1] + ["abstain"] * counts[2]
    for person, choice in zip(people, choices, strict=False):
        cast(vote, person, choice)
    result = selectors.vote_result(vote)
    assert (result.electorate, result.yes, result.no, result.abstain) == (10, *counts)
    assert result.quorum_needed == needed
    assert result.quorum_reached is quorum_reached
    assert result.majority_reached is majority_reached
    assert result.passed is (quorum_reached and majority_reached)


def test_vote_result_secret_gives_totals_only():
    people = electorate(3)
    vote = open_vote(secret=True)
    for person, choice in zip(people, ["yes", "no", "yes"], strict=True):
        cast(vote, person, choice)
    result = selectors.vote_result(vote)
    assert (result.yes, result.no, result.abstain) == (2, 1, 0)
    assert result.ballots == []


def test_vote_result_named_per_organization():
    people = electorate(2)
    vote = open_vote()
    cast(vote, people[0], "yes")
    cast(vote, people[1], "abstain")
    result = selectors.vote_result(vote)
    assert sorted((b.organization, b.choice) for b in result.ballots) == sorted(
        [(people[0].organization.name, "yes"), (people[1].organization.name, "abstain")]
    )


def test_vote_result_counted_in_four_queries(django_assert_num_queries):
    people = electorate(5)
    vote = open_vote()
    for person in people:
        cast(vote, person)
    with django_assert_num_queries(4):
        selectors.vote_result(vote)


def test_vote_at_the_meeting_counts_recorded_by_the_secretariat():
    electorate(5)
    vote = open_vote(method=VoteMethod.MEETING)
    with pytest.raises(services.VoteRefused, match="more than the 5 member organizations"):
        services.vote_record_counts(vote=vote, yes=4, no=1, abstain=1)
    services.vote_record_counts(vote=vote, yes=3, no=1, abstain=0)
    result = services.vote_close(vote=vote)
    # 5 members, half: 3 must take part; 4 did; 3 yes > 1 no.
    assert (result.yes, result.no, result.quorum_needed, result.passed) == (3, 1, 3, True)
    vote.decision.refresh_from_db()
    assert vote.decision.state == DecisionState.ADOPTED


def test_vote_close_rejects_without_quorum():
    people = electorate(4)
    vote = open_vote()
    cast(vote, people[0])  # 1 of 4 < 2
    result = services.vote_close(vote=vote)
    assert not result.quorum_reached
    vote.decision.refresh_from_db()
    assert vote.decision.state == DecisionState.REJECTED
    with pytest.raises(services.VoteRefused, match="closed already"):
        services.vote_close(vote=vote)


# --- the demo --------------------------------------------------------------------------------


def test_demo_vote_counts_and_quorum_computed_by_hand():
    """The demo's vote on endorsing the action plan (meetings/demo/votes.py).

    The electorate, member organizations on 20 May 2019: CAS and the 16 invented members,
    all joined 4 Nov 2018 = 17.
    Ballots: yes CAS, IIEES, PUST, EAIDR, RVUA (delegated to EAIDR), CPIAS, BAS, SAST = 8;
    no GDUE = 1; abstain MICS, VAS = 2. Taking part: 8 + 1 + 2 = 11; not: 17 - 11 = 6.
    Quorum: half of 17 = 8.5, rounded up 9; 11 >= 9, reached.
    Simple majority of those voting: 8 yes > 1 no, reached: adopted.
    """
    meeting = demo_load().objects["meeting"]
    vote = demo_vote_decision(meeting).vote
    result = selectors.vote_result(vote)
    assert result.electorate == 17
    assert (result.yes, result.no, result.abstain) == (8, 1, 2)
    assert (result.taking_part, result.not_taking_part) == (11, 6)
    assert result.quorum_needed == 9 and result.quorum_reached
    assert result.majority_reached and result.passed
    assert len(result.ballots) == 11  # named: one row per organization that voted
    assert [(d.organization, d.delegate) for d in result.delegations] == [
        ("Rift Valley University of Agriculture", "East African Institute for Dryland Research")
    ]
    assert vote.decision.state == DecisionState.ADOPTED
    assert demo_load().created == 0  # loaded once


# --- mails -----------------------------------------------------------------------------------


def test_vote_mails_opening_reminder_and_result(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Each mail through the outbox and the worker (the tests' task backend runs it at once),
    with the personal link on SITE_URL."""
    settings.SITE_URL = "https://anso.example.org"
    settings.VOTE_REMINDER_HOURS = 48
    voters = electorate(3)
    vote = open_vote(opened_at=None, closes_at=timezone.now() + datetime.timedelta(hours=24))
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_open(vote=vote)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in voters)
    for message, person in zip(
        sorted(mailoutbox, key=lambda m: m.to[0]),
        sorted(voters, key=lambda p: p.email),
        strict=True,
    ):
        assert message.subject.startswith("A vote is open: ")
        assert f"https://anso.example.org{ballot_path(vote=vote, person=person)}" in message.body
    vote.refresh_from_db()
    cast(vote, voters[0])
    mailoutbox.clear()
    # The reminder: once, to those whose ballot is still to cast.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.votes_remind() == 1
        assert services.votes_remind() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in voters[1:])
    assert all(m.subject.startswith("Reminder: the vote closes soon") for m in mailoutbox)
    mailoutbox.clear()
    # Closed by the upkeep once past its time, the result mailed to every voter.
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        results = upkeep_run()
    assert results["meetings.votes_close_due"] == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in voters)
    body = mailoutbox[0].body
    assert "Yes: 1. No: 0. Abstentions: 0." in body
    # 3 members, half: 2 must take part; 1 did.
    assert "1 of 3 member organizations took part; the quorum was 2." in body
    assert "The quorum was not reached" in body
    assert f"https://anso.example.org{vote.get_absolute_url()}" in body


# --- pages -----------------------------------------------------------------------------------


def test_ballot_page_casts_with_csrf_and_says_so(client):
    (person,) = electorate(1)
    vote = open_vote()
    url = ballot_path(vote=vote, person=person)
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(url, {"organization": person.organization.pk, "choice": "yes"}).status_code
        == 403
    )
    assert not Ballot.objects.exists()
    page = client.get(url)
    assert page.status_code == 200
    assert person.organization.name in page.text
    response = client.post(
        url, {"organization": person.organization.pk, "choice": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "is cast: yes" in response.text
    assert Ballot.objects.get().choice == "yes"
    again = client.post(url, {"organization": person.organization.pk, "choice": "no"})
    assert again.status_code == 403
    assert "a ballot is final" in again.text


def test_ballot_page_refusals(client):
    mine, theirs = electorate(2)
    vote = open_vote()
    url = ballot_path(vote=vote, person=mine)
    assert client.get(url + "x").status_code == 404  # tampered
    assert client.get(reverse("meetings:ballot", kwargs={"token": "1-1"})).status_code == 404
    other = client.post(url, {"organization": theirs.organization.pk, "choice": "yes"})
    assert other.status_code == 403
    assert "You are not the contact person of" in other.text
    assert (
        client.post(url, {"organization": mine.organization.pk, "choice": "maybe"}).status_code
        == 400
    )
    assert client.post(url, {"organization": "x", "choice": "yes"}).status_code == 400
    # A person who is not (or no longer) a contact person: nothing to cast.
    stranger = PositionFactory(end_date=datetime.date(2020, 1, 1)).person
    assert client.get(ballot_path(vote=vote, person=stranger)).status_code == 403


def test_ballot_page_delegates(client):
    giver, delegate = electorate(2)
    vote = open_vote()
    response = client.post(
        ballot_path(vote=vote, person=giver),
        {"organization": giver.organization.pk, "delegate": delegate.organization.pk},
        follow=True,
    )
    assert "has delegated its vote to" in response.text
    page = client.get(ballot_path(vote=vote, person=delegate))
    assert "(delegated to your organization)" in page.text
    assert page.text.count('name="choice" value="yes"') == 2


def test_ballot_page_rate_limited(client, settings, monkeypatch):
    monkeypatch.setattr(views, "BALLOT_POSTS_PER_HOUR", 1)
    (person,) = electorate(1)
    url = ballot_path(vote=open_vote(), person=person)
    client.post(url, {"organization": person.organization.pk, "choice": "yes"})
    assert (
        client.post(url, {"organization": person.organization.pk, "choice": "yes"}).status_code
        == 429
    )


def test_public_result_once_closed(client):
    people = electorate(2)
    vote = open_vote()
    cast(vote, people[0], "yes")
    url = vote.get_absolute_url()
    assert client.get(url).status_code == 404  # not closed yet
    services.vote_close(vote=vote)
    page = client.get(url)
    assert page.status_code == 200
    assert people[0].organization.name in page.text  # named
    assert people[0].email not in page.text  # no personal data
    assert people[0].display_name not in page.text
    meeting_page = client.get(vote.decision.meeting.get_absolute_url())
    assert url in meeting_page.text


def test_public_result_secret_shows_totals_only(client):
    people = electorate(2)
    vote = open_vote(secret=True)
    cast(vote, people[0], "no")
    services.vote_close(vote=vote)
    page = client.get(vote.get_absolute_url())
    assert page.status_code == 200
    assert "only the totals are shown" in page.text
    assert people[0].organization.name not in page.text


def test_public_result_in_chinese(client):
    people = electorate(2)
    vote = open_vote()
    cast(vote, people[0], "yes")
    services.vote_close(vote=vote)
    url = vote.get_absolute_url().replace("/en/", "/zh-hans/", 1)
    page = client.get(url)
    assert page.status_code == 200
    assert "表决结果" in page.text


# --- the admin -------------------------------------------------------------------------------


def test_admin_opens_and_closes_a_vote_through_the_services(
    secretariat_client, mailoutbox, django_capture_on_commit_callbacks
):
    electorate(2)
    vote = open_vote(opened_at=None)
    changelist = reverse("admin:meetings_vote_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            changelist, {"action": "open_selected", "_selected_action": [vote.pk]}, follow=True
        )
    assert response.status_code == 200
    vote.refresh_from_db()
    assert vote.opened_at is not None
    assert len(mailoutbox) == 2
    vote.decision.refresh_from_db()
    assert vote.decision.state == DecisionState.PROPOSED
    secretariat_client.post(changelist, {"action": "close_selected", "_selected_action": [vote.pk]})
    vote.refresh_from_db()
    assert vote.closed_at is not None
    assert (
        secretariat_client.get(reverse("admin:meetings_vote_change", args=[vote.pk])).status_code
        == 200
    )


def test_admin_ballots_are_read_only(secretariat_client):
    (person,) = electorate(1)
    vote = open_vote()
    ballot = cast(vote, person)
    assert secretariat_client.get(reverse("admin:meetings_ballot_changelist")).status_code == 200
    assert secretariat_client.get(reverse("admin:meetings_ballot_add")).status_code == 403
    response = secretariat_client.post(
        reverse("admin:meetings_ballot_change", args=[ballot.pk]), {"choice": "no"}
    )
    assert response.status_code == 403
    assert Ballot.objects.get().choice == "yes"


@pytest.mark.parametrize("n", (1, 12))
@pytest.mark.parametrize(("secret", "queries"), ((False, 6), (True, 5)))
def test_public_result_queries_flat(client, django_assert_num_queries, n, secret, queries):
    """The meeting, the vote, the electorate, the counts, the named ballots (not when
    secret), the delegations: as many for one organization's ballot as for twelve."""
    people = electorate(n)
    vote = open_vote(secret=secret)
    for person in people:
        cast(vote, person)
    services.vote_close(vote=vote)
    with django_assert_num_queries(queries):
        assert client.get(vote.get_absolute_url()).status_code == 200


def test_ballot_page_in_chinese(client):
    (person,) = electorate(1)
    vote = open_vote()
    with translation.override("zh-hans"):
        url = ballot_path(vote=vote, person=person)
    assert url.startswith("/zh-hans/")
    page = client.get(url)
    assert page.status_code == 200
    assert "您的投票" in page.text and "赞成" in page.text
