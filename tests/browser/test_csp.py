"""The Content-Security-Policy holds on the site's own pages: chromium reports no violation."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched_page(page):
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_messages = messages
    return page


def _assert_no_violation(page):
    violations = page.evaluate("window.__cspViolations")
    console = [m for m in page.csp_messages if "Content Security Policy" in m]
    assert violations == [], violations
    assert console == [], console


def test_public_pages_satisfy_the_csp(live_server, watched_page):
    meeting = MeetingFactory()
    organization = OrganizationFactory()
    for url in (
        reverse("home"),
        reverse("meetings:meeting_list"),
        meeting.get_absolute_url(),
        organization.get_absolute_url(),
    ):
        response = watched_page.goto(live_server.url + url)
        assert response.status == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]
        watched_page.wait_for_load_state("load")
        _assert_no_violation(watched_page)


def test_admin_satisfies_the_csp(live_server, watched_page):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    page = watched_page
    page.goto(live_server.url + reverse("admin:login"))
    _assert_no_violation(page)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    _assert_no_violation(page)
    page.click("text=Two-factor authentication")
    page.wait_for_selector("img[alt='QR code for your authenticator app']")
    # The QR code is a data: image, which the policy allows.
    assert page.eval_on_selector("img", "img => img.naturalWidth") > 0
    _assert_no_violation(page)


def test_admin_history_pages_satisfy_the_csp(live_server, watched_page):
    """django-simple-history's templates carry an inline style that the policy allows by its
    hash."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    organization = OrganizationFactory(name="Before Institute")
    organization.name = "After Institute"
    organization.save()
    page = watched_page
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    for url in (
        reverse("admin:members_organization_history", args=[organization.pk]),
        reverse("admin:members_organization_change", args=[organization.pk]),
        reverse("admin:members_organization_changelist"),
    ):
        assert page.goto(live_server.url + url).status == 200
        _assert_no_violation(page)


def test_the_outbox_shows_a_mails_html_without_running_its_script(live_server, watched_page):
    """The HTML part of a mail is shown in a sandboxed frame: it is displayed, its script does
    not run (no dialog, the admin's page untouched), and the admin's page breaks no rule."""
    from anso.mail.sending import Mail, mails_queue

    UserFactory(username="admin", is_staff=True, is_superuser=True)
    [mail] = mails_queue(
        [
            Mail(
                to=["a@example.org"],
                subject="Notice",
                body="Plain",
                html="<p>Rich 中文</p><script>alert(1); parent.document.title = 'owned'</script>",
            )
        ]
    )
    page = watched_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    page.goto(live_server.url + mail.get_absolute_url())
    page.wait_for_load_state("load")
    frame = page.frame_locator("iframe[sandbox]")
    assert frame.locator("p").inner_text() == "Rich 中文"
    assert dialogs == []
    assert page.title() != "owned"
    _assert_no_violation(page)


def _sign_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def test_the_outbox_shows_a_mails_html_as_sent(live_server, watched_page):
    """A mailing's HTML part keeps its inline styles (mail programs need them): the outbox
    frames it from its own address, whose policy lets them apply, so it shows in the
    sans-serif font of the mail sent, across the page's width, and no rule is broken on the
    outbox's page or in the frame."""
    from anso.mail.sending import Mail, mails_queue
    from meetings.invitations.templating import html_from_text

    UserFactory(username="admin", is_staff=True, is_superuser=True)
    html = html_from_text("Dear colleague,\n\nThe report is published.", footer="To stop:",
                          footer_link="https://example.org/stop/")  # fmt: skip
    assert 'style="' in html
    [mail] = mails_queue([Mail(to=["a@example.org"], subject="News", body="Plain", html=html)])
    page = watched_page
    _sign_in(page, live_server)
    page.goto(live_server.url + mail.get_absolute_url())
    page.wait_for_load_state("load")
    frame = page.frame_locator("iframe[sandbox]")
    assert "The report is published." in frame.locator("body").inner_text()
    font = frame.locator("p").first.evaluate("p => getComputedStyle(p).fontFamily")
    assert "sans-serif" in font, font
    width = page.eval_on_selector("iframe[sandbox]", "frame => frame.getBoundingClientRect().width")
    assert width > 600, width
    _assert_no_violation(page)

    page.goto(live_server.url + reverse("admin:anso_outgoingmail_changelist"))
    page.wait_for_load_state("load")
    _assert_no_violation(page)

    response = page.goto(live_server.url + reverse("admin:anso_outgoingmail_html", args=[mail.pk]))
    assert "sandbox" in response.headers["content-security-policy"]
    font = page.locator("p").first.evaluate("p => getComputedStyle(p).fontFamily")
    assert "sans-serif" in font, font
    _assert_no_violation(page)


def test_select_all_on_an_export_page_toggles_the_fields(live_server, watched_page):
    """django-import-export's "Select all" was an inline `onchange`, which the policy blocks:
    the box did nothing. A script of the site's own does it."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    page = watched_page
    _sign_in(page, live_server)
    page.goto(live_server.url + reverse("admin:members_organization_export"))
    page.wait_for_load_state("load")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert fields.count() >= 2
    toggle = page.locator("input.select-toggle")
    assert toggle.is_checked()
    toggle.uncheck()
    assert not any(box.is_checked() for box in fields.all())
    page.get_by_text("Select all").click()  # the label toggles the box too
    assert toggle.is_checked()
    assert all(box.is_checked() for box in fields.all())
    _assert_no_violation(page)


def test_the_api_docs_page_satisfies_the_csp_and_shows_the_endpoints(live_server, watched_page):
    """Swagger UI from the vendored files runs under the site's policy: it reads the schema
    and lists the endpoints, with no violation."""
    MeetingFactory()
    page = watched_page
    response = page.goto(live_server.url + reverse("api:docs"))
    assert response.status == 200
    page.wait_for_selector("text=/api/v1/meetings/", timeout=15000)
    _assert_no_violation(page)


def test_the_api_redoc_page_satisfies_the_csp_and_shows_the_endpoints(live_server, watched_page):
    """Redoc from the vendored bundle runs under the site's policy: it reads the schema and
    shows the endpoints, with no violation and no error in the console."""
    MeetingFactory()
    page = watched_page
    response = page.goto(live_server.url + reverse("api:redoc"))
    assert response.status == 200
    # An operation's heading, by its id (the schema gives no summary), and its address.
    page.locator("h2", has_text="meetings_list").first.wait_for(timeout=15000)
    assert page.locator("text=/api/v1/meetings/").count() > 0
    _assert_no_violation(page)
    errors = [m for m in page.csp_messages if m.startswith("error")]
    assert errors == [], errors
    page.click(".api-docs-switch a")
    page.wait_for_selector("text=/api/v1/meetings/", timeout=15000)
    _assert_no_violation(page)
