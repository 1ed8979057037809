"""People as their public pages show them (docs/api.md): `people_shown`, with their listed
positions and the meetings they attended and spoke at."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from members.api import (
    LANG_PARAMETER,
    OrganizationBriefSerializer,
    PageLinkField,
    PersonSerializer,
    PublicReadOnlyViewSet,
)
from members.models import MembershipStatus, Person
from members.selectors import person_positions

from .. import selectors


class PersonPositionSerializer(serializers.Serializer):
    label = serializers.CharField()
    body = serializers.SerializerMethodField()
    organization = OrganizationBriefSerializer(allow_null=True)
    appointed_by = OrganizationBriefSerializer(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    def get_body(self, position) -> str | None:
        return position.body.name if position.body_id else None


class MeetingLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    page = PageLinkField()


class PersonDetailSerializer(PersonSerializer):
    positions = serializers.SerializerMethodField()
    meetings_attended = serializers.SerializerMethodField()
    meetings_spoken_at = serializers.SerializerMethodField()

    @extend_schema_field(PersonPositionSerializer(many=True))
    def get_positions(self, person):
        return PersonPositionSerializer(person_positions(person=person), many=True).data

    @extend_schema_field(MeetingLinkSerializer(many=True))
    def get_meetings_attended(self, person):
        attended = selectors.meetings_attended_by_person(person=person)
        return MeetingLinkSerializer([p.meeting for p in attended], many=True).data

    @extend_schema_field(MeetingLinkSerializer(many=True))
    def get_meetings_spoken_at(self, person):
        meetings = {}
        for talk in selectors.person_talks(person=person):
            meeting = talk.item.session.meeting
            meetings.setdefault(meeting.pk, meeting)
        return MeetingLinkSerializer(meetings.values(), many=True).data


class PersonFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(
        field_name="country",
        lookup_expr="iexact",
        help_text="People of this country or region (ISO code).",
    )
    organization = django_filters.CharFilter(
        field_name="organization__slug", help_text="An organization's slug."
    )
    member = django_filters.BooleanFilter(
        method="of_members", help_text="Only people of current member organizations."
    )

    class Meta:
        model = Person
        fields = ("country", "organization", "member")

    def of_members(self, queryset, name, value):
        if value is None:
            return queryset
        member = {"organization__membership_status": MembershipStatus.MEMBER}
        return queryset.filter(**member) if value else queryset.exclude(**member)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class PersonViewSet(PublicReadOnlyViewSet):
    """People who have a public page (`people_shown`), by the name, organization and country
    their page shows."""

    queryset = selectors.people_shown()
    filterset_class = PersonFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer
