"""Spreadsheet imports through the worker.

The admin stores the uploaded file in an `ImportJob` (in the database, which every worker
reads) and the worker checks it (a dry run), then, once the Secretariat confirms, imports it.
Both steps run `import_job_run`, the code path of the worker and of the benchmark
(bench/import_large.py). An import with any failing row saves nothing and says so: the job is
"failed" with the rows' errors, and no admin log entry is written for rows that do not exist.

A worker that dies in the middle of a step (killed, out of memory, the machine restarted)
leaves the job "checking" or "importing". The run holds a lock on the job's row for as long as
it works (the step runs in one transaction, which the database ends when the worker's
connection goes), so the upkeep (`import_jobs_recover`) tells a dead run from a live one
without a heartbeat: a running job whose row is free and that was queued longer than
`IMPORT_JOB_STALE_SECONDS` ago is queued again, up to `IMPORT_JOB_ATTEMPTS` times, then marked
failed with a message; the staff can try it again from its page. All or nothing still holds:
the dead run's rows were never committed.
"""

import contextlib
import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.results import RowResult
from import_export.signals import post_import
from simple_history.models import HistoricalRecords

from anso.background.tasks import background
from anso.caching.tags import renewed_once
from anso.models import IMPORT_JOB_RUNNING, ImportJob, ImportJobStatus
from anso.spreadsheets.formats import CSV, XLSX

logger = logging.getLogger(__name__)

#: The formats of the admin's import screens (formula-safe: anso/spreadsheets/formats.py).
FORMATS = {"csv": CSV, "xlsx": XLSX}
#: Errors kept on a job: enough to fix a file, not a copy of a broken one.
MAX_ERRORS = 200
#: The worker publishes how many rows it has read every this many rows.
PROGRESS_EVERY = 500
FINISHED = {
    ImportJobStatus.REJECTED,
    ImportJobStatus.DONE,
    ImportJobStatus.FAILED,
    ImportJobStatus.CANCELLED,
}
RUNNING = list(IMPORT_JOB_RUNNING)


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
        queued_at=timezone.now(),
        attempts=1,
    )
    _enqueue_after_commit(job)
    return job


def import_job_confirm(*, job_pk: int, model_label: str, user=None) -> bool:
    """Queue the import of a checked file; `user` confirms it (the imported rows' history
    names them). False if it is not (or no longer) awaiting confirmation: a second click, or
    a job of someone else's list."""
    with transaction.atomic():
        now = timezone.now()
        changed = ImportJob.objects.filter(
            pk=job_pk, model_label=model_label, status=ImportJobStatus.CHECKED
        ).update(
            status=ImportJobStatus.IMPORTING,
            started_at=None,
            finished_at=None,
            confirmed_by=user,
            confirmed_at=now,
            queued_at=now,
            attempts=1,
        )
        if changed:
            _enqueue_after_commit(ImportJob(pk=job_pk))
    return bool(changed)


def import_job_retry(*, job_pk: int, model_label: str, user) -> bool:
    """Run a failed job again from its file: the import if it had been confirmed (`user`
    confirms it anew), else the check. False if the job is not failed or its file is gone."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .defer("data")
            .filter(pk=job_pk, model_label=model_label, status=ImportJobStatus.FAILED)
            .exclude(data=b"")
            .first()
        )
        if job is None:
            return False
        now = timezone.now()
        job.status = ImportJobStatus.IMPORTING if job.confirmed_at else ImportJobStatus.CHECKING
        if job.confirmed_at:
            job.confirmed_by, job.confirmed_at = user, now
        job.errors, job.new, job.updated, job.skipped = [], 0, 0, 0
        job.started_at = job.finished_at = None
        job.queued_at, job.attempts = now, 1
        job.save()
        _enqueue_after_commit(job)
    return True


def import_job_cancel(*, job_pk: int, model_label: str) -> bool:
    """Cancel a job that is waiting: for the worker, or for its confirmation. False if a
    worker is running it (its row is locked) or it has ended."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .defer("data")
            .filter(pk=job_pk, model_label=model_label)
            .filter(status__in=[*RUNNING, ImportJobStatus.CHECKED])
            .first()
        )
        if job is None:
            return False
        _finish(job, ImportJobStatus.CANCELLED)
    return True


def _enqueue_after_commit(job: ImportJob) -> None:
    # Robust: a queue that is down at commit is logged, and the job waits for the upkeep,
    # which queues it again (`import_jobs_recover`).
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk), robust=True)


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


@contextlib.contextmanager
def _history_user(user):
    """The worker has no request: the history of the rows saved meanwhile names `user`, as
    django-simple-history does for a request's user."""
    context = HistoricalRecords.context
    before = getattr(context, "request", None)
    request = HttpRequest()
    request.user = user or AnonymousUser()
    context.request = request
    try:
        yield
    finally:
        context.request = before


def _log_entries(job: ImportJob, result) -> None:
    user_id = job.confirmed_by_id or job.created_by_id
    if user_id is None:
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
                user_id,
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
    if status in FINISHED and status != ImportJobStatus.FAILED:
        # The file is not kept once the job has ended; a failed job keeps it for "Try again"
        # until the upkeep deletes it (`import_job_files_delete`).
        job.data = b""
        fields.append("data")
    job.save(update_fields=fields)
    caches["progress"].delete(_progress_key(job.pk))


