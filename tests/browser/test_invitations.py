"""The Secretariat invites the working group to the 2nd meeting from the site; a contact
person follows the link in the mail they received and registers; the invitation page shows
them as registered. Mail goes through a real SMTP server (aiosmtpd) and the database queue's
worker, as in production."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.attendance.models import Participation
from meetings.demo.loader import demo_load, registration_demo_load
from meetings.invitations.models import MailingRecipient
from members.models import Person, Role
from members.roles import SECRETARIAT_GROUP, secretariat_codenames

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..factories import UserFactory
from ..staff_helpers import admin_sign_in
from . import test_accessibility as axe
from .language_check import assert_one_language, latin_only_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"http://\S+/invitation/\S+/")


def secretariat_group() -> Group:
    """The group as the data migrations make it (a flush before this test keeps permissions
    but not groups)."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = secretariat_codenames()
    group.permissions.set(
        p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    )
    return group


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)


def assert_accessible(page) -> None:
    """axe-core: no serious or critical violation (as tests/browser/test_accessibility.py)."""
    blocking = [v for v in axe.violations(page) if v["impact"] in axe.BLOCKING]
    assert not blocking, f"{page.url}: {blocking}"


def new_page(browser, **options):
    # axe is injected by the test, not by the page: the page's CSP is left to test_csp.py.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, **options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_secretariat_invites_the_working_group_and_a_contact_person_registers(
    browser, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    demo_load()
    meeting = registration_demo_load()
    assert meeting.number == 2
    contacts = Person.objects.filter(positions__role=Role.CONTACT_PERSON).exclude(email="")
    chinese = contacts.order_by("pk").last()
    chinese.language = "zh-hans"
    chinese.save()
    staff_context, page = new_page(browser)

    staff = UserFactory(username="secretary", is_staff=True)
    staff.groups.add(secretariat_group())
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    # Signed in with the password and the second factor, from the meeting's admin page.
    admin_sign_in(
        page, live_server, device, next_path=f"/admin/meetings/meeting/{meeting.pk}/change/"
    )
    page.get_by_role("link", name="invite people").click()

    # The composer: the working group today, the template as it comes; preview, then send.
    page.get_by_role("heading", name="Invite people", exact=True).wait_for()
    page.get_by_role("heading", name=meeting.title).wait_for()
    page.get_by_label("the working group's members on a date").check()
    page.get_by_role("button", name="Preview").click()
    page.locator("#preview").wait_for()
    assert_accessible(page)
    send = page.get_by_role("button", name=re.compile(r"Send to \d+ people"))
    count = int(re.search(r"\d+", send.inner_text()).group(0))
    assert count >= 2
    send.click()
    page.get_by_text(f"The mailing to {count} people is queued").wait_for()

    with smtp_server(port) as inbox:
        run_worker()  # writes the mails, then sends them
    assert len(inbox.messages) == count
    contact_emails = set(
        Person.objects.filter(positions__role=Role.CONTACT_PERSON).values_list("email", flat=True)
    )
    message = next(
        m for m in inbox.messages if m["To"] in contact_emails and m["To"] != chinese.email
    )
    person = Person.objects.get(email=message["To"])
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = LINK.search(text).group(0)

    # The contact person, in their own browser, follows the link and registers.
    context, invitee = new_page(browser)
    invitee.goto(link)
    assert_accessible(invitee)
    assert invitee.get_by_label("Email").input_value() == person.email
    assert invitee.get_by_label("Email").is_disabled()
    assert invitee.get_by_label("Family name").input_value() == person.family_name
    if not invitee.get_by_label("Country or region").input_value():
        invitee.get_by_label("Country or region").select_option("CN")
    invitee.get_by_label("You attend as").select_option("delegate")
    with smtp_server(port) as confirmations:
        invitee.get_by_role("button", name="Register").click()
        invitee.get_by_text("You are registered.").wait_for()
        run_worker()
    context.close()
    assert [m["To"] for m in confirmations.messages] == [person.email]
    assert Participation.objects.get(meeting=meeting).person == person

    # The Chinese contact person's mail is in Chinese, and so is their page; they decline.
    message = next(m for m in inbox.messages if m["To"] == chinese.email)
    assert message["Subject"].startswith("邀请")
    link = LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(0)
    assert "/zh-hans/" in link
    context, invitee = new_page(browser, locale="zh-CN")
    invitee.goto(link)
    assert_one_language(invitee, latin_only_names())
    assert_accessible(invitee)
    invitee.get_by_role("button", name="我无法出席").click()
    invitee.locator("#invitation-declined").wait_for()
    context.close()

    # The Secretariat's invitation page shows them as registered.
    page.goto(
        f"{live_server.url}/en/meetings/{meeting.start_date.year}/{meeting.slug}/invitations/"
    )
    registered = page.locator('#invitation-counts tr[data-state="registered"] td')
    assert registered.inner_text() == "1"
    assert page.locator('#invitation-counts tr[data-state="declined"] td').inner_text() == "1"
    assert_accessible(page)
    page.get_by_role("link", name="Registered").click()
    row = page.locator("#invitation-recipients tbody tr")
    assert row.count() == 1
    assert person.family_name in row.inner_text()
    assert MailingRecipient.objects.filter(mailing__meeting=meeting).count() == count
    staff_context.close()
