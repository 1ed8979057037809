"""The papers' pages: the public verification page a paper's QR code leads to, the
certificate of attendance a participant downloads from their personal link, the sheets for the
day of a meeting, the meeting dossier issued from the control page, and the pages of the
batches the worker makes."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from anso.files.downloads import file_download_response
from anso.security.ratelimit import rate_limit_hit

from ..attendance import links
from ..views import PublishedMeetingMixin, SecretariatMixin
from . import batches, dossier, selectors, services, sheets
from .models import PaperBatch, PaperBatchStatus
from .signing import SigningKeyMissing

logger = logging.getLogger(__name__)

#: Verification pages answered per client and hour: enough for a consulate's morning, not for
#: a script walking the reference numbers.
VERIFICATIONS_PER_HOUR = 120


class PaperVerifyView(View):
    """What a paper's QR code opens: what was issued, for which meeting, to whom (initials
    only) and when, or that it was revoked and when. An unknown reference is a 404 that says
    so. Never cached: a revocation shows at once."""

    def get(self, request, reference: str):
        allowed = rate_limit_hit(
            request, scope="paper-verify", limit=VERIFICATIONS_PER_HOUR, period=60 * 60
        ).allowed
        if not allowed:
            response = render(request, "meetings/papers/paper_verify_limited.html", status=429)
        else:
            paper = selectors.paper_for_verification(reference)
            if paper is None:
                context = {"reference": reference}
                response = render(
                    request, "meetings/papers/paper_unknown.html", context, status=404
                )
            else:
                person = paper.participation.person if paper.participation_id else None
                context = {
                    "paper": paper,
                    "initials": selectors.initials(person) if person else "",
                }
                response = render(request, "meetings/papers/paper_verify.html", context)
        add_never_cache_headers(response)
        return response


class CertificateDownloadView(PublishedMeetingMixin, View):
    """The participant's certificate of attendance, from the button on their registration's
    page (POST): issued the first time, the same paper every time after. The link is checked
    as that page checks it; it keeps working for this after the meeting, when the page itself
    has expired, since a certificate is asked for afterwards."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs) -> HttpResponse:
        meeting = self.get_meeting()
        participation = links.registration_from_token(token=kwargs["token"], meeting=meeting)
        if participation is None:
            return render(
                request,
                "meetings/registration_link_invalid.html",
                {"meeting": meeting},
                status=404,
            )
        try:
            paper = services.certificate_issue(participation=participation, by=None)
        except services.PaperRefused as refused:
            context = {"meeting": meeting, "message": refused.message}
            return render(request, "meetings/papers/certificate_refused.html", context, status=403)
        except SigningKeyMissing:
            # A deployment without its signing key (check --deploy warns): said, not a 500.
            logger.error("A certificate was asked for, but the papers cannot be signed.")
            message = _(
                "Certificates cannot be issued at the moment. Please try again later, or write "
                "to the Secretariat."
            )
            context = {"meeting": meeting, "message": message}
            return render(request, "meetings/papers/certificate_refused.html", context, status=503)
        return file_download_response(
            request, paper.file, filename=paper.filename, content_type="application/pdf"
        )


# --- the sheets for the day of a meeting (sheets.py) ----------------------------------------


class MeetingSheetView(SecretariatMixin, View):
    """A sheet of the whole meeting's registrants, in the page's language, made within the
    request (docs/papers.md)."""

    permission_required = "meetings.view_participation"
    name = ""

    def render_sheet(self, meeting, participations, language: str) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs) -> HttpResponse:
        meeting = self.get_meeting()
        participations = sheets.meeting_registrants(meeting=meeting)
        pdf = self.render_sheet(meeting, participations, request.LANGUAGE_CODE)
        return sheets.sheet_response(pdf, name=f"{meeting.slug}-{self.name}")


class BadgesView(MeetingSheetView):
    name = "badges"

    def render_sheet(self, meeting, participations, language: str) -> bytes:
        return sheets.badges_pdf(participations=participations, language=language)


class TableTentsView(MeetingSheetView):
    name = "table-tents"

    def render_sheet(self, meeting, participations, language: str) -> bytes:
        return sheets.table_tents_pdf(participations=participations, language=language)


class SignInSheetView(MeetingSheetView):
    name = "sign-in-sheet"

    def render_sheet(self, meeting, participations, language: str) -> bytes:
        return sheets.sign_in_sheet_pdf(
            meeting=meeting, participations=participations, language=language
        )


