"""Reads for mailings: the groups of people the Secretariat writes to (one query each), who
of them a mailing would skip, and the state of each invitation (one query for the list, one
for the counts, whatever the number of recipients)."""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from anso.models import OutgoingMailStatus
from members.access import contact_persons_on
from members.models import Person, Position, Role

from ..attendance.models import Capacity, Participation, ParticipationStatus
from ..models import Meeting
from .models import Mailing, MailingKind, MailingRecipient, RecipientList, RecipientState

# --- who to write to ------------------------------------------------------------------------


class RecipientGroup:
    CONTACT_PERSONS = "contact_persons"
    WORKING_GROUP = "working_group"
    EXPERTS = "experts"
    SAVED_LIST = "saved_list"
    REGISTRANTS = "registrants"

    choices = [
        (CONTACT_PERSONS, _("current contact persons of member organizations")),
        (WORKING_GROUP, _("the working group's members on a date")),
        (EXPERTS, _("experts")),
        (SAVED_LIST, _("a saved list")),
        (REGISTRANTS, _("the registrants of another meeting")),
    ]


def group_people(
    *,
    group: str,
    date: datetime.date,
    recipient_list: RecipientList | None = None,
    meeting: Meeting | None = None,
) -> QuerySet[Person]:
    """The people of a group, as one query:

    - contact persons holding the position on `date` for an organization that is a member on
      `date` (`members.access.contact_persons_on`, the members' access rule);
    - the working group on `date` (`Position.objects.working_group_members`);
    - experts: a position with the role "expert" held on `date`;
    - a saved list;
    - the registrants of `meeting` (every participation but a cancelled one)."""
    person = OuterRef("pk")
    if group == RecipientGroup.CONTACT_PERSONS:
        return contact_persons_on(date)
    if group == RecipientGroup.WORKING_GROUP:
        return Person.objects.filter(
            Exists(Position.objects.working_group_members(date).filter(person=person))
        )
    if group == RecipientGroup.EXPERTS:
        return Person.objects.filter(
            Exists(Position.objects.held_on(date).filter(person=person, role=Role.EXPERT))
        )
    if group == RecipientGroup.SAVED_LIST:
        return Person.objects.filter(recipient_lists=recipient_list)
    if group == RecipientGroup.REGISTRANTS:
        participations = Participation.objects.filter(meeting=meeting, person=person).exclude(
            status=ParticipationStatus.CANCELLED
        )
        return Person.objects.filter(Exists(participations))
    raise ValueError(f"unknown recipient group {group!r}")


def mail_language() -> Coalesce:
    """A person's mail language: their own setting, else the language of their latest
    registration, else the site's default."""
    latest = (
        Participation.objects.filter(person=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("language")[:1]
    )
    return Coalesce(
        NullIf("language", Value("")),
        Subquery(latest),
        Value(settings.LANGUAGE_CODE),
        output_field=CharField(),
    )


def invited_capacity(*, person: Person, meeting: Meeting) -> str:
    """The capacity an invitation suggests to its recipient ("You attend as"), from why they
    were invited, that is the position they held on the meeting's first day, the rules the
    groups of the composer use:

    - a contact person of an organization that is a member that day
      (`members.access.contact_persons_on`): a member-organization delegate;
    - an expert position: an expert;
    - another working-group position (`Position.objects.working_group_members`): a
      working-group member;
    - else the capacity they came in last time (a saved list, the registrants of another
      meeting), unless the Secretariat set it;
    - else nothing: they choose. One query."""
    date = meeting.start_date
    person_pk = OuterRef("pk")
    previous = (
        Participation.objects.filter(person=person_pk)
        .exclude(meeting=meeting)
        .exclude(status=ParticipationStatus.CANCELLED)
        .exclude(capacity=Capacity.SECRETARIAT)
        .order_by("-meeting__start_date", "-pk")
        .values("capacity")[:1]
    )
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            delegate=Exists(contact_persons_on(date).filter(pk=person_pk)),
            expert=Exists(
                Position.objects.held_on(date).filter(person=person_pk, role=Role.EXPERT)
            ),
            working_group=Exists(
                Position.objects.working_group_members(date).filter(person=person_pk)
            ),
            previous=Subquery(previous),
        )
        .values("delegate", "expert", "working_group", "previous")
        .first()
    )
    if row is None:
        return ""
    if row["delegate"]:
        return Capacity.DELEGATE
    if row["expert"]:
        return Capacity.EXPERT
    if row["working_group"]:
        return Capacity.WORKING_GROUP_MEMBER
    return row["previous"] or ""


