"""One client address for every rule: the address itself, the public forms' limits, the
stored submitter hash and the logs."""

import io
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils.crypto import salted_hmac

from anso.security.client import ClientAddressFilter, client_address, client_address_hash
from meetings.attendance import views as meeting_views
from members.nominations.models import Nomination
from members.nominations.views import SUBMISSIONS_PER_HOUR
from tests.factories import OrganizationFactory, RegistrationWindowFactory, UserFactory
from tests.members.test_nomination_views import form_data as nomination_data

pytestmark = pytest.mark.django_db

NOMINATE_URL = "/en/working-group/nominate/"
BOT = {"website": "http://spam.example"}  # the honeypot: counted, nothing stored


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# The address --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("10.9.9.9, 203.0.113.5", "203.0.113.5"),  # the client wrote 10.9.9.9; nginx the last
        ("203.0.113.5 , 127.0.0.1", "203.0.113.5"),  # a second trusted proxy in the chain
        ("1.2.3.4:5678", "1.2.3.4"),
        ("[2001:db8::1]:80", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("[::1]:80", "::1"),  # a trusted proxy itself, and nothing left of it
        ("garbage", "127.0.0.1"),
        ("999.1.1.1", "127.0.0.1"),
        ("1.2.3.4:abc", "127.0.0.1"),
        ("[2001:db8::1", "127.0.0.1"),
        ("[2001:db8::1]x", "127.0.0.1"),
        ("", "127.0.0.1"),
        (" , ", "127.0.0.1"),
        ("203.0.113.5, garbage", "127.0.0.1"),  # the proxy's own entry is not an address
        ("garbage, 203.0.113.5", "203.0.113.5"),  # what the client wrote does not matter
        (None, "127.0.0.1"),
    ],
)
def test_client_address_behind_the_trusted_proxy(forwarded, expected):
    assert client_address(request_from("127.0.0.1", forwarded)) == expected


def test_client_address_ignores_the_header_from_an_untrusted_peer():
    assert client_address(request_from("198.51.100.7", "203.0.113.5")) == "198.51.100.7"
    assert client_address(request_from("198.51.100.7")) == "198.51.100.7"


def test_client_address_trusts_proxy_networks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert client_address(request_from("10.1.2.3", "203.0.113.5, 10.4.5.6")) == "203.0.113.5"
    assert client_address(request_from("fd00::5", "203.0.113.6")) == "203.0.113.6"
    # 127.0.0.1 is no longer a proxy: its header is the client's own.
    assert client_address(request_from("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


@pytest.mark.parametrize("remote", ["", "unix:/run/gunicorn.sock", None])
def test_client_address_without_a_valid_peer_is_empty(remote):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    request.META["REMOTE_ADDR"] = remote
    assert client_address(request) == ""


def test_client_address_hash_matches_hashes_stored_before():
    """The salt is unchanged, so nominations stored earlier still compare with new ones."""
    assert (
        client_address_hash("203.0.113.9")
        == (
            salted_hmac("members.nomination.client-address", "203.0.113.9", algorithm="sha256")
        ).hexdigest()
    )
    assert client_address_hash("") == ""


def test_settings_refuse_a_malformed_trusted_proxy():
    env = {**os.environ, "DJANGO_TRUSTED_PROXIES": "127.0.0.1,nginx.local"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'nginx.local'" in result.stderr


# The public forms' limits -------------------------------------------------------------------


def test_nomination_limit_is_per_visitor_behind_the_proxy(client):
    """Before, every visitor behind nginx shared one counter: the proxy's address."""
    for _ in range(SUBMISSIONS_PER_HOUR):
        assert client.post(NOMINATE_URL, BOT, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert client.post(NOMINATE_URL, BOT, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert client.post(NOMINATE_URL, BOT, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


def test_nomination_limit_ignores_a_forged_header(client):
    for n in range(SUBMISSIONS_PER_HOUR):
        forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert client.post(NOMINATE_URL, BOT, **forged).status_code == 302
    forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert client.post(NOMINATE_URL, BOT, **forged).status_code == 429


def test_nomination_stores_the_hash_of_the_visitor_behind_the_proxy(client, mailoutbox):
    organization = OrganizationFactory()
    response = client.post(
        NOMINATE_URL, nomination_data(organization), HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.submitter_ip_hash == client_address_hash("203.0.113.1")


def _register_url(meeting) -> str:
    return reverse(
        "meetings:registration_create",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def test_registration_limit_is_per_visitor_behind_the_proxy(client):
    """Before, one visitor's junk posts blocked registration for everyone behind nginx."""
    url = _register_url(RegistrationWindowFactory().meeting)
    junk = {"HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    for _ in range(meeting_views.REGISTRATION_POSTS_PER_HOUR):
        assert client.post(url, {}, **junk).status_code != 429
    assert client.post(url, {}, **junk).status_code == 429
    assert client.post(url, {}, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code != 429


def test_registration_limit_ignores_a_forged_header(client):
    url = _register_url(RegistrationWindowFactory().meeting)
    for n in range(meeting_views.REGISTRATION_POSTS_PER_HOUR):
        forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert client.post(url, {}, **forged).status_code != 429
    forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert client.post(url, {}, **forged).status_code == 429


# Logs ---------------------------------------------------------------------------------------


@pytest.fixture
def console_log():
    """What the configured console handler writes, during the test."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, ClientAddressFilter) for f in handler.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_log_records_of_a_request_name_its_client(client, console_log):
    UserFactory(username="clerk", is_staff=True)
    client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": "wrong-password-guess"},
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    client.get("/no-such-page/", HTTP_X_FORWARDED_FOR="203.0.113.78")
    lines = console_log.getvalue().splitlines()
    # django-axes masks the address in its own message; the record still names the client.
    assert any("AXES: New login failure" in line and "[203.0.113.77]" in line for line in lines)
    assert any("Not Found" in line and "[203.0.113.78]" in line for line in lines)


def test_log_records_outside_a_request_have_no_client(console_log):
    logging.getLogger("anso").warning("a message outside any request")
    assert "[-] a message outside any request" in console_log.getvalue()


def test_logging_is_configured_with_the_client_filter():
    console = django_settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["client_address"]
    assert "%(client_address)s" in django_settings.LOGGING["formatters"]["client"]["format"]


def test_only_the_client_module_reads_the_address_headers():
    """The rule lives in one place: a view, a rate limit or a service that read REMOTE_ADDR
    or X-Forwarded-For itself would see the proxy, not the visitor, behind nginx."""
    from pathlib import Path

    base = Path(django_settings.BASE_DIR)
    readers = sorted(
        str(path.relative_to(base))
        for package in ("anso", "members", "meetings")
        for path in (base / package).rglob("*.py")
        if "migrations" not in path.parts
        and any(word in path.read_text() for word in ("REMOTE_ADDR", "X_FORWARDED_FOR"))
    )
    assert readers == ["anso/security/client.py"]
