"""The visa requests in the admin (docs/papers.md, "Visa letters"): a list filtered by status
and meeting, approving one or several (the worker then mails each letter), refusing with a
reason, sending an approved request's letter again. Nothing is edited here, nothing added or
deleted, nothing exported: the passport details are read on a request's page, by those who may
view visa requests (the Secretariat). Each decision is a line of the request's history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anso.admin_tools import LongListAdminMixin
from anso.forms import ErrorSummaryFormMixin

from . import visa
from .models import VisaRequest


class RefuseForm(ErrorSummaryFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the request; the participant is not mailed."),
    )


@admin.register(VisaRequest)
class VisaRequestAdmin(LongListAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "meeting", "status", "requested_at", "decided_at", "paper"]
    list_filter = ["status", "participation__meeting"]
    list_select_related = ["participation__person", "participation__meeting", "paper"]
    search_fields = ["participation__person__family_name", "participation__person__given_name"]
    actions = ["approve_selected", "refuse_selected", "send_again"]
    fieldsets = [
        (None, {"fields": ["participation", "status", "requested_at", "arrival", "departure"]}),
        (
            gettext_lazy("Passport"),
            {
                "fields": [
                    "passport_name",
                    "nationality",
                    "passport_number",
                    "date_of_birth",
                    "consulate",
                    "erased_at",
                ]
            },
        ),
        (
            gettext_lazy("Decision"),
            {"fields": ["decided_at", "decided_by", "refusal_reason", "paper"]},
        ),
    ]
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("export_as_csv", None)  # the passport details leave the site in no file
        return actions

    @admin.display(description=gettext_lazy("participant"))
    def participant(self, obj):
        return obj.participation.person

    @admin.display(description=gettext_lazy("meeting"))
    def meeting(self, obj):
        return obj.participation.meeting

    @admin.action(description=gettext_lazy("Approve and send the letters"), permissions=["change"])
    def approve_selected(self, request, queryset):
        result = visa.visa_requests_approve(requests=queryset, by=request.user)
        if result.approved:
            message = ngettext(
                "%(count)d request approved: its letter is being mailed.",
                "%(count)d requests approved: their letters are being mailed.",
                len(result.approved),
            ) % {"count": len(result.approved)}
            self.message_user(request, message, messages.SUCCESS)
        if result.skipped:
            message = ngettext(
                "%(count)d request was decided already and is left as it is.",
                "%(count)d requests were decided already and are left as they are.",
                len(result.skipped),
            ) % {"count": len(result.skipped)}
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=gettext_lazy("Send the letter again"), permissions=["change"])
    def send_again(self, request, queryset):
        """For approved requests whose passport details are kept: the letter made again and
        mailed (meetings/papers/visa.py, `visa_letter_send_again`); the others are named, with
        the reason."""
        sent = 0
        for visa_request in queryset:
            try:
                visa.visa_letter_send_again(visa=visa_request, by=request.user)
            except visa.VisaDecisionRefused as error:
                self.message_user(request, f"{visa_request}: {error.message}", messages.WARNING)
            else:
                sent += 1
        if sent:
            message = ngettext(
                "%(count)d letter is being made again and mailed.",
                "%(count)d letters are being made again and mailed.",
                sent,
            ) % {"count": sent}
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Refuse the selected requests…"), permissions=["change"])
    def refuse_selected(self, request, queryset):
        """An intermediate page asks for the reason, kept with each request."""
        form = RefuseForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            refused = 0
            for visa_request in queryset:
                try:
                    visa.visa_request_refuse(
                        visa=visa_request, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except visa.VisaDecisionRefused as error:
                    self.message_user(request, f"{visa_request}: {error.message}", messages.WARNING)
                else:
                    refused += 1
            if refused:
                message = ngettext(
                    "%(count)d request refused.", "%(count)d requests refused.", refused
                ) % {"count": refused}
                self.message_user(request, message, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Refuse the visa letter requests"),
            "form": form,
            "requests": list(queryset.select_related("participation__person")),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/meetings/visarequest/refuse.html", context)
