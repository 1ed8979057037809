"""Spreadsheet exports through the worker.

An admin export of more than EXPORT_IN_REQUEST_MAX_ROWS rows would run in the request until
the web server gave up (100,000 participations as XLSX did). The admin stores what was asked,
the list's query string (its filters and search) and the export form as posted, in an
`ExportJob`; the worker runs the admin's own export with them (the same resource, fields and
formula-safe format as an export in the request), writes the file into the default storage,
and the job's page links to it. Only its creator downloads it, through
`anso.files.downloads.file_download_response`. `export_files_delete` removes the files past their
days.
"""

import logging
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anso.background.tasks import background
from anso.models import ExportJob, ExportJobStatus

logger = logging.getLogger(__name__)


def export_job_create(
    *,
    user,
    model_label: str,
    query_string: str,
    form_data: dict[str, list[str]],
    file_format: str,
    file_name: str,
    total_rows: int,
    language: str,
) -> ExportJob:
    """Store an export the request will not write, and queue it for the worker."""
    job = ExportJob.objects.create(
        created_by=user,
        model_label=model_label,
        query_string=query_string,
        form_data=form_data,
        file_format=file_format,
        file_name=file_name[:255],
        total_rows=total_rows,
        language=language,
    )
    transaction.on_commit(lambda: run_export_job.enqueue(job.pk), robust=True)
    return job


def _export_request(job: ExportJob) -> HttpRequest:
    """The export page's request as its creator sent it, for the admin's own export code."""
    app_label, model_name = job.model_label.split(".")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse(f"admin:{app_label}_{model_name}_export")
    request.GET = QueryDict(job.query_string)
    request.user = job.created_by
    request.LANGUAGE_CODE = job.language
    return request


def _form_data(job: ExportJob) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in job.form_data.items():
        data.setlist(name, values)
    return data


def _export_file(job: ExportJob) -> bytes:
    """The file as the admin's export in the request writes it. PermissionDenied if the
    creator may no longer export these records."""
    if job.created_by is None or not (job.created_by.is_active and job.created_by.is_staff):
        raise PermissionDenied
    model_admin = admin.site.get_model_admin(apps.get_model(job.model_label))
    request = _export_request(job)
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    formats = model_admin.get_export_formats()
    form = model_admin.get_export_form_class()(
        formats, model_admin.get_export_resource_classes(request), data=_form_data(job)
    )
    if not form.is_valid():
        raise ValueError(f"Export job {job.pk}: the stored form is not valid: {form.errors}")
    file_format = formats[int(form.cleaned_data["format"])]()
    queryset = model_admin.get_export_queryset(request)
    data = model_admin.get_export_data(
        file_format, request, queryset, encoding=model_admin.to_encoding, export_form=form
    )
    return data.encode() if isinstance(data, str) else data


def _finish(job: ExportJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "file"])


def export_job_run(*, job_pk: int) -> str:
    """Write the file of a queued job. Returns the job's status afterwards."""
    job = ExportJob.objects.select_related("created_by").filter(pk=job_pk).first()
    if job is None or not job.is_running:
        return "missing" if job is None else job.status
    job.status = ExportJobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with translation.override(job.language):
            data = _export_file(job)
    except PermissionDenied:
        _finish(job, ExportJobStatus.FAILED, error=_("You may no longer export these records."))
        return job.status
    except Exception:
        logger.exception("Export job %s stopped", job.pk)
        _finish(job, ExportJobStatus.FAILED, error=_("The export stopped on an unexpected error."))
        raise
    job.file.save(job.file_name, ContentFile(data), save=False)
    _finish(job, ExportJobStatus.DONE)
    return job.status


@background
def run_export_job(job_pk: int) -> str:
    return export_job_run(job_pk=job_pk)


def export_files_delete(*, older_than: timedelta) -> int:
    """Delete the files of exports finished more than `older_than` ago (the job stays, without
    its file). Returns how many files were deleted. For the periodic upkeep, with
    `timedelta(days=settings.EXPORT_FILES_KEEP_DAYS)`."""
    jobs = ExportJob.objects.filter(finished_at__lt=timezone.now() - older_than).exclude(file="")
    deleted = 0
    for job in jobs.only("pk", "file"):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted


def export_files_expire() -> int:
    """The upkeep's chore: the files past `EXPORT_FILES_KEEP_DAYS`."""
    return export_files_delete(older_than=timedelta(days=settings.EXPORT_FILES_KEEP_DAYS))


@transaction.atomic
def export_jobs_recover(*, now: datetime | None = None) -> int:
    """The upkeep's chore for jobs a lost enqueue or a dead worker left: a job still waiting
    `IMPORT_JOB_STALE_SECONDS` after it was asked for is queued again (writing a file twice is
    harmless); one still writing that long after it started is failed, so that its page says
    so and its creator exports again. Returns how many jobs it changed. In a transaction of its
    own (its row locks need one on PostgreSQL, called outside the upkeep too)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.IMPORT_JOB_STALE_SECONDS)
    waiting = list(
        ExportJob.objects.select_for_update(skip_locked=True)
        .filter(status=ExportJobStatus.QUEUED, created_at__lt=stale)
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        transaction.on_commit(lambda pk=pk: run_export_job.enqueue(pk), robust=True)
    stopped = ExportJob.objects.filter(status=ExportJobStatus.RUNNING, started_at__lt=stale).update(
        status=ExportJobStatus.FAILED,
        error=_("The background worker stopped while writing the file. Export the list again."),
        finished_at=now,
    )
    return len(waiting) + stopped
