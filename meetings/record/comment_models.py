"""The members' comments on circulated minutes: one per part and per sending, written through
the personal link each member is mailed when the minutes are circulated, and decided by the
Secretariat (taken in or not). Never shown on a public page (docs/record.md, "Comments while
circulated"). Written by `meetings.record.comments` only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CommentDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    TAKEN_IN = "taken_in", _("taken in")
    NOT_TAKEN_IN = "not_taken_in", _("not taken in")


class MinutesCommentQuerySet(models.QuerySet):
    def pending(self):
        """Comments the Secretariat has not decided yet."""
        return self.filter(decision=CommentDecision.PENDING)


class MinutesComment(models.Model):
    """A member's comment on one part of circulated minutes, and what the Secretariat decided
    about it."""

    part = models.ForeignKey(
        "meetings.MinutesPart",
        verbose_name=_("part of the minutes"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="minutes_comments",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("sent at"))
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=CommentDecision,
        default=CommentDecision.PENDING,
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MinutesCommentQuerySet.as_manager()

    class Meta:
        ordering = ["part__minutes", "part__order", "created_at", "pk"]
        verbose_name = _("comment on the minutes")
        verbose_name_plural = _("comments on the minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=CommentDecision.values),
                name="minutes_comment_decision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="minutes_comment_has_text",
                violation_error_message=_("A comment has some text."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(decision=CommentDecision.PENDING, decided_at__isnull=True)
                    | (~Q(decision=CommentDecision.PENDING) & Q(decided_at__isnull=False))
                ),
                name="minutes_comment_decided_have_a_date",
                violation_error_message=_("A decided comment has the moment it was decided."),
            ),
        ]

    def __str__(self):
        return str(_("Comment by {person} on {part}")).format(person=self.person, part=self.part)

    def get_absolute_url(self):
        """The Secretariat's page of the minutes' comments, at this one."""
        minutes_id = self.part.minutes_id
        return reverse("admin:meetings_minutes_comments", args=[minutes_id]) + f"#comment-{self.pk}"
