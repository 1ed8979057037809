"""Batches of papers made by the worker (docs/papers.md): the badges, table tents or
certificates of attendance of a whole meeting, or of a chosen set of its participations, when
they are too many to make within a request (more than `PAPERS_BATCH_THRESHOLD`).

`paper_batch_create` records the batch and queues `run_paper_batch` after the commit. The run
(`paper_batch_run`) makes the papers in chunks and records after each how many are done, so the
batch's page shows "120 of 480": badges and table tents are laid out chunk by chunk through
sheets.py's templates and written as one PDF; certificates are issued one by one through
`services.certificate_issue` (each paper its row, its history and its signature, as from the
admin's action), then gathered in a ZIP.

A worker that dies leaves the batch "running" with no progress: the upkeep
(`paper_batches_recover`) queues it again after `PAPERS_BATCH_STALE_SECONDS` without word, up to
`PAPERS_BATCH_ATTEMPTS` runs, then marks it failed; its page offers "Try again". A run knows
its batch by its attempt: a run the upkeep gave up on stops at its next chunk. Issued
certificates stay issued, and a new run finds them (the service gives the standing one back).
"""

import datetime
import io
import logging
import zipfile

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anso.background.tasks import background

from ..attendance.models import Participation, ParticipationStatus
from ..models import Meeting
from . import render, services, sheets
from .models import (
    PAPER_BATCH_ENDED,
    Paper,
    PaperBatch,
    PaperBatchKind,
    PaperBatchStatus,
)
from .signing import SigningKeyMissing

logger = logging.getLogger(__name__)

#: Papers made between two records of progress: a multiple of the badges on a page, so that
#: the chunks join into full pages.
CHUNK = {
    PaperBatchKind.BADGES: sheets.BADGES_PER_PAGE * 5,
    PaperBatchKind.TABLE_TENTS: 20,
    PaperBatchKind.CERTIFICATES: 10,
}
SHEET_KINDS = (PaperBatchKind.BADGES, PaperBatchKind.TABLE_TENTS)


class BatchTaken(Exception):
    """The batch is no longer this run's: the upkeep queued it again, or gave up on it."""


def batch_participations(
    *, meeting: Meeting, kind: str, chosen: QuerySet[Participation] | None = None
) -> list[Participation]:
    """Whom a batch makes papers for: the registrants for the sheets (as sheets.py lists
    them), for certificates every chosen participation (those who did not attend are left
    out by the service) or, for the whole meeting, those who attended."""
    participations = Participation.objects.filter(meeting=meeting)
    if chosen is not None:
        participations = participations.filter(pk__in=chosen.values("pk"))
    if kind in SHEET_KINDS:
        return sheets.sheet_participations(participations)
    if chosen is None:
        participations = participations.filter(status=ParticipationStatus.ATTENDED)
    return list(
        participations.select_related("person", "organization", "meeting").order_by(
            "person__family_name", "person__given_name", "pk"
        )
    )


def paper_batch_create(
    *,
    meeting: Meeting,
    kind: str,
    by: AbstractBaseUser | None,
    language: str,
    participations: QuerySet[Participation] | None = None,
) -> PaperBatch:
    """Record a batch of `kind` for `meeting` (its chosen `participations`, else the whole
    meeting) and queue it for the worker after the commit. ValueError when `participations`
    holds none of the meeting's: an empty choice would read as the whole meeting."""
    chosen = None
    if participations is not None:
        chosen = list(participations.filter(meeting=meeting).values_list("pk", flat=True))
        if not chosen:
            raise ValueError("No participation of the meeting was chosen.")
    with transaction.atomic():
        now = timezone.now()
        batch = PaperBatch.objects.create(
            meeting=meeting,
            kind=kind,
            language=language,
            created_by=by if by is not None and by.is_authenticated else None,
            queued_at=now,
            attempts=1,
        )
        if chosen is not None:
            batch.participations.set(chosen)
        batch.total = len(
            batch_participations(meeting=meeting, kind=kind, chosen=_chosen(batch, bool(chosen)))
        )
        batch.save(update_fields=["total"])
        _enqueue_after_commit(batch.pk)
    return batch