def substitute_problem(*, recipient: MailingRecipient, email: str) -> str:
    """Why a person with this address cannot replace the recipient, or "": it is the
    recipient's own address, the person belongs to another organization, or they are
    already invited to the meeting. The form shows it; the service checks it again."""
    email = email.strip().lower()
    declined = recipient.person
    if email in {recipient.address.strip().lower(), declined.email}:
        return str(_("Name someone else: this is your own address."))
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        return ""
    if person.organization_id not in {None, declined.organization_id}:
        return str(_("Your substitute comes from your own organization."))
    invited = MailingRecipient.objects.filter(
        person=person,
        mailing__kind=MailingKind.INVITATION,
        mailing__meeting_id=recipient.mailing.meeting_id,
    )
    if invited.exists():
        return str(_("This person is already invited to the meeting."))
    return ""


class SkipReason:
    NO_EMAIL = _("no email address")
    OPTED_OUT = _("opted out of announcements")
    ALREADY_INVITED = _("already invited to this meeting")


@dataclasses.dataclass
class RecipientPick:
    """Who a mailing to a group reaches: `people` get it (each with `mail_language`), `skipped`
    pairs a person with the reason, `doubtful` are people whose address a mail server refused."""

    people: list[Person]
    skipped: list[tuple[Person, str]]

    @property
    def doubtful(self) -> list[Person]:
        return [person for person in self.people if person.email_doubtful]


def recipients_pick(
    *, people: QuerySet[Person], kind: str, meeting: Meeting | None
) -> RecipientPick:
    """Split a group into those the mailing reaches and those it skips: no address; for an
    announcement, opted out; for an invitation, already invited to the meeting. One query."""
    invited = Value(False)
    if kind == MailingKind.INVITATION:
        invited = Exists(
            MailingRecipient.objects.filter(
                person=OuterRef("pk"),
                mailing__kind=MailingKind.INVITATION,
                mailing__meeting=meeting,
            )
        )
    rows = (
        people.annotate(mail_language=mail_language(), already_invited=invited)
        .select_related("organization")
        .order_by("family_name", "given_name", "pk")
    )
    pick = RecipientPick(people=[], skipped=[])
    for person in rows:
        if not person.email:
            pick.skipped.append((person, SkipReason.NO_EMAIL))
        elif kind == MailingKind.ANNOUNCEMENT and person.announcements_opted_out_at:
            pick.skipped.append((person, SkipReason.OPTED_OUT))
        elif person.already_invited:
            pick.skipped.append((person, SkipReason.ALREADY_INVITED))
        else:
            pick.people.append(person)
    return pick


# --- the state of invitations ---------------------------------------------------------------


def mailing_sent_from(*, submission_key: str) -> Mailing | None:
    """The mailing already sent from the composer form with this key, if any."""
    if not submission_key:
        return None
    return Mailing.objects.select_related("meeting").filter(submission_key=submission_key).first()


def _mail_status(status: str) -> Q:
    """The recipient's latest mail (the last reminder, else the invitation) has `status`."""
    return Q(reminder_mail__status=status) | Q(reminder_mail__isnull=True, mail__status=status)


def invitations_with_state(
    recipients: QuerySet[MailingRecipient] | None = None,
) -> QuerySet[MailingRecipient]:
    """The recipients of invitations (among `recipients`, else all), each annotated with
    `state`:

    - registered: the person has a participation in the invitation's meeting that is not
      cancelled (through the link or any other way);
    - declined: they said no through their link (and have not registered since);
    - failed: the mail server refused their latest mail (`last_error` says why);
    - sent, or queued while the worker has not sent it."""
    recipients = MailingRecipient.objects.all() if recipients is None else recipients
    registered = Exists(
        Participation.objects.filter(
            meeting=OuterRef("mailing__meeting_id"), person=OuterRef("person_id")
        ).exclude(status=ParticipationStatus.CANCELLED)
    )
    return recipients.filter(mailing__kind=MailingKind.INVITATION).annotate(
        state=Case(
            When(registered, then=Value(RecipientState.REGISTERED)),
            When(declined_at__isnull=False, then=Value(RecipientState.DECLINED)),
            When(_mail_status(OutgoingMailStatus.FAILED), then=Value(RecipientState.FAILED)),
            When(_mail_status(OutgoingMailStatus.SENT), then=Value(RecipientState.SENT)),
            default=Value(RecipientState.QUEUED),
            output_field=CharField(),
        ),
        last_error=Coalesce(
            "reminder_mail__last_error", "mail__last_error", output_field=CharField()
        ),
        # When their latest mail (the last reminder, else the invitation) was sent.
        last_sent_at=Coalesce("reminder_mail__sent_at", "mail__sent_at"),
    )


def recipients_with_state(*, meeting: Meeting) -> QuerySet[MailingRecipient]:
    """The recipients of the meeting's invitations, each with its `state`
    (`invitations_with_state`), by name."""
    return (
        invitations_with_state(MailingRecipient.objects.filter(mailing__meeting=meeting))
        .select_related("person", "person__organization", "mailing", "replaces__person")
        .order_by("person__family_name", "person__given_name", "pk")
    )


