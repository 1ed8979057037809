import datetime
import re

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from members.models import MembershipStatus
from members.nominations import services
from members.nominations.forms import NominationForm
from members.nominations.models import Nomination, NominationStatus
from members.nominations.views import SUBMISSIONS_PER_HOUR
from tests.factories import (
    BodyFactory,
    NominationFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

URL = "/en/working-group/nominate/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization():
    return OrganizationFactory(name="Kenya Academy of Sample Sciences")


def form_data(org, /, **overrides):
    data = {
        "organization": str(org.pk),
        "kind": "contact_person",
        "honorific": "Prof.",
        "given_name": "Amina",
        "family_name": "Otieno",
        "name_order": "given_first",
        "email": "amina@example.org",
        "job_title": "Director of Research",
        "country": "KE",
        "phone": "",
        "replaces": "",
        "consent_to_publish": "on",
        "submitter_name": "Joseph Kamau",
        "submitter_email": "joseph@example.org",
        "submitter_role": "Representative",
        "website": "",
    }
    data.update(overrides)
    return data


def confirm_link(mail) -> str:
    return re.search(
        re.escape(settings.SITE_URL) + r"(/en/working-group/nominate/confirm/\S+/)", mail.body
    ).group(1)


# The form -----------------------------------------------------------------------------------


def test_nomination_url_is_stable():
    assert reverse("members:nomination_create") == URL


def test_nomination_form_valid(organization):
    form = NominationForm(data=form_data(organization))
    assert form.is_valid(), form.errors
    details = form.details()
    assert details.email == "amina@example.org"
    assert not hasattr(details, "website")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required."),
        ("family_name", "x" * 101, "at most 100 characters"),
        ("given_name", "x" * 101, "at most 100 characters"),
        ("job_title", "", "This field is required."),
        ("job_title", "x" * 201, "at most 200 characters"),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "", "This field is required."),
        ("phone", "1" * 41, "at most 40 characters"),
        ("phone", "call me", "Enter a phone number"),
        ("country", "XX", "Select a valid choice"),
        ("kind", "chair", "Select a valid choice"),
        ("submitter_name", "", "This field is required."),
        ("submitter_email", "joseph@", "Enter a valid email address."),
        ("submitter_role", "r" * 201, "at most 200 characters"),
        ("organization", "", "This field is required."),
        ("organization", "999999", "Choose a current member organization"),
    ],
)
def test_nomination_form_error_on_the_field(organization, field, value, message):
    form = NominationForm(data=form_data(organization, **{field: value}))
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]


@pytest.mark.parametrize("status", [MembershipStatus.FORMER, MembershipStatus.PARTNER])
def test_nomination_form_refuses_non_member_organization(status):
    other = OrganizationFactory(membership_status=status)
    form = NominationForm(data=form_data(other))
    assert not form.is_valid()
    assert form.errors["organization"] == ["Choose a current member organization of the alliance."]


def test_nomination_form_replaced_must_be_that_organizations_contact_person(organization):
    body = BodyFactory()
    elsewhere = PositionFactory(body=body)  # a contact person of another organization
    form = NominationForm(data=form_data(organization, replaces=str(elsewhere.person.pk)))
    assert not form.is_valid()
    assert list(form.errors) == ["replaces"]
    assert "is not a current contact person of Kenya Academy" in form.errors["replaces"][0]


@pytest.mark.parametrize("phone", ["+86 10 6859 7000", "(020) 123-4567", "+254 700 000000 ext. 12"])
def test_nomination_form_accepts_phone_numbers(organization, phone):
    form = NominationForm(data=form_data(organization, phone=phone))
    assert form.is_valid(), form.errors


def test_nomination_form_expert_replaces_nobody(organization):
    current = PositionFactory(person=PersonFactory(organization=organization))
    form = NominationForm(
        data=form_data(organization, kind="expert", replaces=str(current.person.pk))
    )
    assert not form.is_valid()
    assert list(form.errors) == ["replaces"]
    assert "An expert does not replace" in form.errors["replaces"][0]


def test_nomination_form_replaced_former_contact_person_refused(organization):
    former = PositionFactory(
        person=PersonFactory(organization=organization), end_date=datetime.date(2020, 1, 1)
    )
    form = NominationForm(data=form_data(organization, replaces=str(former.person.pk)))
    assert not form.is_valid()
    assert list(form.errors) == ["replaces"]


