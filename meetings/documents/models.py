"""Meeting documents: agendas, presentations, minutes, reports and photos, on a meeting, one of
its sessions or agenda items, or an action of the plan, each with the files uploaded for it.

A `Document` is what a page lists (its title, kind, language, who may see it); each upload is a
`DocumentVersion`, kept when a newer one replaces it (who uploaded it and when). The models
belong to the `meetings` app (its label and migrations) and refer to the meeting's models by
their string names (docs/documents.md)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField
from anso.text.languages import SavedInEnglish


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("agenda")
    PRESENTATION = "presentation", _("presentation")
    MINUTES = "minutes", _("minutes")
    REPORT = "report", _("report")
    PHOTO = "photo", _("photo")
    OTHER = "other", _("other")


class DocumentLanguage(models.TextChoices):
    """The language a document is written in (not the page's): the site's two languages, a
    document in both, or another one."""

    ENGLISH = "en", _("English")
    CHINESE = "zh-hans", _("Simplified Chinese")
    BOTH = "mul", _("English and Chinese")
    OTHER = "other", _("other language")


class Visibility(models.TextChoices):
    """Who may read a document. In order: each audience sees its own and those before it."""

    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")
    SECRETARIAT = "secretariat", _("Secretariat only")


class PreviewState(models.TextChoices):
    NONE = "none", _("no preview for this type")
    PENDING = "pending", _("waiting for the background worker")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, audience):
        """The documents `audience` (`meetings.documents.access.Audience`) may read. Below the
        Secretariat, a document of an unpublished meeting is nobody's, and a document without a
        file yet is not listed."""
        visibilities = [v for v in Visibility.values if _visibility_rank(v) <= int(audience)]
        documents = self.filter(visibility__in=visibilities)
        if int(audience) < _visibility_rank(Visibility.SECRETARIAT):
            documents = documents.filter(
                Q(meeting__isnull=True) | Q(meeting__is_published=True),
                latest_version__isnull=False,
            )
        return documents

    def for_action(self, action):
        """An action's documents: those on the action itself and those of the agenda items
        that presented or discussed it."""
        return self.filter(Q(action=action) | Q(agenda_item__action=action))


def _visibility_rank(visibility: str) -> int:
    return Visibility.values.index(visibility)


class Document(SavedInEnglish, models.Model):
    """A paper of a meeting (on the meeting itself, a session or an agenda item) or of an action
    of the plan. `meeting` is always filled for the first three and `session` for an agenda
    item's document, so that a meeting's documents are one filter; an action's own documents
    have no meeting. Which session and item belong to which meeting is decided by `place()`,
    which `clean()` calls (the admin's form, the services); SQL cannot check it, the
    constraints check that the coarser targets are filled."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    action = models.ForeignKey(
        "meetings.Action",
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_(
            "For a document of the action plan itself. A presentation given at a meeting "
            "belongs to its agenda item, which names the action."
        ),
    )
    title = OneLineCharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DocumentKind, default=DocumentKind.PRESENTATION
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=DocumentLanguage,
        default=DocumentLanguage.ENGLISH,
        help_text=_("The language the document is written in."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    visibility = models.CharField(
        _("who may see it"),
        max_length=16,
        choices=Visibility,
        default=Visibility.SECRETARIAT,
        help_text=_(
            "Public: everyone. Members only: the contact persons of member organizations, "
            "signed in with the link sent to them. Secretariat only: the Secretariat in the "
            "admin."
        ),
    )
    presented_by = models.ForeignKey(
        "members.Person",
        verbose_name=_("presented by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_presented",
        help_text=_("For a presentation: the person who gave it (the item's speaker by default)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    latest_version = models.OneToOneField(
        "meetings.DocumentVersion",
        verbose_name=_("latest version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Set by each upload: the version the pages show."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["latest_version"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        ordering = ["order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, action__isnull=False)
                | Q(meeting__isnull=False, action__isnull=True),
                name="document_on_a_meeting_or_an_action",
                violation_error_message=_(
                    "A document belongs to a meeting (or its session or agenda item) or to an "
                    "action, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(meeting__isnull=False),
                name="document_session_has_meeting",
                violation_error_message=_("A session's document names its meeting."),
            ),
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=True) | Q(session__isnull=False),
                name="document_item_has_session",
                violation_error_message=_("An agenda item's document names its session."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "order"], name="document_meeting_order_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.agenda_item_id:
            return self.agenda_item.get_absolute_url()
        if self.session_id:
            return self.session.get_absolute_url()
        if self.meeting_id:
            return self.meeting.get_absolute_url()
        return self.action.get_absolute_url()

    @property
    def target(self):
        """What the document is on: the agenda item, else the session, the meeting, the action."""
        return self.agenda_item or self.session or self.meeting or self.action

    def place(self) -> None:
        """Fill the meeting and session from the finest target given (the agenda item, else
        the session): an agenda item belongs to its session, a session to its meeting.
        `ValidationError` on the finer field when a coarser one given does not belong to it;
        the coarser targets are filled all the same where they can be, so that the database's
        constraints add nothing to the message."""
        errors = {}
        if self.agenda_item_id:
            item = self.agenda_item
            if self.session_id and self.session_id != item.session_id:
                errors["agenda_item"] = _("This agenda item is not in the chosen session.")
            else:
                self.session = item.session
        if self.session_id:
            session = self.session
            if self.meeting_id and self.meeting_id != session.meeting_id:
                errors["session"] = _("This session is not part of the chosen meeting.")
            else:
                self.meeting = session.meeting
        if errors:
            raise ValidationError(errors)

    def clean(self):
        """Placed (`place()`), then on a meeting or an action, not both."""
        self.place()
        if not (self.meeting_id or self.action_id):
            raise ValidationError(
                {"meeting": _("Choose the meeting, session, agenda item or action.")}
            )
        if self.action_id and self.meeting_id:
            raise ValidationError(
                {
                    "action": _(
                        "A document belongs to a meeting (or its session or agenda item) or to "
                        "an action, not both."
                    )
                }
            )


def version_upload_to(version: "DocumentVersion", filename: str) -> str:
    """An unguessable folder per file, the cleaned name inside it: the storage address says
    nothing a visitor could guess (the download view checks who may read it)."""
    return f"documents/{secrets.token_urlsafe(18)}/{filename}"


def preview_upload_to(version: "DocumentVersion", filename: str) -> str:
    return f"documents/previews/{secrets.token_urlsafe(18)}/{filename}"


class DocumentVersion(models.Model):
    """One uploaded file of a document. Never changed once written, except its preview; a new
    upload is a new version with the next number, and the document's `latest_version`."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=255)
    filename = models.CharField(_("file name"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    preview = models.FileField(
        _("preview"), upload_to=preview_upload_to, max_length=255, blank=True
    )
    preview_state = models.CharField(
        _("preview"), max_length=16, choices=PreviewState, default=PreviewState.NONE
    )
    preview_error = models.CharField(_("preview error"), max_length=300, blank=True)

    class Meta:
        app_label = "meetings"
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="document_version_number_unique",
                violation_error_message=_("This document already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="document_version_number_positive"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_version_not_empty"),
        ]

    def __str__(self):
        return f"{self.document} (v{self.number}: {self.filename})"

    def get_absolute_url(self):
        return reverse(
            "documents:download",
            kwargs={"pk": self.document_id, "number": self.number, "filename": self.filename},
        )

    def get_preview_url(self):
        if self.preview_state != PreviewState.READY:
            return ""
        return reverse("documents:preview", kwargs={"pk": self.document_id, "number": self.number})
