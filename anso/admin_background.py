"""The records of background work in the admin, read-only: the mail the site sent or could
not send (with "send again"), and the spreadsheet imports."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from .mail import outgoing_mail_send_again
from .models import ImportJob, OutgoingMail


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.editable]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]

    @admin.display(description=pgettext_lazy("mail recipients", "to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = outgoing_mail_send_again(mails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "file_name",
        "model_label",
        "status",
        "total_rows",
        "new",
        "updated",
        "skipped",
        "created_by",
        "result_link",
    ]
    list_filter = ["status", "model_label"]
    list_select_related = ["created_by"]
    search_fields = ["file_name"]
    exclude = ["data"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description=_("result"))
    def result_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))


def _without_rq_dashboard() -> None:
    """django-rq (the Redis queue's worker) brings an admin dashboard that lets any staff
    member requeue or delete jobs; the records above are what the Secretariat needs, and
    operators use `manage.py rqstats`."""
    from django_rq.models import Dashboard

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)


_without_rq_dashboard()
