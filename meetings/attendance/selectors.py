"""Reads about attendance. `attendance_summary` is the one place where a meeting's attendance
figures are computed: the public meeting page, the statistics dashboard (through
`attendance_counts_by_meeting`), the meeting admin, the check-in counter and the report all use
it, so they agree by construction.

The definitions:

- registered: participations that hold or held a seat (registered, confirmed, attended, and
  absent: an absent registrant was registered but did not attend);
- attended (the participants): participations with status "attended";
- member-organization delegates: attended participations in the capacity "member-organization
  delegate" whose organization was a member of the alliance on the meeting's start date
  (`Organization.objects.members_on`);
- member organizations: the distinct organizations of those delegates;
- other participants: every other attended participation (another capacity, an organization
  that was not a member then or typed in, or no organization): attended minus delegates;
- countries and regions: distinct non-blank countries of attended participations;
- before a meeting, the organizations and countries of its registrants: distinct
  organizations (chosen from the list, or typed in, by name) and distinct non-blank countries
  of registered participations.
"""

import dataclasses
import datetime
import functools

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from anso.text.dates import format_datetime
from anso.text.languages import localized_columns

from ..models import Meeting
from .models import (
    REGISTERED_STATUSES,
    Participation,
    ParticipationStatus,
    RegistrationMode,
    RegistrationWindow,
    member_delegate,
)

#: Rows a by-organization or by-country chart shows before folding the rest into one row.
CHART_ROWS = 15


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    value: int


@dataclasses.dataclass(frozen=True)
class OthersRow(Row):
    """The rows beyond the first ones of a chart, summed: `count` of them. Charts show it as
    a line under the bars, never as a bar on their scale (it may be longer than any)."""

    count: int


@dataclasses.dataclass(frozen=True)
class CountryRow:
    country: Country
    value: int

    @property
    def label(self) -> str:
        return str(self.country.name)


@dataclasses.dataclass(frozen=True)
class AttendanceCounts:
    """The figures of one meeting (see the module's definitions)."""

    registered: int
    attended: int
    waitlisted: int
    cancelled: int
    member_organizations: int
    member_delegates: int
    countries: int
    #: Before the meeting: where its registrants come from.
    registered_organizations: int
    registered_countries: int

    @property
    def other_participants(self) -> int:
        return self.attended - self.member_delegates

    @property
    def has_attendance(self) -> bool:
        return self.attended > 0


@dataclasses.dataclass(frozen=True)
class AttendanceSummary(AttendanceCounts):
    """The figures of one meeting with its rows by country or region and by organization;
    `by_organization` ends with an `OthersRow` for the organizations beyond the first ones
    (`other_organizations` of them)."""

    by_country: list[CountryRow]
    by_organization: list[Row]
    other_organizations: int


def count_expressions(*, through: str = "") -> dict:
    """The aggregates behind `AttendanceCounts`, over a meeting's participations; `through`
    is the path from the queried model to the participations ("participations__" to annotate
    meetings)."""
    attended = Q(**{f"{through}status": ParticipationStatus.ATTENDED})
    registered = Q(**{f"{through}status__in": REGISTERED_STATUSES})
    delegate = attended & member_delegate(through=through)
    # An organization of the list by its id, one typed in by its name.
    organization = Coalesce(
        Cast(f"{through}organization_id", CharField()),
        NullIf(Lower(f"{through}organization_name"), Value("")),
    )
    # From a meeting, the participations are a join: each is counted once.
    counted = f"{through}pk" if through else "pk"
    distinct = bool(through)
    return {
        "registered": Count(counted, distinct=distinct, filter=registered),
        "attended": Count(counted, distinct=distinct, filter=attended),
        "waitlisted": Count(
            counted,
            distinct=distinct,
            filter=Q(**{f"{through}status": ParticipationStatus.WAITLISTED}),
        ),
        "cancelled": Count(
            counted,
            distinct=distinct,
            filter=Q(**{f"{through}status": ParticipationStatus.CANCELLED}),
        ),
        "member_organizations": Count(f"{through}organization", distinct=True, filter=delegate),
        "member_delegates": Count(counted, distinct=distinct, filter=delegate),
        "countries": Count(
            f"{through}country",
            distinct=True,
            filter=attended & ~Q(**{f"{through}country": ""}),
        ),
        "registered_organizations": Count(organization, distinct=True, filter=registered),
        "registered_countries": Count(
            f"{through}country",
            distinct=True,
            filter=registered & ~Q(**{f"{through}country": ""}),
        ),
    }


