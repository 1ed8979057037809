"""The Secretariat's admin for meetings: sessions, agenda items and speakers, attendance,
decisions and the action plan."""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import (
    CountryOrRegionFilter,
    LongListAdminMixin,
    PreloadedAutocompleteInlineMixin,
    country_name,
)
from members import admin as members_admin
from members.models import Position

from . import services
from .admin_filters import HeldAtMeetingFilter, MeetingListFilter
from .attendance import status
from .attendance.admin import (
    PARTICIPATION_FIELDS,
    ParticipationInline,
    RegistrationWindowInline,
)
from .attendance.models import (
    Participation,
    ParticipationEvent,
    RegistrationWindow,
)
from .attendance.selectors import attendance_counts
from .documents import admin as documents_admin  # noqa: F401  (registers the documents' admin)
from .invitations import admin as invitations_admin  # noqa: F401 (registers its admins)
from .models import AgendaItem, AgendaItemKind, Decision, Meeting, Session, Speaker
from .papers import admin as papers_admin  # registers the papers' admins
from .papers import batches as paper_batches
from .papers import visa_admin  # noqa: F401 (registers the visa requests' admin)
from .papers.models import PaperBatchKind
from .record import admin as record_admin  # registers the minutes' admin
from .record import arising
from .record.actions import admin as actions_admin  # noqa: F401 (the action plan's admin)
from .record.models import MattersArising
from .record.votes import admin as votes_admin  # noqa: F401 (registers the votes' admins)


def both(field: str) -> tuple[str, str]:
    """A translated field's English and Chinese columns: side by side in a form, both searched
    in a list."""
    return (f"{field}_en", f"{field}_zh_hans")


class AgendaItemMeetingFilter(MeetingListFilter):
    meeting_path = "session__meeting"


class SpeakerMeetingFilter(MeetingListFilter):
    meeting_path = "item__session__meeting"


class SessionInline(PreloadedAutocompleteInlineMixin, TranslationTabularInline):
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


class DecisionInline(TranslationTabularInline):
    model = Decision
    fields = ["order", "text", "state"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


@admin.register(Meeting)
class MeetingAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "start_date",
        "end_date",
        "city",
        country_name,
        "is_published",
        "attended_count",
        "control_page",
    ]
    list_filter = ["is_published", "body", ("country", CountryOrRegionFilter)]
    # Either language finds it (a translated field's lookup searches only the active one).
    search_fields = [
        *both("title"),
        *both("venue"),
        *both("city"),
        *both("summary"),
    ]
    autocomplete_fields = ["body"]
    date_hierarchy = "start_date"
    # No list_select_related: no column shows the body (the title names it already).
    ordering = ["-start_date"]
    readonly_fields = [
        "title_en",
        "title_zh_hans",
        "attendance_from_records",
        "records_in_admin",
        "invitations",
    ]
    inlines = [RegistrationWindowInline, SessionInline, ParticipationInline, DecisionInline]
    actions = ["issue_dossier", "issue_all_certificates", "refresh_matters_arising"]
    # Each translated field in English and Chinese side by side, on one line.
    fieldsets = [
        (None, {"fields": ["body", "number", both("title"), "slug", "is_published"]}),
        (
            _("When and where"),
            {"fields": ["start_date", "end_date", both("venue"), both("city"), "country"]},
        ),
        (None, {"fields": [both("summary")]}),
        (
            _("Attendance"),
            {"fields": [both("reported_attendance"), "attendance_from_records"]},
        ),
        (None, {"fields": ["records_in_admin", "invitations"]}),
    ]

    @admin.action(
        description=_("Issue all certificates of attendance"), permissions=["issue_certificates"]
    )
    def issue_all_certificates(self, request, queryset):
        """The certificates of everyone who attended the selected meetings, issued by the
        worker (a batch per meeting, through the papers' service, meetings/papers/batches.py)."""
        queued = [
            paper_batches.paper_batch_create(
                meeting=meeting,
                kind=PaperBatchKind.CERTIFICATES,
                by=request.user,
                language=get_language(),
            )
            for meeting in queryset.select_related("body")
        ]
        return papers_admin.batches_queued(self, request, queued)

    def has_issue_certificates_permission(self, request):
        """Whoever may issue certificates from the participations' list (change them)."""
        return request.user.has_perm("meetings.change_participation")

    def get_queryset(self, request):
        # A subquery per listed meeting, not a join and GROUP BY over every participation:
        # PostgreSQL evaluates it only for the rows of the page.
        attended = (
            Participation.objects.attended()
            .filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_attended=Subquery(attended))

    def save_related(self, request, form, formsets, change):
        """A new meeting, once its sessions are saved, gets what it takes up from the body's
        previous meeting (meetings/record/arising.py), as `meetings.services.meeting_create`
        gives it: the approval of the minutes and the matters arising."""
        super().save_related(request, form, formsets, change)
        if not change:
            services.meeting_carry_over(meeting=form.instance, by=request.user)

    def save_formset(self, request, form, formset, change):
        """Participants and the registration window are saved through their services: a status
        changed in the list writes its event and check-in, a capacity raised moves the waiting
        list up."""
        if formset.model not in (Participation, RegistrationWindow):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        if formset.model is Participation:
            status.participations_delete(
                participations=formset.deleted_objects,
                by=request.user,
            )
            status.participations_save(
                participations=instances,
                fields=[name for name in formset.form.base_fields if name in PARTICIPATION_FIELDS],
                by=request.user,
                note=_("edited in the admin"),
            )
        else:
            for obj in formset.deleted_objects:
                obj.delete()
            for window in instances:
                status.registration_window_save(window=window, by=request.user)
        formset.save_m2m()
        return None

    @admin.action(description=_("Issue the meeting dossier"), permissions=["change"])
    def issue_dossier(self, request, queryset):
        """A new signed dossier of each selected meeting (meetings/papers/dossier.py)."""
        papers_admin.dossier_issue_action(self, request, queryset)

    @admin.action(description=_("Refresh matters arising"), permissions=["change"])
    def refresh_matters_arising(self, request, queryset):
        """Add to each selected meeting's matters arising the actions open and the decisions to
        follow up it does not list yet (meetings/record/arising.py); nothing is removed or
        changed."""
        for meeting in queryset.order_by("start_date", "pk"):
            refreshed = arising.matters_arising_refresh(meeting=meeting, by=request.user)
            if not refreshed.has_item:
                self.message_user(
                    request,
                    gettext("%(meeting)s has no item “Matters arising”: nothing was added.")
                    % {"meeting": meeting},
                    messages.WARNING,
                )
                continue
            self.message_user(
                request,
                ngettext(
                    "%(meeting)s: %(count)d line added to the matters arising.",
                    "%(meeting)s: %(count)d lines added to the matters arising.",
                    refreshed.added,
                )
                % {"meeting": meeting, "count": refreshed.added},
                messages.SUCCESS,
            )

    @admin.display(description=_("attended"), ordering="_attended")
    def attended_count(self, obj):
        return obj._attended or 0

    @admin.display(description=_("Control page"))
    def control_page(self, obj):
        url = reverse(
            "meetings:meeting_control", kwargs={"year": obj.start_date.year, "slug": obj.slug}
        )
        return format_html('<a href="{}">{}</a>', url, _("Control page"))

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

    @admin.display(description=_("invitations"))
    def invitations(self, obj):
        if obj.pk is None or not obj.slug:  # a new meeting, or a form shown again with errors
            return "-"
        kwargs = {"year": obj.start_date.year, "slug": obj.slug}
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("meetings:invitation_list", kwargs=kwargs), _("invitation page")),
                (reverse("meetings:invitation_compose", kwargs=kwargs), _("invite people")),
            ),
        )

    @admin.display(description=_("attendance from the records"))
    def attendance_from_records(self, obj):
        if obj.pk is None:
            return "-"
        counts = attendance_counts(meeting_id=obj.pk)
        return _(
            "%(people)d attended: %(members)d member organizations and %(others)d other "
            "participants, from %(countries)d countries and regions."
        ) % {
            "people": counts.attended,
            "members": counts.member_organizations,
            "others": counts.other_participants,
            "countries": counts.countries,
        }


