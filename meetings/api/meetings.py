"""Published meetings (docs/api.md): each with its figures; a meeting's own answer with its
programme (`meeting_programme`), decisions with their state and closed votes' results
(`vote_results`), approved minutes (`minutes_shown`), public documents (`meeting_documents`),
listed participants (`meeting_public_participants`) and figures."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from anso.links import absolute_url
from members.api import (
    LANG_PARAMETER,
    CountryObjectField,
    PageLinkField,
    PublicReadOnlyViewSet,
)
from members.models import Body, BodyKind

from .. import selectors
from ..attendance.selectors import meeting_public_participants
from ..documents.access import Audience
from ..documents.listing import meeting_documents
from ..models import Decision, DecisionState, Meeting
from ..record.selectors import minutes_shown
from ..record.votes.models import Choice, Majority, VoteMethod
from ..record.votes.selectors import vote_results
from .attendance import (
    AttendanceCountsSerializer,
    AttendanceSummarySerializer,
    ListWithCounts,
    MeetingFilter,
    summary_of,
)


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
        #: The bound a small integer has in PostgreSQL, the production database, written out:
        #: DRF reads it from the database in use, and SQLite's would change the schema.
        extra_kwargs = {"number": {"max_value": 32767}}


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


def _decisions(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions, each with its vote's result once the vote is closed (the
    public result page's rule), else None: the closed votes counted together
    (`vote_results`), in the same few queries however many they are."""
    decisions = list(meeting.decisions.all())
    closed = [
        vote
        for decision in decisions
        if (vote := getattr(decision, "vote", None)) is not None and vote.is_closed
    ]
    results = vote_results(closed)
    for decision in decisions:
        vote = getattr(decision, "vote", None)
        decision.vote_result = results.get(vote.pk) if vote is not None else None
    return decisions


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
        meeting.attendance_summary = summary_of(meeting)
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
