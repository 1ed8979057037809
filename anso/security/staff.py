"""Who may open a staff page: the one rule for "a Secretariat member, fully signed in".

Every staff page goes through `staff_access()`: the admin site (`anso.admin`), the
Secretariat's pages outside it (through `StaffRequiredMixin`) and the two-factor pages
themselves (through `staff_required(second_factor_owed_ok=True)`, since they are where the
second factor is given).

A staff member who has a confirmed two-factor device, and every superuser where the rule is on
(ADMIN_REQUIRE_OTP, on whenever debug is off), must have verified it in this session; until
then every staff page sends them to verify it (or, a superuser without a device, to set one up).
"""

import enum
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

#: Session key: whether the signed-in staff member had a confirmed device when signing in.
HAS_DEVICE_SESSION_KEY = "anso_has_otp_device"


class Access(enum.Enum):
    GRANTED = "granted"
    SIGN_IN = "sign in"  # anonymous: sent to the admin's sign-in page
    SECOND_FACTOR = "second factor"  # staff who must still verify (or set up) a second factor
    DENIED = "denied"  # signed in, but not active staff or without the permission: 403


@receiver(user_logged_in)
def remember_device(sender, request, user, **kwargs):
    """Look the device up once per sign-in, not on every staff request."""
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


def staff_access(request, perms: Iterable[str] = ()) -> Access:
    """Whether this request may open a staff page that needs `perms`.

    The second factor is asked before the permissions, so that a password alone tells nothing
    about what the account may do."""
    user = request.user
    if not user.is_authenticated:
        return Access.SIGN_IN
    if not (user.is_active and user.is_staff):
        return Access.DENIED
    if needs_second_factor(request):
        return Access.SECOND_FACTOR
    if not user.has_perms(tuple(perms)):
        return Access.DENIED
    return Access.GRANTED


def signed_in_staff(request):
    """The request's user when a staff member fully signed in, else None: for pages that show
    staff more than visitors (a meeting before it is published)."""
    return request.user if staff_access(request) is Access.GRANTED else None


def second_factor_url(request, next_url: str) -> str:
    """Where a staff member who owes a second factor is sent: to verify it, or, a superuser
    without a device, to set one up; back to `next_url` afterwards."""
    target = "two_factor_verify" if has_confirmed_device(request) else "two_factor_setup"
    return f"{reverse(target)}?{urlencode({'next': next_url})}"


def refuse(request, access: Access):
    """The answer to a request `staff_access()` did not grant."""
    if access is Access.SIGN_IN:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if access is Access.SECOND_FACTOR:
        return redirect(second_factor_url(request, request.get_full_path()))
    raise PermissionDenied


class StaffRequiredMixin:
    """A class-based staff page: `permission_required` (one name or several) on top of the
    rule. Anonymous visitors are sent to sign in, staff who owe a second factor to give it,
    everyone else without access gets a 403."""

    permission_required: str | Iterable[str] = ()

    def get_permission_required(self) -> tuple[str, ...]:
        perms = self.permission_required
        return (perms,) if isinstance(perms, str) else tuple(perms)

    def dispatch(self, request, *args, **kwargs):
        access = staff_access(request, self.get_permission_required())
        if access is not Access.GRANTED:
            return refuse(request, access)
        return super().dispatch(request, *args, **kwargs)


def staff_required(*perms: str, second_factor_owed_ok: bool = False):
    """The same rule for a function view. With `second_factor_owed_ok` a staff member who still
    owes the second factor gets in too: for the pages where it is given."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = staff_access(request, perms)
            if access is Access.SECOND_FACTOR and second_factor_owed_ok:
                access = Access.GRANTED if request.user.has_perms(perms) else Access.DENIED
            if access is not Access.GRANTED:
                return refuse(request, access)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
