"""The read-only JSON API of the meetings (docs/api.md): meetings with their programme,
decisions, public documents and listed participants; attendance figures; the action plan;
people as their public pages show them. Built on what `members.api` shares; every field comes
from the public pages' selectors (`meeting_programme`, `meeting_documents` for the public,
`meeting_public_participants`, `attendance_summary`, `attendance_counts_by_meeting`,
`action_with_presentations`, `people_shown`)."""

import sys

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from anso.links import absolute_url
from members.api import (
    LANG_PARAMETER,
    CountryObjectField,
    OrganizationBriefSerializer,
    PageLinkField,
    PersonSerializer,
    PublicReadOnlyViewSet,
)
from members.models import Body, BodyKind, MembershipStatus, Person
from members.selectors import person_positions

from . import selectors
from .attendance.selectors import (
    attendance_counts_by_meeting,
    attendance_summary,
    meeting_public_participants,
)
from .documents.access import Audience
from .documents.listing import meeting_documents
from .models import Action, ActionStatus, Decision, DecisionState, Meeting
from .record.selectors import minutes_shown
from .record.votes.models import Choice, Majority, VoteMethod
from .record.votes.selectors import vote_result

# --- Attendance figures -----------------------------------------------------------------------


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


# --- Meetings ---------------------------------------------------------------------------------


class BodyBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=BodyKind.choices)

    class Meta:
        model = Body
        fields = ("id", "slug", "kind", "name")


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    venue = serializers.CharField()
    city = serializers.CharField()
    country = CountryObjectField()
    summary = serializers.CharField()
    body = BodyBriefSerializer()
    attendance = AttendanceCountsSerializer(source="attendance_counts")
    page = PageLinkField()

    class Meta:
        model = Meeting
        fields = (
            "id", "slug", "number", "title", "body", "start_date", "end_date", "venue", "city",
            "country", "summary", "attendance", "page",
        )  # fmt: skip


class LinkedNameSerializer(serializers.Serializer):
    """A chair or a speaker as the programme names them, with their public page."""

    name = serializers.CharField()
    page = serializers.SerializerMethodField()

    def get_page(self, row) -> str:
        return absolute_url(row.url)


class SpeakerSerializer(LinkedNameSerializer):
    capacity = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    speakers = SpeakerSerializer(many=True)
    action = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "status": {"type": "string"},
                "page": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_action(self, row):
        if not row.action_id:
            return None
        return {
            "id": row.action_id,
            "title": row.action_title,
            "status": row.action_status,
            "page": absolute_url(row.action_url),
        }


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    order = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    chair = LinkedNameSerializer(allow_null=True)
    chair_capacity = serializers.CharField()
    items = AgendaItemSerializer(many=True)


class NamedBallotSerializer(serializers.Serializer):
    organization = serializers.CharField()
    choice = serializers.ChoiceField(choices=Choice.choices)
    delegate = serializers.CharField(allow_blank=True)


class DelegationRowSerializer(serializers.Serializer):
    organization = serializers.CharField()
    delegate = serializers.CharField()


class VoteResultSerializer(serializers.Serializer):
    """A closed vote's result, from `vote_result` (the public result page's count): the
    counts, the quorum, the majority and the outcome; per organization only when the vote
    was named (empty when secret). Organizations only, never people."""

    method = serializers.ChoiceField(choices=VoteMethod.choices, source="vote.method")
    majority = serializers.ChoiceField(choices=Majority.choices, source="vote.majority")
    secret = serializers.BooleanField(source="vote.secret")
    closed_at = serializers.DateTimeField(source="vote.closed_at")
    electorate = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    quorum_reached = serializers.BooleanField()
    majority_reached = serializers.BooleanField()
    passed = serializers.BooleanField()
    ballots = serializers.SerializerMethodField()
    delegations = DelegationRowSerializer(many=True)
    page = serializers.SerializerMethodField()

    @extend_schema_field(NamedBallotSerializer(many=True))
    def get_ballots(self, result):
        codes = {str(label): value for value, label in Choice.choices}
        return [
            {"organization": b.organization, "choice": codes[b.choice], "delegate": b.delegate}
            for b in result.ballots
        ]

    def get_page(self, result) -> str:
        return absolute_url(result.vote.get_absolute_url())


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    text = serializers.CharField()
    state = serializers.ChoiceField(choices=DecisionState.choices)
    vote_result = VoteResultSerializer(allow_null=True)


class MinutesPartSerializer(serializers.Serializer):
    """A part of the approved minutes: its heading (the agenda item's title where it has
    none) and its text as Markdown, in the answer's language (English where the translation
    is missing)."""

    heading = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    agenda_item = serializers.IntegerField(source="item_id", allow_null=True)


class MinutesSerializer(serializers.Serializer):
    approved_at = serializers.DateTimeField()
    parts = MinutesPartSerializer(source="parts_shown", many=True)
    page = serializers.SerializerMethodField()

    def get_page(self, minutes) -> str:
        return absolute_url(minutes.get_absolute_url())


