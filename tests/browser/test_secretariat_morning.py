"""A Secretariat member's morning, on a desktop and on a tablet: signed in with the second factor,
they read the home page's "needs attention" panel (each count is the number of rows its link
lists), review two nominations, invite the working group to the coming meeting from its control
page, watch the answers arrive there, and open check-in from it. Mail goes through a real SMTP
server (aiosmtpd) and the database queue's worker, as in production."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from anso.models import ImportJob, ImportJobStatus, OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.demo.loader import demo_load, registration_demo_load
from meetings.models import Action
from members.nominations.models import Nomination, NominationStatus

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..factories import NominationFactory, ParticipationFactory, UserFactory
from ..staff_helpers import admin_sign_in
from .test_control_page import OVERFLOW
from .test_invitations import LINK, run_worker, secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN = [NominationStatus.AWAITING_REVIEW, NominationStatus.UNCONFIRMED]
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


def seed_the_night(meeting) -> dict[str, int]:
    """What arrived overnight, and what the home page must count: the states as seeded here,
    counted without the site's own rules."""
    NominationFactory.create_batch(3, status=NominationStatus.AWAITING_REVIEW)
    NominationFactory(status=NominationStatus.UNCONFIRMED)  # not the Secretariat's turn yet
    ParticipationFactory.create_batch(2, meeting=meeting, status=ParticipationStatus.REGISTERED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.WAITLISTED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.CONFIRMED)
    for address in ("gone@example.org", "full@example.org"):
        OutgoingMail.objects.create(to=[address], subject="x", status=OutgoingMailStatus.FAILED)
    OutgoingMail.objects.create(to=["fine@example.org"], subject="x", status="sent")
    ImportJob.objects.create(
        model_label="members.person",
        resource_path="members.resources.PersonResource",
        input_format="csv",
        file_name="people.csv",
        status=ImportJobStatus.FAILED,
        finished_at=timezone.now() - datetime.timedelta(hours=2),
    )
    coming = Participation.objects.filter(meeting__start_date__gte=timezone.localdate())
    return {
        "Nominations awaiting review": 3,
        "Registrations awaiting a decision": coming.filter(
            status=ParticipationStatus.REGISTERED
        ).count(),
        "On a waiting list": coming.filter(status=ParticipationStatus.WAITLISTED).count(),
        "Mails that failed": 2,
        "Spreadsheet imports failed or stuck": 1,
        "Invitations not yet answered": 0,
        "Visa letters to review": 0,
        "Comments on the minutes to decide": 1,  # the demo's sample comment
        "Actions overdue": Action.objects.overdue(on=timezone.localdate()).count(),
    }


def sign_in(browser, live_server, viewport):
    staff = UserFactory(username="secretary", is_staff=True)
    staff.groups.add(secretariat_group())
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_sign_in(page, live_server, device)
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def attention(page) -> dict[str, tuple[int, str]]:
    """The panel's entries: label -> (count, link)."""
    entries = {}
    for entry in page.locator("#needs-attention li.workbench-entry").all():
        link = entry.locator("a.workbench-link")
        label = link.locator(".workbench-label").inner_text()
        entries[label] = (
            int(link.locator(".workbench-count").inner_text()),
            link.get_attribute("href"),
        )
    return entries


def rows_listed(page) -> int:
    """The rows of an admin list (a list with nothing in it has no table)."""
    if page.locator("#result_list").count() == 0:
        return 0
    return page.locator("#result_list tbody tr").count()


