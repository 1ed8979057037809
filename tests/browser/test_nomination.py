"""A member organization registers a contact person; the Secretariat approves; the public
working-group page lists the new member under the organization."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from members.nominations.models import Nomination, NominationStatus
from members.roles import SECRETARIAT_GROUP
from tests.factories import BodyFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def setting(db):
    BodyFactory()  # the alliance's Working Group
    OrganizationFactory(name="Bangladesh Academy of Sample Sciences", short_name="BASS")
    organization = OrganizationFactory(name="Kenya Academy of Sample Sciences", short_name="KASS")
    OrganizationFactory(name="Zambia Institute of Sample Research", short_name="ZISR")
    reviewer = UserFactory(username="secretariat", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return organization


def test_nomination_end_to_end(page, live_server, setting, mailoutbox):
    organization = setting
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Register a contact person").click()
    page.get_by_role("heading", name="Register a contact person").wait_for()

    page.get_by_label("Contact person").check()
    page.get_by_label("Honorific").fill("Prof.")
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Otieno")
    page.get_by_label("Nominee's email").fill("amina@")  # the mistake
    page.get_by_label("Position in the organization").fill("Director of Research")
    page.get_by_label("Country or region").select_option("KE")
    page.get_by_label("The nominee agrees").check()
    page.get_by_label("Your name").fill("Joseph Kamau")
    page.get_by_label("Your email").fill("joseph@example.org")
    page.get_by_label("Your role in the organization").fill("Representative to ANSO")
    # The organization last: type to search, pick it. Tom Select may move the focus back to
    # its own input a moment after the pick, which on a busy machine swallowed the text of
    # the next field filled.
    page.locator("#id_organization-ts-control").click()
    page.keyboard.type("kenya")
    page.locator(".ts-dropdown .option", has_text=organization.name).click()
    expect(page.locator("#id_organization")).to_have_value(str(organization.pk))
    expect(page.get_by_label("Honorific")).to_have_value("Prof.")
    page.get_by_role("button", name="Submit the nomination").click()

    # The error is on the email field; everything else is kept.
    expect(page.locator("#id_email_error")).to_have_text("Enter a valid email address.")
    email = page.get_by_label("Nominee's email")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert email.input_value() == "amina@"
    assert page.get_by_label("Family name").input_value() == "Otieno"
    assert page.get_by_label("Your role in the organization").input_value() == (
        "Representative to ANSO"
    )
    assert page.get_by_label("The nominee agrees").is_checked()
    assert page.locator("#id_organization").input_value() == str(organization.pk)
    assert organization.name in page.locator(".ts-control").inner_text()
    assert not Nomination.objects.exists()

    email.fill("amina.otieno@example.org")
    page.get_by_role("button", name="Submit the nomination").click()
    page.get_by_role("heading", name="Thank you").wait_for()

    # The confirmation link from the mail.
    (mail,) = mailoutbox
    assert mail.to == ["joseph@example.org"]
    link = re.search(r"(http://\S+/working-group/nominate/confirm/\S+/)", mail.body).group(1)
    page.goto(link)
    expect(page.locator("#nomination-status")).to_have_text("waiting for email confirmation")
    assert Nomination.objects.get().status == NominationStatus.UNCONFIRMED  # opening is not enough
    page.get_by_role("button", name="Confirm the nomination").click()
    expect(page.locator("#nomination-status")).to_have_text("awaiting review")
    nomination = Nomination.objects.get()
    assert nomination.status == NominationStatus.AWAITING_REVIEW

    # The Secretariat is told, follows the link in its mail, logs in and approves.
    review = mailoutbox[1]
    assert review.to == ["secretariat@example.org"]
    admin_link = re.search(r"(http://\S+/admin/members/nomination/\d+/change/)", review.body)
    page.goto(admin_link.group(1))
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Approve").click()
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.locator(".messagelist")).to_contain_text("The submitter is notified")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert len(mailoutbox) == 3  # the confirmation, the Secretariat's notice, the approval

    # The public working-group page lists the nominee under the organization.
    page.goto(live_server.url + reverse("members:working_group"))
    listing = (
        page.locator("main")
        .locator("section, article, li, tr, dl, div.card")
        .filter(has_text=organization.name)
        .filter(has_text="Amina Otieno")
    )
    expect(listing.first).to_be_visible()
    assert "amina.otieno@example.org" not in page.content()
