"""The papers in the admin: the letterhead (one row, edited in place), every paper issued with
its PDF and history, revoking with a reason, issuing certificates of attendance from the
participations' list (`certificates_issue_action`, added by meetings/attendance/admin.py), a
meeting's dossier from the meetings' list (`dossier_issue_action`, meetings/admin.py), and the
batches the worker makes (read-only; `batches_queue`, for a selection larger than
`PAPERS_BATCH_THRESHOLD`)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import LongListAdminMixin
from anso.files.downloads import file_download_response
from anso.files.uploads import IMAGE_TYPES, check_upload
from anso.forms import ErrorSummaryFormMixin

from . import batches, dossier, services
from .models import Letterhead, Paper, PaperBatch
from .signing import SigningKeyMissing


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = [
            "logo",
            "address_en",
            "address_zh_hans",
            "signatory_name",
            "signatory_title_en",
            "signatory_title_zh_hans",
            "signature",
        ]

    def _image(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            checked = check_upload(upload)
            if checked.content_type not in IMAGE_TYPES:
                raise ValidationError(_("Upload a PNG, JPEG, GIF or WebP image."))
            upload.name = checked.filename
        return upload

    def clean_logo(self):
        return self._image("logo")

    def clean_signature(self):
        return self._image("signature")


@admin.register(Letterhead)
class LetterheadAdmin(TranslationAdmin, SimpleHistoryAdmin):
    """The one letterhead, listed as one row: the list makes it (empty) the first time, so it
    is never added here (the database refuses a second row too) nor deleted."""

    form = LetterheadForm
    fieldsets = [
        (None, {"fields": ["logo", "address_en", "address_zh_hans"]}),
        (
            gettext_lazy("Signature"),
            {
                "fields": [
                    "signatory_name",
                    "signatory_title_en",
                    "signatory_title_zh_hans",
                    "signature",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list shows the row, made empty the first time."""
        if self.has_view_or_change_permission(request):
            Letterhead.ensure()
        return super().changelist_view(request, extra_context)


class RevokeForm(ErrorSummaryFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the paper's history; the public page does not show it."),
    )