class AgendaItemInline(PreloadedAutocompleteInlineMixin, TranslationTabularInline):
    model = AgendaItem
    fields = ["order", "kind", "title", "action"]
    autocomplete_fields = ["action"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action")


@admin.register(Session)
class SessionAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order", "kind", "date", "chair"]
    list_filter = ["kind", MeetingListFilter]
    search_fields = [
        *both("title"),
        *both("meeting__title"),
        "chair__given_name",
        "chair__family_name",
        "chair__name_original",
    ]
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
class AgendaItemAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "session", "order", "kind", "action", "speaker_names"]
    list_filter = ["kind", AgendaItemMeetingFilter]
    search_fields = [
        *both("title"),
        *both("description"),
        *both("session__title"),
        *both("session__meeting__title"),
    ]
    autocomplete_fields = ["session", "action", "minutes_to_approve"]
    list_select_related = ["session__meeting", "action"]
    ordering = ["-session__meeting__start_date", "session__order", "order"]
    inlines = [SpeakerInline, record_admin.MattersArisingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speaker_set__person")

    def get_inlines(self, request, obj):
        # The lines of matters arising belong to an item of that kind only.
        if obj is None or obj.kind != AgendaItemKind.MATTERS_ARISING:
            return [SpeakerInline]
        return self.inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not MattersArising:
            return super().save_formset(request, form, formset, change)
        record_admin.matters_arising_formset_save(request, formset)
        return None

    @admin.display(description=_("speakers"))
    def speaker_names(self, obj):
        return ", ".join(str(speaker.person) for speaker in obj.speaker_set.all())


@admin.register(Speaker)
class SpeakerAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "capacity", "item", "meeting"]
    list_filter = [SpeakerMeetingFilter]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__name_original",
        "capacity",
        *both("item__title"),
    ]
    autocomplete_fields = ["item", "person"]
    list_select_related = ["person", "item__session__meeting"]
    ordering = ["-item__session__meeting__start_date", "item__session__order", "item__order"]

    @admin.display(description=_("meeting"), ordering="item__session__meeting__start_date")
    def meeting(self, obj):
        return obj.item.session.meeting


@admin.register(Decision)
class DecisionAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "order", "state"]
    list_filter = ["state", "meeting__body"]
    search_fields = [*both("text"), *both("meeting__title")]
    autocomplete_fields = ["meeting"]
    date_hierarchy = "meeting__start_date"
    list_select_related = ["meeting"]
    ordering = ["-meeting__start_date", "order"]


# The members' positions, with a filter only meetings can offer: held on a meeting's first day.
admin.site.unregister(Position)


@admin.register(Position)
class PositionAdmin(members_admin.PositionAdmin):
    list_filter = [members_admin.HeldFilter, HeldAtMeetingFilter, "role", "body"]
