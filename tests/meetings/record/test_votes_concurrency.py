"""Two ballots for one organization cast at the same moment, on PostgreSQL with real
concurrent connections: one is stored, the other refused with the same clear message (the
unique constraint's IntegrityError caught by the service)."""

import threading

import pytest
from django.db import connection, connections

from meetings.record.votes import services
from meetings.record.votes.models import Ballot, Delegation

from .votes_helpers import electorate, open_vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock, so it cannot show a race; "
        "run the suite with DATABASE_URL pointing at PostgreSQL",
    ),
]

RACERS = 6


def race(job) -> list[object]:
    """RACERS threads, each with its own database connection, run `job(index)` at once."""
    barrier = threading.Barrier(RACERS)
    outcomes: list[object] = [None] * RACERS

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = job(index)
        except services.VoteRefused as refused:
            outcomes[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_a_ballot_cast_twice_at_the_same_moment_is_stored_once():
    (person,) = electorate(1)
    vote = open_vote()
    choices = ["yes", "no", "abstain"]
    outcomes = race(
        lambda i: services.ballot_cast(
            vote=vote, person=person, organization=person.organization, choice=choices[i % 3]
        )
    )
    stored = [o for o in outcomes if isinstance(o, Ballot)]
    refused = [o for o in outcomes if isinstance(o, services.VoteRefused)]
    assert len(stored) == 1
    assert len(refused) == RACERS - 1
    assert all("has already voted; a ballot is final" in r.message for r in refused)
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert Ballot.objects.get().choice == stored[0].choice


def test_the_delegate_and_the_delegating_organization_race_for_one_ballot():
    """The delegate's contact person casts the delegated ballot while the delegating
    organization's own person tries too: one ballot, whoever wins; the loser refused."""
    giver, delegate = electorate(2)
    vote = open_vote()
    services.delegation_give(
        vote=vote, person=giver, organization=giver.organization, delegate=delegate.organization
    )
    outcomes = race(
        lambda i: services.ballot_cast(
            vote=vote, person=delegate, organization=giver.organization, choice="yes"
        )
    )
    assert sum(isinstance(o, Ballot) for o in outcomes) == 1
    assert Ballot.objects.filter(vote=vote, organization=giver.organization).count() == 1
    assert Delegation.objects.count() == 1


def test_crossing_delegations_make_no_chain():
    """A delegates to B while B delegates to A, at the same moment: the vote's row lock
    serialises them, and the second is refused as a chain."""
    first, second = electorate(2)
    vote = open_vote()
    pairs = [(first, second), (second, first)]
    outcomes = race(
        lambda i: services.delegation_give(
            vote=vote,
            person=pairs[i % 2][0],
            organization=pairs[i % 2][0].organization,
            delegate=pairs[i % 2][1].organization,
        )
    )
    assert sum(isinstance(o, Delegation) for o in outcomes) == 1
    assert Delegation.objects.count() == 1