def test_nomination_form_replaced_current_contact_person_accepted(organization):
    current = PositionFactory(person=PersonFactory(organization=organization))
    form = NominationForm(data=form_data(organization, replaces=str(current.person.pk)))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["replaces"] == current.person


def test_nomination_form_open_nomination_reported_on_email(organization):
    NominationFactory(organization=organization, email="amina@example.org")
    form = NominationForm(data=form_data(organization, email="AMINA@example.org"))
    assert not form.is_valid()
    assert list(form.errors) == ["email"]
    assert len(form.errors["email"]) == 1
    assert "already open" in form.errors["email"][0]


def test_nomination_form_existing_member_refused(organization):
    current = PositionFactory(person=PersonFactory(organization=organization))
    form = NominationForm(data=form_data(organization, email=current.person.email))
    assert not form.is_valid()
    assert "already in the working group" in form.errors["email"][0]


def test_nomination_form_lists_only_current_members():
    OrganizationFactory(name="Current Member", short_name="CM")
    OrganizationFactory(name="Former Member", membership_status=MembershipStatus.FORMER)
    OrganizationFactory(name="A Partner", membership_status=MembershipStatus.PARTNER)
    choices = [label for _value, label in NominationForm().fields["organization"].choices]
    assert choices == ["Choose the member organization", "Current Member (CM)"]


# The views ----------------------------------------------------------------------------------


def test_nomination_create_get(client, organization):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="website"' in html
    assert "Privacy" in html
    assert "vendor/tom-select/tom-select.complete.min.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)
    assert organization.name in html


def test_nomination_linked_from_navigation(client):
    response = client.get("/en/")
    assert f'href="{URL}"' in response.content.decode()