@functools.cache
def _counts_per_meeting() -> QuerySet[Participation]:
    """The figures grouped by meeting, built once per process: resolving the nine aggregates
    (two with a subquery) took longer than running the query."""
    return Participation.objects.order_by().values("meeting_id").annotate(**count_expressions())


_COUNT_NAMES = [field.name for field in dataclasses.fields(AttendanceCounts)]


def attendance_counts(*, meeting_id: int) -> AttendanceCounts:
    """The figures of one meeting: one aggregate query."""
    rows = list(_counts_per_meeting().filter(meeting_id=meeting_id).values_list(*_COUNT_NAMES))
    return AttendanceCounts(*rows[0]) if rows else AttendanceCounts(*[0] * len(_COUNT_NAMES))


def attendance_counts_by_meeting(*, meeting_ids: list[int]) -> dict[int, AttendanceCounts]:
    """The figures of each of these meetings (those of `attendance_counts`): one query,
    whatever the number of meetings."""
    rows = _counts_per_meeting().filter(meeting_id__in=meeting_ids)
    counts = {
        meeting_id: AttendanceCounts(*figures)
        for meeting_id, *figures in rows.values_list("meeting_id", *_COUNT_NAMES)
    }
    none = AttendanceCounts(*[0] * len(_COUNT_NAMES))
    return {pk: counts.get(pk, none) for pk in meeting_ids}


def fold_rows(rows: list[Row], *, top: int, others_label) -> tuple[list[Row], int]:
    """The first `top` rows, and an `OthersRow` summing the rest, labelled by
    `others_label(count)`; returns the rows and how many were folded."""
    if len(rows) <= top:
        return rows, 0
    rest = rows[top:]
    others = OthersRow(
        label=others_label(len(rest)), value=sum(r.value for r in rest), count=len(rest)
    )
    return [*rows[:top], others], len(rest)


def other_organizations_label(count: int) -> str:
    return ngettext(
        "and %(count)d other organization", "and %(count)d other organizations", count
    ) % {"count": count}


def other_countries_label(count: int) -> str:
    return ngettext(
        "and %(count)d other country or region", "and %(count)d other countries and regions", count
    ) % {"count": count}


def organization_rows(participations: QuerySet[Participation]) -> list[Row]:
    """Participations by organization (as listed, or as typed when not in the list), most
    first: one query."""
    own, english = (f"organization__{column}" for column in localized_columns("name"))
    rows = (
        participations.order_by()
        .values(*dict.fromkeys((own, english, "organization_name")))
        .annotate(n=Count("pk"))
        .order_by("-n", english, "organization_name")
    )
    return [
        Row(label=row[own] or row[english] or row["organization_name"] or "—", value=row["n"])
        for row in rows
    ]