def _lock(job_pk: int) -> ImportJob | str:
    """The job, its row locked until the transaction ends; or its status if another worker
    holds it, it is not running, or it is gone ("missing")."""
    job = (
        ImportJob.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("created_by", "confirmed_by")
        .filter(pk=job_pk)
        .first()
    )
    if job is None:
        status = ImportJob.objects.filter(pk=job_pk).values_list("status", flat=True).first()
        return status or "missing"
    return job if job.is_running else job.status


def import_job_run(*, job_pk: int) -> str:
    """Run the current step of a job: the check (a dry run) or the import. Returns the job's
    status afterwards.

    The file is read first, and the job's page then shows when the step started and how many
    rows it has. The step then runs in one transaction that holds the job's row locked: a
    second run of the same step (queued again by the upkeep) finds it locked and leaves it,
    and the upkeep knows the job is alive. The import itself is a savepoint inside it, rolled
    back on any error."""
    with transaction.atomic():
        job = _lock(job_pk)
        if isinstance(job, str):
            return job
        failed = (
            ImportJobStatus.REJECTED
            if job.status == ImportJobStatus.CHECKING
            else ImportJobStatus.FAILED
        )
        job.started_at = timezone.now()
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
        job.save(update_fields=["started_at", "total_rows"])

    error = None
    with transaction.atomic():
        job = _lock(job_pk)
        if isinstance(job, str):  # cancelled meanwhile, or another run has it
            return job
        try:
            with transaction.atomic():  # everything the step wrote goes if it stops
                _import(job, dataset, failed=failed)
        except Exception as exc:
            logger.exception("Import job %s stopped", job.pk)
            message = _("The import stopped on an unexpected error; nothing was saved.")
            _finish(job, failed, errors=[{"row": None, "messages": [message]}])
            error = exc
    if error is not None:
        raise error  # the task's result says it failed too
    return job.status


def _import(job: ImportJob, dataset, *, failed: str) -> None:
    dry_run = job.status == ImportJobStatus.CHECKING
    resource = import_string(job.resource_path)()
    _count_progress(resource, job.pk)
    # The rows' history names who confirmed the import; the check, who uploaded the file.
    user = job.confirmed_by or job.created_by
    # The pages the rows show are renewed once, at the end, not once per row; not at all
    # after a check, whose writes were rolled back.
    with _history_user(user), renewed_once() as tags:
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=not dry_run,
            user=user,
            file_name=job.file_name,
        )
        if dry_run:
            tags.clear()
    errors = errors_of(result)
    if errors or result.has_errors() or result.has_validation_errors():
        # The savepoint was rolled back: nothing was saved, whatever the totals say.
        _finish(job, failed, errors=errors, new=0, updated=0, skipped=0)
        return
    counts = {
        "new": result.totals[RowResult.IMPORT_TYPE_NEW],
        "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
    }
    if dry_run:
        _finish(job, ImportJobStatus.CHECKED, **counts)
        return
    _log_entries(job, result)
    post_import.send(sender=None, model=apps.get_model(job.model_label))
    _finish(job, ImportJobStatus.DONE, **counts)


# ---------------------------------------------------------------------------------------------
# The upkeep's chores (registered in anso/chores.py)


@transaction.atomic
def import_jobs_recover(*, now: datetime.datetime | None = None) -> int:
    """Queue again the running jobs no worker holds (a worker died, or the queue was down when
    the job was queued), or mark them failed after `IMPORT_JOB_ATTEMPTS` runs. Returns how
    many jobs it changed. In a transaction of its own (its row locks need one on PostgreSQL,
    called outside the upkeep too)."""
    now = now or timezone.now()
    # Locked rows are held by a live run: skipped. Jobs queued recently may still be waiting
    # for a worker that is busy with other tasks: left for the next upkeep.
    jobs = list(
        ImportJob.objects.select_for_update(skip_locked=True)
        .defer("data")
        .stuck(now)
        .order_by("pk")
    )
    for job in jobs:
        if job.attempts < settings.IMPORT_JOB_ATTEMPTS:
            job.attempts += 1
            job.queued_at = now
            job.save(update_fields=["attempts", "queued_at"])
            _enqueue_after_commit(job)
            logger.warning("Import job %s queued again (run %s)", job.pk, job.attempts)
            continue
        message = _(
            "The background worker stopped before this step ended, %(count)s times; nothing "
            "was saved. Try again, or split the file if it keeps stopping."
        ) % {"count": job.attempts}
        _finish(job, ImportJobStatus.FAILED, errors=[{"row": None, "messages": [message]}])
        logger.error("Import job %s failed: the worker stopped %s times", job.pk, job.attempts)
    return len(jobs)


def import_job_files_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs that ended more than `IMPORT_JOB_FILE_DAYS` days ago (a
    failed job keeps its file for "Try again" until then). Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.IMPORT_JOB_FILE_DAYS)
    return (
        ImportJob.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
        .exclude(data=b"")
        .update(data=b"")
    )


@background
def run_import_job(job_pk: int) -> str:
    """The worker's task of a job's current step (`import_job_run`)."""
    return import_job_run(job_pk=job_pk)
