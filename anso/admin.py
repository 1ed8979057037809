"""The admin site: who may enter follows the one staff rule of `anso.security.staff` (active staff;
a confirmed two-factor device, or any superuser where ADMIN_REQUIRE_OTP is on, verified in
this session). Its names follow settings.SITE_NAME; the CSV export is an action of every
list."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from anso.admin_tools import export_as_csv
from anso.security.staff import HAS_DEVICE_SESSION_KEY, Access, second_factor_url, staff_access

__all__ = ["HAS_DEVICE_SESSION_KEY", "TwoFactorAdminSite"]


class TwoFactorAdminSite(admin.AdminSite):
    # The default site name is a message of the catalogue (anso/context_processors.py).
    site_header = format_lazy(_("{site} administration"), site=_(settings.SITE_NAME))
    site_title = _(settings.SITE_NAME)
    index_title = _("Records kept by the Secretariat")

    def __init__(self, name="admin"):
        super().__init__(name)
        self.add_action(export_as_csv, "export_as_csv")

    def has_permission(self, request):
        return staff_access(request) is Access.GRANTED

    def login(self, request, extra_context=None):
        """A staff member who signed in but still owes a second factor is sent to verify it,
        or, a superuser without a device, to set one up."""
        if request.method == "GET" and staff_access(request) is Access.SECOND_FACTOR:
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(second_factor_url(request, next_url))
        return super().login(request, extra_context)
