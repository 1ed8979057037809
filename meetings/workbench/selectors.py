"""Reads of a meeting's control page: its stages in order (programme and documents,
invitations, registrations, check-in, statistics, the report), each with its figures and where
it stands.

Every figure comes from the rule that owns it: the attendance figures and the check-in count
from `attendance_summary` (whose counts are `attendance_counts`, the check-in page's), the
seats left from `seats_left`, why registration is closed from `registration_closed_message`,
the invitations' answers from `invitation_counts`. `meeting_control` runs a fixed number of
queries, whatever the number of participants, invitations or documents."""

import dataclasses
import datetime

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from ..attendance.models import Participation, ParticipationStatus, RegistrationWindow
from ..attendance.selectors import (
    AttendanceCounts,
    AttendanceSummary,
    attendance_counts,
    attendance_counts_by_meeting,
    attendance_summary,
    registration_closed_message,
    seats_left,
    seats_taken_by_meeting,
)
from ..documents.models import Document
from ..invitations.models import RecipientState
from ..invitations.selectors import (
    UNANSWERED,
    invitation_counts,
    invitation_counts_by_meeting,
)
from ..models import AgendaItem, Meeting, Session


class StageState(models.TextChoices):
    """Where a stage stands, in plain words."""

    NOT_STARTED = "not_started", pgettext_lazy("stage", "not started")
    IN_PREPARATION = "in_preparation", pgettext_lazy("stage", "in preparation")
    OPEN = "open", pgettext_lazy("stage", "open")
    CLOSED = "closed", pgettext_lazy("stage", "closed")
    DONE = "done", pgettext_lazy("stage", "done")


#: The stages in their order.
STAGES = ("programme", "invitations", "registrations", "check_in", "statistics", "report")


@dataclasses.dataclass(frozen=True)
class Stage:
    key: str
    state: str
    current: bool = False

    @property
    def number(self) -> int:
        return STAGES.index(self.key) + 1

    @property
    def state_label(self) -> str:
        return str(StageState(self.state).label)


@dataclasses.dataclass(frozen=True)
class Programme:
    sessions: int
    agenda_items: int
    documents: int

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.agenda_items or self.documents)


@dataclasses.dataclass(frozen=True)
class Invitations:
    """Recipients of the meeting's invitations per state (`recipients_with_state`)."""

    by_state: dict[str, int]

    @property
    def sent(self) -> int:
        """Everyone invited (queued, sent, failed or answered)."""
        return sum(self.by_state.values())

    @property
    def registered(self) -> int:
        return self.by_state[RecipientState.REGISTERED]

    @property
    def declined(self) -> int:
        return self.by_state[RecipientState.DECLINED]

    @property
    def not_answered(self) -> int:
        return sum(self.by_state[state] for state in UNANSWERED)

    @property
    def failed(self) -> int:
        return self.by_state[RecipientState.FAILED]

    @property
    def answered(self) -> int:
        """Registered or declined."""
        return self.sent - self.not_answered


@dataclasses.dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class Registrations:
    window: RegistrationWindow | None
    #: None without a window or without a limit (`seats_left`).
    seats_left: int | None
    #: Why a visitor with the meeting's invitation link may not register now ("" when they
    #: may, or when there is no window): `registration_closed_message`.
    closed_message: str
    by_status: list[StatusRow]

    @property
    def waitlisted(self) -> int:
        return next(
            (row.count for row in self.by_status if row.status == ParticipationStatus.WAITLISTED),
            0,
        )


@dataclasses.dataclass(frozen=True)
class MeetingControl:
    meeting: Meeting
    today: datetime.date
    programme: Programme
    invitations: Invitations
    registrations: Registrations
    #: The meeting's figures; as `AttendanceCounts` they are the check-in count too.
    attendance: AttendanceSummary
    stages: dict[str, Stage]

    @property
    def stage_list(self) -> list[Stage]:
        return [self.stages[key] for key in STAGES]

    @property
    def is_past(self) -> bool:
        return self.today > self.meeting.end_date

    @property
    def has_summary(self) -> bool:
        return bool(self.meeting.summary.strip())


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The rows of `queryset` (filtered on OuterRef("pk") of a meeting) as a subquery."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def programme_counts_by_meeting(*, meeting_ids: list[int]) -> dict[int, Programme]:
    """Sessions, agenda items and documents of each of these meetings: one query, whatever
    the number of meetings."""
    meeting_ref = OuterRef("pk")
    rows = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .annotate(
            n_sessions=_count(Session.objects.filter(meeting=meeting_ref), "meeting"),
            n_items=_count(
                AgendaItem.objects.filter(session__meeting=meeting_ref), "session__meeting"
            ),
            n_documents=_count(Document.objects.filter(meeting=meeting_ref), "meeting"),
        )
        .values_list("pk", "n_sessions", "n_items", "n_documents")
    )
    return {pk: Programme(*counts) for pk, *counts in rows}


def meeting_programme_counts(*, meeting: Meeting) -> Programme:
    """Sessions, agenda items and documents of the meeting: one query."""
    return programme_counts_by_meeting(meeting_ids=[meeting.pk])[meeting.pk]


def registrations_by_status(*, meeting: Meeting) -> list[StatusRow]:
    """The meeting's participations per status, every status listed: one query."""
    counts = dict(
        Participation.objects.filter(meeting=meeting)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        StatusRow(status=value, label=str(label), count=counts.get(value, 0))
        for value, label in ParticipationStatus.choices
    ]