def paper_batch_retry(*, batch: PaperBatch) -> bool:
    """Run a failed batch again from the start. False if it is not failed."""
    with transaction.atomic():
        changed = PaperBatch.objects.filter(pk=batch.pk, status=PaperBatchStatus.FAILED).update(
            status=PaperBatchStatus.QUEUED,
            done=0,
            skipped=0,
            error="",
            started_at=None,
            progress_at=None,
            finished_at=None,
            queued_at=timezone.now(),
            attempts=1,
        )
        if changed:
            _enqueue_after_commit(batch.pk)
    return bool(changed)


def _enqueue_after_commit(batch_pk: int) -> None:
    # Robust: a queue that is down at commit is logged, and the upkeep queues the batch again.
    transaction.on_commit(lambda: run_paper_batch.enqueue(batch_pk), robust=True)


def _chosen(batch: PaperBatch, has_chosen: bool | None = None) -> QuerySet[Participation] | None:
    if has_chosen is None:
        has_chosen = batch.participations.exists()
    return batch.participations.all() if has_chosen else None


def _progress(batch: PaperBatch, *, done: int, skipped: int = 0) -> None:
    """Record how many papers are made; BatchTaken if the batch is no longer this run's."""
    batch.done, batch.skipped = done, skipped
    changed = PaperBatch.objects.filter(
        pk=batch.pk, status=PaperBatchStatus.RUNNING, attempts=batch.attempts
    ).update(done=done, skipped=skipped, progress_at=timezone.now())
    if not changed:
        raise BatchTaken


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sheets_pdf(batch: PaperBatch, participations: list[Participation]) -> bytes:
    """The batch's badges or table tents as one PDF, laid out chunk by chunk."""
    if batch.kind == PaperBatchKind.BADGES:
        template, context_of = sheets.BADGES_TEMPLATE, sheets.badges_context
    else:
        template, context_of = sheets.TABLE_TENTS_TEMPLATE, sheets.table_tents_context
    documents, done = [], 0
    for chunk in _chunks(participations, CHUNK[batch.kind]) if participations else [[]]:
        context = context_of(participations=chunk, language=batch.language)
        documents.append(render.render_document(template, context, language=batch.language))
        done += len(chunk)
        _progress(batch, done=done)
    return render.pdf_of_documents(documents)


def _certificates_zip(batch: PaperBatch, participations: list[Participation]) -> bytes:
    """Each participation's certificate, issued through its service (or the standing one),
    gathered in a ZIP; those who did not attend are counted as left out."""
    papers: list[Paper] = []
    done = skipped = 0
    for chunk in _chunks(participations, CHUNK[batch.kind]):
        for participation in chunk:
            try:
                papers.append(
                    services.certificate_issue(participation=participation, by=batch.created_by)
                )
            except services.PaperRefused:
                skipped += 1
            done += 1
        _progress(batch, done=done, skipped=skipped)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs: compressed
        for paper in papers:
            # Dated when the paper was issued, not when the archive is written: the same
            # papers make the same file.
            issued = timezone.localtime(paper.issued_at).timetuple()[:6]
            with paper.file.open("rb") as handle:
                archive.writestr(zipfile.ZipInfo(paper.filename, issued), handle.read())
    return buffer.getvalue()


def _fail(batch: PaperBatch, message: str) -> None:
    PaperBatch.objects.filter(pk=batch.pk, attempts=batch.attempts).exclude(
        status__in=PAPER_BATCH_ENDED
    ).update(status=PaperBatchStatus.FAILED, error=message, finished_at=timezone.now())


