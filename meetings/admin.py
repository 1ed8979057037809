"""The Secretariat's admin for meetings: sessions, agenda items and speakers, attendance,
decisions and the action plan."""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import (
    CountryOrRegionFilter,
    LongListAdminMixin,
    PreloadedAutocompleteInlineMixin,
    country_name,
)
from anso.spreadsheets.admin import SpreadsheetAdminMixin
from members import admin as members_admin
from members.models import Organization, Position

from . import services
from .admin_filters import HeldAtMeetingFilter, MeetingListFilter
from .models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    Participation,
    ParticipationEvent,
    ParticipationStatus,
    RegistrationWindow,
    Session,
    Speaker,
)
from .resources import ParticipantResource

#: The participation fields an admin form may write (the form's own fields, by name).
PARTICIPATION_FIELDS = frozenset(
    field.name for field in Participation._meta.concrete_fields if not field.primary_key
)


def site_url(request) -> str:
    """The site's address, for the links in mails sent from the admin."""
    return request.build_absolute_uri("/").rstrip("/")


class AgendaItemMeetingFilter(MeetingListFilter):
    meeting_path = "session__meeting"


class SpeakerMeetingFilter(MeetingListFilter):
    meeting_path = "item__session__meeting"


class ParticipationEventMeetingFilter(MeetingListFilter):
    meeting_path = "participation__meeting"


class SessionInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Session
    fields = [
        "order",
        "title",
        "kind",
        "date",
        "start_time",
        "end_time",
        "chair",
        "chair_capacity",
    ]
    autocomplete_fields = ["chair"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting__body", "chair")


class ParticipationInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Participation
    fields = ["person", "organization", "country", "capacity", "status", "listed_publicly"]
    autocomplete_fields = ["person", "organization"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # The meeting too: each row's heading is "<person> at <meeting>".
        return super().get_queryset(request).select_related("meeting", "person", "organization")


class DecisionInline(admin.TabularInline):
    model = Decision
    fields = ["order", "text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


class RegistrationWindowInline(admin.StackedInline):
    model = RegistrationWindow
    fields = ["opens_at", "closes_at", "capacity", "waiting_list", "mode", "invitation_token"]
    extra = 0
    max_num = 1


@admin.register(Meeting)
class MeetingAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "start_date",
        "end_date",
        "city",
        country_name,
        "is_published",
        "attended_count",
    ]
    list_filter = ["is_published", "body", ("country", CountryOrRegionFilter)]
    search_fields = ["title", "venue", "city", "summary"]
    autocomplete_fields = ["body"]
    date_hierarchy = "start_date"
    list_select_related = ["body"]
    ordering = ["-start_date"]
    readonly_fields = ["title", "attendance_from_records", "records_in_admin"]
    inlines = [RegistrationWindowInline, SessionInline, ParticipationInline, DecisionInline]
    fieldsets = [
        (None, {"fields": ["body", "number", "title", "slug", "is_published"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "venue", "city", "country"]}),
        (None, {"fields": ["summary"]}),
        (_("Attendance"), {"fields": ["reported_attendance", "attendance_from_records"]}),
        (None, {"fields": ["records_in_admin"]}),
    ]

    def get_queryset(self, request):
        # A subquery per listed meeting, not a join and GROUP BY over every participation:
        # PostgreSQL evaluates it only for the rows of the page.
        attended = (
            Participation.objects.filter(
                meeting=OuterRef("pk"), status=ParticipationStatus.ATTENDED
            )
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_attended=Subquery(attended))

    def save_formset(self, request, form, formset, change):
        """Participants and the registration window are saved through their services: a status
        changed in the list writes its event and check-in, a capacity raised moves the waiting
        list up."""
        if formset.model not in (Participation, RegistrationWindow):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        if formset.model is Participation:
            services.participations_delete(
                participations=formset.deleted_objects,
                by=request.user,
                site_url=site_url(request),
            )
            services.participations_save(
                participations=instances,
                fields=[name for name in formset.form.base_fields if name in PARTICIPATION_FIELDS],
                by=request.user,
                note=_("edited in the admin"),
                site_url=site_url(request),
            )
        else:
            for obj in formset.deleted_objects:
                obj.delete()
            for window in instances:
                services.registration_window_save(
                    window=window, by=request.user, site_url=site_url(request)
                )
        formset.save_m2m()
        return None

    @admin.display(description=_("attended"), ordering="_attended")
    def attended_count(self, obj):
        return obj._attended or 0

    @admin.display(description=_("records of this meeting"))
    def records_in_admin(self, obj):
        if obj.pk is None:
            return "-"
        lists = [
            (Participation, _("participants")),
            (Session, _("sessions")),
            (AgendaItem, _("agenda items")),
            (Speaker, _("speakers")),
            (ParticipationEvent, _("status changes")),
        ]
        return format_html_join(
            " · ",
            '<a href="{}?meeting={}">{}</a>',
            (
                (reverse(f"admin:meetings_{model._meta.model_name}_changelist"), obj.pk, label)
                for model, label in lists
            ),
        )

    @admin.display(description=_("attendance from the records"))
    def attendance_from_records(self, obj):
        if obj.pk is None:
            return "-"
        attended = obj.participations.attended()
        members = Organization.objects.members_on(obj.start_date)
        member_orgs = attended.filter(organization__in=members).values("organization")
        countries = attended.exclude(country="").values("country")
        return _(
            "%(people)d attended, from %(members)d member organizations and "
            "%(countries)d countries and regions."
        ) % {
            "people": attended.count(),
            "members": member_orgs.distinct().count(),
            "countries": countries.distinct().count(),
        }


class AgendaItemInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = AgendaItem
    fields = ["order", "kind", "title", "action"]
    autocomplete_fields = ["action"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action")


@admin.register(Session)
class SessionAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order", "kind", "date", "chair"]
    list_filter = ["kind", MeetingListFilter]
    search_fields = ["title", "meeting__title", "chair__given_name", "chair__family_name"]
    autocomplete_fields = ["meeting", "chair"]
    date_hierarchy = "date"
    list_select_related = ["meeting", "chair"]
    ordering = ["-meeting__start_date", "order"]
    inlines = [AgendaItemInline]


class SpeakerInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Speaker
    fields = ["order", "person", "capacity"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(AgendaItem)
class AgendaItemAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "session", "order", "kind", "action", "speaker_names"]
    list_filter = ["kind", AgendaItemMeetingFilter]
    search_fields = ["title", "description", "session__title", "session__meeting__title"]
    autocomplete_fields = ["session", "action"]
    list_select_related = ["session__meeting", "action"]
    ordering = ["-session__meeting__start_date", "session__order", "order"]
    inlines = [SpeakerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speaker_set__person")

    @admin.display(description=_("speakers"))
    def speaker_names(self, obj):
        return ", ".join(str(speaker.person) for speaker in obj.speaker_set.all())


@admin.register(Speaker)
class SpeakerAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "capacity", "item", "meeting"]
    list_filter = [SpeakerMeetingFilter]
    search_fields = ["person__given_name", "person__family_name", "capacity", "item__title"]
    autocomplete_fields = ["item", "person"]
    list_select_related = ["person", "item__session__meeting"]
    ordering = ["-item__session__meeting__start_date", "item__session__order", "item__order"]

    @admin.display(description=_("meeting"), ordering="item__session__meeting__start_date")
    def meeting(self, obj):
        return obj.item.session.meeting


@admin.register(Participation)
class ParticipationAdmin(LongListAdminMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [ParticipantResource]
    list_display = [
        "person",
        "meeting",
        "organization",
        country_name,
        "capacity",
        "status",
        "listed_publicly",
    ]
    list_filter = [
        "status",
        "capacity",
        "listed_publicly",
        MeetingListFilter,
        ("country", CountryOrRegionFilter),
    ]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__email",
        "organization__name",
        "organization__short_name",
    ]
    autocomplete_fields = ["meeting", "person", "organization"]
    list_select_related = ["person", "meeting", "organization"]
    ordering = ["-meeting__start_date", "person__family_name", "person__given_name"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "registered_at",
        "checked_in_at",
        "checked_in_by",
    ]
    actions = ["mark_attended"]

    def save_model(self, request, obj, form, change):
        """Through the status service: a change of status writes its event, the check-in and a
        fresh public page; an earlier version opened from the history is saved the same way."""
        services.participations_save(
            participations=[obj],
            fields=[name for name in form.fields if name in PARTICIPATION_FIELDS],
            by=request.user,
            note=_("edited in the admin"),
            site_url=site_url(request),
        )

    def delete_model(self, request, obj):
        services.participations_delete(
            participations=[obj], by=request.user, site_url=site_url(request)
        )

    def delete_queryset(self, request, queryset):
        """A seat freed by deleting goes to the waiting list, as when one is cancelled."""
        services.participations_delete(
            participations=queryset, by=request.user, site_url=site_url(request)
        )

    @admin.action(description=_("Mark selected participants attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        """Set the selected participations to attended, through the status service."""
        changes = services.participations_status_change(
            participations=queryset,
            to_status=ParticipationStatus.ATTENDED,
            by=request.user,
            note=_("marked attended in bulk"),
            site_url=site_url(request),
        )
        marked, already = len(changes.changed), len(changes.unchanged)
        message = ngettext(
            "%(count)d participant marked attended.",
            "%(count)d participants marked attended.",
            marked,
        ) % {"count": marked}
        if already:
            message += " " + ngettext(
                "%(count)d was already marked attended.",
                "%(count)d were already marked attended.",
                already,
            ) % {"count": already}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Decision)
class DecisionAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "order"]
    list_filter = ["meeting__body"]
    search_fields = ["text", "meeting__title"]
    autocomplete_fields = ["meeting"]
    date_hierarchy = "meeting__start_date"
    list_select_related = ["meeting"]
    ordering = ["-meeting__start_date", "order"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["order", "title", "status", "endorsed_by", "endorsed_at"]
    list_display_links = ["title"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["endorsed_by", "endorsed_at"]
    list_select_related = ["endorsed_by__meeting", "endorsed_at"]
    ordering = ["order", "title"]


@admin.register(RegistrationWindow)
class RegistrationWindowAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "opens_at", "closes_at", "capacity", "waiting_list", "mode"]
    list_filter = ["mode", "waiting_list"]
    search_fields = ["meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
    ordering = ["-opens_at"]

    def save_model(self, request, obj, form, change):
        """A capacity raised or removed moves the waiting list up at once."""
        services.registration_window_save(window=obj, by=request.user, site_url=site_url(request))


@admin.register(ParticipationEvent)
class ParticipationEventAdmin(admin.ModelAdmin):
    """The status-change log: read only, written by the status service
    (`meetings.services.participations_save`)."""

    list_display = ["at", "participation", "from_status", "to_status", "by", "note"]
    list_filter = ["to_status", ParticipationEventMeetingFilter]
    search_fields = [
        "participation__person__family_name",
        "participation__person__given_name",
        "note",
    ]
    date_hierarchy = "at"
    list_select_related = ["participation__person", "participation__meeting", "by"]
    ordering = ["-at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The members' positions, with a filter only meetings can offer: held on a meeting's first day.
admin.site.unregister(Position)


@admin.register(Position)
class PositionAdmin(members_admin.PositionAdmin):
    list_filter = [members_admin.HeldFilter, HeldAtMeetingFilter, "role", "body"]
