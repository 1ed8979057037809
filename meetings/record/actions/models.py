"""Progress notes of the action plan: what was reported on an action, when, and at which
meeting (none for a note between meetings). The action itself, its owner and due date are
`meetings.models.Action`; this module refers to it and to `Meeting` by name, so that
`meetings/models.py` can import it without a cycle."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anso.text.languages import SavedInEnglish


class ActionProgress(SavedInEnglish, models.Model):
    """A dated note on an action's progress, reported at a meeting or between meetings."""

    action = models.ForeignKey(
        "meetings.Action",
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("reported at meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_progress",
        help_text=_("Empty for a note between meetings."),
    )

    history = HistoricalRecords()

    class Meta:
        app_label = "meetings"
        ordering = ["action", "date", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        indexes = [models.Index(fields=["action", "date"], name="actionprogress_action_date")]

    def __str__(self):
        return f"{self.action}: {self.date}"

    def get_absolute_url(self):
        return reverse("meetings:action_detail", kwargs={"slug": self.action.slug}) + (
            f"#progress-{self.pk}"
        )

    def clean(self):
        meeting = self.meeting
        if (
            meeting is not None
            and self.date
            and not (meeting.start_date <= self.date <= meeting.end_date)
        ):
            raise ValidationError(
                {"date": _("A note reported at a meeting is dated on one of its days.")}
            )
