"""A visitor registers for an upcoming meeting, the confirmation arrives, and a Secretariat
user checks them in on the tablet page."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from meetings.attendance.models import Participation, ParticipationStatus
from members.roles import SECRETARIAT_GROUP, secretariat_codenames

from ..factories import ParticipationFactory, RegistrationWindowFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def secretariat_group() -> Group:
    """The group as the data migration makes it. A transactional test before this one may
    have flushed the database (permissions come back with the flush, the group does not)."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = secretariat_codenames()
    group.permissions.set(
        [
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
    )
    return group


def test_visitor_registers_and_is_checked_in(page, live_server, mailoutbox):
    window = RegistrationWindowFactory(capacity=40)
    meeting = window.meeting
    ParticipationFactory(
        meeting=meeting, status=ParticipationStatus.REGISTERED, person__family_name="Already"
    )
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.locator("#registration").get_by_role("link", name="Register").click()
    page.get_by_label("Honorific").fill("Dr.")
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Email").fill("amina.okafor@example.org")
    page.get_by_label("Organization, if not in the list").fill("Lagos Sample Institute")
    page.get_by_label("Country or region").select_option("NG")
    page.get_by_label("You attend as").select_option("expert")
    page.get_by_label("Show my name").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["amina.okafor@example.org"]
    link = re.search(r"http://\S+/registration/\S+/", mail.body).group(0)
    page.goto(link)
    assert page.locator("#registration-status").inner_text() == "registered"
    page.get_by_label("Show my name").uncheck()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes are saved.").wait_for()
    assert not Participation.objects.get(person__email="amina.okafor@example.org").listed_publicly

    staff = UserFactory(username="desk", is_staff=True)
    staff.groups.add(secretariat_group())
    page.goto(
        f"{live_server.url}/admin/login/?next=/meetings/{meeting.start_date.year}/"
        f"{meeting.slug}/check-in/"
    )
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Check-in")).wait_for()
    # The search runs from the page's script: typing before it has run would search nothing.
    page.wait_for_load_state("load")

    page.get_by_label("Find a participant").fill("okaf")
    page.locator("#check-in-results li").filter(has_text="Already").wait_for(state="detached")
    row = page.locator("#check-in-results li").filter(has_text="Okafor")
    row.get_by_role("button", name=re.compile("Check in")).click()
    row = page.locator("#check-in-results li").filter(has_text="Okafor")
    row.get_by_text("checked in").wait_for()
    assert page.locator("#check-in-count [data-count=attended]").inner_text() == "1"

    participation = Participation.objects.get(person__email="amina.okafor@example.org")
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.checked_in_by == staff

    row.get_by_role("button", name=re.compile("Undo")).click()
    page.locator("#check-in-results li").filter(has_text="Okafor").get_by_role(
        "button", name=re.compile("Check in")
    ).wait_for()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REGISTERED
