"""The Secretariat uploads a presentation to an agenda item of the 2019 meeting in the admin; a
visitor finds it under the item on the public meeting page and downloads it. A members-only
document asks the visitor to sign in."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.documents.models import Document, DocumentKind, PreviewState, Visibility
from meetings.models import AgendaItem, Meeting
from tests.factories import DocumentFactory, DocumentVersionFactory, UserFactory
from tests.sample_files import pdf_bytes
from tests.staff_helpers import admin_sign_in

from .test_registration_flow import secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM_TITLE = "The overall work of the ANSO Secretariat and the ANSO future actions"


def sign_in_as_secretariat(page, live_server, next_path: str) -> None:
    """The admin's sign-in, then the second factor, as a Secretariat member does it."""
    user = UserFactory(username="secretariat-docs", is_staff=True)
    user.groups.add(secretariat_group())
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    admin_sign_in(page, live_server, device, next_path=next_path)


def choose(page, field: str, search: str, option: str) -> None:
    """Pick `option` in the admin's autocomplete for `field`, typing `search`."""
    page.locator(f"#id_{field}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_secretariat_uploads_a_presentation_and_a_visitor_downloads_it(
    browser, live_server, tmp_path
):
    call_command("load_demo", verbosity=0)
    meeting = Meeting.objects.get(slug="1st-anso-working-group-meeting")
    item = AgendaItem.objects.get(session__meeting=meeting, title_en=ITEM_TITLE)
    pdf = pdf_bytes(pages=2)
    upload = tmp_path / "secretariat-overall-work.pdf"
    upload.write_bytes(pdf)

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    page.set_default_timeout(15_000)
    try:
        add = reverse("admin:meetings_document_add")
        sign_in_as_secretariat(page, live_server, add)
        page.wait_for_url(re.compile(re.escape(add) + "$"))
        page.locator("#id_title_en").fill("The overall work of the Secretariat (slides)")
        page.locator("#id_kind").select_option(DocumentKind.PRESENTATION)
        page.locator("#id_visibility").select_option(Visibility.PUBLIC)
        choose(page, "agenda_item", "overall work", ITEM_TITLE)
        page.locator("#id_files").set_input_files(str(upload))
        page.get_by_role("button", name="Save", exact=True).click()
        page.locator(".messagelist .success").wait_for()
    finally:
        staff.close()

    document = Document.objects.get(title_en="The overall work of the Secretariat (slides)")
    assert (document.meeting_id, document.session_id, document.agenda_item_id) == (
        meeting.pk,
        item.session_id,
        item.pk,
    )
    version = document.latest_version
    assert version.preview_state == PreviewState.READY  # the task ran with the upload

    visitor = browser.new_context(viewport={"width": 375, "height": 812}, accept_downloads=True)
    page = visitor.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + meeting.get_absolute_url())
        line = page.locator(f"#item-{item.pk} #document-{document.pk}")
        line.get_by_text("Presentation · English · PDF").wait_for()
        preview = line.locator("img.document-preview")
        preview.scroll_into_view_if_needed()  # loaded lazily
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
        )
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.locator(f"#item-{item.pk}").screenshot(
                path=f"{shots}/phone-agenda-item-documents.png"
            )
        with page.expect_download() as download_info:
            line.get_by_role("link", name="The overall work of the Secretariat (slides)").click()
        download = download_info.value
        assert download.suggested_filename == version.filename
        assert Path(download.path()).read_bytes() == pdf
    finally:
        visitor.close()


def test_a_members_only_document_asks_the_visitor_to_sign_in(browser, live_server):
    call_command("load_demo", verbosity=0)
    meeting = Meeting.objects.get(slug="1st-anso-working-group-meeting")
    secret = DocumentVersionFactory(
        document=DocumentFactory(
            meeting=meeting, title="Draft working mechanism", visibility=Visibility.MEMBERS
        )
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + meeting.get_absolute_url())
        documents = page.locator("#documents")
        documents.get_by_text("1 document of this meeting is for members only").wait_for()
        assert "Draft working mechanism" not in page.content()
        documents.get_by_role("link", name="sign in as a member").click()
        page.get_by_role("heading", name="Members' sign-in").wait_for()

        # A link to the file itself, shared by mail, leads to the sign-in page as well.
        page.goto(live_server.url + secret.get_absolute_url())
        page.get_by_role("heading", name="Members' sign-in").wait_for()
        assert "next=" in page.url and str(secret.document_id) in page.url
    finally:
        context.close()
