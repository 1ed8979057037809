"""The admin login: the client address from the one function, the lockout per address and
username."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def login(client, password, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": password, "next": reverse("admin:index")},
        **headers,
    )


@pytest.mark.parametrize("forwarded", ["garbage", "1.2.3.4:5678", "[::1]:80", "999.1.1.1"])
def test_admin_login_with_a_malformed_forwarded_header_answers(client, forwarded):
    """Before, the header went unvalidated into the lockout records: a 500."""
    UserFactory(username="clerk", is_staff=True)
    header = {"HTTP_X_FORWARDED_FOR": forwarded}
    assert client.get(reverse("admin:login"), **header).status_code == 200
    assert login(client, "wrong-password-guess", **header).status_code == 200
    assert login(client, PASSWORD, **header).status_code == 302


def test_lockout_records_the_validated_address(client):
    UserFactory(username="clerk", is_staff=True)
    login(client, "wrong-password-guess", HTTP_X_FORWARDED_FOR="1.2.3.4:5678")
    login(client, "wrong-password-guess", HTTP_X_FORWARDED_FOR="garbage")
    addresses = sorted(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == ["1.2.3.4", "127.0.0.1"]


def test_lockout_per_address_cannot_be_dodged_by_a_forged_header(client):
    UserFactory(username="clerk", is_staff=True)
    for n in range(5):
        forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        login(client, "wrong-password-guess", **forged)
    forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert login(client, PASSWORD, **forged).status_code == 429
