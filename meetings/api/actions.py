"""The action plan (docs/api.md): each action's owner (a name, never an address), due date,
whether it is overdue, progress notes and where it was presented. The list gives each action
what the action plan lists of it (`selectors.with_latest`: the latest three progress notes
and presentations, and how many there are); an action's own answer gives them all
(`action_with_presentations`), as its page does."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from anso.links import absolute_url
from members.api import (
    LANG_PARAMETER,
    PageLinkField,
    PublicReadOnlyViewSet,
)

from .. import selectors
from ..models import Action, ActionStatus


class ProgressSerializer(serializers.Serializer):
    """A progress note: its date, its text and the title of the meeting it was reported at,
    where that meeting is published (the action's page names no other; None between
    meetings)."""

    date = serializers.DateField()
    text = serializers.CharField()
    meeting = serializers.SerializerMethodField()

    def get_meeting(self, note) -> str | None:
        if note.meeting_id and note.meeting.is_published:
            return note.meeting.title
        return None


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
    """An action in the list: its latest three progress notes (in date order) and its latest
    three presentations (the newest first), each with how many there are in all, as the
    action plan lists them (`selectors.with_latest`)."""

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
    progress_count = serializers.IntegerField(help_text="How many progress notes it has.")
    latest_progress = ProgressSerializer(
        many=True, help_text="The latest three progress notes, in date order."
    )
    presentation_count = serializers.IntegerField(
        source="presented_count",
        help_text="How often it was presented or discussed at published meetings.",
    )
    latest_presentations = PresentationSerializer(
        source="latest_items",
        many=True,
        help_text="The latest three presentations and discussions, the newest first.",
    )
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


class ActionDetailSerializer(ActionSerializer):
    """An action's own answer: every progress note and every presentation, as its page lists
    them, in date order, with how many there are."""

    latest_progress = None
    latest_presentations = None
    progress_count = serializers.SerializerMethodField()
    progress = ProgressSerializer(source="progress.all", many=True)
    presentation_count = serializers.SerializerMethodField()
    presentations = serializers.SerializerMethodField()

    def get_progress_count(self, action) -> int:
        """How many progress notes it has."""
        return len(action.progress.all())

    def get_presentation_count(self, action) -> int:
        """How often it was presented or discussed at published meetings."""
        return len(action.agenda_items.all())

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
    and where they were presented, as the action plan's pages show them: the list the latest
    three notes and presentations of each, with how many there are; an action's own answer
    all of them."""

    filterset_class = ActionFilter
    lookup_field = "slug"
    cursor_ordering = ("order", "pk")

    def get_serializer_class(self):
        return ActionDetailSerializer if self.action == "retrieve" else ActionSerializer

    def get_queryset(self):
        today = timezone.localdate()
        if self.action == "retrieve":
            return selectors.action_with_presentations(today=today)
        return selectors.actions_shown(today=today)

    def list(self, request, *args, **kwargs):
        # The latest progress notes and presentations counted and ranked for the page's
        # actions alone (`with_latest`: two queries, however many actions and presentations).
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        actions = selectors.with_latest(list(page))
        return self.get_paginated_response(self.get_serializer(actions, many=True).data)