def country_rows(participations: QuerySet[Participation]) -> list[CountryRow]:
    """Participations by country or region (blank left out), most first, then by name: one
    query."""
    rows = (
        participations.exclude(country="")
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    return sorted(
        (CountryRow(country=Country(code=code), value=n) for code, n in rows),
        key=lambda row: (-row.value, row.label),
    )


def attendance_summary(*, meeting_id: int, top: int = CHART_ROWS) -> AttendanceSummary:
    """The figures of one meeting with its rows by country or region and by organization:
    three queries, whatever the number of records (one when nobody attended)."""
    counts = attendance_counts(meeting_id=meeting_id)
    if not counts.attended:  # no rows to count: one query (a meeting still to come)
        return AttendanceSummary(
            **dataclasses.asdict(counts), by_country=[], by_organization=[], other_organizations=0
        )
    attended = Participation.objects.filter(meeting_id=meeting_id).attended()
    by_organization, folded = fold_rows(
        organization_rows(attended), top=top, others_label=other_organizations_label
    )
    return AttendanceSummary(
        **dataclasses.asdict(counts),
        by_country=country_rows(attended),
        by_organization=by_organization,
        other_organizations=folded,
    )


def meeting_public_participants(*, meeting_id: int) -> QuerySet[Participation]:
    """Attended participants who agreed to be listed: name, organization (as listed or as
    typed) and country only."""
    return (
        Participation.objects.filter(meeting_id=meeting_id)
        .attended()
        .listed_publicly()
        .select_related("person", "organization")
        .only(
            "pk",
            "country",
            "organization_name",
            "person__id",
            "person__honorific",
            "person__given_name",
            "person__family_name",
            "person__name_order",
            "person__name_original",
            "person__slug",
            "organization__id",
            "organization__name_en",
            "organization__name_zh_hans",
            "organization__slug",
            "organization__membership_status",
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


# --- registration ---------------------------------------------------------------------------


def seats_left(*, window: RegistrationWindow, taken: int | None = None) -> int | None:
    """Seats still free under the window's capacity; None when there is no limit. One query
    (none without a limit, or given the seats `taken`, from `seats_taken_by_meeting`)."""
    if window.capacity is None:
        return None
    if taken is None:
        taken = Participation.objects.filter(meeting_id=window.meeting_id).holding_seats().count()
    return max(window.capacity - taken, 0)


def seats_taken_by_meeting(*, meeting_ids: list[int]) -> dict[int, int]:
    """The seats held at each of these meetings (those `seats_left` counts): one query."""
    taken = dict(
        Participation.objects.filter(meeting_id__in=meeting_ids)
        .holding_seats()
        .order_by()
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    return {pk: taken.get(pk, 0) for pk in meeting_ids}


def registration_closed_message(
    *, window: RegistrationWindow | None, now: datetime.datetime, invitation: str = ""
) -> str:
    """Why the visitor may not register now (for the visitor), or "" when they may."""
    if window is None or not window.meeting.is_published:
        return _("This meeting does not take registrations.")
    if now < window.opens_at:
        return _("Registration opens on %(date)s.") % {"date": format_datetime(window.opens_at)}
    if now >= window.closes_at:
        return _("Registration for this meeting has closed.")
    if window.mode == RegistrationMode.INVITATION and not constant_time_compare(
        invitation or "", window.invitation_token
    ):
        return _(
            "Registration for this meeting is by invitation only. "
            "Please use the link in your invitation."
        )
    return ""


@dataclasses.dataclass(frozen=True)
class RegistrationState:
    window: RegistrationWindow | None
    closed_message: str
    seats_left: int | None


def registration_state(
    *, meeting: Meeting, invitation: str = "", now: datetime.datetime | None = None
) -> RegistrationState:
    """The registration window of a meeting, why registration is closed to this visitor (or
    ""), and the seats left while it is open: two queries at most."""
    window = RegistrationWindow.objects.filter(meeting=meeting).first()
    if window is None:
        return RegistrationState(window=None, closed_message="", seats_left=None)
    window.meeting = meeting
    closed = registration_closed_message(
        window=window, now=now or timezone.now(), invitation=invitation
    )
    return RegistrationState(
        window=window,
        closed_message=closed,
        seats_left=None if closed else seats_left(window=window),
    )


# --- check-in -------------------------------------------------------------------------------

#: Rows the check-in page lists at most; a search narrows them.
CHECK_IN_LIMIT = 100


def check_in_rows(
    *, meeting_id: int, query: str = "", participation_id: int | None = None
) -> list[Participation]:
    """The participations the check-in page lists, searched by name (in Latin letters or in
    the original script), email or organization (in either language), or the one a badge's
    code names (`participation_id`): one query."""
    qs = (
        Participation.objects.filter(meeting_id=meeting_id)
        .exclude(status=ParticipationStatus.CANCELLED)
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    if participation_id is not None:
        qs = qs.filter(pk=participation_id)
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(person__family_name__icontains=word)
            | Q(person__given_name__icontains=word)
            | Q(person__name_original__icontains=word)
            | Q(person__email__icontains=word)
            | Q(organization__name_en__icontains=word)
            | Q(organization__name_zh_hans__icontains=word)
            | Q(organization__short_name_en__icontains=word)
            | Q(organization__short_name_zh_hans__icontains=word)
            | Q(organization_name__icontains=word)
        )
    return list(qs[:CHECK_IN_LIMIT])
