"""The admin login: the client address from the one function, the lockout per address and
username, and the lockout per account across addresses with the Secretariat's unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from members.roles import SECRETARIAT_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
#: The session, the lockout checks, the user lookup, axes recording the failure.
QUERIES_PER_FAILED_LOGIN = 12


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


# The limit per account ----------------------------------------------------------------------


def fail_from_many_addresses(client, count):
    """`count` failures for "clerk", each from another address behind the proxy, none of
    which reaches the limit per address."""
    for n in range(count):
        response = login(client, "wrong-password-guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    return response


def test_account_locks_after_failures_from_many_addresses(client, settings):
    """Before, an attacker rotating addresses had 4 guesses per address without end."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(username="clerk", is_staff=True)
    assert fail_from_many_addresses(client, 7).status_code == 200
    # The 8th failure, from yet another address, locks the account.
    locked = login(client, "wrong-password-guess", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.status_code == 429
    # Now even the right password from a fresh address is refused, with the lockout page.
    refused = login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert refused.status_code == 429
    assert b"Too many failed sign-in attempts" in refused.content
    assert "_auth_user_id" not in client.session


def test_account_limit_counts_one_username_only(client, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(username="clerk", is_staff=True)
    UserFactory(username="other", is_staff=True)
    fail_from_many_addresses(client, 8)
    response = client.post(
        reverse("admin:login"),
        {"username": "other", "password": PASSWORD, "next": reverse("admin:index")},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 302


def test_account_lock_ends_with_the_cool_off(client, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(username="clerk", is_staff=True)
    fail_from_many_addresses(client, 8)
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429
    # The cool-off has passed since the last failure (the refused attempt counted too).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_account_limit_default():
    assert django_settings.LOGIN_ACCOUNT_FAILURE_LIMIT == 20
    assert django_settings.AXES_FAILURE_LIMIT == 5


# Unlock -------------------------------------------------------------------------------------


def unlock(client, username="clerk"):
    attempt = AccessAttempt.objects.filter(username=username).first()
    return client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_accounts", "_selected_action": [attempt.pk]},
        follow=True,
    )


@pytest.fixture
def secretariat_member(db):
    member = UserFactory(username="secretariat", is_staff=True)
    member.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return member


def test_secretariat_unlocks_a_locked_account(client, settings, secretariat_member):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(username="clerk", is_staff=True)
    UserFactory(username="bystander", is_staff=True)
    fail_from_many_addresses(client, 8)
    client.post(
        reverse("admin:login"),
        {"username": "bystander", "password": "wrong-password-guess"},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    staff = client.__class__()
    staff.force_login(secretariat_member)
    response = unlock(staff)
    assert response.status_code == 200
    assert "Sign-in unlocked for clerk." in [str(m) for m in response.context["messages"]]
    # Every record of the username is gone, from every address; others' records stay.
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    assert AccessAttempt.objects.filter(username="bystander").exists()
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_unlock_needs_the_permission(client, settings):
    """Staff who may read the records but not delete them are not offered the action, and
    posting it anyway removes nothing."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(username="clerk", is_staff=True)
    fail_from_many_addresses(client, 8)
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="axes", codename="view_accessattempt")
    )
    staff = client.__class__()
    staff.force_login(reader)
    changelist = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert b"unlock_accounts" not in changelist.content
    assert unlock(staff).status_code == 200
    assert AccessAttempt.objects.filter(username="clerk").count() == 8
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


@pytest.mark.parametrize("addresses", (1, 15))
def test_failed_login_queries_flat(client, django_assert_num_queries, addresses):
    """The count per account is one query, however many addresses tried the username."""
    UserFactory(username="clerk", is_staff=True)
    fail_from_many_addresses(client, addresses)
    with django_assert_num_queries(QUERIES_PER_FAILED_LOGIN):
        response = login(client, "wrong-password-guess", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert response.status_code == 200
