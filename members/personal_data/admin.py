"""The erasures in the admin: read-only records (the action that makes them is on People,
members/admin.py)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anso.admin_tools import AuditTrailAdminMixin
from anso.forms import ErrorSummaryFormMixin

from .models import Erasure


class ErasureForm(ErrorSummaryFormMixin, forms.Form):
    """Checked by the site, not the browser (the page's form is `novalidate`): a missing reason
    is said in the admin's language, at the top and on the field, which takes the focus."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the record of the erasure, e.g. the date and channel of the request. "
            "Write no name or address here."
        ),
    )


@admin.register(Erasure)
class ErasureAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    """Each erasure: when, why and by whom. Written by the erasure only."""

    list_display = ["erased_at", "erased_by", "reason"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "erased_by", "reason", "person", "counts"]
    readonly_fields = fields
