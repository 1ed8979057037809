"""The nomination and the registration with the keyboard alone: Tab, Shift+Tab, Space, Enter
and typing, no click and no filling of a field that does not have the focus. A skip link
comes first; the focus is visible on every control it reaches; after a failed submit it lands
on the first field in error, and the summary at the top names the fields
(templates/includes/error_summary.html, static/js/form-errors.js)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from meetings.attendance.models import Participation
from members.nominations.models import Nomination
from tests.factories import BodyFactory, OrganizationFactory, RegistrationWindowFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: More Tab presses than either form has controls: a walk that does not find its field fails.
MAX_TABS = 80

FOCUSED = """() => {
  const element = document.activeElement;
  // A select that Tom Select replaced shows its focus ring around its whole box.
  const wrapper = element.closest(".ts-wrapper");
  const ring = wrapper ? wrapper.querySelector(".ts-control") : element;
  const style = getComputedStyle(ring);
  const box = element.getBoundingClientRect();
  return {
    id: element.id,
    tag: element.tagName.toLowerCase(),
    text: (element.textContent || "").trim(),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    width: box.width,
    height: box.height,
  };
}"""


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_visible(state: dict) -> None:
    assert state["outline"] != "none" and state["outlineWidth"] >= 2, state


def tab_to(page, element_id: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the control with the id has the focus, checking on the
    way that every control reached shows where the focus is."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        state = focused(page)
        if state["id"] == element_id:
            return
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] not in ("body", "main"):
            assert_focus_visible(state)
    raise AssertionError(f"{element_id} is not reached with {key}; focus on {focused(page)}")


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def check_skip_link(page) -> None:
    """From the page's load, one Tab reaches the skip link, shown; Enter moves to main."""
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["text"] == "Skip to main content", state
    assert state["width"] > 20 and state["height"] > 10, state  # shown, not a 1px clip
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def summary_links(page) -> list[str]:
    return page.locator("#error-summary a[data-error-field]").all_inner_texts()


@pytest.fixture
def organization(db):
    BodyFactory()  # the alliance's Working Group
    OrganizationFactory(name="Bangladesh Academy of Sample Sciences", short_name="BASS")
    return OrganizationFactory(name="Kenya Academy of Sample Sciences", short_name="KASS")


def test_keyboard_nomination(page, live_server, organization, mailoutbox):
    page.goto(live_server.url + reverse("members:nomination_create"))
    page.wait_for_load_state("load")  # Tom Select is in place
    check_skip_link(page)

    # Into the form and back: Shift+Tab returns to the search box of the organizations.
    tab_to(page, "id_honorific")
    tab_to(page, "id_organization-ts-control", backwards=True)
    # Sent empty with Enter in a text field.
    page.keyboard.press("Escape")  # closes the organizations' list, which Enter would pick from
    tab_to(page, "id_honorific")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    # The kind has its default and the name order its first choice: neither is in error.
    assert summary_links(page) == [
        "Member organization",
        "Family name",
        "Nominee's email",
        "Position in the organization",
        "Country or region",
        "Your name",
        "Your email",
        "Your role in the organization",
    ]
    # The focus is on the first field in error: the organizations' search box, which says
    # it is in error and points at the error's text.
    control = page.locator("#id_organization-ts-control")
    expect(control).to_be_focused()
    assert_focus_visible(focused(page))
    expect(control).to_have_attribute("aria-invalid", "true")
    assert "id_organization_error" in control.get_attribute("aria-describedby").split()

    # Corrected with the keyboard, from where the focus is.
    page.keyboard.type("kenya")
    expect(page.locator(".ts-dropdown .option.active")).to_contain_text(organization.name)
    page.keyboard.press("Enter")
    expect(page.locator("#id_organization")).to_have_value(str(organization.pk))
    # The group of kinds is one stop of the Tab key; the arrows move within it.
    tab_to(page, "id_kind_0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kind_1")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_kind_0")).to_be_checked()
    type_into(page, "id_honorific", "Prof.")
    type_into(page, "id_given_name", "Amina")
    type_into(page, "id_family_name", "Otieno")
    type_into(page, "id_email", "amina.otieno@example.org")
    type_into(page, "id_job_title", "Director of Research")
    type_into(page, "id_country", "Kenya")  # a focused select picks the option typed
    expect(page.locator("#id_country")).to_have_value("KE")
    tab_to(page, "id_consent_to_publish")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_to_publish")).to_be_checked()
    type_into(page, "id_submitter_name", "Joseph Kamau")
    type_into(page, "id_submitter_email", "joseph@example.org")
    type_into(page, "id_submitter_role", "Representative to ANSO")
    tab_to(page, "submit-id-submit")
    page.keyboard.press("Enter")

    page.wait_for_url("**/thanks/")
    nomination = Nomination.objects.get()
    assert nomination.organization == organization
    assert nomination.family_name == "Otieno"
    assert nomination.country == "KE"
    assert len(mailoutbox) == 1


def test_keyboard_registration(page, live_server, mailoutbox):
    meeting = RegistrationWindowFactory(capacity=40).meeting
    page.goto(
        live_server.url
        + reverse(
            "meetings:registration_create",
            kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
        )
    )
    page.wait_for_load_state("load")
    check_skip_link(page)

    # A mistake in the email, the rest empty; sent with Enter in a text field.
    type_into(page, "id_given_name", "Amina")
    type_into(page, "id_email", "amina@")
    page.keyboard.press("Enter")

    expect(page.locator("#error-summary")).to_be_visible()
    assert summary_links(page) == [
        "Family name",
        "Email",
        "Organization",
        "Country or region",
        "You attend as",
    ]
    family_name = page.locator("#id_family_name")
    expect(family_name).to_be_focused()
    assert_focus_visible(focused(page))
    expect(family_name).to_have_attribute("aria-invalid", "true")
    expect(family_name).to_have_attribute("aria-required", "true")
    expect(page.locator("#id_given_name")).to_have_value("Amina")  # what was typed is kept

    page.keyboard.type("Okafor")
    tab_to(page, "id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type("amina.okafor@example.org")
    type_into(page, "id_organization_name", "Lagos Sample Institute")
    type_into(page, "id_country", "Nigeria")
    expect(page.locator("#id_country")).to_have_value("NG")
    type_into(page, "id_capacity", "expert")
    expect(page.locator("#id_capacity")).to_have_value("expert")
    tab_to(page, "id_listed_publicly")
    page.keyboard.press("Space")
    expect(page.locator("#id_listed_publicly")).to_be_checked()
    tab_to(page, "submit-id-register")
    page.keyboard.press("Enter")

    page.get_by_text("You are registered.").wait_for()
    participation = Participation.objects.get(meeting=meeting)
    assert participation.person.family_name == "Okafor"
    assert participation.listed_publicly
    assert len(mailoutbox) == 1


def test_keyboard_registration_without_scripts(browser, live_server):
    """Scripts off: the summary is there, and `autofocus` puts the focus on the first field
    in error."""
    meeting = RegistrationWindowFactory(capacity=40).meeting
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(
            live_server.url
            + reverse(
                "meetings:registration_create",
                kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
            )
        )
        tab_to(page, "id_honorific")
        page.keyboard.type("Dr.")
        page.keyboard.press("Enter")
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page.locator("#id_family_name")).to_be_focused()
    finally:
        context.close()