def test_nomination_create_post_errors_keep_values(client, organization):
    response = client.post(URL, form_data(organization, email="not-an-email"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="not-an-email"' in html
    assert 'value="Otieno"' in html
    assert 'value="Joseph Kamau"' in html
    assert f'<option value="{organization.pk}" selected>' in html
    email = re.search(r'<input[^>]*id="id_email"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_email_error"' in email
    assert 'aria-required="true"' in email
    assert not Nomination.objects.exists()


def test_nomination_create_post_stores_and_mails(
    client, organization, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(organization), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:nomination_thanks")
    nomination = Nomination.objects.get()
    assert nomination.status == NominationStatus.UNCONFIRMED
    assert "198.51.100.7" not in nomination.submitter_ip_hash
    (mail,) = mailoutbox
    assert mail.to == ["joseph@example.org"]
    assert confirm_link(mail)
    assert client.get(response["Location"]).status_code == 200


def test_nomination_create_second_open_one_gives_friendly_message(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(organization))
        response = client.post(URL, form_data(organization))
    assert response.status_code == 200
    assert "already open" in response.content.decode()
    assert Nomination.objects.count() == 1
    assert len(mailoutbox) == 1


def test_nomination_create_csrf_enforced(organization):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(URL, form_data(organization))
    assert response.status_code == 403
    assert not Nomination.objects.exists()
    page = csrf_client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = csrf_client.post(
        URL, {**form_data(organization), "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert Nomination.objects.count() == 1


def test_nomination_create_honeypot_looks_normal_but_stores_nothing(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, form_data(organization, website="http://spam.example"), follow=True
        )
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("members:nomination_thanks"), 302)]
    assert not Nomination.objects.exists()
    assert mailoutbox == []


def test_nomination_create_rate_limited_per_address(client, mailoutbox):
    organizations = OrganizationFactory.create_batch(SUBMISSIONS_PER_HOUR + 1)
    for organization in organizations[:SUBMISSIONS_PER_HOUR]:
        response = client.post(URL, form_data(organization), REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 302
    response = client.post(URL, form_data(organizations[-1]), REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "try again in 60 minutes" in response.content.decode()
    assert Nomination.objects.count() == SUBMISSIONS_PER_HOUR
    # Another address is not affected.
    response = client.post(URL, form_data(organizations[-1]), REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 302


def test_nomination_create_invalid_forms_do_not_use_up_the_limit(client, organization):
    for _ in range(SUBMISSIONS_PER_HOUR + 2):
        response = client.post(URL, form_data(organization, email="bad"), REMOTE_ADDR="192.0.2.3")
        assert response.status_code == 200
    response = client.post(URL, form_data(organization), REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 302


def test_nomination_create_get_only_and_post(client):
    assert client.put(URL).status_code == 405


@pytest.mark.parametrize("n", (1, 30))
def test_nomination_create_get_queries_flat(client, django_assert_num_queries, n):
    body = BodyFactory()
    for _ in range(n):
        organization = OrganizationFactory()
        PositionFactory(person=PersonFactory(organization=organization), body=body)
    with django_assert_num_queries(3):  # organizations, contact positions, people
        response = client.get(URL)
    assert response.status_code == 200


# The signed link ----------------------------------------------------------------------------


def _confirm_url(nomination) -> str:
    token = services.nomination_token(nomination=nomination)
    return reverse("members:nomination_confirm", kwargs={"token": token})


def _expired_token(nomination, monkeypatch) -> str:
    """A link token signed eight days ago, one day past its validity."""
    eight_days_ago = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=8)
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(int(eight_days_ago.timestamp())),
        )
        return services.nomination_token(nomination=nomination)


def test_nomination_confirm_link_shows_a_button_and_its_post_confirms(client):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    url = _confirm_url(nomination)
    opened = client.get(url)
    assert opened.status_code == 200
    assert "Confirm the nomination" in opened.content.decode()
    assert opened["Cache-Control"].startswith("max-age=0")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED  # opening changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == url
    shown = client.get(url)
    assert "now awaits review" in shown.content.decode()
    assert "awaiting review" in shown.content.decode()
    assert "Confirm the nomination" not in shown.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_REVIEW

    assert client.post(url).status_code == 302  # a second press changes nothing
    assert nomination.events.count() == 1


def test_nomination_confirm_needs_the_csrf_token():
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(_confirm_url(nomination)).status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED


def test_nomination_confirm_tampered_link_is_400_without_change(client):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    token = services.nomination_token(nomination=nomination)
    for bad in (token[:-2] + "xy", "1:abc:def", "nonsense"):
        response = client.get(reverse("members:nomination_confirm", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED


def test_nomination_confirm_expired_link_is_400_without_change(client, monkeypatch):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    token = _expired_token(nomination, monkeypatch)
    response = client.get(reverse("members:nomination_confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED
    assert not nomination.events.exists()


def test_nomination_confirm_link_of_deleted_nomination_is_400(client):
    nomination = NominationFactory()
    token = services.nomination_token(nomination=nomination)
    nomination.delete()
    response = client.get(reverse("members:nomination_confirm", kwargs={"token": token}))
    assert response.status_code == 400


def test_nomination_status_shows_rejection_reason_and_no_email(client):
    nomination = NominationFactory(
        status=NominationStatus.REJECTED,
        reason="Please nominate a staff member.",
        reviewed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    token = services.nomination_token(nomination=nomination)
    response = client.get(reverse("members:nomination_confirm", kwargs={"token": token}))
    html = response.content.decode()
    assert "Please nominate a staff member." in html
    assert nomination.email not in html
    assert nomination.submitter_email not in html


def test_nomination_expired_link_still_shows_status_once_confirmed(client, monkeypatch):
    """Expiry stops confirmation, not the submitter's view of a confirmed nomination."""
    nomination = NominationFactory(status=NominationStatus.AWAITING_REVIEW)
    token = _expired_token(nomination, monkeypatch)
    response = client.get(reverse("members:nomination_confirm", kwargs={"token": token}))
    assert response.status_code == 200
    assert "awaiting review" in response.content.decode()


def test_nomination_confirm_link_answers_get_and_post_only(client):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    url = _confirm_url(nomination)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED


@pytest.mark.parametrize("kind", ["tampered", "expired"])
def test_nomination_confirm_post_with_a_bad_link_changes_nothing(client, monkeypatch, kind):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    if kind == "expired":
        token = _expired_token(nomination, monkeypatch)
    else:
        token = services.nomination_token(nomination=nomination)[:-2] + "xy"
    response = client.post(reverse("members:nomination_confirm", kwargs={"token": token}))
    assert response.status_code == 400
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.UNCONFIRMED
    assert not nomination.events.exists()
