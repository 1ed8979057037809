"""The members' sign-in: the link asked for by email, mailed to members only, used once."""

import datetime
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import Person
from members.sign_in import services
from members.sign_in.views import LINKS_PER_CLIENT_PER_HOUR, LINKS_PER_EMAIL_PER_HOUR
from tests.factories import PersonFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/en/sign-in/"
LINK = "/en/sign-in/link/"
SIGN_OUT = "/en/sign-out/"
SAME_ANSWER = "If this address belongs to a contact person of a member organization"


@pytest.fixture
def member(db) -> Person:
    return PositionFactory(person__email="amina@example.org").person


def ask_for_link(client, email, *, commit, **extra):
    with commit(execute=True):
        return client.post(SIGN_IN, {"email": email, **extra}, **{"REMOTE_ADDR": "192.0.2.10"})


def link_in(mail) -> str:
    """The sign-in link of a mail, as a path with its query string."""
    (url,) = re.findall(r"https?://\S+/sign-in/link/\S+", mail.body)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["sesame"][0]


def use(client, link: str, **data):
    query = parse_qs(urlsplit(link).query)
    form = {"token": query["sesame"][0], "next": query.get("next", [""])[0], **data}
    return client.post(LINK, form)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


@pytest.fixture
def mailed_link(client, member, mailoutbox, django_capture_on_commit_callbacks):
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    return link_in(mail)


# --- Asking for a link ------------------------------------------------------------------------


