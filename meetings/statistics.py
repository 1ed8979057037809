"""Attendance statistics: reads only, each a fixed number of aggregate queries.

Definitions (used on the public meeting page, the Secretariat dashboard and the report):
- participants: attended participations;
- member organizations present: distinct organizations of attended participations that were
  members of the alliance on the meeting's start date (`Organization.objects.members_on`);
- other participants: attended participants who did not come for such a member organization;
- countries and regions: distinct non-blank countries of attended participations.
"""

import dataclasses

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django_countries import countries

from members.models import MembershipStatus, Organization

from .models import SEAT_STATUSES, Meeting, Participation, ParticipationStatus


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    value: int


@dataclasses.dataclass(frozen=True)
class MeetingStatistics:
    registered: int  # holding a seat: registered, confirmed or attended
    attended: int
    waitlisted: int
    cancelled: int
    member_organizations: int
    from_member_organizations: int
    countries: int
    by_country: list[Row]
    by_organization: list[Row]

    @property
    def other_participants(self) -> int:
        return self.attended - self.from_member_organizations

    @property
    def has_attendance(self) -> bool:
        return self.attended > 0


def _member_on_meeting_date(prefix: str = "") -> Q:
    """Q for 'the organization at `prefix` was a member on the meeting's start date', for
    queries over many meetings at once; the same rule as `Organization.objects.members_on`."""
    org = f"{prefix}organization__"
    date = F("meeting__start_date") if prefix == "" else F("start_date")
    return (
        Q(**{f"{org}membership_status": MembershipStatus.MEMBER})
        | Q(
            **{
                f"{org}membership_status": MembershipStatus.FORMER,
                f"{org}left_on__gte": date,
            }
        )
    ) & (Q(**{f"{org}joined_on__isnull": True}) | Q(**{f"{org}joined_on__lte": date}))


def meeting_statistics(meeting: Meeting, *, top: int = 15) -> MeetingStatistics:
    """The figures of one meeting: three aggregate queries, whatever the number of records."""
    participations = Participation.objects.filter(meeting=meeting)
    attended = participations.filter(status=ParticipationStatus.ATTENDED)
    members = Organization.objects.members_on(meeting.start_date).values("pk")
    totals = participations.aggregate(
        registered=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        attended=Count("pk", filter=Q(status=ParticipationStatus.ATTENDED)),
        waitlisted=Count("pk", filter=Q(status=ParticipationStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=ParticipationStatus.CANCELLED)),
        member_organizations=Count(
            "organization",
            distinct=True,
            filter=Q(status=ParticipationStatus.ATTENDED, organization__in=members),
        ),
        from_member_organizations=Count(
            "pk", filter=Q(status=ParticipationStatus.ATTENDED, organization__in=members)
        ),
        countries=Count(
            "country", distinct=True, filter=Q(status=ParticipationStatus.ATTENDED) & ~Q(country="")
        ),
    )
    by_country = [
        Row(label=countries.name(row["country"]) or row["country"], value=row["n"])
        for row in attended.exclude(country="")
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
    ]
    by_organization = [
        Row(label=row["organization__name"] or row["organization_name"] or "—", value=row["n"])
        for row in attended.values("organization__name", "organization_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__name", "organization_name")[:top]
    ]
    return MeetingStatistics(**totals, by_country=by_country, by_organization=by_organization)


@dataclasses.dataclass(frozen=True)
class MeetingTrend:
    meeting: Meeting
    registered: int
    attended: int
    member_organizations: int
    countries: int


def meeting_trends(meetings=None) -> list[MeetingTrend]:
    """Registered, attended, member organizations present and countries for each meeting,
    oldest first: one query."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    attended = Q(participations__status=ParticipationStatus.ATTENDED)
    rows = (
        meetings.select_related("body")
        .annotate(
            n_registered=Count(
                "participations",
                distinct=True,
                filter=Q(participations__status__in=SEAT_STATUSES),
            ),
            n_attended=Count("participations", distinct=True, filter=attended),
            n_member_organizations=Count(
                "participations__organization",
                distinct=True,
                filter=attended & _member_on_meeting_date("participations__"),
            ),
            n_countries=Count(
                "participations__country",
                distinct=True,
                filter=attended & ~Q(participations__country=""),
            ),
        )
        .order_by("start_date", "pk")
    )
    return [
        MeetingTrend(
            meeting=row,
            registered=row.n_registered,
            attended=row.n_attended,
            member_organizations=row.n_member_organizations,
            countries=row.n_countries,
        )
        for row in rows
    ]


def participants_by_country(meetings=None, *, top: int = 20) -> list[Row]:
    """Attended participations across meetings, by country or region: one query."""
    qs = Participation.objects.attended().exclude(country="")
    if meetings is not None:
        qs = qs.filter(meeting__in=meetings)
    return [
        Row(label=countries.name(row["country"]) or row["country"], value=row["n"])
        for row in qs.values("country").annotate(n=Count("pk")).order_by("-n", "country")[:top]
    ]


def participants_by_membership(meetings=None) -> list[Row]:
    """Attended participations across meetings: from member organizations (on each meeting's
    date) versus others. One query."""
    qs = Participation.objects.attended()
    if meetings is not None:
        qs = qs.filter(meeting__in=meetings)
    totals = qs.aggregate(
        members=Count("pk", filter=_member_on_meeting_date()),
        total=Count("pk"),
    )
    return [
        Row(label=str(_("member organizations")), value=totals["members"]),
        Row(label=str(_("others")), value=totals["total"] - totals["members"]),
    ]


def participants_by_organization(meetings=None, *, top: int = 20) -> list[Row]:
    """Attended participations across meetings by organization (the top ones): one query."""
    qs = Participation.objects.attended().filter(organization__isnull=False)
    if meetings is not None:
        qs = qs.filter(meeting__in=meetings)
    return [
        Row(label=row["organization__name"], value=row["n"])
        for row in qs.values("organization__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__name")[:top]
    ]