def paper_batch_run(*, batch_pk: int) -> str:
    """Make a queued batch's papers. Returns the batch's status afterwards ("missing" if it
    is gone); a batch that is not waiting (another run has it, it ended) is left alone."""
    now = timezone.now()
    claimed = PaperBatch.objects.filter(pk=batch_pk, status=PaperBatchStatus.QUEUED).update(
        status=PaperBatchStatus.RUNNING, started_at=now, progress_at=now, done=0, skipped=0
    )
    batch = PaperBatch.objects.select_related("meeting__body", "created_by").filter(pk=batch_pk)
    batch = batch.first()
    if batch is None:
        return "missing"
    if not claimed:
        return batch.status
    try:
        participations = batch_participations(
            meeting=batch.meeting, kind=batch.kind, chosen=_chosen(batch)
        )
        batch.total = len(participations)
        PaperBatch.objects.filter(pk=batch.pk).update(total=batch.total)
        with translation.override(batch.language):
            if batch.kind in SHEET_KINDS:
                content = _sheets_pdf(batch, participations)
            else:
                content = _certificates_zip(batch, participations)
    except BatchTaken:
        logger.warning("Paper batch %s: left to a later run", batch.pk)
        return "taken"
    except SigningKeyMissing:
        _fail(
            batch,
            _("The papers' signing key is not set (PAPERS_SIGNING_KEY, PAPERS_SIGNING_CERT)."),
        )
        return PaperBatchStatus.FAILED
    except Exception:
        logger.exception("Paper batch %s stopped", batch.pk)
        _fail(batch, _("The batch stopped on an unexpected error. Try again."))
        raise  # the task's result says it failed too
    batch.file.save(batch.filename, ContentFile(content), save=False)
    ended = PaperBatch.objects.filter(
        pk=batch.pk, status=PaperBatchStatus.RUNNING, attempts=batch.attempts
    ).update(status=PaperBatchStatus.DONE, file=batch.file.name, finished_at=timezone.now())
    if not ended:  # given up on meanwhile: its file is not the batch's
        batch.file.delete(save=False)
        return "taken"
    return PaperBatchStatus.DONE


@background
def run_paper_batch(batch_pk: int) -> str:
    """The worker's task of a batch (`paper_batch_run`)."""
    return paper_batch_run(batch_pk=batch_pk)


# ---------------------------------------------------------------------------------------------
# The upkeep's chores (registered in meetings/chores.py)


@transaction.atomic
def paper_batches_recover(*, now: datetime.datetime | None = None) -> int:
    """Queue again the batches no worker has spoken of for `PAPERS_BATCH_STALE_SECONDS` (a
    worker died, or the queue was down when the batch was queued), or mark them failed after
    `PAPERS_BATCH_ATTEMPTS` runs. Returns how many batches it changed. In a transaction of its
    own (its row locks need one on PostgreSQL, called outside the upkeep too)."""
    now = now or timezone.now()
    batches = list(
        PaperBatch.objects.select_for_update(skip_locked=True)
        .stuck(now)
        .only("pk", "status", "attempts")
        .order_by("pk")
    )
    for batch in batches:
        if batch.attempts < settings.PAPERS_BATCH_ATTEMPTS:
            PaperBatch.objects.filter(pk=batch.pk).update(
                status=PaperBatchStatus.QUEUED, attempts=batch.attempts + 1, queued_at=now
            )
            _enqueue_after_commit(batch.pk)
            logger.warning("Paper batch %s queued again (run %s)", batch.pk, batch.attempts + 1)
            continue
        message = _(
            "The background worker stopped before the batch was made, %(count)s times. Try again."
        ) % {"count": batch.attempts}
        PaperBatch.objects.filter(pk=batch.pk).update(
            status=PaperBatchStatus.FAILED, error=message, finished_at=now
        )
        logger.error("Paper batch %s failed: the worker stopped %s times", batch.pk, batch.attempts)
    return len(batches)


def paper_batch_files_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of batches that ended more than `PAPERS_BATCH_DAYS` days ago (the
    batch stays, without its file; issued certificates stay in *Papers*). Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PAPERS_BATCH_DAYS)
    batches = (
        PaperBatch.objects.filter(status__in=PAPER_BATCH_ENDED, finished_at__lt=cutoff)
        .exclude(file="")
        .only("pk", "file", "created_at")
    )
    deleted = 0
    for batch in batches:
        batch.file.delete(save=False)
        PaperBatch.objects.filter(pk=batch.pk).update(file="")
        deleted += 1
    return deleted