@admin.register(Paper)
class PaperAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    """Every paper issued. Written by the services only: no field is edited here; revoking is
    the action below."""

    list_display = ["reference", "kind", "meeting", "participant", "issued_at", "revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter), "meeting"]
    list_select_related = ["meeting", "participation__person"]
    search_fields = [
        "=reference",
        "participation__person__family_name",
        "participation__person__given_name",
        "participation__person__name_original",
    ]
    date_hierarchy = None
    actions = ["revoke_selected"]
    fields = [
        "reference",
        "kind",
        "meeting",
        "participation",
        "language",
        "issued_at",
        "issued_by",
        "pdf",
        "sha256",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "verification_page",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("meeting", "participation__person", "issued_by", "revoked_by")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("participant"))
    def participant(self, obj):
        return obj.participation.person if obj.participation_id else "—"

    @admin.display(description=gettext_lazy("PDF"))
    def pdf(self, obj):
        if not obj.file:  # a visa letter: not kept (meetings/papers/visa.py)
            return "—"
        url = reverse("admin:meetings_paper_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    @admin.display(description=gettext_lazy("verification page"))
    def verification_page(self, obj):
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.download_view),
                name="meetings_paper_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        """The paper's PDF as issued, for whoever may view papers."""
        paper = get_object_or_404(Paper.objects.exclude(file=""), pk=pk)
        if not self.has_view_permission(request, paper):
            raise PermissionDenied
        return file_download_response(
            request, paper.file, filename=paper.filename, content_type="application/pdf"
        )

    @admin.action(description=gettext_lazy("Revoke the selected papers…"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        """An intermediate page asks for the reason, kept in each paper's history."""
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            revoked = 0
            for paper in queryset:
                try:
                    services.paper_revoke(
                        paper=paper, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except services.PaperRefused as refused:
                    self.message_user(request, f"{paper}: {refused.message}", messages.WARNING)
                else:
                    revoked += 1
            if revoked:
                message = ngettext(
                    "%(count)d paper revoked.", "%(count)d papers revoked.", revoked
                ) % {"count": revoked}
                self.message_user(request, message, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Revoke the papers"),
            "form": form,
            "papers": list(queryset),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/meetings/paper/revoke.html", context)


@admin.register(PaperBatch)
class PaperBatchAdmin(LongListAdminMixin, admin.ModelAdmin):
    """The batches the worker made or makes, read-only: each opens its page (progress, file,
    "Try again")."""

    list_display = [
        "created_at",
        "kind",
        "meeting",
        "status",
        "done",
        "total",
        "created_by",
        "page_link",
    ]
    list_filter = ["kind", "status", "meeting"]
    list_select_related = ["meeting", "created_by"]
    fields = [
        "meeting",
        "kind",
        "language",
        "status",
        "done",
        "total",
        "skipped",
        "created_by",
        "created_at",
        "queued_at",
        "attempts",
        "started_at",
        "progress_at",
        "finished_at",
        "error",
        "page_link",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))


def batches_queue(model_admin, request, queryset, *, kind: str):
    """Queue a batch of `kind` for the selected participations, one per meeting of the
    selection; the batch's page opens when there is one, else each is linked."""
    meeting_ids = sorted(set(queryset.values_list("meeting_id", flat=True)))
    queued = []
    for meeting_id in meeting_ids:
        chosen = queryset.model.objects.filter(pk__in=queryset.values("pk"), meeting_id=meeting_id)
        meeting = chosen.select_related("meeting__body").first().meeting
        queued.append(
            batches.paper_batch_create(
                meeting=meeting,
                kind=kind,
                by=request.user,
                language=get_language(),
                participations=chosen,
            )
        )
    return batches_queued(model_admin, request, queued)


def batches_queued(model_admin, request, queued: list[PaperBatch]):
    """Say that the batches are queued; open the page of the one batch."""
    for batch in queued:
        model_admin.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("%(kind)s of %(meeting)s: the background worker makes them.")
                % {"kind": batch.get_kind_display().capitalize(), "meeting": batch.meeting},
                batch.get_absolute_url(),
                _("Follow the progress"),
            ),
            messages.SUCCESS,
        )
    return redirect(queued[0].get_absolute_url()) if len(queued) == 1 else None


def over_threshold(queryset) -> bool:
    """Whether a selection is too large to make within the request."""
    return queryset.count() > settings.PAPERS_BATCH_THRESHOLD


def certificates_issue_action(model_admin, request, queryset):
    """Issue the certificates of attendance of the selected participations that attended;
    the others are named and left alone. A certificate issued before is not issued again.
    A selection larger than `PAPERS_BATCH_THRESHOLD` is issued by the worker."""
    if over_threshold(queryset):
        return batches_queue(
            model_admin, request, queryset, kind=batches.PaperBatchKind.CERTIFICATES
        )
    try:
        result = services.certificates_issue(
            participations=queryset.select_related("person", "organization", "meeting"),
            by=request.user,
        )
    except SigningKeyMissing:
        model_admin.message_user(
            request,
            _(
                "No certificate was issued: the papers' signing key is not set "
                "(PAPERS_SIGNING_KEY, PAPERS_SIGNING_CERT)."
            ),
            messages.ERROR,
        )
        return
    if result.issued:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d certificate of attendance issued.",
                "%(count)d certificates of attendance issued.",
                len(result.issued),
            )
            % {"count": len(result.issued)},
            messages.SUCCESS,
        )
    if result.existing:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d participant had a certificate already.",
                "%(count)d participants had a certificate already.",
                len(result.existing),
            )
            % {"count": len(result.existing)},
            messages.INFO,
        )
    if result.refused:
        names = ", ".join(str(participation.person) for participation in result.refused)
        model_admin.message_user(
            request,
            _("No certificate for those who did not attend: %(names)s.") % {"names": names},
            messages.WARNING,
        )


def dossier_issue_action(model_admin, request, queryset):
    """Issue a new dossier of each selected meeting (meetings/papers/dossier.py), in the
    language of the admin's page; each is named with a link to its PDF."""
    for meeting in queryset.select_related("body"):
        try:
            paper = dossier.dossier_issue(meeting=meeting, by=request.user, language=get_language())
        except SigningKeyMissing:
            model_admin.message_user(
                request,
                _(
                    "No dossier was issued: the papers' signing key is not set "
                    "(PAPERS_SIGNING_KEY, PAPERS_SIGNING_CERT)."
                ),
                messages.ERROR,
            )
            return
        url = reverse("admin:meetings_paper_download", args=[paper.pk])
        model_admin.message_user(
            request,
            format_html(
                _("Meeting dossier {reference} issued for {meeting}: {link}."),
                reference=paper.reference,
                meeting=meeting,
                link=format_html('<a href="{}">{}</a>', url, paper.filename),
            ),
            messages.SUCCESS,
        )