def test_the_sign_in_page_has_an_email_field_labelled(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label\s+for="id_email"[^>]*>\s*Email', html)
    assert 'type="email" name="email" autocomplete="email"' in html
    assert "no-store" in response["Cache-Control"]
    assert reverse("members:member_sign_in") == SIGN_IN


def test_a_member_gets_a_link_by_mail_and_it_signs_them_in_end_to_end(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask_for_link(
        client, "  Amina@Example.org ", commit=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert SAME_ANSWER in client.get(response["Location"]).content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["amina@example.org"]
    assert "sign-in link" in mail.subject
    assert member.display_name in mail.body
    assert "60 minutes" in mail.body
    link = link_in(mail)
    # The link's page only shows a button.
    page = client.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "strict-origin"  # the origin, never the token
    assert "no-store" in page["Cache-Control"]
    assert signed_in_user_id(client) is None
    assert f'value="{token_of(link)}"' in page.content.decode()
    response = use(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    member.refresh_from_db()
    assert signed_in_user_id(client) == str(member.user.pk)
    home = client.get("/en/")
    assert f"Signed in as {member.display_name}" in home.content.decode()


def test_the_account_is_made_at_the_first_request_and_reused(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    member.refresh_from_db()
    user = member.user
    assert user.username == f"member-{member.pk}"
    assert not user.has_usable_password()
    assert not (user.is_staff or user.is_superuser)
    assert get_user_model().objects.count() == 1
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("email", ["nobody@example.org", "not-a-member@example.org"])
def test_other_addresses_get_the_same_answer_and_no_mail(
    client, member, email, mailoutbox, django_capture_on_commit_callbacks
):
    PersonFactory(email="not-a-member@example.org")  # a person, but no contact person
    member_answer = ask_for_link(Client(), member.email, commit=django_capture_on_commit_callbacks)
    mailoutbox.clear()
    response = ask_for_link(client, email, commit=django_capture_on_commit_callbacks)
    assert response.status_code == member_answer.status_code == 302
    assert response["Location"] == member_answer["Location"]
    assert SAME_ANSWER in client.get(response["Location"]).content.decode()
    assert mailoutbox == []
    assert get_user_model().objects.count() == 1  # the member's only


def test_a_former_contact_person_is_sent_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    ended = timezone.localdate() - datetime.timedelta(days=1)
    person = PositionFactory(end_date=ended).person
    ask_for_link(client, person.email, commit=django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_an_invalid_address_is_a_form_error(client, mailoutbox):
    response = client.post(SIGN_IN, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []


def test_the_mail_is_in_the_language_of_the_page(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/zh-hans/sign-in/", {"email": member.email})
    (mail,) = mailoutbox
    assert "/zh-hans/sign-in/link/?sesame=" in mail.body
    assert "登录" in mail.subject


def test_the_token_is_not_logged(
    client, member, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level("DEBUG")
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    client.get(link)
    use(client, link)
    use(Client(), link)  # reused: refused
    token = token_of(link)
    assert token not in caplog.text


# --- Rate limits ------------------------------------------------------------------------------


def test_requests_are_limited_per_client(client, mailoutbox):
    for n in range(LINKS_PER_CLIENT_PER_HOUR):
        response = client.post(SIGN_IN, {"email": f"a{n}@example.org"}, REMOTE_ADDR="192.0.2.20")
        assert response.status_code == 302
    response = client.post(SIGN_IN, {"email": "b@example.org"}, REMOTE_ADDR="192.0.2.20")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many sign-in links were asked for" in response.content.decode()
    other = client.post(SIGN_IN, {"email": "b@example.org"}, REMOTE_ADDR="192.0.2.21")
    assert other.status_code == 302


def test_requests_are_limited_per_address(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(LINKS_PER_EMAIL_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SIGN_IN, {"email": member.email}, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_IN, {"email": member.email}, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert len(mailoutbox) == LINKS_PER_EMAIL_PER_HOUR


# --- Using the link ---------------------------------------------------------------------------


def test_opening_the_link_uses_nothing(client, mailed_link):
    for _ in range(3):
        assert client.get(mailed_link).status_code == 200
    assert signed_in_user_id(client) is None
    assert use(client, mailed_link).status_code == 302


def test_a_link_works_once(client, mailed_link):
    assert use(client, mailed_link).status_code == 302
    other = Client()
    response = use(other, mailed_link)
    assert response.status_code == 403
    assert 'id="sign-in-link-invalid"' in response.content.decode()
    assert 'name="email"' in response.content.decode()  # ask for a new one
    assert signed_in_user_id(other) is None


def test_a_new_link_makes_the_earlier_unused_one_fail_once_used(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    first, second = (link_in(mail) for mail in mailoutbox)
    assert use(Client(), second).status_code == 302
    assert use(Client(), first).status_code == 403


def test_an_expired_link_is_refused(client, mailed_link, settings):
    settings.SESAME_MAX_AGE = 1
    time.sleep(2)
    response = use(client, mailed_link)
    assert response.status_code == 410
    assert 'id="sign-in-link-expired"' in response.content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("position", [0, 5, -1])
def test_a_changed_token_is_refused(client, mailed_link, position):
    token = token_of(mailed_link)
    changed = token[:position] + ("A" if token[position] != "A" else "B")
    changed += token[position + 1 :] if position != -1 else ""
    response = client.post(LINK, {"token": changed})
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    # The genuine one still works.
    assert use(client, mailed_link).status_code == 302


@pytest.mark.parametrize("token", ["", "x", "@@@", "A" * 300])
def test_a_missing_or_garbled_token_is_refused_not_an_error(client, token):
    response = client.post(LINK, {"token": token})
    assert response.status_code == 403


def test_a_contact_person_who_left_meanwhile_cannot_use_their_link(client, member, mailed_link):
    member.positions.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert use(client, mailed_link).status_code == 403
    assert signed_in_user_id(client) is None


def test_staff_cannot_sign_in_with_a_link(client, member, mailed_link):
    member.refresh_from_db()
    member.user.is_staff = True
    member.user.save()
    assert use(client, mailed_link).status_code == 403


def test_the_sign_in_post_needs_the_csrf_token(member, mailed_link):
    csrf_client = Client(enforce_csrf_checks=True)
    assert use(csrf_client, mailed_link).status_code == 403
    page = csrf_client.get(mailed_link).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert use(csrf_client, mailed_link, csrfmiddlewaretoken=csrf).status_code == 302


def test_signing_in_starts_a_new_session(client, mailed_link):
    client.get(SIGN_IN)
    session = client.session
    session["visitor"] = "yes"
    session.save()
    before = client.session.session_key
    use(client, mailed_link)
    assert client.session.session_key != before


# --- Where the member goes next -----------------------------------------------------------------


def test_the_member_goes_back_to_the_page_that_asked(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(f"{SIGN_IN}?next=/en/meetings/")
    assert 'name="next" value="/en/meetings/"' in page.content.decode()
    ask_for_link(
        client, member.email, next="/en/meetings/", commit=django_capture_on_commit_callbacks
    )
    link = link_in(mailoutbox[0])
    assert "next=%2Fen%2Fmeetings%2F" in link
    response = use(Client(), link)
    assert response["Location"] == "/en/meetings/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
    ],
)
def test_a_next_elsewhere_is_dropped(
    client, member, mailoutbox, django_capture_on_commit_callbacks, next_url
):
    ask_for_link(client, member.email, next=next_url, commit=django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    assert "evil" not in link and "javascript" not in link
    response = use(Client(), link, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/en/"


# --- Signed in --------------------------------------------------------------------------------


@pytest.fixture
def member_client(client, mailed_link):
    assert use(client, mailed_link).status_code == 302
    return client


def test_sign_out(member_client, member):
    response = member_client.post(SIGN_OUT)
    assert response.status_code == 302
    assert signed_in_user_id(member_client) is None
    home = member_client.get("/en/").content.decode()
    assert 'id="member-status"' not in home


def test_sign_out_is_a_post(member_client):
    assert member_client.get(SIGN_OUT).status_code == 405
    assert signed_in_user_id(member_client) is not None


def test_the_header_shows_the_member_and_a_sign_out_button(member_client, member):
    html = member_client.get("/en/members/").content.decode()
    assert f"Signed in as {member.display_name}" in html
    assert f'action="{SIGN_OUT}" method="post"' in html


def test_a_member_who_stops_being_a_contact_person_loses_access_at_the_next_request(
    member_client, member
):
    assert 'id="member-status"' in member_client.get("/en/").content.decode()
    member.positions.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert 'id="member-status"' not in member_client.get("/en/").content.decode()
    assert "You are signed in" not in member_client.get(SIGN_IN).content.decode()


def test_the_sign_in_page_tells_a_member_they_are_signed_in(member_client, member):
    html = member_client.get(SIGN_IN).content.decode()
    assert f"You are signed in as {member.display_name}." in html


@pytest.mark.parametrize("path", ["/admin/", "/admin/members/person/", "/admin/meetings/meeting/"])
def test_the_admin_refuses_a_member(member_client, path):
    """The admin's rule (anso/security/staff.py) lets in active staff only: a member is sent to its
    sign-in page, which does not let them in either."""
    response = member_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login_page = member_client.get(response["Location"])
    assert login_page.status_code == 200
    assert 'name="password"' in login_page.content.decode()  # the staff's form, no more


def test_a_member_cannot_sign_in_to_the_admin_with_a_password(client, member, mailed_link):
    member.refresh_from_db()
    response = client.post(
        "/admin/login/", {"username": member.user.username, "password": ""}, REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_a_staff_session_is_not_a_member(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert 'id="member-status"' not in client.get("/en/").content.decode()


def test_a_staff_account_with_the_members_username_is_never_linked(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username=f"member-{member.pk}", is_staff=True)
    ask_for_link(client, member.email, commit=django_capture_on_commit_callbacks)
    member.refresh_from_db()
    assert member.user is None
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_asking_for_a_link_does_the_same_work_for_a_member_and_for_anyone(
    client, member, mailoutbox, settings
):
    """The answer takes no longer for a member's address: the request queues one task
    whatever was typed, and the worker looks the address up and mails a member only."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(SIGN_IN, {"email": "first@example.org"})  # what a first request does once
    queries = {}
    for email in (member.email, "nobody@example.org"):
        with CaptureQueriesContext(connection) as captured:
            assert client.post(SIGN_IN, {"email": email}).status_code == 302
        queries[email] = len(captured)
    assert queries[member.email] == queries["nobody@example.org"]
    queued = DBTaskResult.objects.filter(task_path=services.sign_in_link_send_task.module_path)
    assert sorted(task.args_kwargs["kwargs"]["email"] for task in queued) == sorted(
        ["first@example.org", member.email, "nobody@example.org"]
    )
    assert mailoutbox == []

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    assert [mail.to for mail in mailoutbox] == [[member.email]]
