"""The records of background work in the admin, read-only: the outbox (every mail the site
stored, sent or not, with "send again"), and the spreadsheet imports and large exports."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from anso.admin_tools import LongListAdminMixin
from anso.mail.sending import outgoing_mail_send_again
from anso.models import ExportJob, ExportJobStatus, ImportJob, OutgoingMail


class RefusedFilter(admin.SimpleListFilter):
    title = _("refused addresses")
    parameter_name = "refused"

    def lookups(self, request, model_admin):
        return [("yes", _("some addresses refused"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(refused=[])
        return queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.editable]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(LongListAdminMixin, ReadOnlyAdmin):
    """The outbox: every mail the site stored, its state and what the server answered."""

    list_display = [
        "created_at",
        "subject",
        "recipients",
        "status",
        "bulk",
        "attempts",
        "has_refusals",
        "sent_at",
    ]
    list_filter = ["status", "bulk", RefusedFilter]
    # Recipients are searched in the stored list's text: "wang@" finds "Wang <wang@...>".
    search_fields = ["subject", "to", "=message_id"]
    search_help_text = _("Search by subject, recipient or Message-ID.")
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "recipients",
                    "subject",
                    "status",
                    "bulk",
                    "attempts",
                    "created_at",
                    "next_attempt_at",
                    "sent_at",
                    "last_error",
                ]
            },
        ),
        (_("Refusals"), {"fields": ["refused", "refused_reply", "pending_to"]}),
        (
            _("Message"),
            {"fields": ["message_id", "headers_list", "body_text", "html_preview"]},
        ),
    ]

    @admin.display(description=pgettext_lazy("mail recipients", "to"))
    def recipients(self, obj):
        """The addresses as a mail program shows them, not the stored JSON list."""
        return ", ".join(obj.to)

    @admin.display(description=_("refused"), boolean=True)
    def has_refusals(self, obj):
        return bool(obj.refused)

    @admin.display(description=_("extra headers"))
    def headers_list(self, obj):
        if not obj.headers:
            return "-"
        return format_html(
            "<pre>{}</pre>",
            "\n".join(f"{name}: {value}" for name, value in obj.headers.items()),
        )

    @admin.display(description=_("text part"))
    def body_text(self, obj):
        return format_html("<pre>{}</pre>", obj.body)

    @admin.display(description=_("HTML part"))
    def html_preview(self, obj):
        """The HTML part in a sandboxed frame (no script runs, no form posts, nothing reaches
        the admin's page) and as escaped source."""
        if not obj.html:
            return "-"
        return format_html(
            '<iframe sandbox="" srcdoc="{}" title="{}" width="100%" height="400"'
            ' referrerpolicy="no-referrer"></iframe>'
            "<details><summary>{}</summary><pre>{}</pre></details>",
            obj.html,
            _("HTML part"),
            _("source"),
            obj.html,
        )

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name.endswith("_changelist"):
            return queryset.defer("body", "html", "headers", "last_error", "refused_reply")
        return queryset

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


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Each staff member's own large exports, newest first, with the link to each file."""

    list_display = ["created_at", "file_name", "model_label", "status", "total_rows", "file_link"]
    list_filter = ["status", "model_label"]
    exclude = ["file", "query_string", "form_data"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(created_by=request.user)

    @admin.display(description=_("file"))
    def file_link(self, obj):
        if obj.status == ExportJobStatus.DONE and obj.file:
            return format_html('<a href="{}">{}</a>', obj.get_download_url(), _("download"))
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))


def _without_rq_dashboard() -> None:
    """django-rq (the Redis queue's worker) brings an admin dashboard that lets any staff
    member requeue or delete jobs; the records above are what the Secretariat needs, and
    operators use `manage.py rqstats`."""
    from django_rq.models import Dashboard

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)


_without_rq_dashboard()
