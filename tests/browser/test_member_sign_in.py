"""A contact person of a member organization signs in with the link mailed to them, comes back
to the page they were on, and signs out."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_with_the_mailed_link_and_signs_out(page, live_server, mailoutbox):
    person = PositionFactory(person__email="amina@example.org").person
    page.goto(live_server.url + "/en/meetings/")
    expect(page.get_by_role("link", name="Members' sign-in")).to_be_visible()  # in the footer
    # A members-only page sends the visitor here with itself as `next`.
    page.goto(live_server.url + "/en/sign-in/?next=/en/meetings/")
    page.get_by_role("heading", name="Members' sign-in").wait_for()

    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_role("button", name="Send me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")

    (mail,) = mailoutbox
    link = re.search(r"(http://\S+/sign-in/link/\S+)", mail.body).group(1)
    page.goto(link)
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("#member-status")).to_contain_text(f"Signed in as {person.display_name}")
    assert page.url == live_server.url + "/en/meetings/"

    # The link works once.
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sign-in-link-invalid")).to_be_visible()

    page.locator("#member-status").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    expect(page.locator("#member-status")).to_have_count(0)
