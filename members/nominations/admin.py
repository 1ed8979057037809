"""Review of nominations in the admin: filters, search, approve and reject as list actions
and as buttons on the change page, the read-only audit trail and the history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import AuditTrailAdminMixin, LongListAdminMixin, reason_action, reason_page

from . import services
from .forms import NominationRejectForm
from .models import Nomination, NominationEvent, NominationStatus


class NominationEventInline(AuditTrailAdminMixin, admin.TabularInline):
    model = NominationEvent
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    show_change_link = False
    verbose_name_plural = gettext_lazy("Audit trail")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Nomination)
class NominationAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    change_form_template = "admin/members/nomination/change_form.html"
    list_display = [
        "nominee_name",  # the method below
        "organization",
        "kind",
        "status",
        "consent_to_publish",
        "submitter_name",
        "created_at",
        "reviewed_at",
    ]
    # No filter by organization: it would list every organization; search finds one.
    list_filter = ["status", "kind", "consent_to_publish", "created_at"]
    list_select_related = ["organization"]
    search_fields = [
        "family_name",
        "given_name",
        "name_original",
        "email",
        "organization__name_en",
        "organization__name_zh_hans",
        "organization__short_name_en",
        "submitter_name",
        "submitter_email",
    ]
    # No date hierarchy: the `created_at` filter ("submitted at") already narrows by date, and
    # the hierarchy cost two more queries a page (one truncating every row's date in the
    # site's time zone).
    actions = ["approve_selected", "reject_selected"]
    inlines = [NominationEventInline]
    fieldsets = [
        (gettext_lazy("Review"), {"fields": ["status", "reason", "reviewed_by", "reviewed_at"]}),
        (gettext_lazy("Member organization"), {"fields": ["organization", "kind", "replaces"]}),
        (
            gettext_lazy("Nominee"),
            {
                "fields": [
                    "honorific",
                    "given_name",
                    "family_name",
                    "name_order",
                    "name_original",
                    "email",
                    "job_title",
                    "country",
                    "phone",
                    "consent_to_publish",
                ]
            },
        ),
        (
            gettext_lazy("Submitted by"),
            {
                "fields": [
                    "submitter_name",
                    "submitter_email",
                    "submitter_role",
                    "created_at",
                    "confirmed_at",
                    "submitter_ip_hash",
                ]
            },
        ),
        (gettext_lazy("Result"), {"fields": ["person", "position"]}),
    ]
    #: Status and review fields change only through approve/reject (services).
    workflow_fields = [
        "status",
        "reason",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "confirmed_at",
        "submitter_ip_hash",
        "person",
        "position",
    ]
    raw_id_fields = ["replaces"]

    @admin.display(description=gettext_lazy("nominee name"))
    def nominee_name(self, obj: Nomination) -> str:
        return obj.display_name

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_open:
            # Decided or expired: the record is what was decided on.
            return [field for _name, options in self.fieldsets for field in options["fields"]]
        return self.workflow_fields

    def save_model(self, request, obj, form, change):
        """Save only what the form edits. The history view opens an earlier version of the
        record: its status, review and result are put back as stored, so that they change
        only through approve and reject (services, with their events)."""
        stored = Nomination.objects.select_for_update().get(pk=obj.pk)
        for field in Nomination._meta.concrete_fields:
            if field.name not in form.fields:
                setattr(obj, field.attname, getattr(stored, field.attname))
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        # Nominations come from the public form.
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    # Approve and reject ---------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="members_nomination_approve",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="members_nomination_reject",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, nomination: Nomination) -> str:
        return reverse("admin:members_nomination_change", args=[nomination.pk])

    def _approve(self, request: HttpRequest, nomination: Nomination) -> bool:
        try:
            position = services.nomination_approve(nomination=nomination, reviewer=request.user)
        except services.NominationError as error:
            self.message_user(request, f"{nomination}: {error}", messages.ERROR)
            return False
        self.message_user(
            request,
            _("Approved %(nomination)s: %(position)s from %(date)s. The submitter is notified.")
            % {"nomination": nomination, "position": position.label, "date": position.start_date},
            messages.SUCCESS,
        )
        return True

    def _reject(self, request: HttpRequest, nomination: Nomination, reason: str) -> bool:
        try:
            services.nomination_reject(nomination=nomination, reviewer=request.user, reason=reason)
        except services.NominationError as error:
            self.message_user(request, f"{nomination}: {error}", messages.ERROR)
            return False
        self.message_user(
            request,
            _("Rejected %(nomination)s. The submitter is notified.") % {"nomination": nomination},
            messages.SUCCESS,
        )
        return True

    def _nomination_for_change(self, request: HttpRequest, pk: int) -> Nomination:
        nomination = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, nomination):
            raise PermissionDenied
        return nomination

    def approve_view(self, request: HttpRequest, pk: int):
        """The Approve button: POST approves; GET asks for confirmation."""
        nomination = self._nomination_for_change(request, pk)
        if request.method == "POST":
            self._approve(request, nomination)
            return HttpResponseRedirect(self._change_url(nomination))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Approve the nomination"),
            "nomination": nomination,
            "nominations": [nomination],
        }
        return TemplateResponse(request, "admin/members/nomination/approve.html", context)

    def reject_view(self, request: HttpRequest, pk: int):
        """The Reject button: asks for the reason, then rejects."""
        nomination = self._nomination_for_change(request, pk)
        form = NominationRejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._reject(request, nomination, form.cleaned_data["reason"])
            return HttpResponseRedirect(self._change_url(nomination))
        return reason_page(
            self,
            request,
            form,
            title=_("Reject the nomination"),
            lead=_("Reject these nominations:"),
            submit=_("Reject"),
            items=[self._reject_line(nomination)],
            cancel_url=self._change_url(nomination),
            action_url=reverse("admin:members_nomination_reject", args=[nomination.pk]),
        )

    @staticmethod
    def _reject_line(nomination: Nomination) -> str:
        return f"{nomination} ({nomination.get_status_display()})"

    @admin.action(
        description=gettext_lazy("Approve the selected nominations"), permissions=["change"]
    )
    def approve_selected(self, request: HttpRequest, queryset: QuerySet):
        for nomination in queryset:
            self._approve(request, nomination)

    @admin.action(
        description=gettext_lazy("Reject the selected nominations…"), permissions=["change"]
    )
    def reject_selected(self, request: HttpRequest, queryset: QuerySet):
        """An intermediate page asks for the reason (sent to every submitter)."""
        return reason_action(
            self,
            request,
            queryset,
            form_class=NominationRejectForm,
            apply=lambda nomination, reason: self._reject(request, nomination, reason),
            title=_("Reject the nominations"),
            lead=_("Reject these nominations:"),
            submit=_("Reject"),
            describe=self._reject_line,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_decide"] = (
            obj is not None
            and obj.status in (NominationStatus.UNCONFIRMED, NominationStatus.AWAITING_REVIEW)
            and self.has_change_permission(request, obj)
        )
        context["can_approve"] = (
            context["can_decide"] and obj.status == NominationStatus.AWAITING_REVIEW
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(NominationEvent)
class NominationEventAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    """Read-only list of every status change, for searching across nominations."""

    list_display = ["at", "nomination", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status", "at"]
    list_select_related = ["nomination__organization", "actor"]
    search_fields = ["nomination__family_name", "nomination__email", "note"]
    date_hierarchy = "at"
