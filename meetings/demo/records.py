"""The shapes of the demo data: one frozen dataclass per kind of record, holding the values of
the row and its natural key. Other records are named by their key (an organization by its short
name, a person by their slug, an action by its title), never by a database id."""

import datetime
from dataclasses import dataclass

from members.models import BodyKind, MembershipStatus, NameOrder, OrganizationKind, Role

from ..attendance.models import Capacity, ParticipationStatus
from ..models import ActionStatus, AgendaItemKind, SessionKind


@dataclass(frozen=True)
class OrganizationRecord:
    """Found by `name`."""

    name: str
    short_name: str
    kind: OrganizationKind
    country: str
    membership_status: MembershipStatus
    joined_on: datetime.date | None = None
    parent: str | None = None  # short name of the organization it belongs to
    website: str = ""
    is_sample: bool = True


@dataclass(frozen=True)
class BodyRecord:
    """Found by its organization and `kind`."""

    organization: str
    kind: BodyKind
    name: str


@dataclass(frozen=True)
class PersonRecord:
    """Found by `slug`. A sample person gets an address at example.org, which never delivers."""

    slug: str
    honorific: str
    given_name: str
    family_name: str
    organization: str | None
    country: str
    name_order: NameOrder = NameOrder.GIVEN_FIRST
    is_sample: bool = True


@dataclass(frozen=True)
class PositionRecord:
    """Found by person, role, start date and the body or organization it is held in."""

    person: str
    role: Role
    start_date: datetime.date
    body: BodyKind | None = None  # a body of ANSO
    organization: str | None = None
    appointed_by: str | None = None
    title: str = ""


@dataclass(frozen=True)
class ProgressRecord:
    """A progress note of an action, found by its action, date and meeting: reported at the
    working-group meeting of the report (`at_meeting`), or between meetings."""

    date: datetime.date
    text: str
    at_meeting: bool = False


@dataclass(frozen=True)
class ActionRecord:
    """Found by `title`; endorsed by the decision that lists it. At most one owner: an
    organization (by its short name), a body of ANSO or a person (by their slug)."""

    title: str
    description: str
    status: ActionStatus = ActionStatus.ENDORSED
    owner_organization: str | None = None
    owner_body: BodyKind | None = None
    owner_person: str | None = None
    due_date: datetime.date | None = None
    progress: tuple[ProgressRecord, ...] = ()


@dataclass(frozen=True)
class DecisionRecord:
    """Found by its meeting and its place in the meeting's list."""

    text: str
    endorses: tuple[ActionRecord, ...] = ()


@dataclass(frozen=True)
class ParticipationRecord:
    """Found by meeting and person; the organization and country are the person's."""

    person: str
    capacity: Capacity
    status: ParticipationStatus = ParticipationStatus.ATTENDED
    listed_publicly: bool = True


@dataclass(frozen=True)
class AgendaItemRecord:
    """Found by its session and its place in the session."""

    kind: AgendaItemKind
    title: str
    description: str = ""
    speaker: str | None = None
    speaker_capacity: str = ""
    action: str | None = None  # title of the action it presents or discusses


@dataclass(frozen=True)
class SessionRecord:
    """Found by its meeting and its place in the meeting."""

    title: str
    kind: SessionKind
    date: datetime.date
    items: tuple[AgendaItemRecord, ...]
    chair: str | None = None
    chair_capacity: str = ""


@dataclass(frozen=True)
class MeetingRecord:
    """Found by its body (of ANSO) and `number`."""

    body: BodyKind
    number: int
    start_date: datetime.date
    end_date: datetime.date
    city: str
    country: str
    summary: str
    venue: str = ""
    reported_attendance: str = ""
    is_published: bool = True
    decisions: tuple[DecisionRecord, ...] = ()
    participations: tuple[ParticipationRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()


@dataclass(frozen=True)
class UpcomingMeetingRecord:
    """A meeting some days from today with its registration open; found by body and `number`,
    created once and then left as it is, apart from keeping its registration open."""

    body: BodyKind
    number: int
    starts_in_days: int
    days: int
    venue: str
    city: str
    country: str
    summary: str
    capacity: int
    registration_closes_in_days: int


@dataclass(frozen=True)
class MinutesPartRecord:
    """Found by its minutes and its place in them: the part of the agenda item at `item`
    (counted from 1) of the session at `session`, or, with `session` 0, a part with a
    `heading` of its own. Text in Markdown."""

    text: str
    session: int = 0
    item: int = 0
    heading: str = ""
