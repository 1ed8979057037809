"""Attendance statistics for the Secretariat's dashboard: figures per meeting and across
meetings, each a fixed number of queries. The figures of each meeting are the aggregates of
`selectors.count_expressions`, the same as the meeting page's `selectors.attendance_summary`;
the definitions are in `meetings.attendance.selectors`."""

import dataclasses

import tablib
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from ..models import Meeting
from .models import Participation, member_delegate
from .selectors import (
    AttendanceCounts,
    Row,
    count_expressions,
    country_rows,
    fold_rows,
    organization_rows,
    other_countries_label,
    other_organizations_label,
)

#: Rows a chart across meetings shows before folding the rest into one row.
DASHBOARD_ROWS = 20


@dataclasses.dataclass(frozen=True)
class MeetingTrend(AttendanceCounts):
    meeting: Meeting
    #: Participation records of any status: none means the figures are unknown, not zero.
    records: int

    @property
    def has_records(self) -> bool:
        return self.records > 0


def meeting_trends(*, meetings: QuerySet[Meeting] | None = None) -> list[MeetingTrend]:
    """The figures of each meeting, oldest first: one query, with the aggregates of
    `selectors.attendance_counts` and the number of participation records."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    expressions = count_expressions(through="participations__")
    rows = (
        meetings.select_related("body")
        .annotate(
            n_records=Count("participations__pk", distinct=True),
            **{f"n_{name}": expression for name, expression in expressions.items()},
        )
        .order_by("start_date", "pk")
    )
    return [
        MeetingTrend(
            meeting=row,
            records=row.n_records,
            **{name: getattr(row, f"n_{name}") for name in expressions},
        )
        for row in rows
    ]


def _attended(meetings: QuerySet[Meeting] | None) -> QuerySet[Participation]:
    qs = Participation.objects.attended()
    return qs if meetings is None else qs.filter(meeting__in=meetings)


def participants_by_country(
    *, meetings: QuerySet[Meeting] | None = None, top: int = DASHBOARD_ROWS
) -> list[Row]:
    """Attended participations across meetings, by country or region, the rest folded into
    one row: one query."""
    rows = [Row(label=row.label, value=row.value) for row in country_rows(_attended(meetings))]
    return fold_rows(rows, top=top, others_label=other_countries_label)[0]


def participants_by_membership(*, meetings: QuerySet[Meeting] | None = None) -> list[Row]:
    """Attended participations across meetings: member-organization delegates (members on
    each meeting's date) and other participants; no rows when nobody attended. One query."""
    totals = _attended(meetings).aggregate(
        delegates=Count("pk", filter=member_delegate()), total=Count("pk")
    )
    if not totals["total"]:
        return []
    return [
        Row(label=_("member-organization delegates"), value=totals["delegates"]),
        Row(label=_("other participants"), value=totals["total"] - totals["delegates"]),
    ]


def _organization_rows(meetings: QuerySet[Meeting] | None) -> list[Row]:
    return organization_rows(_attended(meetings).exclude(organization=None, organization_name=""))


def participants_by_organization(
    *, meetings: QuerySet[Meeting] | None = None, top: int = DASHBOARD_ROWS
) -> list[Row]:
    """Attended participations across meetings by organization, the rest folded into one
    row: one query."""
    rows = _organization_rows(meetings)
    return fold_rows(rows, top=top, others_label=other_organizations_label)[0]


# --- the export -------------------------------------------------------------------------------


def _meetings_dataset(meetings: QuerySet[Meeting] | None) -> tablib.Dataset:
    """One row per meeting, oldest first; a meeting without any record has its figures
    blank (unknown), not zero."""
    dataset = tablib.Dataset(
        headers=[
            _("Meeting"),
            _("Body"),
            _("Start date"),
            _("End date"),
            _("Records"),
            _("Registered"),
            _("Attended"),
            _("Member organizations"),
            _("Member-organization delegates"),
            _("Other participants"),
            _("Countries and regions"),
        ]
    )
    for trend in meeting_trends(meetings=meetings):
        meeting = trend.meeting
        figures = (
            trend.registered,
            trend.attended,
            trend.member_organizations,
            trend.member_delegates,
            trend.other_participants,
            trend.countries,
        )
        dataset.append(
            [
                str(meeting),
                str(meeting.body),
                meeting.start_date,
                meeting.end_date,
                trend.records,
                *(figures if trend.has_records else [""] * len(figures)),
            ]
        )
    return dataset


def _countries_dataset(meetings: QuerySet[Meeting] | None) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[_("Country or region code"), _("Country or region"), _("Participants")]
    )
    for row in country_rows(_attended(meetings)):
        dataset.append([row.country.code, row.label, row.value])
    return dataset


def _organizations_dataset(meetings: QuerySet[Meeting] | None) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[_("Organization"), _("Participants")])
    for row in _organization_rows(meetings):
        dataset.append([row.label, row.value])
    return dataset


#: The tables of the export: the figures by meeting, and attended participations by country
#: or region and by organization, every row (none folded). Counts only: no person.
EXPORT_TABLES = {
    "meetings": _meetings_dataset,
    "countries": _countries_dataset,
    "organizations": _organizations_dataset,
}


def statistics_dataset(*, table: str, meetings: QuerySet[Meeting] | None = None) -> tablib.Dataset:
    """One table of the figures (a key of EXPORT_TABLES) for the meetings: one query."""
    return EXPORT_TABLES[table](meetings)
