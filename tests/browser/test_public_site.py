"""A visitor's path through the public site with the demo data, on a desktop and a phone.

Set ANSO_SCREENSHOTS to a directory to keep screenshots of the pages visited."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING = "1st ANSO Working Group Meeting"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def screenshot(page, name: str) -> None:
    directory = os.environ.get("ANSO_SCREENSHOTS")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def test_visitor_finds_the_programme_attendance_and_calendar_of_the_first_meeting(
    page, live_server, demo
):
    page.goto(live_server.url)
    screenshot(page, "home")
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    screenshot(page, "meeting-list")

    page.get_by_role("main").get_by_role("link", name=MEETING, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    expect(page).to_have_url(f"{live_server.url}/en/meetings/2019/1st-anso-working-group-meeting/")
    screenshot(page, "meeting-detail")

    opening = page.locator("#session-1")
    expect(opening.get_by_role("heading", level=3)).to_have_text("Opening session")
    expect(opening.locator(".session-chair")).to_contain_text("Prof. Ailikun")
    items = opening.locator(".agenda > li")
    expect(items.nth(0)).to_contain_text("welcome")
    expect(items.nth(0).locator(".speakers")).to_contain_text("Prof. Qasim Jan")
    expect(items.nth(1)).to_contain_text("opening address")
    expect(items.nth(1).locator(".speakers")).to_contain_text("Prof. Yin LI")
    expect(items.nth(2)).to_contain_text("opening address")
    expect(items.nth(2).locator(".speakers")).to_contain_text("Prof. Jinghua Cao")

    summary = page.locator(".attendance-summary")
    expect(summary.locator("[data-figure=member-organizations] dd")).to_have_text("17")
    expect(summary.locator("[data-figure=countries] dd")).to_have_text("14")
    expect(page.locator("#attendance")).to_contain_text("As reported")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (iCal)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == MEETING
    assert event.decoded("dtstart").isoformat() == "2019-05-13"
    assert event.decoded("dtend").isoformat() == "2019-05-15"


PHONE_PAGES = [
    "/",
    "/meetings/",
    "/meetings/2019/1st-anso-working-group-meeting/",
    "/working-group/",
    "/members/",
    "/meetings/action-plan/",
    "/people/jinghua-cao/",
    "/no-such-page/",
]


def test_pages_fit_a_phone_without_horizontal_scrolling(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for path in PHONE_PAGES:
            page.goto(live_server.url + path)
            screenshot(page, "phone" + path.strip("/").replace("/", "-"))
            width = page.evaluate("document.documentElement.scrollWidth")
            viewport = page.evaluate("window.innerWidth")
            assert width <= viewport, f"{path} is {width}px wide on a {viewport}px screen"
    finally:
        context.close()


def test_navigation_is_reachable_through_the_toggler_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url)
        nav = page.get_by_role("navigation", name="Main navigation")
        working_group = nav.get_by_role("link", name="Working Group", exact=True)
        expect(working_group).to_be_hidden()
        toggler = nav.get_by_role("button", name="Toggle navigation")
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(working_group).to_be_visible()
        screenshot(page, "phone-nav-open")
        working_group.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Working Group")
        expect(page.locator(".roster-form")).to_be_visible()
    finally:
        context.close()
