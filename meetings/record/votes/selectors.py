"""Reads of votes: the one count of a vote's result (`vote_results`, for many votes at once in
a fixed number of queries; `vote_result` for one), used by the result page, the ballot page,
the admin, the closing mail and the API, and who may cast which ballot.

The rules (docs/record.md, "Decisions and votes"):
- the electorate: the member organizations on the vote's date, the day it opens
  (`Organization.objects.members_on`);
- the quorum: at least `quorum` x electorate organizations take part, abstentions included,
  rounded up (half of 17 is 8.5: 9 organizations);
- the majority, of those voting (yes and no; abstentions are not counted as voting): simple,
  more yes than no; two-thirds, yes at least twice no (3 x yes >= 2 x (yes + no)), and at
  least one yes;
- passed: quorum reached and majority reached.
"""

import datetime
import math
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from members.access import contact_positions_on
from members.models import Organization, Person, Position

from .models import Ballot, Choice, Delegation, Majority, Vote, VoteMethod


@dataclass(frozen=True)
class NamedBallot:
    organization: str
    choice: str  # the Choice's label
    delegate: str  # the organization that cast it through a delegation, else ""


@dataclass(frozen=True)
class DelegationRow:
    organization: str
    delegate: str


@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    electorate: int
    yes: int
    no: int
    abstain: int
    quorum_needed: int
    #: Per organization, by name, for a named vote by written procedure; empty when secret.
    ballots: list[NamedBallot] = field(default_factory=list)
    delegations: list[DelegationRow] = field(default_factory=list)

    @property
    def taking_part(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def voting(self) -> int:
        """Those voting: yes and no; abstentions are not counted."""
        return self.yes + self.no

    @property
    def quorum_reached(self) -> bool:
        return self.taking_part >= self.quorum_needed

    @property
    def majority_reached(self) -> bool:
        if self.vote.majority == Majority.TWO_THIRDS:
            return self.yes > 0 and 3 * self.yes >= 2 * self.voting
        return self.yes > self.no

    @property
    def passed(self) -> bool:
        return self.quorum_reached and self.majority_reached

    @property
    def not_taking_part(self) -> int:
        return max(self.electorate - self.taking_part, 0)


def electorate(vote: Vote) -> QuerySet[Organization]:
    """The member organizations on the vote's date."""
    return electorate_on(vote.electorate_date)


def electorate_on(date: datetime.date) -> QuerySet[Organization]:
    """The member organizations on `date`: the electorate of a vote of that date."""
    return Organization.objects.members_on(date)


def quorum_needed(*, quorum, electorate_size: int) -> int:
    """The organizations that must take part: the fraction of the electorate, rounded up."""
    return math.ceil(quorum * electorate_size)


def vote_result(vote: Vote) -> VoteResult:
    """The vote's counts, quorum and majority, counted by the database (`vote_results` of
    this vote alone): four queries for a vote by written procedure (the electorate, the
    counts, the named ballots unless secret, the delegations), one for a vote at the
    meeting."""
    return vote_results([vote])[vote.pk]


def _named_ballots(vote_ids: list[int]) -> defaultdict[int, list[NamedBallot]]:
    """The ballots of these (named) votes, by vote, by organization: one query, none for
    no vote."""
    ballots = defaultdict(list)
    if not vote_ids:
        return ballots
    for ballot in (
        Ballot.objects.filter(vote__in=vote_ids)
        .select_related("organization", "via_delegation__delegate")
        .order_by("organization__name_en", "pk")
    ):
        delegate = ballot.via_delegation.delegate.name if ballot.via_delegation else ""
        ballots[ballot.vote_id].append(
            NamedBallot(
                organization=ballot.organization.name,
                choice=Choice(ballot.choice).label,
                delegate=delegate,
            )
        )
    return ballots


def _delegation_rows(vote_ids: list[int]) -> defaultdict[int, list[DelegationRow]]:
    """The delegations of these votes, by vote, by organization: one query."""
    delegations = defaultdict(list)
    for delegation in (
        Delegation.objects.filter(vote__in=vote_ids)
        .select_related("organization", "delegate")
        .order_by("organization__name_en", "pk")
    ):
        delegations[delegation.vote_id].append(
            DelegationRow(
                organization=delegation.organization.name, delegate=delegation.delegate.name
            )
        )
    return delegations


def vote_results(votes: Iterable[Vote]) -> dict[int, VoteResult]:
    """The results of `votes`, by the vote's id, in at most four queries however many they
    are: the electorate of each (one count per vote's date, in one query), the ballots'
    counts of the votes by written procedure, their named ballots (secret votes left out) and
    their delegations. The one count of a result: `vote_result` is this for one vote."""
    votes = list(votes)
    if not votes:
        return {}
    dates = sorted({vote.electorate_date for vote in votes})
    sizes = Organization.objects.aggregate(
        **{
            f"on_{index}": Count("pk", filter=Q(pk__in=electorate_on(date).values("pk")))
            for index, date in enumerate(dates)
        }
    )
    size_on = {date: sizes[f"on_{index}"] for index, date in enumerate(dates)}
    written = [vote for vote in votes if vote.method != VoteMethod.MEETING]
    counts, ballots, delegations = {}, defaultdict(list), defaultdict(list)
    if written:
        # Only ballots of the electorate count (the service refuses the others; the backstop).
        of_the_electorate = reduce(
            operator.or_,
            (Q(vote=vote, organization__in=electorate(vote).values("pk")) for vote in written),
        )
        counts = {
            row["vote"]: row
            for row in Ballot.objects.filter(of_the_electorate)
            .values("vote")
            .order_by("vote")
            .annotate(
                yes=Count("pk", filter=Q(choice=Choice.YES)),
                no=Count("pk", filter=Q(choice=Choice.NO)),
                abstain=Count("pk", filter=Q(choice=Choice.ABSTAIN)),
            )
        }
        ballots = _named_ballots([vote.pk for vote in written if not vote.secret])
        delegations = _delegation_rows([vote.pk for vote in written])
    results = {}
    for vote in votes:
        size = size_on[vote.electorate_date]
        needed = quorum_needed(quorum=vote.quorum, electorate_size=size)
        if vote.method == VoteMethod.MEETING:
            results[vote.pk] = VoteResult(
                vote=vote,
                electorate=size,
                yes=vote.recorded_yes or 0,
                no=vote.recorded_no or 0,
                abstain=vote.recorded_abstain or 0,
                quorum_needed=needed,
            )
            continue
        row = counts.get(vote.pk, {})
        results[vote.pk] = VoteResult(
            vote=vote,
            quorum_needed=needed,
            electorate=size,
            yes=row.get("yes", 0),
            no=row.get("no", 0),
            abstain=row.get("abstain", 0),
            ballots=ballots[vote.pk],
            delegations=delegations[vote.pk],
        )
    return results


def contact_positions(*, today: datetime.date | None = None) -> QuerySet[Position]:
    """Who is a member organization's current contact person (members.access)."""
    return contact_positions_on(today or timezone.localdate())


def organizations_represented(*, person: Person, today: datetime.date | None = None):
    """The organizations whose current contact person `person` is."""
    return Organization.objects.filter(
        pk__in=contact_positions(today=today).filter(person=person).values("appointed_by")
    )


@dataclass(frozen=True)
class BallotToCast:
    """One organization a person may cast a ballot for on a vote, and whether it is done."""

    organization: Organization
    delegation: Delegation | None  # cast through this delegation, else the person's own
    ballot: Ballot | None
    delegated_to: Delegation | None  # the person's organization delegated its vote


def ballots_of(*, vote: Vote, person: Person) -> list[BallotToCast]:
    """The ballots `person` casts on `vote`: their own organizations' (members on the vote's
    date) and those delegated to them. Four queries."""
    members = electorate(vote)
    own = list(
        organizations_represented(person=person)
        .filter(pk__in=members.values("pk"))
        .order_by("name_en")
    )
    own_ids = [o.pk for o in own]
    delegations = list(
        Delegation.objects.filter(vote=vote)
        .filter(Q(organization__in=own_ids) | Q(delegate__in=own_ids))
        .select_related("organization", "delegate")
    )
    ballots = {
        b.organization_id: b
        for b in Ballot.objects.filter(
            vote=vote,
            organization__in=own_ids + [d.organization_id for d in delegations],
        )
    }
    given = {d.organization_id: d for d in delegations if d.organization_id in own_ids}
    rows = [
        BallotToCast(
            organization=o, delegation=None, ballot=ballots.get(o.pk), delegated_to=given.get(o.pk)
        )
        for o in own
    ]
    rows += [
        BallotToCast(
            organization=d.organization,
            delegation=d,
            ballot=ballots.get(d.organization_id),
            delegated_to=None,
        )
        for d in delegations
        if d.delegate_id in own_ids
    ]
    return rows
