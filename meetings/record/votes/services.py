"""The writes of votes: opening, recording a result taken at the meeting, casting a ballot,
delegating, reminding and closing (docs/record.md, "Decisions and votes").

Every refusal is a `VoteRefused` with a message for the person refused. The database holds the
backstop: a ballot or a delegation stored twice at the same moment breaks a unique constraint,
caught here and answered with the same message as the check before it.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from anso.links import absolute_url
from anso.mail.sending import Mail, mails_queue
from anso.text.dates import format_datetime
from anso.text.hygiene import one_line
from members.models import Organization, Person

from ...invitations.selectors import mail_language
from ...models import DecisionState
from . import selectors
from .links import ballot_path
from .models import Ballot, Choice, Delegation, Vote, VoteMethod


class VoteRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _closed_message(vote: Vote) -> str:
    return gettext("The vote closed on %(when)s; no ballot is taken after closing.") % {
        "when": format_datetime(vote.closes_at)
    }


def _open_check(vote: Vote, now: datetime.datetime) -> None:
    if vote.method != VoteMethod.WRITTEN:
        raise VoteRefused(gettext("This vote is taken at the meeting, not by ballots here."))
    if vote.closed_at is not None or now >= vote.closes_at:
        raise VoteRefused(_closed_message(vote))
    if vote.opened_at is None or now < vote.opens_at:
        raise VoteRefused(
            gettext("The vote opens on %(when)s.") % {"when": format_datetime(vote.opens_at)}
        )


def _member_check(vote: Vote, organization: Organization) -> None:
    if not selectors.electorate(vote).filter(pk=organization.pk).exists():
        raise VoteRefused(
            gettext(
                "%(organization)s was not a member organization on %(date)s, the date of "
                "this vote: it has no vote."
            )
            % {"organization": organization.name, "date": vote.electorate_date.isoformat()}
        )


def _represents(person: Person, organization: Organization) -> bool:
    return selectors.organizations_represented(person=person).filter(pk=organization.pk).exists()


def ballot_cast(
    *,
    vote: Vote,
    person: Person,
    organization: Organization,
    choice: str,
    now: datetime.datetime | None = None,
) -> Ballot:
    """Cast `organization`'s ballot on `vote`, by `person`: the organization's current
    contact person, or the current contact person of the organization it delegated its vote
    to. A ballot is final: no second one, no change. Raises VoteRefused."""
    now = now or timezone.now()
    if choice not in Choice.values:
        raise VoteRefused(gettext("Choose yes, no or abstain."))
    _open_check(vote, now)
    _member_check(vote, organization)
    delegation = (
        Delegation.objects.filter(vote=vote, organization=organization)
        .select_related("delegate")
        .first()
    )
    if delegation is not None:
        if not _represents(person, delegation.delegate):
            raise VoteRefused(
                gettext(
                    "%(organization)s has delegated its vote to %(delegate)s: their contact "
                    "person casts its ballot."
                )
                % {"organization": organization.name, "delegate": delegation.delegate.name}
            )
    elif not _represents(person, organization):
        raise VoteRefused(
            gettext("You are not the contact person of %(organization)s: you cannot vote for it.")
            % {"organization": organization.name}
        )
    already = gettext(
        "%(organization)s has already voted; a ballot is final and cannot be cast again."
    ) % {"organization": organization.name}
    if Ballot.objects.filter(vote=vote, organization=organization).exists():
        raise VoteRefused(already)
    try:
        with transaction.atomic():
            return Ballot.objects.create(
                vote=vote,
                organization=organization,
                choice=choice,
                cast_by=person,
                cast_at=now,
                via_delegation=delegation,
            )
    except IntegrityError as error:  # cast at the same moment by another request
        raise VoteRefused(already) from error


def delegation_give(
    *,
    vote: Vote,
    person: Person,
    organization: Organization,
    delegate: Organization,
    now: datetime.datetime | None = None,
) -> Delegation:
    """`organization`'s current contact person hands its vote to another member
    organization. No chains: refused when `organization` holds a delegation or `delegate`
    gave one. Refused after the organization voted. Raises VoteRefused."""
    now = now or timezone.now()
    with transaction.atomic():
        # One delegation at a time per vote: two crossing delegations cannot make a chain.
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        _open_check(vote, now)
        _member_check(vote, organization)
        _member_check(vote, delegate)
        if not _represents(person, organization):
            raise VoteRefused(
                gettext(
                    "You are not the contact person of %(organization)s: you cannot delegate "
                    "its vote."
                )
                % {"organization": organization.name}
            )
        if delegate.pk == organization.pk:
            raise VoteRefused(gettext("An organization cannot delegate its vote to itself."))
        if Ballot.objects.filter(vote=vote, organization=organization).exists():
            raise VoteRefused(
                gettext("%(organization)s has already voted.") % {"organization": organization.name}
            )
        delegations = Delegation.objects.filter(vote=vote)
        if delegations.filter(organization=organization).exists():
            raise VoteRefused(gettext("This organization has already delegated its vote."))
        if delegations.filter(delegate=organization).exists():
            raise VoteRefused(
                gettext(
                    "%(organization)s holds another organization's vote and cannot hand its "
                    "own on: delegations do not chain."
                )
                % {"organization": organization.name}
            )
        if delegations.filter(organization=delegate).exists():
            raise VoteRefused(
                gettext(
                    "%(delegate)s has delegated its own vote and cannot receive one: "
                    "delegations do not chain."
                )
                % {"delegate": delegate.name}
            )
        return Delegation.objects.create(
            vote=vote, organization=organization, delegate=delegate, given_by=person, given_at=now
        )


# --- the Secretariat's writes ------------------------------------------------------------------


def vote_open(*, vote: Vote, now: datetime.datetime | None = None) -> Vote:
    """Open the vote: the decision becomes proposed; a vote by written procedure mails each
    electorate organization's current contact persons their personal link."""
    now = now or timezone.now()
    with transaction.atomic():
        vote = Vote.objects.select_for_update().select_related("decision__meeting").get(pk=vote.pk)
        if vote.opened_at is not None:
            raise VoteRefused(gettext("This vote is open already."))
        vote.opened_at = now
        vote.save(update_fields=["opened_at"])
        decision = vote.decision
        decision.state = DecisionState.PROPOSED
        decision.save()
        if vote.method == VoteMethod.WRITTEN:
            _mail_contact_persons(vote, "vote_opened", _electorate_ids(vote))
    return vote


