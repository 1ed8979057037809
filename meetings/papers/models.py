"""The papers the Secretariat prints and signs (docs/papers.md): the letterhead every paper
carries, and a record of every paper issued, found again by its reference number.

A paper's PDF is kept as issued (signed, its SHA-256 recorded): a later download gives the same
file, and the public verification page (`papers:verify`) says whether it still stands."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
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
