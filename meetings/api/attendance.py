"""Attendance figures (docs/api.md): each published meeting's figures from
`attendance_summary` and `attendance_counts_by_meeting`, the list's in one query; what the
meetings' endpoint shares with it (the filter, the figures of a page of meetings)."""

import sys

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from anso.links import absolute_url
from members.api import (
    LANG_PARAMETER,
    CountryObjectField,
    PublicReadOnlyViewSet,
)

from .. import selectors
from ..attendance.selectors import (
    attendance_counts_by_meeting,
    attendance_summary,
)
from ..models import Meeting


class AttendanceCountsSerializer(serializers.Serializer):
    """A meeting's figures (docs/public-site.md, "Attendance figures"): who attended, the
    member organizations present and their delegates, the other participants, the countries
    and regions; before the meeting, its registrations."""

    attended = serializers.IntegerField()
    member_organizations = serializers.IntegerField()
    member_delegates = serializers.IntegerField()
    other_participants = serializers.IntegerField()
    countries = serializers.IntegerField()
    registered = serializers.IntegerField()
    registered_organizations = serializers.IntegerField()
    registered_countries = serializers.IntegerField()


class CountryRowSerializer(serializers.Serializer):
    country = CountryObjectField()
    participants = serializers.IntegerField(source="value")


class OrganizationRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    participants = serializers.IntegerField(source="value")


class AttendanceSummarySerializer(AttendanceCountsSerializer):
    by_country = CountryRowSerializer(many=True)
    by_organization = OrganizationRowSerializer(many=True)
    reported = serializers.CharField(allow_blank=True)


class MeetingFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug", help_text="A body's slug.")
    year = django_filters.NumberFilter(field_name="start_date__year", help_text="The year held.")
    country = django_filters.CharFilter(
        field_name="country", lookup_expr="iexact", help_text="ISO code of the country or region."
    )

    class Meta:
        model = Meeting
        fields = ("body", "year", "country")


def _with_counts(meetings: list[Meeting]) -> list[Meeting]:
    counts = attendance_counts_by_meeting(meeting_ids=[meeting.pk for meeting in meetings])
    for meeting in meetings:
        meeting.attendance_counts = counts[meeting.pk]
    return meetings


def summary_of(meeting: Meeting) -> dict:
    # Every organization's row: the page folds those beyond its chart's first ones.
    summary = attendance_summary(meeting_id=meeting.pk, top=sys.maxsize)
    return {
        **{name: getattr(summary, name) for name in AttendanceCountsSerializer._declared_fields},
        "by_country": summary.by_country,
        "by_organization": summary.by_organization,
        "reported": meeting.reported_attendance,
    }


class ListWithCounts:
    """A list whose page of meetings gets its attendance figures in one query."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        meetings = _with_counts(list(page))
        return self.get_paginated_response(self.get_serializer(meetings, many=True).data)


class MeetingFiguresSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    attendance = AttendanceCountsSerializer(source="attendance_counts")
    meeting = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ("id", "slug", "title", "start_date", "meeting", "attendance")

    def get_meeting(self, meeting) -> str:
        return absolute_url(reverse("api:meeting-detail", kwargs={"slug": meeting.slug}))


class MeetingFiguresDetailSerializer(MeetingFiguresSerializer):
    attendance = AttendanceSummarySerializer(source="attendance_summary")


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class AttendanceViewSet(ListWithCounts, PublicReadOnlyViewSet):
    """Each published meeting's attendance figures (`attendance_summary`: the same figures
    as the meeting's page); a meeting's own answer adds them by country and organization."""

    queryset = selectors.meeting_list()
    filterset_class = MeetingFilter
    lookup_field = "slug"
    cursor_ordering = ("-start_date", "-pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MeetingFiguresDetailSerializer
        return MeetingFiguresSerializer

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        meeting.attendance_summary = summary_of(meeting)
        return Response(self.get_serializer(meeting).data)