#: The states of recipients who have not answered.
UNANSWERED = (RecipientState.QUEUED, RecipientState.SENT, RecipientState.FAILED)


def invitation_counts_by_meeting(*, meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """Recipients per state of each meeting (every state present, 0 when none): one query,
    whatever the number of meetings."""
    counts = {pk: dict.fromkeys(RecipientState.values, 0) for pk in meeting_ids}
    rows = (
        invitations_with_state(MailingRecipient.objects.filter(mailing__meeting_id__in=meeting_ids))
        .order_by()
        .values("mailing__meeting_id", "state")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        counts[row["mailing__meeting_id"]][row["state"]] = row["count"]
    return counts


def invitation_counts(*, meeting: Meeting) -> dict[str, int]:
    """Recipients per state (every state present, 0 when none): one query."""
    return invitation_counts_by_meeting(meeting_ids=[meeting.pk])[meeting.pk]


def reminder_due(*, now: datetime.datetime) -> Q:
    """The reminder rule, for recipients of `recipients_with_state`: they have not answered
    (their latest mail was sent, and they have neither registered nor declined, nor has their
    mail failed), no reminder is already waiting to be written, and their latest mail went
    out at least INVITATION_REMINDER_AFTER_DAYS before `now`, so they had time to answer."""
    after = datetime.timedelta(days=settings.INVITATION_REMINDER_AFTER_DAYS)
    return Q(state=RecipientState.SENT, reminder_pending=False, last_sent_at__lte=now - after)


def reminder_targets(*, meeting: Meeting, now: datetime.datetime) -> QuerySet[MailingRecipient]:
    """Who a reminder sent at `now` goes to (`reminder_due`)."""
    return recipients_with_state(meeting=meeting).filter(reminder_due(now=now))


@dataclasses.dataclass(frozen=True)
class ReminderOffer:
    """What the invitation page offers: a reminder to `count` people now, or, while nobody
    is due one yet, the moment the first will be (`available_at`; None when nobody waits)."""

    count: int
    available_at: datetime.datetime | None


def reminder_offer(*, meeting: Meeting, now: datetime.datetime) -> ReminderOffer:
    """The reminder a page may offer at `now`, by `reminder_due`: one query."""
    due = reminder_due(now=now)
    waiting = Q(state=RecipientState.SENT, reminder_pending=False) & ~due
    figures = (
        recipients_with_state(meeting=meeting)
        .order_by()
        .aggregate(count=Count("pk", filter=due), first=Min("last_sent_at", filter=waiting))
    )
    after = datetime.timedelta(days=settings.INVITATION_REMINDER_AFTER_DAYS)
    first = figures["first"]
    return ReminderOffer(
        count=figures["count"],
        available_at=first + after if first is not None and not figures["count"] else None,
    )


@dataclasses.dataclass(frozen=True)
class MailingProgress:
    """How far the sending of one mailing (its invitations, not the reminders) has come, from
    its recipients' mails in the outbox: a mail not written yet counts as queued."""

    mailing: Mailing
    queued: int = 0
    sent: int = 0
    failed: int = 0
    #: When its last mail was sent.
    sent_at: datetime.datetime | None = None

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed

    @property
    def done(self) -> int:
        """Mails the worker has finished with, sent or failed."""
        return self.sent + self.failed

    @property
    def in_progress(self) -> bool:
        return self.queued > 0


def mailings_progress(*, meeting: Meeting) -> list[MailingProgress]:
    """The meeting's invitation mailings, newest first, each with its progress: two queries,
    whatever the number of mailings and recipients."""
    mailings = list(
        Mailing.objects.filter(meeting=meeting, kind=MailingKind.INVITATION).order_by(
            "-created_at", "-pk"
        )
    )
    rows = (
        MailingRecipient.objects.filter(
            mailing__meeting=meeting, mailing__kind=MailingKind.INVITATION
        )
        .annotate(
            mail_state=Case(
                When(mail__status=OutgoingMailStatus.SENT, then=Value("sent")),
                When(mail__status=OutgoingMailStatus.FAILED, then=Value("failed")),
                default=Value("queued"),
                output_field=CharField(),
            )
        )
        .order_by()
        .values("mailing_id", "mail_state")
        .annotate(count=Count("pk"), sent_at=Max("mail__sent_at"))
    )
    figures: dict[int, dict] = {mailing.pk: {} for mailing in mailings}
    for row in rows:
        counts = figures[row["mailing_id"]]
        counts[row["mail_state"]] = row["count"]
        if row["sent_at"] is not None:
            counts["sent_at"] = max(row["sent_at"], counts.get("sent_at", row["sent_at"]))
    return [MailingProgress(mailing=mailing, **figures[mailing.pk]) for mailing in mailings]
