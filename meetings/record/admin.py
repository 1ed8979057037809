"""The minutes in the admin: written with their parts inline, both languages side by side;
circulated and approved by actions (through the services, which keep the history); their
revisions listed on the change page, each compared with the one before on the compare page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import LongListAdminMixin, PreloadedAutocompleteInlineMixin
from anso.forms import ErrorSummaryFormMixin
from anso.text.dates import format_datetime

from ..models import AgendaItem, Decision
from . import arising, selectors, services
from .models import MattersArising, Minutes, MinutesPart, MinutesRevision, MinutesState


class MinutesPartInline(TranslationStackedInline):
    model = MinutesPart
    fields = ["order", "agenda_item", "heading", "text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agenda_item")

    def get_formset(self, request, obj=None, **kwargs):
        self._meeting_id = obj.meeting_id if obj is not None else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            # The meeting's own items only (MinutesPart.clean says so too).
            kwargs["queryset"] = AgendaItem.objects.filter(
                session__meeting=getattr(self, "_meeting_id", None)
            ).order_by("session__order", "order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _editable(self, obj) -> bool:
        return obj is None or obj.state != MinutesState.APPROVED

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ApproveForm(ErrorSummaryFormMixin, forms.Form):
    decision = forms.ModelChoiceField(
        label=gettext_lazy("Approved by decision"),
        queryset=Decision.objects.none(),
        help_text=gettext_lazy("A decision of a later meeting of the same body."),
    )

    def __init__(self, *args, minutes: Minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = services.approving_decisions(minutes=minutes)
        self.fields["decision"].label_from_instance = lambda decision: _(
            "{meeting}, decision {order}: {text}"
        ).format(meeting=decision.meeting, order=decision.order, text=decision.text[:80])


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "state", "circulated_at", "comments_until", "approval"]
    list_filter = ["state", "meeting__body"]
    list_select_related = ["meeting", "approved_by_decision__meeting"]
    # Either language finds them: the meeting's title and the parts' text.
    search_fields = [
        "meeting__title_en",
        "meeting__title_zh_hans",
        "parts__heading_en",
        "parts__heading_zh_hans",
        "parts__text_en",
        "parts__text_zh_hans",
    ]
    autocomplete_fields = ["meeting"]
    inlines = [MinutesPartInline]
    actions = ["circulate_selected", "approve_selected"]
    fields = [
        "meeting",
        "state",
        "circulated_at",
        "comments_until",
        "approved_at",
        "approval",
        "revisions",
    ]
    readonly_fields = ["state", "circulated_at", "approved_at", "approval", "revisions"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("meeting", "approved_by_decision__meeting")
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "meeting"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        """New minutes get a part for each agenda item; every save keeps a revision when the
        text changed."""
        super().save_related(request, form, formsets, change)
        if not change:
            services.minutes_parts_fill(minutes=form.instance)
        services.minutes_revision_record(minutes=form.instance, by=request.user)

    @admin.display(description=gettext_lazy("approved by"))
    def approval(self, obj):
        decision = obj.approved_by_decision
        if decision is None:
            return "—"
        return _("{meeting}, decision {order}").format(
            meeting=decision.meeting, order=decision.order
        )

    @admin.display(description=gettext_lazy("revisions"))
    def revisions(self, obj):
        """Each revision, newest first, with a link to its comparison with the one before."""
        if obj is None or obj.pk is None:
            return "—"
        revisions = list(obj.revisions.select_related("created_by").order_by("-number"))
        if not revisions:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {} {}</li>',
                (
                    (
                        revision.get_absolute_url(),
                        _("Revision {number}").format(number=revision.number),
                        format_datetime(revision.created_at),
                        revision.created_by or "",
                    )
                    for revision in revisions
                ),
            ),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="meetings_minutes_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id: str):
        """Two revisions of the minutes side by side: `a` (older) and `b` (newer), by their
        numbers; by default the latest and the one before it."""
        minutes = get_object_or_404(Minutes.objects.select_related("meeting"), pk=object_id)
        if not self.has_view_permission(request, minutes):
            raise PermissionDenied
        revisions = list(minutes.revisions.select_related("created_by").order_by("number"))
        by_number = {revision.number: revision for revision in revisions}
        comparison = None
        if revisions:
            try:
                newer = int(request.GET.get("b") or revisions[-1].number)
                older = int(request.GET.get("a") or max(newer - 1, 1))
            except ValueError as error:
                raise Http404 from error
            if older not in by_number or newer not in by_number:
                raise Http404
            comparison = selectors.revisions_compare(older=by_number[older], newer=by_number[newer])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare revisions of the minutes"),
            "minutes": minutes,
            "revisions": revisions,
            "comparison": comparison,
        }
        return TemplateResponse(request, "admin/meetings/minutes/compare.html", context)

    @admin.action(description=gettext_lazy("Circulate to the members"), permissions=["change"])
    def circulate_selected(self, request, queryset):
        circulated = 0
        for minutes in queryset:
            try:
                services.minutes_circulate(minutes=minutes, by=request.user)
            except services.MinutesRefused as refused:
                self.message_user(request, f"{minutes}: {refused.message}", messages.ERROR)
            else:
                circulated += 1
        if circulated:
            message = ngettext(
                "%(count)d set of minutes circulated.",
                "%(count)d sets of minutes circulated.",
                circulated,
            ) % {"count": circulated}
            self.message_user(request, message, messages.SUCCESS)
            self.message_user(
                request,
                _("Each member of the working group is mailed their personal link to comment."),
                messages.INFO,
            )

    @admin.action(description=gettext_lazy("Mark approved…"), permissions=["change"])
    def approve_selected(self, request, queryset):
        """An intermediate page asks for the decision that approved the minutes."""
        selected = list(queryset.select_related("meeting"))
        if len(selected) != 1:
            self.message_user(
                request, _("Select one set of minutes to mark approved."), messages.ERROR
            )
            return None
        minutes = selected[0]
        form = ApproveForm(request.POST if "decision" in request.POST else None, minutes=minutes)
        if form.is_bound and form.is_valid():
            try:
                services.minutes_approve(
                    minutes=minutes, decision=form.cleaned_data["decision"], by=request.user
                )
            except services.MinutesRefused as refused:
                self.message_user(request, f"{minutes}: {refused.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("{minutes}: approved.").format(minutes=minutes), messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Mark the minutes approved"),
            "form": form,
            "minutes": minutes,
            "selected": [minutes.pk],
        }
        return TemplateResponse(request, "admin/meetings/minutes/approve.html", context)


@admin.register(MinutesPart)
class MinutesPartAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    """Every part of every set of minutes, to find a passage; each is written with its minutes
    (their inline) or here, and either way its minutes keep a revision of the change."""

    list_display = ["__str__", "minutes", "order"]
    list_filter = ["minutes__state"]
    list_select_related = ["minutes__meeting", "agenda_item"]
    search_fields = [
        "heading_en",
        "heading_zh_hans",
        "text_en",
        "text_zh_hans",
        "agenda_item__title_en",
        "agenda_item__title_zh_hans",
    ]
    autocomplete_fields = ["minutes"]
    fields = ["minutes", "order", "agenda_item", "heading", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("minutes__meeting", "agenda_item")

    def get_readonly_fields(self, request, obj=None):
        return ["minutes"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            kwargs["queryset"] = AgendaItem.objects.select_related("session__meeting")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.minutes.state == MinutesState.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.minutes.state == MinutesState.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.minutes_revision_record(minutes=obj.minutes, by=request.user)

    def delete_model(self, request, obj):
        minutes = obj.minutes
        super().delete_model(request, obj)
        services.minutes_revision_record(minutes=minutes, by=request.user)

    def delete_queryset(self, request, queryset):
        minutes = list(Minutes.objects.filter(parts__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for each in minutes:
            services.minutes_revision_record(minutes=each, by=request.user)


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(LongListAdminMixin, admin.ModelAdmin):
    """The revisions, kept by each save of the minutes: read only, never added nor deleted by
    hand."""

    list_display = ["minutes", "number", "state", "created_at", "created_by", "compare"]
    list_filter = ["state"]
    list_select_related = ["minutes__meeting", "created_by"]
    search_fields = ["minutes__meeting__title_en", "minutes__meeting__title_zh_hans"]
    fields = ["minutes", "number", "state", "created_at", "created_by", "compare", "text_en",
              "text_zh_hans"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("compare"))
    def compare(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("Compare with the one before")
        )


class MattersArisingInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    """The lines of an item "Matters arising": an action or a decision each, in order. Written
    through `meetings.record.arising` (the agenda item's `save_formset`), with the history."""

    model = MattersArising
    fields = ["order", "action", "decision"]
    autocomplete_fields = ["action", "decision"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action", "decision__meeting")


def matters_arising_formset_save(request, formset) -> None:
    """Save the inline's lines through the services, each write in the history."""
    lines = formset.save(commit=False)
    for line in formset.deleted_objects:
        arising.matters_arising_delete(line=line, by=request.user)
    for line in lines:
        arising.matters_arising_save(line=line, by=request.user)
    formset.save_m2m()


@admin.register(MattersArising)
class MattersArisingAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    """Every line of matters arising, across meetings (also edited in their agenda item)."""

    list_display = ["__str__", "item", "order"]
    list_filter = ["item__session__meeting__body"]
    search_fields = ["action__title_en", "action__title_zh_hans", "decision__text_en"]
    autocomplete_fields = ["item", "action", "decision"]
    list_select_related = ["item", "action", "decision__meeting"]
    ordering = ["-item__session__meeting__start_date", "item", "order"]
    fields = ["item", "order", "action", "decision"]

    def save_model(self, request, obj, form, change):
        arising.matters_arising_save(line=obj, by=request.user)

    def delete_model(self, request, obj):
        arising.matters_arising_delete(line=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for line in queryset:
            arising.matters_arising_delete(line=line, by=request.user)


from . import comments_admin  # noqa: E402, F401 (registers the comments' admin)
