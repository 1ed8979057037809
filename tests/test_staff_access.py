"""The staff rule (anso/security/staff.py) on the Secretariat's pages outside the admin: the second
factor is asked there as in the admin."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.attendance.models import Participation, ParticipationStatus
from tests.factories import MeetingFactory, ParticipationFactory, UserFactory
from tests.staff_helpers import landing, next_of, totp_code

pytestmark = pytest.mark.django_db

#: The Secretariat's pages outside the admin that answer a GET.
SECRETARIAT_PAGES = (
    "check_in",
    "check_in_search",
    "report",
    "report_print",
    "participant_list_print",
    "badges",
    "table_tents",
    "sign_in_sheet",
    "meeting_control",
    "meeting_control_check_in",
)


def url(name, meeting, **kwargs):
    return reverse(
        f"meetings:{name}",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug, **kwargs},
    )


@pytest.fixture
def meeting():
    return MeetingFactory()


@pytest.fixture
def password_only_client(client, password_only_user):
    client.force_login(password_only_user)
    return client


@pytest.mark.parametrize("name", SECRETARIAT_PAGES)
def test_staff_with_a_device_signed_in_with_the_password_only_is_sent_to_verify(
    password_only_client, meeting, name
):
    page = url(name, meeting)
    response = password_only_client.get(page)
    assert response.status_code == 302
    assert landing(response) == reverse("two_factor_verify")
    assert next_of(response) == page


def test_statistics_ask_for_the_second_factor(password_only_client):
    response = password_only_client.get(reverse("meetings:statistics"))
    assert landing(response) == reverse("two_factor_verify")


def test_check_in_and_walk_in_without_the_second_factor_change_nothing(
    password_only_client, meeting
):
    participation = ParticipationFactory(meeting=meeting, status=ParticipationStatus.REGISTERED)
    toggle = password_only_client.post(
        url("check_in_toggle", meeting, pk=participation.pk), {"action": "check_in"}
    )
    walk_in = password_only_client.post(
        url("check_in", meeting),
        {
            "given_name": "Walk",
            "family_name": "In",
            "organization_name": "Guest University",
            "country": "TH",
            "capacity": "guest",
        },
    )
    assert landing(toggle) == landing(walk_in) == reverse("two_factor_verify")
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED
    assert Participation.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize("name", SECRETARIAT_PAGES)
def test_superuser_without_a_device_under_production_rules_is_sent_to_set_one_up(
    client, superuser, meeting, settings, name
):
    settings.ADMIN_REQUIRE_OTP = True
    client.force_login(superuser)
    response = client.get(url(name, meeting))
    assert response.status_code == 302
    assert landing(response) == reverse("two_factor_setup")


def test_superuser_without_a_device_may_enter_where_the_rule_is_off(
    client, superuser, meeting, settings
):
    """Local runs (debug on) leave the rule for superusers off, in the admin and outside."""
    settings.ADMIN_REQUIRE_OTP = False
    client.force_login(superuser)
    assert client.get(url("check_in", meeting)).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_verifying_the_code_leads_back_to_the_page(password_only_client, password_only_user):
    meeting = MeetingFactory()
    page = url("check_in", meeting)
    sent = password_only_client.get(page)
    device = TOTPDevice.objects.get(user=password_only_user)
    verified = password_only_client.post(
        reverse("two_factor_verify"), {"token": totp_code(device), "next": next_of(sent)}
    )
    assert verified.status_code == 302
    assert verified["Location"] == page
    assert password_only_client.get(page).status_code == 200


def test_the_admin_and_the_secretariat_pages_send_to_the_same_place(password_only_client, meeting):
    page = url("report", meeting)
    from_admin = password_only_client.get(reverse("admin:login"), {"next": page})
    from_page = password_only_client.get(page)
    assert from_admin["Location"] == from_page["Location"]


def test_the_second_factor_is_asked_before_the_permission(client, meeting):
    """A password alone tells nothing about what the account may do: staff without the
    permission who owe the second factor are sent to give it, not refused."""
    user = UserFactory(username="outsider-with-device", is_staff=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    assert landing(client.get(url("check_in", meeting))) == reverse("two_factor_verify")


def test_anonymous_is_sent_to_sign_in_and_visitors_are_refused(client, meeting):
    page = url("check_in", meeting)
    response = client.get(page)
    assert landing(response) == reverse("admin:login")
    assert next_of(response) == page
    client.force_login(UserFactory(username="visitor"))  # signed in, not staff
    assert client.get(page).status_code == 403


def test_an_unpublished_meeting_stays_hidden_until_the_second_factor(
    password_only_client, password_only_user
):
    """Staff see meetings before they are published, on the public pages too: with the
    second factor only."""
    meeting = MeetingFactory(is_published=False)
    detail = reverse(
        "meetings:meeting_detail", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )
    assert password_only_client.get(detail).status_code == 404
    assert (
        meeting.title.encode()
        not in password_only_client.get(reverse("meetings:meeting_list")).content
    )
    device = TOTPDevice.objects.get(user=password_only_user)
    password_only_client.post(reverse("two_factor_verify"), {"token": totp_code(device)})
    assert password_only_client.get(detail).status_code == 200


def test_the_refusal_reads_nothing_but_the_session_and_the_user(
    password_only_client, meeting, django_assert_num_queries
):
    """The device is looked up once, at sign-in, not on every staff request."""
    with django_assert_num_queries(2):
        password_only_client.get(url("check_in", meeting))


def test_the_two_factor_pages_are_open_to_staff_who_owe_it(password_only_client):
    assert password_only_client.get(reverse("two_factor_verify")).status_code == 200
