"""Two-factor authentication (TOTP) for staff: set up an authenticator app, verify a code.

The only staff pages open to a staff member who still owes the second factor: they are where
it is given."""

import base64

import segno
from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from anso.security.staff import HAS_DEVICE_SESSION_KEY, staff_required


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the digits shown in your authenticator app."))
        return token


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _context(request, **extra):
    return {**admin.site.each_context(request), "next": _next_url(request), **extra}


@never_cache
@sensitive_post_parameters("token")
@staff_required(second_factor_owed_ok=True)
def setup(request):
    """Show a new TOTP secret as a QR code; confirm it with a code from the app."""
    user = request.user
    if user_has_device(user, confirmed=True):
        if user.is_verified():
            messages.info(request, _("Two-factor authentication is already on for your account."))
            return redirect(_next_url(request))
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _(
                "That code is not right, or came too soon after a wrong one: "
                "wait a moment and try again."
            ),
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "account/two_factor_setup.html",
        _context(
            request,
            title=_("Turn on two-factor authentication"),
            form=form,
            qr_data_uri=qr.svg_data_uri(scale=5, border=2),
            secret=_base32(device.bin_key),
        ),
    )


@never_cache
@sensitive_post_parameters("token")
@staff_required(second_factor_owed_ok=True)
def verify(request):
    """Ask a staff member with a confirmed device for the current code."""
    user = request.user
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("That code is not right, or too many tries: wait a moment."))
    return render(
        request,
        "account/two_factor_verify.html",
        _context(request, title=_("Two-factor authentication"), form=form),
    )


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")