class DocumentSerializer(serializers.Serializer):
    """A public document of the meeting, as its page lists it; `url` is its latest file."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    kind = serializers.CharField()
    language = serializers.CharField()
    type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    session = serializers.IntegerField(source="session_id", allow_null=True)
    agenda_item = serializers.IntegerField(source="agenda_item_id", allow_null=True)

    def get_url(self, row) -> str:
        return absolute_url(row.url)


class PersonLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    page = serializers.URLField()


class ParticipantSerializer(serializers.Serializer):
    """An attended participant who agreed to be listed: name, organization (as listed or as
    typed), country. Never an email or a phone."""

    person = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization_label")
    country = CountryObjectField()

    @extend_schema_field(PersonLinkSerializer())
    def get_person(self, participation):
        person = participation.person
        return {
            "id": person.pk,
            "slug": person.slug,
            "name": person.display_name,
            "page": absolute_url(person.get_absolute_url()),
        }


class MeetingDetailSerializer(MeetingSerializer):
    reported_attendance = serializers.CharField()
    sessions = SessionSerializer(source="programme.sessions", many=True)
    decisions = DecisionSerializer(source="decisions_shown", many=True)
    minutes = MinutesSerializer(source="minutes_shown", allow_null=True)
    documents = DocumentSerializer(source="public_documents", many=True)
    participants = ParticipantSerializer(source="public_participants", many=True)
    attendance = AttendanceSummarySerializer(source="attendance_summary")

    class Meta(MeetingSerializer.Meta):
        fields = (
            *MeetingSerializer.Meta.fields,
            "reported_attendance", "sessions", "decisions", "minutes", "documents",
            "participants",
        )  # fmt: skip


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


def _decisions(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions, each with its vote's result once the vote is closed (the
    public result page's rule), else None."""
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        vote = getattr(decision, "vote", None)
        decision.vote_result = vote_result(vote) if vote is not None and vote.is_closed else None
    return decisions


def _summary(meeting: Meeting) -> dict:
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


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class MeetingViewSet(ListWithCounts, PublicReadOnlyViewSet):
    """Published meetings. The list gives each meeting's figures; a meeting's own answer adds
    its programme (sessions, agenda items, speakers, the actions presented), its decisions,
    its public documents, its listed participants and its figures by country and
    organization."""

    queryset = selectors.meeting_list()
    filterset_class = MeetingFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    cursor_ordering = ("-start_date", "-pk")

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        meeting.programme = selectors.meeting_programme(meeting=meeting)
        documents = meeting_documents(meeting_id=meeting.pk, audience=Audience.PUBLIC)
        meeting.public_documents = [
            *documents.on_meeting,
            *(row for rows in documents.by_session.values() for row in rows),
            *(row for rows in documents.by_item.values() for row in rows),
        ]
        meeting.public_participants = list(meeting_public_participants(meeting_id=meeting.pk))
        meeting.attendance_summary = _summary(meeting)
        meeting.decisions_shown = _decisions(meeting)
        minutes, parts = minutes_shown(meeting=meeting)
        if minutes is not None:
            minutes.parts_shown = parts
        meeting.minutes_shown = minutes
        return Response(self.get_serializer(meeting).data)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # The minutes joined (`minutes_shown` reads their parts only when approved); each
            # decision with its vote, whose result is counted once the vote is closed.
            queryset = queryset.select_related("minutes").prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.select_related("vote"))
            )
        return queryset


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
        meeting.attendance_summary = _summary(meeting)
        return Response(self.get_serializer(meeting).data)


# --- The action plan --------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField()
    meeting = serializers.SerializerMethodField()

    def get_meeting(self, note) -> str | None:
        return note.meeting.title if note.meeting_id else None


class PresentationSerializer(serializers.Serializer):
    meeting_title = serializers.CharField()
    title = serializers.CharField()
    page = serializers.SerializerMethodField()

    def get_page(self, presentation) -> str:
        return absolute_url(presentation.url)


class OwnerSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    page = serializers.URLField(allow_null=True)


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    due_date = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    owner = serializers.SerializerMethodField()
    endorsed_at = serializers.SerializerMethodField()
    progress = ProgressSerializer(source="progress.all", many=True)
    presentations = serializers.SerializerMethodField()
    page = PageLinkField()

    @extend_schema_field(OwnerSerializer(allow_null=True))
    def get_owner(self, action):
        if action.owner_organization_id:
            owner = action.owner_organization
            return {"kind": "organization", "name": owner.name, "page": self._page(owner)}
        if action.owner_body_id:
            return {"kind": "body", "name": action.owner_body.name, "page": None}
        if action.owner_person_id:
            owner = action.owner_person
            return {"kind": "person", "name": owner.display_name, "page": self._page(owner)}
        return None

    @staticmethod
    def _page(record) -> str:
        return absolute_url(record.get_absolute_url())

    def get_endorsed_at(self, action) -> str | None:
        meeting = action.endorsed_at
        return meeting.title if meeting and meeting.is_published else None

    @extend_schema_field(PresentationSerializer(many=True))
    def get_presentations(self, action):
        """Where it was presented or discussed at published meetings, in order."""
        return PresentationSerializer(
            selectors.presentations(action.agenda_items.all()), many=True
        ).data


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = Action
        fields = ("status",)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class ActionViewSet(PublicReadOnlyViewSet):
    """The actions of the plan, with their owner, due date (overdue marked), progress notes
    and where they were presented, as the action plan's pages show them."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    lookup_field = "slug"
    cursor_ordering = ("order", "pk")

    def get_queryset(self):
        return selectors.action_with_presentations(today=timezone.localdate())


# --- People -----------------------------------------------------------------------------------


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
