"""Nominations of contact persons and experts to the working group, and their audit trail.

A member organization nominates someone through the public form; the submitter confirms by
following a signed link sent by email; the Secretariat approves or rejects in the admin.
Every change of status is recorded as a NominationEvent. The writes live in
members/nominations/services.py.

The models belong to the members app (members/models.py imports them); they refer to its other
models by name ("members.Organization"), so that this module imports nothing from there.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField

from ..names import PersonName


class NominationKind(models.TextChoices):
    CONTACT_PERSON = "contact_person", _("contact person")
    EXPERT = "expert", _("expert")


class NominationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("waiting for email confirmation")
    AWAITING_REVIEW = "awaiting_review", _("awaiting review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("confirmation link expired")


#: A nomination in one of these statuses is "open": at most one per nominee and organization.
OPEN_NOMINATION_STATUSES = (NominationStatus.UNCONFIRMED, NominationStatus.AWAITING_REVIEW)
#: Decided nominations cannot change status again.
DECIDED_NOMINATION_STATUSES = (NominationStatus.APPROVED, NominationStatus.REJECTED)


class NominationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_NOMINATION_STATUSES)

    def for_nominee(self, *, email: str, organization: models.Model):
        return self.filter(email__iexact=email.strip(), organization=organization)


class Nomination(PersonName):
    """A member organization's nomination of a contact person (or an expert) to the working
    group."""

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("member organization"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    kind = models.CharField(
        _("nominated as"),
        max_length=16,
        choices=NominationKind,
        default=NominationKind.CONTACT_PERSON,
    )
    # The nominee (and the name fields of PersonName).
    email = models.EmailField(_("email"), max_length=254)
    job_title = OneLineCharField(
        _("position in the organization"),
        max_length=200,
        help_text=_("e.g. Deputy Director, Department of International Cooperation"),
    )
    country = CountryField(_("country or region"))
    phone = OneLineCharField(_("phone"), max_length=40, blank=True)
    replaces = models.ForeignKey(
        "members.Person",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by_nominations",
        help_text=_("The organization's current contact person whom the nominee replaces."),
    )
    consent_to_publish = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_("The nominee agrees that their name and organization appear on this site."),
    )
    # The person who submitted the form.
    submitter_name = OneLineCharField(_("submitted by"), max_length=200)
    submitter_email = models.EmailField(_("submitter's email"), max_length=254)
    submitter_role = OneLineCharField(
        _("submitter's role in the organization"),
        max_length=200,
        help_text=_("e.g. the representative of the organization who appoints"),
    )
    submitter_ip_hash = models.CharField(
        _("submitter's address (keyed hash)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A keyed hash of the client address, to spot abuse without storing it."),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the nomination form; the submitter's mails use it."),
    )
    # The review.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus,
        default=NominationStatus.UNCONFIRMED,
        db_index=True,
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why the nomination was rejected; sent to the submitter."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # What the approval created or reused.
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    position = models.OneToOneField(
        "members.Position",
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
    )

    history = HistoricalRecords()
    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=Q(status__in=OPEN_NOMINATION_STATUSES),
                name="nomination_one_open_per_nominee_and_organization",
                violation_error_message=_(
                    "A nomination of this person for this organization is already open."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_NOMINATION_STATUSES) | Q(reviewed_at__isnull=False),
                name="nomination_decided_has_review_time",
                violation_error_message=_("A decided nomination records when it was reviewed."),
            ),
            models.CheckConstraint(
                condition=~Q(status=NominationStatus.APPROVED)
                | Q(person__isnull=False, position__isnull=False),
                name="nomination_approved_has_position",
                violation_error_message=_("An approved nomination has a person and a position."),
            ),
            models.CheckConstraint(
                condition=~Q(status=NominationStatus.REJECTED) | ~Q(reason=""),
                name="nomination_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The admin list, newest first: read 50 rows instead of sorting them all.
            models.Index(fields=["created_at", "id"], name="nomination_created_at_idx"),
        ]

    def __str__(self):
        return _("%(nominee)s for %(organization)s") % {
            "nominee": self.display_name,
            "organization": self.organization,
        }

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.submitter_email = self.submitter_email.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:members_nomination_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NOMINATION_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_NOMINATION_STATUSES

    def clean(self):
        if self.email and self.organization_id and self.status in OPEN_NOMINATION_STATUSES:
            clash = (
                Nomination.objects.open()
                .for_nominee(email=self.email, organization=self.organization)
                .exclude(pk=self.pk)
            )
            if clash.exists():
                raise ValidationError(
                    {
                        "email": ValidationError(
                            _(
                                "A nomination of this person for this organization is already "
                                "open. The submitter received a confirmation link by email; "
                                "once confirmed, the Secretariat reviews it and answers by email."
                            ),
                            code="already_open",
                        )
                    }
                )


class NominationEvent(models.Model):
    """One change of a nomination's status: from what to what, by whom (empty for the public
    form and the confirmation link), when."""

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(_("from"), max_length=16, choices=NominationStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=NominationStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")

    def __str__(self):
        return f"{self.get_from_status_display() or '-'} → {self.get_to_status_display()}"

    def get_absolute_url(self):
        return self.nomination.get_absolute_url()


# simple_history gives a history model defined outside models.py the app package as its module
# ("members"); point it here, where the class is, so that tools importing models by module and
# name (the shell's automatic imports) find it.
HistoricalNomination = Nomination.history.model
HistoricalNomination.__module__ = __name__
