"""Spreadsheets in the admin: the upload check, the import form, and the mixin that gives an
admin its import (through an import job in the worker, anso/background/imports.py) and export
screens. Parameters no page of the admin offers are a 400 with a message, never a 500."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Length
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from anso.background.exports import export_job_create
from anso.background.imports import (
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_progress,
    import_job_retry,
)
from anso.files.downloads import file_download_response
from anso.models import ExportJob, ExportJobStatus, ImportJob, ImportJobStatus
from anso.security.bad_requests import bad_request
from anso.spreadsheets.formats import FORMATS


class SpreadsheetParametersMixin:
    """For an import/export admin: parameters no page of the admin offers are a 400 with a
    message, never a 500. The library checks the `format` of a POST only, and reads the export
    page's query string as the list's filters (a stray `?format=99` raised
    IncorrectLookupParameters)."""

    formats = FORMATS

    def import_action(self, request, **kwargs):
        if self.has_import_permission(request):
            problem = _choices_problem(
                request, self.get_import_formats(), self.get_import_resource_classes(request)
            )
            if problem:
                return bad_request(request, problem)
        return super().import_action(request, **kwargs)

    def export_action(self, request):
        if self.has_export_permission(request):
            problem = _choices_problem(
                request, self.get_export_formats(), self.get_export_resource_classes(request)
            )
            if problem:
                return bad_request(request, problem)
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return bad_request(
                request,
                _(
                    "The address holds a filter this list does not have. Open the export from "
                    "the list's page."
                ),
            )


def _choices_problem(request, formats, resources) -> str:
    """What is wrong with the `format` and `resource` parameters of the query string or the
    form, if anything. Only the list's own numbers are choices: not "-1", a full-width digit
    or "²"."""
    for data in (request.GET, request.POST):
        for name, choices in (("format", formats), ("resource", resources)):
            value = data.get(name, "")
            if value == "":
                continue  # not chosen: the form asks for it; the only resource: not asked
            if value not in {str(index) for index in range(len(choices))}:
                return _(
                    "“%(value)s” is not a %(name)s this page offers. Choose one from the list."
                ) % {
                    "value": value[:20],
                    "name": name,
                }
    return ""


#: Spreadsheets bigger than this are refused before they are read.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


def check_spreadsheet_upload(upload) -> None:
    """Refuse, with a message a person can act on, a file that is empty, too big, or not the
    spreadsheet its name claims."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    name = (upload.name or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if name.endswith(".xlsx") and head != XLSX_MAGIC:
        raise ValidationError(
            _(
                "This file is not an Excel spreadsheet, although its name ends in .xlsx. "
                "Save it from your spreadsheet program as .xlsx or .csv."
            )
        )
    if name.endswith(".csv") and head.startswith(XLSX_MAGIC):
        raise ValidationError(
            _("This file is an Excel spreadsheet named .csv. Rename it to .xlsx.")
        )
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))