# --- the meeting dossier (dossier.py) --------------------------------------------------------


class DossierIssueView(SecretariatMixin, View):
    """The control page's button (POST): a new dossier of the meeting, in the page's
    language, issued within the request and handed back as its PDF. For whoever may change
    the meeting, as the admin's action."""

    permission_required = "meetings.change_meeting"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs) -> HttpResponse:
        meeting = self.get_meeting()
        try:
            paper = dossier.dossier_issue(
                meeting=meeting, by=request.user, language=request.LANGUAGE_CODE
            )
        except SigningKeyMissing:
            logger.error("A meeting dossier was asked for, but the papers cannot be signed.")
            messages.error(
                request,
                _(
                    "No dossier was issued: the papers' signing key is not set "
                    "(PAPERS_SIGNING_KEY, PAPERS_SIGNING_CERT)."
                ),
            )
            return redirect(
                "meetings:meeting_control", year=meeting.start_date.year, slug=meeting.slug
            )
        return file_download_response(
            request, paper.file, filename=paper.filename, content_type="application/pdf"
        )


# --- batches of papers made by the worker (batches.py) ----------------------------------------


class PaperBatchMixin(SecretariatMixin):
    """A batch of the meeting in the address, for whoever may view participations; a batch of
    certificates for whoever may issue them (change participations, as the admin's action)."""

    permission_required = "meetings.view_participation"

    def get_batch(self) -> PaperBatch:
        meeting = self.get_meeting()
        batch = get_object_or_404(
            PaperBatch.objects.select_related("meeting", "created_by"),
            pk=self.kwargs["pk"],
            meeting=meeting,
        )
        if batch.is_certificates and not self.request.user.has_perm(
            "meetings.change_participation"
        ):
            raise PermissionDenied
        return batch


def batch_status(batch: PaperBatch) -> dict:
    """What the batch's page shows and its script asks for again."""
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "done": batch.done,
        "total": batch.total,
        "skipped": batch.skipped,
        "running": batch.is_running,
        "download_url": batch.get_download_url() if batch.file else "",
        "error": batch.error,
    }


@method_decorator(never_cache, name="dispatch")
class PaperBatchView(PaperBatchMixin, View):
    """A batch's page: its progress ("120 of 480", refreshed by static/js/paper-batch.js), then
    the file to download; a failed batch says why and offers "Try again"."""

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        context = self.staff_context(
            title=_("Batch of papers"),
            subtitle=batch.meeting.title,
            meeting=batch.meeting,
            batch=batch,
            statuses=PaperBatchStatus,
            refresh_seconds=BATCH_REFRESH_SECONDS,
        )
        return render(request, "meetings/papers/paper_batch.html", context)


#: How often the batch's page asks for its progress while the worker makes it.
BATCH_REFRESH_SECONDS = 2


@method_decorator(never_cache, name="dispatch")
class PaperBatchStatusView(PaperBatchMixin, View):
    """The batch's progress as JSON, for its page."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(batch_status(self.get_batch()))


class PaperBatchDownloadView(PaperBatchMixin, View):
    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        if batch.status != PaperBatchStatus.DONE or not batch.file:
            raise Http404(_("The file is not ready, or was deleted after some days."))
        content_type = "application/zip" if batch.is_certificates else "application/pdf"
        return file_download_response(
            request, batch.file, filename=batch.filename, content_type=content_type
        )


class PaperBatchRetryView(PaperBatchMixin, View):
    """ "Try again" on a failed batch's page (POST)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        if not batches.paper_batch_retry(batch=batch):
            messages.warning(request, _("Only a failed batch is tried again."))
        return redirect(batch.get_absolute_url())


class PaperBatchCreateView(SecretariatMixin, View):
    """The control page's "prepare in the background" (POST, with the kind: badges or table
    tents of the whole meeting): queues a batch and opens its page."""

    permission_required = "meetings.view_participation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        kind = request.POST.get("kind", "")
        if kind not in batches.SHEET_KINDS:
            return HttpResponseBadRequest(_("Badges or table tents only."))
        batch = batches.paper_batch_create(
            meeting=meeting, kind=kind, by=request.user, language=request.LANGUAGE_CODE
        )
        return redirect(batch.get_absolute_url())
