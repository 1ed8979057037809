"""The record of a meeting: its minutes, written by the Secretariat as one part per agenda item
(and parts of their own, such as an opening or "any other business"), in both languages.

Minutes go from draft to circulated (the members read them until `comments_until`) to
approved, by a decision of a later meeting of the same body; the state changes only through
`meetings.record.services`. Each save of their text keeps a `MinutesRevision`, a snapshot of the
whole text in both languages, which the compare page reads (docs/record.md). The models belong
to the `meetings` app and refer to its models by their string names."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField
from anso.text.languages import SavedInEnglish


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("draft")
    CIRCULATED = "circulated", _("circulated")
    APPROVED = "approved", _("approved")


class MinutesQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may read: approved minutes of a published meeting (the documents'
        rule for a meeting's papers, docs/documents.md)."""
        return self.filter(state=MinutesState.APPROVED, meeting__is_published=True)


class Minutes(models.Model):
    """The minutes of one meeting. Their text is in their parts; their state is written by
    the services only, so none of the fields below but `comments_until` is edited by hand."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=MinutesState,
        default=MinutesState.DRAFT,
        editable=False,
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, editable=False)
    comments_until = models.DateField(
        _("comments until"),
        null=True,
        blank=True,
        help_text=_("While circulated, the members may comment until this day."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)
    approved_by_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("approved by decision"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="minutes_approved",
    )

    history = HistoricalRecords()
    objects = MinutesQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__start_date"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MinutesState.values),
                name="minutes_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=MinutesState.DRAFT) | Q(circulated_at__isnull=False),
                name="minutes_circulated_have_a_date",
                violation_error_message=_("Circulated minutes have the date they were sent."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        state=MinutesState.APPROVED,
                        approved_at__isnull=False,
                        approved_by_decision__isnull=False,
                    )
                    | (
                        ~Q(state=MinutesState.APPROVED)
                        & Q(approved_at__isnull=True, approved_by_decision__isnull=True)
                    )
                ),
                name="minutes_approved_by_a_decision",
                violation_error_message=_(
                    "Approved minutes name the decision that approved them, and only they do."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Minutes of the {meeting}")).format(meeting=self.meeting)

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#minutes"

    def get_compare_url(self, *, older: int | None = None, newer: int | None = None) -> str:
        url = reverse("admin:meetings_minutes_compare", args=[self.pk])
        if older and newer:
            url += f"?a={older}&b={newer}"
        return url


class MinutesPart(SavedInEnglish, models.Model):
    """A part of the minutes: what was said under one agenda item, or under a heading of its
    own where there is no item (an opening, any other business). Text in Markdown."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="parts"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_parts",
    )
    heading = OneLineCharField(
        _("heading"),
        max_length=300,
        blank=True,
        help_text=_("For a part without an agenda item; an item's part is headed by its title."),
    )
    text = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: **bold**, *italic*, lists, links.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "order", "pk"]
        verbose_name = _("part of the minutes")
        verbose_name_plural = _("parts of the minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "order"],
                name="minutes_part_order_unique",
                violation_error_message=_("These minutes already have a part in this place."),
            ),
            models.UniqueConstraint(
                fields=["minutes", "agenda_item"],
                name="minutes_part_once_per_item",
                violation_error_message=_("These minutes already have a part for this item."),
            ),
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) | ~Q(heading=""),
                name="minutes_part_has_a_heading",
                violation_error_message=_("A part without an agenda item needs a heading."),
            ),
        ]

    def __str__(self):
        return self.heading or (str(self.agenda_item) if self.agenda_item_id else "")

    def get_absolute_url(self):
        return self.minutes.get_absolute_url()

    def clean(self):
        if not self.agenda_item_id and not (self.heading or "").strip():
            raise ValidationError({"heading": _("A part without an agenda item needs a heading.")})
        minutes = getattr(self, "minutes", None) if self.minutes_id else None
        if (
            self.agenda_item_id
            and minutes is not None
            and self.agenda_item.session.meeting_id != minutes.meeting_id
        ):
            raise ValidationError(
                {"agenda_item": _("The agenda item must be one of this meeting's.")}
            )


class MinutesRevision(models.Model):
    """The whole text of the minutes as it stood after a save, in both languages, numbered
    from 1: what the compare page sets side by side. Written by the services only."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("saved at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=16, choices=MinutesState)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_zh_hans = models.TextField(_("text (Chinese)"), blank=True)

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("revision of the minutes")
        verbose_name_plural = _("revisions of the minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="minutes_revision_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_revision_from_1"),
        ]

    def __str__(self):
        return str(_("Revision {number} of {minutes}")).format(
            number=self.number, minutes=self.minutes
        )

    def get_absolute_url(self):
        return self.minutes.get_compare_url(older=max(self.number - 1, 1), newer=self.number)


class MattersArisingQuerySet(models.QuerySet):
    def of_meeting(self, meeting_id: int):
        return self.filter(item__session__meeting=meeting_id)


class MattersArising(models.Model):
    """A line of an agenda item "Matters arising": an action still open, or a decision of an
    earlier meeting still to follow up, as they stood on the meeting's date. Listed once by
    `meetings.record.arising.matters_arising_add`; the Secretariat adds and removes lines
    afterwards (an inline of the agenda item). One of `action` and `decision`, never both."""

    item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="arising",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    action = models.ForeignKey(
        "meetings.Action",
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arising",
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arising",
    )

    history = HistoricalRecords()
    objects = MattersArisingQuerySet.as_manager()

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("matter arising")
        verbose_name_plural = _("matters arising")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True, decision__isnull=False)
                | Q(action__isnull=False, decision__isnull=True),
                name="matters_arising_action_or_decision",
                violation_error_message=_("Choose an action or a decision, not both."),
            ),
            models.UniqueConstraint(
                fields=["item", "action"],
                condition=Q(action__isnull=False),
                name="matters_arising_action_once",
                violation_error_message=_("This action is already listed under this item."),
            ),
            models.UniqueConstraint(
                fields=["item", "decision"],
                condition=Q(decision__isnull=False),
                name="matters_arising_decision_once",
                violation_error_message=_("This decision is already listed under this item."),
            ),
        ]

    def __str__(self):
        return str(self.action or self.decision or "")

    def get_absolute_url(self):
        return self.item.session.meeting.get_absolute_url() + "#arising"

    def clean(self):
        if bool(self.action_id) == bool(self.decision_id):
            raise ValidationError({"action": _("Choose an action or a decision, not both.")})
        item = getattr(self, "item", None) if self.item_id else None
        if item is not None and item.kind != "matters_arising":
            raise ValidationError(
                {"item": _("Only an item of matters arising lists actions and decisions.")}
            )


# The members' comments, in a module of their own (meetings/record/comment_models.py).
from .comment_models import CommentDecision, MinutesComment  # noqa: E402, F401