def meeting_registrations(*, meeting: Meeting, now: datetime.datetime) -> Registrations:
    """The registration window, its seats left, why it is closed (for those holding the
    invitation link, so that an invitation-only window reads as open) and the participations
    by status: three queries at most."""
    window = RegistrationWindow.objects.filter(meeting=meeting).first()
    closed = ""
    left = None
    if window is not None:
        window.meeting = meeting
        closed = registration_closed_message(
            window=window, now=now, invitation=window.invitation_token
        )
        left = seats_left(window=window)
    return Registrations(
        window=window,
        seats_left=left,
        closed_message=closed,
        by_status=registrations_by_status(meeting=meeting),
    )


def _programme_state(meeting: Meeting, programme: Programme) -> str:
    if meeting.is_published:
        return StageState.DONE
    return StageState.NOT_STARTED if programme.is_empty else StageState.IN_PREPARATION


def _invitations_state(invitations: Invitations, *, started: bool) -> str:
    if not invitations.sent:
        return StageState.NOT_STARTED
    if started or not invitations.not_answered:
        return StageState.DONE
    return StageState.OPEN


def _registrations_state(registrations: Registrations, *, now: datetime.datetime) -> str:
    window = registrations.window
    if window is None or now < window.opens_at:
        return StageState.NOT_STARTED
    return StageState.OPEN if now < window.closes_at else StageState.CLOSED


def _check_in_state(meeting: Meeting, today: datetime.date) -> str:
    if today < meeting.start_date:
        return StageState.NOT_STARTED
    return StageState.OPEN if today <= meeting.end_date else StageState.CLOSED


def _statistics_state(counts: AttendanceCounts, *, past: bool) -> str:
    if not counts.has_attendance:
        return StageState.NOT_STARTED
    return StageState.DONE if past else StageState.OPEN


def _current_stage(states: dict[str, str], *, today: datetime.date, meeting: Meeting) -> str:
    """The stage the Secretariat is at: after the meeting, the report; during it, check-in;
    before it, invitations waiting for answers, else registration while it is open (check-in
    once it has closed), else whichever of the first stages comes next."""
    if today > meeting.end_date:
        return "report"
    if today >= meeting.start_date:
        return "check_in"
    if states["invitations"] == StageState.OPEN:
        return "invitations"
    if states["registrations"] == StageState.OPEN:
        return "registrations"
    if states["registrations"] == StageState.CLOSED:
        return "check_in"
    if states["invitations"] == StageState.DONE:
        return "registrations"
    if states["programme"] == StageState.NOT_STARTED:
        return "programme"
    return "invitations"


def meeting_control(*, meeting: Meeting, now: datetime.datetime | None = None) -> MeetingControl:
    """Everything a meeting's control page shows: eight queries at most (programme counts,
    invitations, the registration window, seats left, participations by status, and the
    attendance figures in one to three), whatever the number of rows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    programme = meeting_programme_counts(meeting=meeting)
    invitations = Invitations(by_state=invitation_counts(meeting=meeting))
    registrations = meeting_registrations(meeting=meeting, now=now)
    attendance = attendance_summary(meeting_id=meeting.pk)
    states = {
        "programme": _programme_state(meeting, programme),
        "invitations": _invitations_state(invitations, started=today >= meeting.start_date),
        "registrations": _registrations_state(registrations, now=now),
        "check_in": _check_in_state(meeting, today),
        "statistics": _statistics_state(attendance, past=today > meeting.end_date),
        "report": StageState.DONE if meeting.summary.strip() else StageState.NOT_STARTED,
    }
    current = _current_stage(states, today=today, meeting=meeting)
    return MeetingControl(
        meeting=meeting,
        today=today,
        programme=programme,
        invitations=invitations,
        registrations=registrations,
        attendance=attendance,
        stages={key: Stage(key=key, state=states[key], current=key == current) for key in STAGES},
    )


def check_in_count(*, meeting: Meeting) -> AttendanceCounts:
    """The check-in page's count (attended of registered): one query."""
    return attendance_counts(meeting_id=meeting.pk)


# --- the home page: a card per coming meeting ------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MeetingCard:
    """What the Secretariat's home page shows of a coming meeting."""

    meeting: Meeting
    today: datetime.date
    documents: int
    invitations: Invitations
    #: The figures of `attendance_counts`: registered, and checked in (attended).
    attendance: AttendanceCounts
    window: RegistrationWindow | None
    #: None without a window or without a limit (`seats_left`).
    seats_left: int | None

    @property
    def days_to_go(self) -> int:
        return (self.meeting.start_date - self.today).days

    @property
    def started(self) -> bool:
        return self.today >= self.meeting.start_date

    @property
    def capacity(self) -> int | None:
        return None if self.window is None else self.window.capacity


def coming_meeting_cards(*, now: datetime.datetime | None = None) -> list[MeetingCard]:
    """A card for each coming meeting (published or not, ending today or later:
    `Meeting.objects.upcoming`), soonest first, with the figures of its control page from the
    same rules: five queries, whatever the number of meetings and of their rows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    meetings = list(Meeting.objects.upcoming(today).select_related("registration"))
    ids = [meeting.pk for meeting in meetings]
    if not ids:
        return []
    programme = programme_counts_by_meeting(meeting_ids=ids)
    invitations = invitation_counts_by_meeting(meeting_ids=ids)
    attendance = attendance_counts_by_meeting(meeting_ids=ids)
    taken = seats_taken_by_meeting(meeting_ids=ids)
    cards = []
    for meeting in meetings:
        window = getattr(meeting, "registration", None)
        cards.append(
            MeetingCard(
                meeting=meeting,
                today=today,
                documents=programme[meeting.pk].documents,
                invitations=Invitations(by_state=invitations[meeting.pk]),
                attendance=attendance[meeting.pk],
                window=window,
                seats_left=None
                if window is None
                else seats_left(window=window, taken=taken[meeting.pk]),
            )
        )
    return cards
