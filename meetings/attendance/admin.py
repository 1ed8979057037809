"""The Secretariat's admin for attendance: participants (with the spreadsheet import and
export), registration windows and the read-only log of status changes. Every write of a
participation's status goes through `status.participations_save`."""

from django.contrib import admin, messages
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import (
    AuditTrailAdminMixin,
    CountryOrRegionFilter,
    LongListAdminMixin,
    PreloadedAutocompleteInlineMixin,
    country_name,
)
from anso.spreadsheets.admin import SpreadsheetAdminMixin

from ..admin_filters import MeetingListFilter, MeetingWhenFilter
from ..papers import sheets
from ..papers.admin import batches_queue, certificates_issue_action, over_threshold
from ..papers.models import PaperBatchKind
from . import status
from .models import Participation, ParticipationEvent, ParticipationStatus, RegistrationWindow
from .resources import ParticipantResource

#: The participation fields an admin form may write (the form's own fields, by name).
PARTICIPATION_FIELDS = frozenset(
    field.name for field in Participation._meta.concrete_fields if not field.primary_key
)


class ParticipationEventMeetingFilter(MeetingListFilter):
    meeting_path = "participation__meeting"


class ParticipationInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Participation
    fields = ["person", "organization", "country", "capacity", "status", "listed_publicly"]
    autocomplete_fields = ["person", "organization"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # The meeting too: each row's heading is "<person> at <meeting>".
        return super().get_queryset(request).select_related("meeting", "person", "organization")


class RegistrationWindowInline(admin.StackedInline):
    model = RegistrationWindow
    fields = ["opens_at", "closes_at", "capacity", "waiting_list", "mode", "invitation_token"]
    extra = 0
    max_num = 1


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
        MeetingWhenFilter,
        MeetingListFilter,
        ("country", CountryOrRegionFilter),
    ]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__name_original",
        "person__email",
        "organization__name_en",
        "organization__name_zh_hans",
        "organization__short_name_en",
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
    actions = ["mark_attended", "issue_certificates", "print_badges", "print_table_tents"]

    def save_model(self, request, obj, form, change):
        """Through the status service: a change of status writes its event, the check-in and a
        fresh public page; an earlier version opened from the history is saved the same way."""
        status.participations_save(
            participations=[obj],
            fields=[name for name in form.fields if name in PARTICIPATION_FIELDS],
            by=request.user,
            note=_("edited in the admin"),
        )

    def delete_model(self, request, obj):
        status.participations_delete(participations=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        """A seat freed by deleting goes to the waiting list, as when one is cancelled."""
        status.participations_delete(participations=queryset, by=request.user)

    @admin.action(description=_("Mark selected participants attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        """Set the selected participations to attended, through the status service."""
        changes = status.participations_status_change(
            participations=queryset,
            to_status=ParticipationStatus.ATTENDED,
            by=request.user,
            note=_("marked attended in bulk"),
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

    @admin.action(description=_("Issue certificates of attendance"), permissions=["change"])
    def issue_certificates(self, request, queryset):
        """The selected participants who attended get their certificate (meetings/papers/)."""
        return certificates_issue_action(self, request, queryset)

    @admin.action(description=_("Print badges for the selected"), permissions=["view"])
    def print_badges(self, request, queryset):
        """The badges of the selected registrants (the cancelled ones get none), as a PDF to
        print; nothing is written. A selection larger than `PAPERS_BATCH_THRESHOLD` is made by
        the worker, as a batch whose page follows it."""
        if over_threshold(queryset):
            return batches_queue(self, request, queryset, kind=PaperBatchKind.BADGES)
        participations = sheets.sheet_participations(queryset)
        pdf = sheets.badges_pdf(participations=participations, language=get_language())
        return sheets.sheet_response(pdf, name="badges")

    @admin.action(description=_("Print table tents for the selected"), permissions=["view"])
    def print_table_tents(self, request, queryset):
        """The table tents of the selected registrants, as a PDF to print; nothing is written
        (by the worker over the threshold, as the badges)."""
        if over_threshold(queryset):
            return batches_queue(self, request, queryset, kind=PaperBatchKind.TABLE_TENTS)
        participations = sheets.sheet_participations(queryset)
        pdf = sheets.table_tents_pdf(participations=participations, language=get_language())
        return sheets.sheet_response(pdf, name="table-tents")


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
        status.registration_window_save(window=obj, by=request.user)


@admin.register(ParticipationEvent)
class ParticipationEventAdmin(AuditTrailAdminMixin, LongListAdminMixin, admin.ModelAdmin):
    """The status-change log: read only, written by the status service
    (`meetings.attendance.status.participations_save`). One event per check-in and undo: a
    long list (50 rows a page, the count cached)."""

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
