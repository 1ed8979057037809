"""The record of an erasure: when, why and by whom, and nothing of the person erased."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One person erased on request (`members.personal_data.services.person_erase`). The
    person's row stays, anonymous, so that the meetings' figures hold; this record names
    nobody: the anonymous row's number, the reason the Secretariat gave, and what was scrubbed."""

    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True, db_index=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("anonymous record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    counts = models.JSONField(_("rows scrubbed"), default=dict, blank=True)

    class Meta:
        app_label = "members"
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return _("Erasure %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("admin:members_erasure_change", args=[self.pk])
