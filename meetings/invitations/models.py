"""Mailings the Secretariat sends (an invitation to a meeting, or an announcement), their
recipients, and saved lists of recipients. The models belong to the `meetings` app (its label
and migrations) and refer to the meeting and the mail by their string names.

A recipient's state is never copied: queued, sent and failed come from the mail's record
(`anso.OutgoingMail`), "registered" from the person's participation in the meeting, and
"declined" from `declined_at` (`selectors.recipients_with_state`)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anso.text.hygiene import OneLineCharField
from members.models import Person


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("invitation to a meeting")
    ANNOUNCEMENT = "announcement", _("announcement")


class RecipientState(models.TextChoices):
    """What the invitation page shows for each recipient (derived, never stored)."""

    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    REGISTERED = "registered", _("registered")
    DECLINED = "declined", _("declined")


def new_recipient_key() -> str:
    """A random key for a recipient's personal link."""
    return secrets.token_urlsafe(24)


class Mailing(models.Model):
    """One mail the Secretariat writes to many people: its templates in English and Chinese,
    with placeholders (`templating.PLACEHOLDERS`), each recipient's copy rendered by the
    worker in the recipient's language."""

    kind = models.CharField(_("kind"), max_length=16, choices=MailingKind)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailings",
        help_text=_("Required for an invitation; optional for an announcement."),
    )
    subject_en = OneLineCharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    subject_zh_hans = OneLineCharField(_("subject (Chinese)"), max_length=200, blank=True)
    body_zh_hans = models.TextField(_("text (Chinese)"), blank=True)
    recipients_label = models.CharField(_("recipients"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: The composer form's one-time key: the same form sent twice stores one mailing.
    submission_key = models.CharField(
        _("submission key"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    sent_at = models.DateTimeField(
        _("queued for sending"),
        null=True,
        blank=True,
        help_text=_("When the worker had written every recipient's mail."),
    )

    class Meta:
        app_label = "meetings"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        # Mailings are written through the composer, not the admin's add form.
        permissions = [("send_mailing", _("Can send invitations and announcements"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=MailingKind.INVITATION) | models.Q(meeting__isnull=False),
                name="mailing_invitation_has_meeting",
                violation_error_message=_("An invitation is to a meeting."),
            ),
        ]

    def __str__(self):
        return self.subject_en

    def get_absolute_url(self):
        return reverse("admin:meetings_mailing_change", args=[self.pk])

    @property
    def is_invitation(self) -> bool:
        return self.kind == MailingKind.INVITATION

    def template_for(self, language: str) -> tuple[str, str]:
        """The subject and text in `language`, English where that language has none."""
        if language == "zh-hans" and self.subject_zh_hans and self.body_zh_hans:
            return self.subject_zh_hans, self.body_zh_hans
        return self.subject_en, self.body_en


class MailingRecipient(models.Model):
    """One person a mailing is sent to: the address and language used, the key of their
    personal link, their mail (and last reminder) in the outbox, and whether they declined."""

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="mailings_received",
    )
    address = models.EmailField(_("address"), max_length=254)
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    key = models.CharField(
        _("link key"), max_length=64, unique=True, default=new_recipient_key, editable=False
    )
    mail = models.ForeignKey(
        "anso.OutgoingMail",
        verbose_name=_("mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_mail = models.ForeignKey(
        "anso.OutgoingMail",
        verbose_name=_("last reminder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminder_pending = models.BooleanField(_("reminder to write"), default=False)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    #: The declined invitation this one takes the place of: its recipient named this person
    #: as their substitute (`services.invitation_substitute`). One substitute per invitation.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("substitute for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitute",
    )

    class Meta:
        app_label = "meetings"
        ordering = ["mailing", "person__family_name", "person__given_name"]
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "person"],
                name="mailing_recipient_once",
                violation_error_message=_("This person is already a recipient of this mailing."),
            ),
        ]
        indexes = [
            models.Index(fields=["mailing", "mail"], name="mailingrecipient_unwritten"),
        ]

    def __str__(self):
        return f"{self.person} ({self.address})"

    def get_absolute_url(self):
        return self.mailing.get_absolute_url()


class RecipientList(models.Model):
    """A saved list of people the Secretariat writes to now and then."""

    name = OneLineCharField(_("name"), max_length=120, unique=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), related_name="recipient_lists", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "meetings"
        ordering = ["name"]
        verbose_name = _("recipient list")
        verbose_name_plural = _("recipient lists")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:meetings_recipientlist_change", args=[self.pk])
