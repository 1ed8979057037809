"""Votes for the tests: an electorate of member organizations, each with its current contact
person, and a vote by written procedure open now."""

import datetime
import decimal

from django.utils import timezone

from meetings.models import DecisionState
from meetings.record.votes.models import Majority, Vote, VoteMethod
from tests.factories import DecisionFactory, OrganizationFactory, PositionFactory


def electorate(n: int) -> list:
    """`n` member organizations (members since 2018), each with a contact person appointed in
    2019 and still in place: the contact persons, in order."""
    return [PositionFactory(person__organization=OrganizationFactory()).person for _ in range(n)]


def open_vote(*, secret: bool = False, majority=Majority.SIMPLE, quorum="0.50", **kwargs) -> Vote:
    now = timezone.now()
    decision = kwargs.pop("decision", None) or DecisionFactory(
        meeting__is_published=True, state=DecisionState.PROPOSED
    )
    values = {
        "method": VoteMethod.WRITTEN,
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=7),
        "opened_at": now - datetime.timedelta(days=1),
    } | kwargs
    return Vote.objects.create(
        decision=decision,
        majority=majority,
        quorum=decimal.Decimal(quorum),
        secret=secret,
        **values,
    )
