"""The Secretariat's admin for documents: the description, where the document belongs, its
files (several at once, dropped or chosen) and its versions, read-only (an upload is a new
version, never an edit of an old one). Every write goes through `services`."""

from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import AuditTrailAdminMixin

from ..admin_filters import MeetingListFilter
from . import services
from .forms import DocumentAdminForm
from .models import Document, DocumentVersion


class DocumentMeetingFilter(MeetingListFilter):
    meeting_path = "meeting"


class DocumentVersionInline(AuditTrailAdminMixin, admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "download", "content_type", "file_size", "uploaded_by", "uploaded_at",
              "preview_state"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]
    verbose_name_plural = _("versions (the latest first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "document")

    @admin.display(description=_("file"))
    def download(self, version):
        return format_html('<a href="{}">{}</a>', version.get_absolute_url(), version.filename)

    @admin.display(description=_("size"))
    def file_size(self, version):
        return filesizeformat(version.size)


@admin.register(Document)
class DocumentAdmin(TranslationAdmin, SimpleHistoryAdmin):
    form = DocumentAdminForm
    list_display = ["title", "kind", "language", "visibility", "meeting", "action", "date",
                    "version_count"]  # fmt: skip
    list_filter = ["kind", "visibility", "language", DocumentMeetingFilter]
    search_fields = ["title_en", "title_zh_hans", "versions__filename"]
    autocomplete_fields = ["meeting", "session", "agenda_item", "action", "presented_by"]
    list_select_related = ["meeting", "action"]
    inlines = [DocumentVersionInline]
    fieldsets = [
        (None, {"fields": [("title_en", "title_zh_hans"), "kind", "language", "date"]}),
        (
            _("What it is on"),
            {
                "fields": ["meeting", "session", "agenda_item", "action", "presented_by", "order"],
                "description": _(
                    "Choose the agenda item, the session or the meeting (the finest one is "
                    "enough: the others follow), or an action of the plan."
                ),
            },
        ),
        (_("Who may see it"), {"fields": ["visibility"]}),
        (_("Files"), {"fields": ["files"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(version_total=Count("versions"))

    @admin.display(description=_("versions"), ordering="version_total")
    def version_count(self, document):
        return document.version_total

    def get_deleted_objects(self, objs, request):
        """A document's versions are part of it: deleting the document deletes them, and their
        files once the delete commits (django-cleanup), although nobody deletes a version on
        its own (`DocumentVersionAdmin`). Deleting a document asks only for the permission to
        delete documents."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        versions = str(DocumentVersion._meta.verbose_name)
        perms_needed = {name for name in perms_needed if str(name) != versions}
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        files = form.cleaned_data.get("files") or []
        if change:
            changes = {
                name: getattr(obj, name) for name in form.changed_data if name in services.UPDATABLE
            }
            if changes:
                services.document_update(document=obj, **changes)
            if files:
                services.document_versions_add(
                    document=obj, uploads=files, uploaded_by=request.user
                )
            return
        fields = {
            "meeting": obj.meeting,
            "session": obj.session,
            "agenda_item": obj.agenda_item,
            "action": obj.action,
            "kind": obj.kind,
            "language": obj.language,
            "date": obj.date,
            "visibility": obj.visibility,
            "presented_by": obj.presented_by,
            "order": obj.order,
            "title_zh_hans": obj.title_zh_hans,
        }
        groups = [files] if len(files) <= 1 else [[upload] for upload in files]
        documents = [
            services.document_create(
                title=obj.title_en if len(groups) == 1 else f"{obj.title_en}: {_stem(group[0])}",
                files=group,
                uploaded_by=request.user,
                **fields,
            )
            for group in groups
        ]
        first = documents[0]
        obj.pk, obj._state.adding = first.pk, False
        obj.refresh_from_db()
        if len(documents) > 1:
            messages.info(
                request,
                ngettext(
                    "%(count)d document was added, one per file.",
                    "%(count)d documents were added, one per file.",
                    len(documents),
                )
                % {"count": len(documents)},
            )


def _stem(checked) -> str:
    return checked.filename.rpartition(".")[0] or checked.filename


@admin.register(DocumentVersion)
class DocumentVersionAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    """Every version, for searching by file name or checksum; written by uploads only."""

    list_display = ["document", "number", "filename", "content_type", "uploaded_by", "uploaded_at",
                    "preview_state"]  # fmt: skip
    list_filter = ["content_type", "preview_state"]
    search_fields = ["filename", "sha256", "document__title_en", "document__title_zh_hans"]
    list_select_related = ["document", "uploaded_by"]
    readonly_fields = ["document", "number", "filename", "content_type", "size", "sha256",
                       "uploaded_by", "uploaded_at", "preview_state", "preview_error"]  # fmt: skip
    exclude = ["file", "preview"]
