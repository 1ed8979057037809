"""The papers the Secretariat prints and signs (docs/papers.md): the letterhead every paper
carries, and a record of every paper issued, found again by its reference number.

A paper's PDF is kept as issued (signed, its SHA-256 recorded): a later download gives the same
file, and the public verification page (`papers:verify`) says whether it still stands."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anso.security.encryption import EncryptedTextField
from anso.text.hygiene import OneLineCharField
from anso.text.languages import SavedInEnglish


class PaperKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificate of attendance")
    VISA_LETTER = "visa_letter", _("letter of invitation for a visa")
    DOSSIER = "dossier", _("meeting dossier")


#: The letter a reference number gives each kind ("ANSO-2019-WG1-C-0007").
KIND_LETTERS = {PaperKind.CERTIFICATE: "C", PaperKind.VISA_LETTER: "V", PaperKind.DOSSIER: "D"}

#: The one row of the letterhead.
LETTERHEAD_PK = 1


def letterhead_upload_to(letterhead: "Letterhead", filename: str) -> str:
    return f"papers/letterhead/{filename}"


def paper_upload_to(paper: "Paper", filename: str) -> str:
    return f"papers/{paper.issued_at:%Y}/{filename}"


class Letterhead(SavedInEnglish, models.Model):
    """What every paper carries at its head and foot: the logo, the address, and who signs.
    One row only, its key always LETTERHEAD_PK: made empty when the admin first lists it
    (`ensure`), edited in place there, never added or deleted."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=LETTERHEAD_PK, editable=False)
    logo = models.FileField(
        _("logo"),
        upload_to=letterhead_upload_to,
        max_length=255,
        blank=True,
        help_text=_("A PNG or JPEG image, shown at the top left of every paper."),
    )
    address = models.TextField(
        _("address block"),
        blank=True,
        help_text=_("The lines printed at the top right of every paper."),
    )
    signatory_name = OneLineCharField(_("signatory's name"), max_length=200, blank=True)
    signatory_title = OneLineCharField(
        _("signatory's title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Director of the Secretariat"),
    )
    signature = models.FileField(
        _("signature image"),
        upload_to=letterhead_upload_to,
        max_length=255,
        blank=True,
        help_text=_("A PNG or JPEG image of the signature, printed above the signatory's name."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        app_label = "meetings"
        ordering = ["id"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterhead")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=LETTERHEAD_PK),
                name="letterhead_single_row",
                violation_error_message=_("There is one letterhead only."),
            ),
        ]

    def __str__(self):
        return str(_("Letterhead"))

    def get_absolute_url(self):
        return reverse("admin:meetings_letterhead_change", args=[self.pk])

    @classmethod
    def current(cls) -> "Letterhead":
        """The letterhead; an empty one (unsaved) when its row is missing."""
        return cls.objects.filter(pk=LETTERHEAD_PK).first() or cls()

    @classmethod
    def ensure(cls) -> "Letterhead":
        """The letterhead's row, made empty if it is missing."""
        return cls.objects.get_or_create(pk=LETTERHEAD_PK)[0]


class PaperQuerySet(models.QuerySet):
    def standing(self):
        """Papers not revoked."""
        return self.filter(revoked_at__isnull=True)

    def certificates(self):
        return self.filter(kind=PaperKind.CERTIFICATE)

    def dossiers(self):
        return self.filter(kind=PaperKind.DOSSIER)


class Paper(models.Model):
    """A paper the site issued: what it is, for whom, its reference number and its PDF as
    issued. Written by meetings/papers/services.py only; revoking keeps the row."""

    kind = models.CharField(_("kind"), max_length=24, choices=PaperKind)
    reference = OneLineCharField(
        _("reference number"),
        max_length=40,
        unique=True,
        editable=False,
        help_text=_("Printed on the paper; its verification page is found by it."),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="papers",
    )
    participation = models.ForeignKey(
        "meetings.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        help_text=_("Whom the paper is for; empty for a paper of the whole meeting."),
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the participant asked for it from their link."),
    )
    file = models.FileField(_("PDF"), upload_to=paper_upload_to, max_length=255)
    sha256 = OneLineCharField(_("SHA-256 of the PDF"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    history = HistoricalRecords()
    objects = PaperQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        ordering = ["-issued_at"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        constraints = [
            # One standing certificate per participation: asking again gives the same paper.
            models.UniqueConstraint(
                fields=["participation", "kind"],
                condition=Q(revoked_at__isnull=True, kind="certificate"),
                name="paper_one_standing_certificate",
                violation_error_message=_("This participant already has a certificate."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="paper_revoked_with_reason",
                violation_error_message=_("A revoked paper says why."),
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("papers:verify", kwargs={"reference": self.reference})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def filename(self) -> str:
        return f"{self.reference}.pdf"

    def clean(self):
        if self.revoked_at and not self.revocation_reason.strip():
            raise ValidationError({"revocation_reason": _("A revoked paper says why.")})


class VisaRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class VisaRequestQuerySet(models.QuerySet):
    def to_review(self):
        return self.filter(status=VisaRequestStatus.REQUESTED)

    def unerased(self):
        return self.filter(erased_at__isnull=True)


class VisaRequest(models.Model):
    """A participant's request for a letter of invitation for their visa (docs/papers.md).
    The passport details are encrypted at rest (`EncryptedTextField`) and blanked
    `VISA_DATA_RETENTION_DAYS` after the meeting (`erased_at`); the row stays as the record
    that they existed. Written by meetings/papers/visa.py only."""

    participation = models.OneToOneField(
        "meetings.Participation",
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="visa_request",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VisaRequestStatus,
        default=VisaRequestStatus.REQUESTED,
        db_index=True,
    )
    passport_name = EncryptedTextField(_("name as in the passport"), blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    consulate = EncryptedTextField(_("consulate where the visa is applied for"), blank=True)
    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    paper = models.OneToOneField(
        Paper,
        verbose_name=_("letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visa_request",
    )
    erased_at = models.DateTimeField(_("passport details erased at"), null=True, blank=True)

    objects = VisaRequestQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("visa letter request")
        verbose_name_plural = _("visa letter requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="visarequest_refused_with_reason",
                violation_error_message=_("A refused request says why."),
            ),
            models.CheckConstraint(
                condition=Q(departure__gte=F("arrival")),
                name="visarequest_departure_after_arrival",
                violation_error_message=_("The departure is on or after the arrival."),
            ),
        ]

    def __str__(self):
        return str(_("Visa letter request #%(number)s") % {"number": self.pk})

    def get_absolute_url(self):
        return reverse("admin:meetings_visarequest_change", args=[self.pk])


class PaperBatchKind(models.TextChoices):
    BADGES = "badges", _("badges")
    TABLE_TENTS = "table_tents", _("table tents")
    CERTIFICATES = "certificates", _("certificates of attendance")


class PaperBatchStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


#: The statuses of a batch the worker is making (or should be).
PAPER_BATCH_RUNNING = (PaperBatchStatus.QUEUED, PaperBatchStatus.RUNNING)
PAPER_BATCH_ENDED = (PaperBatchStatus.DONE, PaperBatchStatus.FAILED)


def paper_batch_upload_to(batch: "PaperBatch", filename: str) -> str:
    return f"papers/batches/{batch.created_at or timezone.now():%Y/%m}/{filename}"


class PaperBatchQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=PAPER_BATCH_RUNNING)

    def stuck(self, now):
        """Batches waiting or being made with no word from a worker for
        `PAPERS_BATCH_STALE_SECONDS`: a live worker records its progress sooner (every chunk),
        so the upkeep queues them again (`batches.paper_batches_recover`)."""
        stale = now - datetime.timedelta(seconds=settings.PAPERS_BATCH_STALE_SECONDS)
        return self.filter(
            Q(status=PaperBatchStatus.QUEUED, queued_at__lt=stale)
            | Q(status=PaperBatchStatus.RUNNING, progress_at__lt=stale)
        )


class PaperBatch(models.Model):
    """The papers of a whole meeting, or of a chosen set of its participations, made by the
    worker (meetings/papers/batches.py): badges or table tents as one PDF, certificates of
    attendance issued one by one through their service and gathered in a ZIP. Its page shows
    the progress ("120 of 480") and, once done, the file; the file is deleted after
    `PAPERS_BATCH_DAYS`."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="paper_batches",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PaperBatchKind)
    participations = models.ManyToManyField(
        "meetings.Participation",
        verbose_name=_("chosen participations"),
        blank=True,
        related_name="+",
        help_text=_("Empty for the whole meeting."),
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PaperBatchStatus, default=PaperBatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("papers"), default=0)
    done = models.PositiveIntegerField(_("made"), default=0)
    skipped = models.PositiveIntegerField(
        _("left out"), default=0, help_text=_("Participants who did not attend: no certificate.")
    )
    file = models.FileField(_("file"), upload_to=paper_batch_upload_to, max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    #: When the batch was last handed to the queue, and how many times: the upkeep queues
    #: again a batch no worker has spoken of for a while (batches.paper_batches_recover).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = PaperBatchQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("batch of papers")
        verbose_name_plural = _("batches of papers")
        indexes = [
            models.Index(
                fields=["status", "queued_at"],
                condition=Q(status__in=["queued", "running"]),
                name="paperbatch_running_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")),
                name="paperbatch_done_within_total",
                violation_error_message=_("A batch makes no more papers than it holds."),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="paperbatch_failed_with_error",
                violation_error_message=_("A failed batch says why."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["done", "failed"]) | Q(finished_at__isnull=False),
                name="paperbatch_ended_when",
                violation_error_message=_("An ended batch says when it ended."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.meeting} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("meetings:paper_batch", kwargs=self._kwargs())

    def _kwargs(self) -> dict:
        return {"year": self.meeting.start_date.year, "slug": self.meeting.slug, "pk": self.pk}

    def get_status_url(self):
        return reverse("meetings:paper_batch_status", kwargs=self._kwargs())

    def get_download_url(self):
        return reverse("meetings:paper_batch_download", kwargs=self._kwargs())

    def get_retry_url(self):
        return reverse("meetings:paper_batch_retry", kwargs=self._kwargs())

    @property
    def is_running(self) -> bool:
        return self.status in PAPER_BATCH_RUNNING

    @property
    def is_certificates(self) -> bool:
        return self.kind == PaperBatchKind.CERTIFICATES

    @property
    def filename(self) -> str:
        """The file's name as downloaded: "wg1-badges.pdf", "wg1-certificates.zip"."""
        extension = "zip" if self.is_certificates else "pdf"
        return f"{self.meeting.slug}-{self.kind.replace('_', '-')}.{extension}"
