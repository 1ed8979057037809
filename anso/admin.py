"""The admin site: staff who have a confirmed two-factor device, and every superuser (where
the rule is on: ADMIN_REQUIRE_OTP, on whenever debug is off), must have verified it in this
session before the admin lets them in."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

#: Session key: whether the signed-in staff member had a confirmed device when signing in.
HAS_DEVICE_SESSION_KEY = "anso_has_otp_device"


@receiver(user_logged_in)
def remember_device(sender, request, user, **kwargs):
    """Look the device up once per sign-in, not on every admin request."""
    if request is not None and hasattr(request, "session") and user.is_staff:
        request.session[HAS_DEVICE_SESSION_KEY] = user_has_device(user, confirmed=True)


def has_confirmed_device(request) -> bool:
    known = request.session.get(HAS_DEVICE_SESSION_KEY)
    if known is None:  # a session from before this rule
        known = user_has_device(request.user, confirmed=True)
    return known


def needs_second_factor(request) -> bool:
    """True when this signed-in staff member must still verify a second factor."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_verified():
        return False
    if has_confirmed_device(request):
        return True
    return bool(user.is_superuser and settings.ADMIN_REQUIRE_OTP)


class TwoFactorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and not needs_second_factor(request)

    def login(self, request, extra_context=None):
        """A staff member who signed in but still owes a second factor is sent to verify it,
        or, a superuser without a device, to set one up."""
        if request.method == "GET" and needs_second_factor(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            target = "two_factor_verify" if has_confirmed_device(request) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)
