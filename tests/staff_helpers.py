"""Helpers for tests of the staff rule (anso/security/staff.py): where a redirect leads, a TOTP
code."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django_otp.oath import totp


def landing(response, client=None) -> str | None:
    """The path a redirect leads to (None for another answer). With `client`, a redirect to the
    admin's sign-in page is followed once: it sends a staff member who owes the second factor
    on to it."""
    if response.status_code != 302:
        return None
    path = urlsplit(response["Location"]).path
    if client is not None and path == reverse("admin:login"):
        return landing(client.get(response["Location"]))
    return path


def next_of(response) -> str | None:
    """The `next` parameter of a redirect."""
    return parse_qs(urlsplit(response["Location"]).query).get("next", [None])[0]


def totp_code(device) -> str:
    """The device's current code, as an authenticator app shows it."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)


#: The password of the staff users the factories make.
STAFF_PASSWORD = "a-long-test-password"  # tests.factories.UserFactory


def admin_sign_in(page, live_server, device, *, next_path: str = "/admin/") -> None:
    """In a browser (Playwright's `page`): `device`'s user signs in to the admin with the
    password and the second factor, sent on to `next_path`."""
    page.goto(f"{live_server.url}{reverse('admin:login')}?next={next_path}")
    page.get_by_label("Username").fill(device.user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Six-digit code").fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
