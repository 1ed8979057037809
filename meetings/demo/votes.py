"""Sample data: after the 1st working-group meeting, the member organizations voted by written
procedure on endorsing the action plan (`data.VOTE_DECISION`). The electorate is the member
organizations on the vote's date, 20 May 2019: the 17 of 2019 (CAS and the 16 invented ones).

The ballots go through the services' rules (each cast by the organization's contact person, or
by the delegate's, at a moment while the vote was open); the vote is then closed as it was on
its closing day, without mailing anyone, and its decision takes the result. Loaded once: a vote
that exists is left as it is.

The figures, counted by hand in tests/meetings/record/test_votes.py: 11 of 17 took part (8 yes,
one through a delegation, 1 no, 2 abstentions), the quorum is 9 (half of 17, rounded up), and
8 yes against 1 no is a simple majority: adopted.
"""

import datetime
import decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from members.models import Organization, Person

from ..models import Decision, DecisionState
from ..record.votes import selectors, services
from ..record.votes.models import Majority, Vote, VoteMethod
from .data import VOTE_DECISION

BEIJING = ZoneInfo("Asia/Shanghai")
OPENS_AT = datetime.datetime(2019, 5, 20, 9, 0, tzinfo=BEIJING)
CLOSES_AT = datetime.datetime(2019, 6, 3, 18, 0, tzinfo=BEIJING)
CAST_AT = datetime.datetime(2019, 5, 27, 10, 0, tzinfo=BEIJING)

#: (the organization's short name, the contact person who casts, the choice).
BALLOTS = (
    ("CAS", "wang-lei", "yes"),
    ("IIEES", "ayesha-siddiqui", "yes"),
    ("PUST", "tariq-mahmood", "yes"),
    ("EAIDR", "wanjiru-kamau", "yes"),
    # Delegated by RVUA to EAIDR (below): cast by EAIDR's contact person.
    ("RVUA", "wanjiru-kamau", "yes"),
    ("CPIAS", "somchai-wongsakul", "yes"),
    ("BAS", "alexei-volkov", "yes"),
    ("SAST", "nimal-perera", "yes"),
    ("GDUE", "farhana-rahman", "no"),
    ("MICS", "giulia-romano", "abstain"),
    ("VAS", "kwame-mensah", "abstain"),
)
#: (the delegating organization, its contact person, the delegate organization).
DELEGATIONS = (("RVUA", "grace-njoroge", "EAIDR"),)


def demo_vote_load(decision: Decision) -> bool:
    """Create the closed sample vote on `decision`, once. True when it was created."""
    if Vote.objects.filter(decision=decision).exists():
        return False
    organizations = {o.short_name: o for o in Organization.objects.exclude(short_name="")}
    slugs = {b[1] for b in BALLOTS} | {d[1] for d in DELEGATIONS}
    people = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    with transaction.atomic():
        vote = Vote.objects.create(
            decision=decision,
            method=VoteMethod.WRITTEN,
            opens_at=OPENS_AT,
            closes_at=CLOSES_AT,
            majority=Majority.SIMPLE,
            quorum=decimal.Decimal("0.50"),
            secret=False,
            opened_at=OPENS_AT,
        )
        for organization, person, delegate in DELEGATIONS:
            services.delegation_give(
                vote=vote,
                person=people[person],
                organization=organizations[organization],
                delegate=organizations[delegate],
                now=CAST_AT,
            )
        for minutes, (organization, person, choice) in enumerate(BALLOTS):
            services.ballot_cast(
                vote=vote,
                person=people[person],
                organization=organizations[organization],
                choice=choice,
                now=CAST_AT + datetime.timedelta(minutes=minutes),
            )
        vote.closed_at = CLOSES_AT
        vote.save(update_fields=["closed_at"])
        result = selectors.vote_result(vote)
        decision.state = DecisionState.ADOPTED if result.passed else DecisionState.REJECTED
        decision.save()
    return True


def demo_vote_decision(meeting) -> Decision | None:
    return Decision.objects.filter(meeting=meeting, text_en=VOTE_DECISION).first()
