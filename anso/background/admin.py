"""The records of background work in the admin, read-only: the outbox (every mail the site
stored, sent or not, with "send again", its HTML part shown from an address of its own), and
the spreadsheet imports and large exports."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

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


class ImportJobAttentionFilter(admin.SimpleListFilter):
    """The jobs the home page counts as needing attention (`ImportJob.objects.needing_attention`):
    failed while "Try again" still can, or stuck."""

    title = _("attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("failed or stuck"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_attention(timezone.now())
        return queryset


#: The policy of a mail's HTML part shown in the outbox: its inline styles apply (mail is styled
#: inline), and nothing else: no script, no request to any address (a tracking image included),
#: no form, in a sandbox (an origin of its own), framed by the admin's pages only.
HTML_PART_CSP = {
    "sandbox": True,
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
}


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
        """The HTML part in a sandboxed frame, from its own address (`html_part`), and as
        escaped source."""
        if not obj.html:
            return "-"
        return format_html(
            '<iframe sandbox="" class="outbox-html-part" src="{}" title="{}"'
            ' referrerpolicy="no-referrer"></iframe>'
            "<details><summary>{}</summary><pre>{}</pre></details>",
            reverse(f"{self.admin_site.name}:anso_outgoingmail_html", args=[obj.pk]),
            _("HTML part"),
            _("source"),
            obj.html,
        )

    def get_urls(self):
        view = xframe_options_sameorigin(csp_override(HTML_PART_CSP)(self.html_part))
        return [
            path(
                "<path:object_id>/html/",
                self.admin_site.admin_view(view),
                name="anso_outgoingmail_html",
            ),
            *super().get_urls(),
        ]

    def html_part(self, request, object_id):
        """A mail's HTML part as it was sent, for the frame of its page, under its own policy
        (HTML_PART_CSP): the admin's would refuse its inline styles."""
        mail = self.get_object(request, unquote(object_id))
        if mail is None or not mail.html:
            raise Http404
        if not self.has_view_permission(request, mail):
            raise PermissionDenied
        return HttpResponse(mail.html, content_type="text/html; charset=utf-8")

    class Media:
        css = {"all": ["css/outbox.css"]}

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
    list_filter = ["status", "model_label", ImportJobAttentionFilter]
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
