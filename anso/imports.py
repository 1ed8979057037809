"""Spreadsheet imports through the worker.

The admin stores the uploaded file in an `ImportJob` (in the database, which every worker
reads) and the worker checks it (a dry run), then, once the Secretariat confirms, imports it.
Both steps run `import_job_run`, the code path of the worker and of the benchmark
(bench/import_large.py). An import with any failing row saves nothing and says so: the job is
"failed" with the rows' errors, and no admin log entry is written for rows that do not exist.
"""

import logging

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.results import RowResult
from import_export.signals import post_import

from .background import background
from .models import ImportJob, ImportJobStatus
from .spreadsheets.formats import CSV, XLSX

logger = logging.getLogger(__name__)

#: The formats of the admin's import screens (formula-safe: anso/spreadsheets/formats.py).
FORMATS = {"csv": CSV, "xlsx": XLSX}
#: Errors kept on a job: enough to fix a file, not a copy of a broken one.
MAX_ERRORS = 200
#: The worker publishes how many rows it has read every this many rows.
PROGRESS_EVERY = 500
FINISHED = {ImportJobStatus.REJECTED, ImportJobStatus.DONE, ImportJobStatus.FAILED}


def _progress_key(job_pk: int) -> str:
    return f"import-job:{job_pk}:rows"


def import_job_progress(job: ImportJob) -> int | None:
    """Rows the worker has read so far in the running step, if it has said."""
    if not job.is_running:
        return None
    return caches["progress"].get(_progress_key(job.pk))


def import_job_create(
    *, user, model_label: str, resource_path: str, input_format: str, file_name: str, data: bytes
) -> ImportJob:
    """Store an uploaded spreadsheet and queue its check."""
    if input_format not in FORMATS:
        raise ValueError(f"Unknown import format: {input_format!r}")
    job = ImportJob.objects.create(
        created_by=user,
        model_label=model_label,
        resource_path=resource_path,
        input_format=input_format,
        file_name=file_name[:255],
        data=data,
    )
    _enqueue_after_commit(job)
    return job


def import_job_confirm(*, job_pk: int, model_label: str) -> bool:
    """Queue the import of a checked file. False if it is not (or no longer) awaiting
    confirmation: a second click, or a job of someone else's list."""
    with transaction.atomic():
        changed = ImportJob.objects.filter(
            pk=job_pk, model_label=model_label, status=ImportJobStatus.CHECKED
        ).update(status=ImportJobStatus.IMPORTING, started_at=None, finished_at=None)
        if changed:
            _enqueue_after_commit(ImportJob(pk=job_pk))
    return bool(changed)


def _enqueue_after_commit(job: ImportJob) -> None:
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def read_dataset(job: ImportJob):
    data = bytes(job.data)
    input_format = FORMATS[job.input_format]()
    if not input_format.is_binary():
        input_format.encoding = "utf-8-sig"
    return input_format.create_dataset(data)


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


def errors_of(result) -> list[dict]:
    """The errors of an import result, as {"row": number or None, "messages": [...]}."""
    errors = [{"row": None, "messages": _messages(error.error)} for error in result.base_errors]
    for number, row_errors in result.row_errors():
        messages = [m for error in row_errors for m in _messages(error.error)]
        errors.append({"row": number, "messages": messages})
    for invalid in result.invalid_rows:
        messages = [
            f"{field}: {message}" if field != "__all__" else str(message)
            for field, field_messages in invalid.error_dict.items()
            for message in field_messages
        ]
        errors.append({"row": invalid.number, "messages": messages})
    errors.sort(key=lambda error: -1 if error["row"] is None else error["row"])
    return errors[:MAX_ERRORS]


def _count_progress(resource, job_pk: int) -> None:
    """Publish the number of rows read every PROGRESS_EVERY rows. The import runs in one
    transaction, so the count goes through the progress cache, not the job's row."""
    cache = caches["progress"]
    import_row = resource.import_row
    counter = {"rows": 0}

    def counting_import_row(row, instance_loader, **kwargs):
        result = import_row(row, instance_loader, **kwargs)
        counter["rows"] += 1
        if counter["rows"] % PROGRESS_EVERY == 0:
            cache.set(_progress_key(job_pk), counter["rows"], timeout=24 * 60 * 60)
        return result

    resource.import_row = counting_import_row


def _log_entries(job: ImportJob, result) -> None:
    if job.created_by_id is None:
        return
    for import_type, flag in (
        (RowResult.IMPORT_TYPE_NEW, ADDITION),
        (RowResult.IMPORT_TYPE_UPDATE, CHANGE),
    ):
        instances = [
            row.instance
            for row in result.rows
            if row.import_type == import_type and row.instance is not None and row.instance.pk
        ]
        if instances:
            LogEntry.objects.log_actions(
                job.created_by_id,
                instances,
                flag,
                change_message=_("%(type)s through spreadsheet import %(file)s")
                % {"type": import_type, "file": job.file_name},
                single_object=len(instances) == 1,
            )


def _finish(job: ImportJob, status: str, *, errors: list[dict] | None = None, **counts) -> None:
    job.status = status
    job.errors = errors or []
    job.finished_at = timezone.now()
    for name, value in counts.items():
        setattr(job, name, value)
    fields = ["status", "errors", "finished_at", *counts]
    if status in FINISHED:
        job.data = b""  # the file is not kept once the job has ended
        fields.append("data")
    job.save(update_fields=fields)
    caches["progress"].delete(_progress_key(job.pk))


def import_job_run(*, job_pk: int) -> str:
    """Run the current step of a job: the check (a dry run) or the import. Returns the job's
    status afterwards."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_pk).first()
    if job is None or not job.is_running:
        return "missing" if job is None else job.status
    dry_run = job.status == ImportJobStatus.CHECKING
    failed = ImportJobStatus.REJECTED if dry_run else ImportJobStatus.FAILED
    job.started_at = timezone.now()
    job.save(update_fields=["started_at"])

    try:
        dataset = read_dataset(job)
    except Exception:  # any unreadable file is the uploader's to fix, with one message
        message = _(
            "The file could not be read as the chosen format. Check that it is a CSV "
            "(UTF-8) or XLSX file with one header row."
        )
        _finish(job, failed, errors=[{"row": None, "messages": [message]}])
        return job.status
    job.total_rows = len(dataset)
    job.save(update_fields=["total_rows"])

    resource = import_string(job.resource_path)()
    _count_progress(resource, job.pk)
    try:
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=not dry_run,
            user=job.created_by,
            file_name=job.file_name,
        )
    except Exception:
        logger.exception("Import job %s stopped", job.pk)
        message = _("The import stopped on an unexpected error; nothing was saved.")
        _finish(job, failed, errors=[{"row": None, "messages": [message]}])
        raise
    errors = errors_of(result)
    if errors or result.has_errors() or result.has_validation_errors():
        # The transaction was rolled back: nothing was saved, whatever the totals say.
        _finish(job, failed, errors=errors, new=0, updated=0, skipped=0)
        return job.status
    counts = {
        "new": result.totals[RowResult.IMPORT_TYPE_NEW],
        "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
    }
    if dry_run:
        _finish(job, ImportJobStatus.CHECKED, **counts)
        return job.status
    _log_entries(job, result)
    post_import.send(sender=None, model=apps.get_model(job.model_label))
    _finish(job, ImportJobStatus.DONE, **counts)
    return job.status


@background
def run_import_job(job_pk: int) -> str:
    """The worker's task of a job's current step (`import_job_run`)."""
    return import_job_run(job_pk=job_pk)