def answer_invitations(inbox_messages, browser, *, register: str, decline: str) -> None:
    """Two invited contact persons follow the links in their mails: one registers, one
    cannot come."""
    links = {
        m["To"]: LINK.search(m.get_body(preferencelist=("plain",)).get_content()).group(0)
        for m in inbox_messages
    }
    context = browser.new_context(viewport=DESKTOP)
    invitee = context.new_page()
    invitee.set_default_timeout(10_000)
    invitee.goto(links[register])
    if not invitee.get_by_label("Country or region").input_value():
        invitee.get_by_label("Country or region").select_option("CN")
    invitee.get_by_label("You attend as").select_option("delegate")
    invitee.get_by_role("button", name="Register").click()
    invitee.get_by_text("You are registered.").wait_for()
    invitee.goto(links[decline])
    invitee.get_by_role("button", name="I cannot come").click()
    invitee.locator("#invitation-declined").wait_for()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_a_secretariat_morning(browser, live_server, settings, viewport):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    demo_load()
    meeting = registration_demo_load()
    expected = seed_the_night(meeting)
    context, page = sign_in(browser, live_server, viewport)
    try:
        # 1. The home page: every count is what was seeded, and its link lists as many rows.
        assert page.evaluate(OVERFLOW) <= 0
        entries = attention(page)
        assert {label: count for label, (count, _) in entries.items()} == expected
        for label, (count, href) in entries.items():
            page.goto(live_server.url + href)
            assert rows_listed(page) == count, label
            assert page.evaluate(OVERFLOW) <= 0, label

        # 2. Two nominations reviewed: one approved, one rejected with a reason.
        page.goto(f"{live_server.url}/admin/")
        page.locator("#needs-attention a", has_text="Nominations awaiting review").click()
        page.locator("#result_list tbody tr th a").first.click()
        page.get_by_role("link", name="Approve").click()
        page.get_by_role("button", name="Yes, approve").click()
        page.locator(".messagelist .success").wait_for()
        page.goto(f"{live_server.url}/admin/")
        page.locator("#needs-attention a", has_text="Nominations awaiting review").click()
        page.locator("#result_list tbody tr th a").first.click()
        page.get_by_role("link", name="Reject").click()
        page.get_by_label("Reason").fill("The organization has already named its contact person.")
        page.get_by_role("button", name="Reject").click()
        page.locator(".messagelist .success").wait_for()
        assert Nomination.objects.filter(status=NominationStatus.APPROVED).count() == 1
        assert Nomination.objects.filter(status=NominationStatus.REJECTED).count() == 1
        with smtp_server(port) as decisions:
            run_worker()  # each submitter is told
        submitters = Nomination.objects.exclude(status__in=OPEN).values_list(
            "submitter_email", flat=True
        )
        assert sorted(m["To"] for m in decisions.messages) == sorted(submitters)
        page.goto(f"{live_server.url}/admin/")
        assert attention(page)["Nominations awaiting review"][0] == 1

        # 3. From the meeting's card to its control page, and the working group invited.
        card = page.locator(f'.workbench-card[data-meeting="{meeting.pk}"]')
        card.get_by_role("link", name="Control page").click()
        page.locator("#stage-invitations").wait_for()
        assert page.locator('#stage-invitations [data-figure="invited"]').inner_text() == "0"
        page.locator("#tool-invite").click()
        page.get_by_label("the working group's members on a date").check()
        page.get_by_role("button", name="Preview").click()
        page.locator("#preview").wait_for()
        send = page.get_by_role("button", name=re.compile(r"Send to \d+ people"))
        invited = int(re.search(r"\d+", send.inner_text()).group(0))
        assert invited >= 2
        send.click()
        page.get_by_text(f"The mailing to {invited} people is queued").wait_for()
        with smtp_server(port) as inbox:
            run_worker()
        assert len(inbox.messages) == invited
        page.goto(f"{live_server.url}/admin/")
        assert attention(page)["Invitations not yet answered"][0] == invited

        # 4. Two answers arrive; the control page shows them.
        first, second = sorted(m["To"] for m in inbox.messages)[:2]
        with smtp_server(port):
            answer_invitations(inbox.messages, browser, register=first, decline=second)
            run_worker()
        card = page.locator(f'.workbench-card[data-meeting="{meeting.pk}"]')
        page.reload()
        card.get_by_role("link", name="Control page").click()
        stage = page.locator("#stage-invitations")
        assert stage.locator('[data-figure="invited"]').inner_text() == str(invited)
        assert stage.locator('[data-figure="invitations-registered"]').inner_text() == "1"
        assert stage.locator('[data-figure="declined"]').inner_text() == "1"
        assert stage.locator('[data-figure="not-answered"]').inner_text() == str(invited - 2)
        assert page.evaluate(OVERFLOW) <= 0

        # 5. Check-in opened from there: the new registrant is found and checked in.
        page.locator("#tool-check-in").click()
        page.wait_for_url("**/check-in/")
        registrant = Participation.objects.get(meeting=meeting, person__email=first)
        page.locator("#check-in-q").fill(registrant.person.family_name)
        row = page.locator(f"#participation-{registrant.pk}")
        row.get_by_role("button", name="Check in").click()
        row.get_by_text("checked in").wait_for()
        registrant.refresh_from_db()
        assert registrant.status == ParticipationStatus.ATTENDED
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()