def vote_record_counts(*, vote: Vote, yes: int, no: int, abstain: int) -> Vote:
    """Record the counts of a vote taken at the meeting (organizations voting yes, no,
    abstaining). Refused for a vote by written procedure, a closed vote, or more ballots than
    the electorate."""
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        if vote.method != VoteMethod.MEETING:
            raise VoteRefused(gettext("A vote by written procedure is counted from its ballots."))
        if vote.closed_at is not None:
            raise VoteRefused(gettext("This vote is closed: its result stands."))
        if min(yes, no, abstain) < 0:
            raise VoteRefused(gettext("A count cannot be negative."))
        size = selectors.electorate(vote).count()
        if yes + no + abstain > size:
            raise VoteRefused(
                gettext(
                    "%(count)s ballots are more than the %(size)s member organizations on the "
                    "vote's date."
                )
                % {"count": yes + no + abstain, "size": size}
            )
        vote.recorded_yes, vote.recorded_no, vote.recorded_abstain = yes, no, abstain
        vote.save(update_fields=["recorded_yes", "recorded_no", "recorded_abstain"])
    return vote


def vote_close(*, vote: Vote, now: datetime.datetime | None = None) -> selectors.VoteResult:
    """Close the vote: count it, adopt or reject its decision, mail the result by written
    procedure. Closing twice is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        vote = Vote.objects.select_for_update().select_related("decision__meeting").get(pk=vote.pk)
        if vote.closed_at is not None:
            raise VoteRefused(gettext("This vote is closed already."))
        if vote.opened_at is None:
            raise VoteRefused(gettext("This vote was never opened."))
        if vote.method == VoteMethod.MEETING and vote.recorded_yes is None:
            raise VoteRefused(gettext("Record the counts of the meeting before closing."))
        if vote.method == VoteMethod.WRITTEN and now < vote.closes_at:
            # Closed early by the Secretariat: the closing time is now.
            vote.closes_at = max(now, vote.opens_at + datetime.timedelta(seconds=1))
        vote.closed_at = now
        vote.save(update_fields=["closed_at", "closes_at"])
        result = selectors.vote_result(vote)
        decision = vote.decision
        decision.state = DecisionState.ADOPTED if result.passed else DecisionState.REJECTED
        decision.save()
        if vote.method == VoteMethod.WRITTEN:
            _mail_contact_persons(vote, "vote_closed", _electorate_ids(vote), result=result)
    return result


# --- the upkeep's chores -----------------------------------------------------------------------


def votes_remind(*, now: datetime.datetime | None = None) -> int:
    """Mail a reminder, once, `VOTE_REMINDER_HOURS` before a vote closes, to the contact
    persons of the organizations whose ballot is still to cast (the delegate's, for a
    delegated vote). Returns how many votes were reminded."""
    now = now or timezone.now()
    before = datetime.timedelta(hours=settings.VOTE_REMINDER_HOURS)
    reminded = 0
    for vote in Vote.objects.open_at(now).filter(
        reminded_at__isnull=True, closes_at__lte=now + before
    ):
        # Once: the row is claimed by the update that marks it.
        if not Vote.objects.filter(pk=vote.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        cast = set(Ballot.objects.filter(vote=vote).values_list("organization", flat=True))
        delegated = dict(
            Delegation.objects.filter(vote=vote).values_list("organization", "delegate")
        )
        waiting = set()
        for organization in _electorate_ids(vote):
            if organization not in cast:
                waiting.add(delegated.get(organization, organization))
        _mail_contact_persons(vote, "vote_reminder", waiting)
        reminded += 1
    return reminded


def votes_close_due(*, now: datetime.datetime | None = None) -> int:
    """Close the votes by written procedure past their closing time. Returns how many."""
    now = now or timezone.now()
    closed = 0
    for vote in Vote.objects.due_to_close(now):
        try:
            vote_close(vote=vote, now=now)
        except VoteRefused:  # closed meanwhile by the Secretariat
            continue
        closed += 1
    return closed


# --- mail --------------------------------------------------------------------------------------


def _electorate_ids(vote: Vote) -> set[int]:
    return set(selectors.electorate(vote).values_list("pk", flat=True))


def _mail_contact_persons(vote: Vote, template: str, organizations: set[int], **extra) -> None:
    """Queue one mail per current contact person of `organizations`, each in the person's
    language, with their personal ballot link."""
    if not organizations:
        return
    people = (
        Person.objects.filter(
            pk__in=selectors.contact_positions()
            .filter(appointed_by__in=organizations)
            .values("person")
        )
        .exclude(email="")
        .annotate(mail_language=mail_language())
        .order_by("pk")
    )
    meeting = vote.decision.meeting
    mails = []
    for person in people:
        with translation.override(person.mail_language or settings.LANGUAGE_CODE):
            context = {
                "person": person,
                "vote": vote,
                "decision": vote.decision,
                "meeting": meeting,
                "opens_at": format_datetime(vote.opens_at),
                "closes_at": format_datetime(vote.closes_at),
                "ballot_url": absolute_url(ballot_path(vote=vote, person=person)),
                "result_url": absolute_url(vote.get_absolute_url()),
                "SITE_NAME": gettext(settings.SITE_NAME),
                **extra,
            }
            subject = one_line(render_to_string(f"meetings/email/{template}_subject.txt", context))
            body = render_to_string(f"meetings/email/{template}.txt", context)
        mails.append(Mail(to=[person.email], subject=subject, body=body))
    mails_queue(mails)


__all__ = [
    "VoteRefused",
    "ballot_cast",
    "delegation_give",
    "vote_close",
    "vote_open",
    "vote_record_counts",
    "votes_close_due",
    "votes_remind",
]
