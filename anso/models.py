"""Records of background work: the mail the site sends and the spreadsheet imports it runs.

Both are written by the web process and read and updated by the worker (the tasks of
anso/mail/dispatch.py and anso/background/imports.py), so they live in the database every process
shares.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutgoingMailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(models.Model):
    """One mail the site sends: stored when the write that causes it commits, sent by the
    worker, retried while the mail server answers with a temporary failure."""

    to = models.JSONField(pgettext_lazy("mail recipients", "to"), default=list)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutgoingMailStatus,
        default=OutgoingMailStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    html = models.TextField(_("HTML part"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    #: Written once, when the mail is stored: every attempt sends the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    bulk = models.BooleanField(_("bulk"), default=False)
    #: The recipients the next attempt sends to when an earlier one reached only some of them
    #: (the others answered "try again later"); empty: every recipient.
    pending_to = models.JSONField(_("recipients still to try"), default=list, blank=True)
    refused = models.JSONField(_("refused addresses"), default=list, blank=True)
    refused_reply = models.TextField(_("answer to the refused addresses"), blank=True)
    #: Files sent with the mail ({"filename", "mimetype", "content" in base64}), kept until the
    #: mail is sent (anso/mail/dispatch.py), then deleted.
    attachments = models.JSONField(_("attachments"), default=list, blank=True, editable=False)
    attachments.never_exported = True  # anso/admin_tools.py: not in a CSV export

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [
            models.Index(fields=["status", "created_at"], name="outgoingmail_status_idx"),
            # The dispatcher's question: which queued mails are due, individual mail first.
            models.Index(
                fields=["bulk", "next_attempt_at", "id"],
                condition=models.Q(status="queued"),
                name="outgoingmail_queued_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    def get_absolute_url(self):
        return reverse("admin:anso_outgoingmail_change", args=[self.pk])


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("checking the file")
    CHECKED = "checked", _("checked, awaiting confirmation")
    REJECTED = "rejected", _("errors found, nothing saved")
    IMPORTING = "importing", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed, nothing saved")
    CANCELLED = "cancelled", _("cancelled, nothing saved")


#: The statuses of a job the worker is running (or should be).
IMPORT_JOB_RUNNING = (ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING)


class ImportJobQuerySet(models.QuerySet):
    def stuck(self, now: datetime.datetime):
        """Running jobs queued longer than `IMPORT_JOB_STALE_SECONDS` ago: a live worker
        ends a step sooner, so the upkeep runs them again (`import_jobs_recover`)."""
        stale = now - datetime.timedelta(seconds=settings.IMPORT_JOB_STALE_SECONDS)
        return self.filter(status__in=IMPORT_JOB_RUNNING, queued_at__lt=stale)

    def needing_attention(self, now: datetime.datetime):
        """Stuck jobs, and jobs failed while their file is kept for "Try again" (failed less
        than `IMPORT_JOB_FILE_DAYS` days ago: `import_job_files_delete`)."""
        kept = now - datetime.timedelta(days=settings.IMPORT_JOB_FILE_DAYS)
        stuck = self.stuck(now).values("pk")
        return self.filter(
            models.Q(status=ImportJobStatus.FAILED, finished_at__gte=kept) | models.Q(pk__in=stuck)
        )


class ImportJob(models.Model):
    """A spreadsheet uploaded in the admin: checked (a dry run), then, once confirmed,
    imported by the worker. The file is kept in the database, which every worker reads, until
    the job ends (a failed job keeps it for "Try again" until the upkeep deletes it)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model_label = models.CharField(_("records"), max_length=100)
    resource_path = models.CharField(_("resource"), max_length=200)
    input_format = models.CharField(_("format"), max_length=10)
    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(_("file content"), editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus, default=ImportJobStatus.CHECKING
    )
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The imported rows' history names this user."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    #: When the running step was last handed to the queue, and how many times it was: the
    #: upkeep queues a step again that no worker holds (anso/background/imports.py).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "queued_at"],
                condition=models.Q(status__in=["checking", "importing"]),
                name="importjob_running_idx",
            ),
        ]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        app_label, model_name = self.model_label.split(".")
        return reverse(f"admin:{app_label}_{model_name}_import_job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in IMPORT_JOB_RUNNING


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("writing the file")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """An admin export too large to write in the request (anso/background/exports.py): the worker
    writes the file into the default storage, its creator downloads it from the job's page, and the
    file is deleted some days after (`export_files_delete`)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model_label = models.CharField(_("records"), max_length=100)
    #: The export page's query string (the list's filters and search) and its form, as posted:
    #: the worker runs the admin's own export with them.
    query_string = models.TextField(_("filters"), blank=True)
    form_data = models.JSONField(_("choices"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=10)
    language = models.CharField(_("language"), max_length=10)
    file_name = models.CharField(_("file"), max_length=255)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True, max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportJobStatus, default=ExportJobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet export")
        verbose_name_plural = _("spreadsheet exports")
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="exportjob_user_idx"),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        app_label, model_name = self.model_label.split(".")
        return reverse(f"admin:{app_label}_{model_name}_export_job", args=[self.pk])

    def get_download_url(self):
        app_label, model_name = self.model_label.split(".")
        return reverse(f"admin:{app_label}_{model_name}_export_job_download", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in {ExportJobStatus.QUEUED, ExportJobStatus.RUNNING}
