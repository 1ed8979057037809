"""The erasures in the admin: read-only records (the action that makes them is on People,
members/admin.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anso.admin_tools import AuditTrailAdminMixin, ReasonForm

from .models import Erasure


class ErasureForm(ReasonForm):
    help_text = _(
        "Kept in the record of the erasure, e.g. the date and channel of the request. "
        "Write no name or address here."
    )


@admin.register(Erasure)
class ErasureAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    """Each erasure: when, why and by whom. Written by the erasure only."""

    list_display = ["erased_at", "erased_by", "reason"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "erased_by", "reason", "person", "counts"]
    readonly_fields = fields