class SpreadsheetImportForm(ImportForm):
    """The admin's import form, with the checks of `check_spreadsheet_upload`."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_spreadsheet_upload(upload)
        return upload


class SpreadsheetAdminMixin(SpreadsheetParametersMixin, ImportExportMixin):
    """Import (CSV, XLSX) and export for an admin, with the upload checks above. Formulas are
    escaped in exports (formats.py) and hand-made parameters are a 400.

    An upload becomes an `ImportJob` that the worker checks and, once confirmed, imports
    (anso/background/imports.py); its page shows the progress, then the rows saved or why none were.
    An export of more than EXPORT_IN_REQUEST_MAX_ROWS rows becomes an `ExportJob` that the
    worker writes (anso/background/exports.py); its page links to the file when it is ready."""

    import_form_class = SpreadsheetImportForm

    def has_import_permission(self, request):
        """Importing adds and changes records: both permissions are needed."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import/<int:job_pk>/",
                self.admin_site.admin_view(self.import_job_view),
                name=f"{info}_import_job",
            ),
            path(
                "export/<int:job_pk>/",
                self.admin_site.admin_view(self.export_job_view),
                name=f"{info}_export_job",
            ),
            path(
                "export/<int:job_pk>/download/",
                self.admin_site.admin_view(self.export_job_download),
                name=f"{info}_export_job_download",
            ),
            path(
                "import/<int:job_pk>/<str:action>/",
                self.admin_site.admin_view(self.import_job_action_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_job_action",
            ),
            *super().get_urls(),
        ]

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """An export of the form with more rows than EXPORT_IN_REQUEST_MAX_ROWS is written by
        the worker, with the same query string and form; the rest is written here."""
        rows = queryset.count() if export_form is not None else 0
        if rows <= settings.EXPORT_IN_REQUEST_MAX_ROWS:
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        job = export_job_create(
            user=request.user,
            model_label=self.opts.label_lower,
            query_string=request.GET.urlencode(),
            form_data={
                name: values
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
            },
            file_format=file_format.get_title(),
            file_name=self.get_export_filename(request, queryset, file_format),
            total_rows=rows,
            language=request.LANGUAGE_CODE,
        )
        return redirect(job.get_absolute_url())

    def _export_job(self, request, job_pk: int) -> ExportJob:
        """The requesting user's own export job of this list."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            ExportJob, pk=job_pk, model_label=self.opts.label_lower, created_by=request.user
        )

    def export_job_view(self, request, job_pk: int):
        """The job's page: waiting while the worker writes the file, then its link."""
        job = self._export_job(request, job_pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            "job": job,
            "statuses": ExportJobStatus,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/export_job.html", context)

    def export_job_download(self, request, job_pk: int):
        job = self._export_job(request, job_pk)
        formats = {format_class().get_title(): format_class for format_class in self.formats}
        if job.status != ExportJobStatus.DONE or not job.file or job.file_format not in formats:
            raise Http404
        content_type = formats[job.file_format]().get_content_type()
        return file_download_response(
            request, job.file, filename=job.file_name, content_type=content_type
        )

    def import_action(self, request, **kwargs):
        """A valid upload is stored as a job for the worker; the rest (the empty form, a
        refused file) is the import screen as before."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                resource_class = self.choose_import_resource_class(form, request)
                input_format = self.get_import_formats()[int(form.cleaned_data["format"])]
                upload = form.cleaned_data["import_file"]
                job = import_job_create(
                    user=request.user,
                    model_label=self.opts.label_lower,
                    resource_path=f"{resource_class.__module__}.{resource_class.__qualname__}",
                    input_format=input_format().get_title().lower(),
                    file_name=upload.name or "",
                    data=b"".join(upload.chunks()),
                )
                return redirect(job.get_absolute_url())
        return super().import_action(request, **kwargs)

    def import_job_view(self, request, job_pk: int):
        """The job's page: progress while the worker runs, then what was saved or why not."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.defer("data")
            .select_related("created_by", "confirmed_by")
            .annotate(file_size=Length("data")),
            pk=job_pk,
            model_label=self.opts.label_lower,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            "job": job,
            "progress": import_job_progress(job),
            "statuses": ImportJobStatus,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/import_job.html", context)

    def import_job_action_view(self, request, job_pk: int, action: str):
        """ "Try again" (a failed job whose file is kept) and "Cancel" (a job that is waiting),
        from the job's page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.only("pk", "model_label"),
            pk=job_pk,
            model_label=self.opts.label_lower,
        )
        if action == "retry":
            if import_job_retry(job_pk=job.pk, model_label=job.model_label, user=request.user):
                messages.info(request, _("The job runs again."))
            else:
                messages.warning(request, _("This job cannot be tried again."))
        elif action == "cancel":
            if import_job_cancel(job_pk=job.pk, model_label=job.model_label):
                messages.info(request, _("The job is cancelled; nothing was saved."))
            else:
                messages.warning(
                    request, _("This job is running or has ended: it cannot be cancelled.")
                )
        else:
            raise Http404
        return redirect(job.get_absolute_url())

    def process_import(self, request, **kwargs):
        """The confirmation of a checked job: the worker imports it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            job_pk = int(request.POST.get("job", ""))
        except ValueError:
            raise Http404 from None
        job = get_object_or_404(
            ImportJob.objects.only("pk", "model_label"),
            pk=job_pk,
            model_label=self.opts.label_lower,
        )
        if import_job_confirm(job_pk=job.pk, model_label=job.model_label, user=request.user):
            messages.info(request, _("The import has started."))
        else:
            messages.warning(request, _("This file is not awaiting confirmation."))
        return redirect(job.get_absolute_url())

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            _(
                "The file could not be read as the chosen format. Check that it is a CSV "
                "(UTF-8) or XLSX file with one header row."
            ),
        )
