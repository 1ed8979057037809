"""The admin site: staff who have a confirmed two-factor device, and every superuser (where
the rule is on: ADMIN_REQUIRE_OTP, on whenever debug is off), must have verified it in this
session before the admin lets them in."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device


def needs_second_factor(user) -> bool:
    """True when this signed-in staff member must still verify a second factor."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_verified():
        return False
    if user_has_device(user, confirmed=True):
        return True
    return bool(user.is_superuser and settings.ADMIN_REQUIRE_OTP)


class TwoFactorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and not needs_second_factor(request.user)

    def login(self, request, extra_context=None):
        """A staff member who signed in but still owes a second factor is sent to verify it,
        or, a superuser without a device, to set one up."""
        user = request.user
        if request.method == "GET" and needs_second_factor(user):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            target = (
                "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)
