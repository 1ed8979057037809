"""The Secretariat's admin for documents: each document with its versions (read-only: an upload
is a new version, never an edit of an old one)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..admin_filters import MeetingListFilter
from .models import Document, DocumentVersion


class DocumentMeetingFilter(MeetingListFilter):
    meeting_path = "meeting"


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = [
        "number",
        "filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "preview_state",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Document)
class DocumentAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "language", "visibility", "meeting", "action", "date"]
    list_filter = ["kind", "visibility", "language", DocumentMeetingFilter]
    search_fields = ["title_en", "title_zh_hans"]
    autocomplete_fields = ["meeting", "session", "agenda_item", "action", "presented_by"]
    list_select_related = ["meeting", "action"]
    inlines = [DocumentVersionInline]
    fieldsets = [
        (None, {"fields": [("title_en", "title_zh_hans"), "kind", "language", "date"]}),
        (
            _("What it is on"),
            {"fields": ["meeting", "session", "agenda_item", "action", "presented_by", "order"]},
        ),
        (_("Who may see it"), {"fields": ["visibility"]}),
    ]
