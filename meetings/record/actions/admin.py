"""The action plan in the admin: each action with its owner, due date and progress notes (an
inline), written through the services (`meetings.record.actions.services`), which keep the
history; a list filter of the overdue actions, which the home page's entry counts with."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import PreloadedAutocompleteInlineMixin

from ...admin_filters import MeetingListFilter
from ...models import Action
from . import services
from .models import ActionProgress


def _both(field: str) -> tuple[str, str]:
    return (f"{field}_en", f"{field}_zh_hans")


class ActionOverdueFilter(admin.SimpleListFilter):
    """Actions overdue today (`Action.objects.overdue`), or still open and not overdue."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        return self.narrow(queryset, self.value())

    @classmethod
    def narrow(cls, queryset, value: str | None, *, today: datetime.date | None = None):
        """`queryset` narrowed as the list is by `?overdue=<value>` (the home page counts
        with it)."""
        today = today or timezone.localdate()
        if value == "yes":
            return queryset.overdue(on=today)
        if value == "no":
            return queryset.exclude(pk__in=Action.objects.overdue(on=today).values("pk"))
        return queryset


class ActionProgressInline(PreloadedAutocompleteInlineMixin, TranslationStackedInline):
    model = ActionProgress
    fields = ["date", "meeting", "text"]
    autocomplete_fields = ["meeting"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting__body")


@admin.register(Action)
class ActionAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["order", "title", "status", "owner", "due_date", "overdue"]
    list_display_links = ["title"]
    list_filter = ["status", ActionOverdueFilter]
    search_fields = [*_both("title"), *_both("description")]
    autocomplete_fields = [
        "endorsed_by",
        "endorsed_at",
        "owner_organization",
        "owner_body",
        "owner_person",
    ]
    list_select_related = [
        "endorsed_by__meeting",
        "endorsed_at",
        "owner_organization",
        "owner_body",
        "owner_person",
    ]
    ordering = ["order", "title_en"]
    inlines = [ActionProgressInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "order",
                    _both("title"),
                    "slug",
                    _both("description"),
                    "status",
                    "endorsed_by",
                    "endorsed_at",
                ]
            },
        ),
        (
            _("Owner and due date"),
            {
                "fields": ["owner_organization", "owner_body", "owner_person", "due_date"],
                "description": _(
                    "One owner at most: an organization, a body or a person. Its owner is "
                    "reminded by mail before the due date."
                ),
            },
        ),
    ]

    @admin.display(description=_("owner"))
    def owner(self, obj: Action):
        return obj.owner or "—"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Action) -> bool:
        return bool(obj.is_overdue)

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue(on=timezone.localdate())

    def save_model(self, request, obj, form, change):
        services.action_save(action=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionProgress:
            return super().save_formset(request, form, formset, change)
        notes = formset.save(commit=False)
        for note in formset.deleted_objects:
            services.action_progress_delete(note=note, by=request.user)
        for note in notes:
            services.action_progress_save(note=note, by=request.user)
        formset.save_m2m()
        return None


@admin.register(ActionProgress)
class ActionProgressAdmin(TranslationAdmin, SimpleHistoryAdmin):
    """Every progress note, across the actions (they are also edited in their action's form)."""

    list_display = ["date", "action", "meeting", "text"]
    list_display_links = ["date"]
    list_filter = [MeetingListFilter]
    search_fields = [*_both("text"), "action__title_en", "action__title_zh_hans"]
    autocomplete_fields = ["action", "meeting"]
    list_select_related = ["action", "meeting__body"]
    ordering = ["-date", "-pk"]
    fields = ["action", "date", "meeting", _both("text")]

    def save_model(self, request, obj, form, change):
        services.action_progress_save(note=obj, by=request.user)

    def delete_model(self, request, obj):
        services.action_progress_delete(note=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for note in queryset:
            services.action_progress_delete(note=note, by=request.user)
