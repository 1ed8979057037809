"""Admin login lockout, password rules, two-factor authentication and security headers."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def _login(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": password, "next": reverse("admin:index")},
    )


def test_sixth_login_is_refused_even_with_the_right_password(client):
    UserFactory(username="clerk", is_staff=True)
    for attempt in range(1, 6):
        response = _login(client, "wrong-password-guess")
        # The fifth failure already answers with the lockout page.
        assert response.status_code == (429 if attempt == 5 else 200)
        assert "_auth_user_id" not in client.session
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_signs_in(client):
    UserFactory(username="clerk", is_staff=True)
    for _ in range(4):
        _login(client, "wrong-password-guess")
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_lockout_is_per_address(client):
    """Another address can still sign in: a guesser cannot lock staff out of the admin."""
    UserFactory(username="clerk", is_staff=True)
    for _ in range(5):
        _login(client, "wrong-password-guess")
    assert _login(client, PASSWORD).status_code == 429
    client.defaults["REMOTE_ADDR"] = "192.0.2.10"
    assert _login(client, PASSWORD).status_code == 302


def test_lockout_settings():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME == 1


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Short1!pass", False),  # 11 characters
        ("123456789012345", False),  # all digits
        ("password1234", False),  # common
        ("clerk-clerk-clerk", False),  # like the username
        ("violet-harbour-42", True),
    ],
)
def test_password_rules(password, ok):
    user = UserFactory.build(username="clerk-clerk", email="clerk@example.org")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_password_minimum_is_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("vHarbour-42")  # 11 characters
    validate_password("vHarbour-42x")  # 12 characters


# Two-factor authentication ------------------------------------------------------------------


@pytest.fixture
def otp_required(settings):
    settings.ADMIN_REQUIRE_OTP = True


def _code(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def test_superuser_without_device_is_sent_to_set_one_up(client, superuser, otp_required):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    assert response.status_code == 200
    assert b'src="data:image/svg+xml' in response.content
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert b"That code is not right" in wrong.content
    # A wrong code throttles the device for a second; a person would simply try again.
    device.refresh_from_db()
    device.throttle_reset()

    ok = client.post(reverse("two_factor_setup"), {"token": _code(device), "next": "/admin/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_device_must_verify(client, secretariat_user, otp_required):
    device = TOTPDevice.objects.create(user=secretariat_user, name="phone", confirmed=True)
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    refused = client.post(reverse("two_factor_verify"), {"token": "12"})
    assert refused.status_code == 200
    assert b"errornote" in refused.content
    device.refresh_from_db()
    device.throttle_reset()
    verified = client.post(reverse("two_factor_verify"), {"token": _code(device)})
    assert verified.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_device_may_use_the_admin_and_sees_the_setup_link(
    client, secretariat_user, otp_required
):
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("two_factor_setup").encode() in response.content


def test_staff_can_turn_on_two_factor(client, secretariat_user, otp_required):
    client.force_login(secretariat_user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=secretariat_user)
    client.post(reverse("two_factor_setup"), {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    # A new session must verify the code.
    client.logout()
    client.force_login(secretariat_user)
    assert client.get(reverse("admin:index")).status_code == 302


def test_two_factor_pages_need_staff(client):
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory(username="visitor"))
    assert client.get(reverse("two_factor_verify")).status_code == 403


def test_setup_refuses_an_offsite_next(client, secretariat_user):
    client.force_login(secretariat_user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=secretariat_user)
    response = client.post(
        reverse("two_factor_setup"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


# Security headers ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["home", "admin:login", "meetings:meeting_list"])
def test_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_are_secure():
    """Settings as production loads them (DEBUG off), read in a fresh interpreter."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "anso.example.org",
        "SITE_URL": "https://anso.example.org",
        "DJANGO_SETTINGS_MODULE": "anso.settings",
    }
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "ADMIN_REQUIRE_OTP",
        "PAGE_CACHE_ENABLED",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    values = json.loads(out.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["ADMIN_REQUIRE_OTP"] is True
    assert values["PAGE_CACHE_ENABLED"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def _site_url_in_production(value: str | None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "anso.example.org",
    }
    env.pop("SITE_URL", None)
    if value is not None:
        env["SITE_URL"] = value
    return subprocess.run(
        [sys.executable, "-c", "import anso.settings as s; print(s.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=django_settings.BASE_DIR,
    )


@pytest.mark.parametrize(
    "value",
    ["https://anso.example.org", "https://anso.example.org/", "HTTPS://Anso.Example.org"],
)
def test_production_site_url_is_kept_without_a_trailing_slash(value):
    result = _site_url_in_production(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://anso.example.org"


@pytest.mark.parametrize(
    "value", [None, "", "anso.example.org", "https://anso.example.org/site/", "ftp://anso.org"]
)
def test_production_refuses_to_start_without_a_site_url(value):
    """Links in mails written by the worker have no request to take a host from."""
    result = _site_url_in_production(value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL" in result.stderr


def test_deploy_check_warns_when_superusers_may_skip_two_factor(settings):
    from anso.apps import check_production_safety

    settings.DEBUG = False
    settings.ADMIN_REQUIRE_OTP = False
    assert [warning.id for warning in check_production_safety()] == ["anso.W001"]
    settings.ADMIN_REQUIRE_OTP = True
    assert check_production_safety() == []


def test_lockout_address_comes_from_the_trusted_proxy_only():
    from django.test import RequestFactory

    from anso.security.client import client_address as client_ip

    factory = RequestFactory()
    behind_nginx = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5"
    )
    assert client_ip(behind_nginx) == "203.0.113.5"
    spoofed = factory.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(spoofed) == "198.51.100.7"
    assert client_ip(factory.get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"


def test_lockout_behind_nginx_is_per_client(client):
    UserFactory(username="clerk", is_staff=True)
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "clerk", "password": "nope"}, **attacker)
    refused = client.post(
        reverse("admin:login"), {"username": "clerk", "password": PASSWORD}, **attacker
    )
    assert refused.status_code == 429
    staff_member = client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert staff_member.status_code == 302


def test_admin_pages_do_not_look_up_devices_on_every_request(client, secretariat_user):
    """The device is looked up once at sign-in and remembered in the session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    assert not [q for q in captured.captured_queries if "otp_totp" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_secretariat_group_survives_a_flush():
    """Transactional tests end with a flush; the group comes back with its permissions."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from members.roles import SECRETARIAT_GROUP, secretariat_codenames

    call_command("flush", interactive=False, verbosity=0)
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    codenames = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert codenames == secretariat_codenames()
