"""A batch of papers' page in a browser: it follows the worker's progress without a reload
("2 of 3 made"), shows the download link once the batch is ready, under the policy (CSP); and
the control page of a large meeting queues the badges and opens that page."""

import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from meetings.attendance.models import ParticipationStatus
from meetings.papers import views as papers_views
from meetings.papers.models import PaperBatch, PaperBatchKind
from tests.factories import MeetingFactory, ParticipationFactory, UserFactory

from .test_control_page import control_url, signed_in
from .test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_the_batch_page_follows_the_progress_then_offers_the_file(
    browser, live_server, monkeypatch
):
    monkeypatch.setattr(papers_views, "BATCH_REFRESH_SECONDS", 1)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    batch = PaperBatch.objects.create(
        meeting=MeetingFactory(), kind=PaperBatchKind.BADGES, status="running", total=3, done=1
    )
    context, page = signed_in(browser, live_server, viewport=DESKTOP)
    try:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(live_server.url + batch.get_absolute_url())
        block = page.locator("#paper-batch")
        assert block.locator("[data-field=done]").inner_text() == "1"
        assert not page.locator("[data-field=download]").is_visible()
        PaperBatch.objects.filter(pk=batch.pk).update(done=2)
        expect(block.locator("[data-field=done]")).to_have_text("2", timeout=10_000)
        batch.file.save("badges.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        batch.status, batch.done, batch.finished_at = "done", 3, timezone.now()
        batch.save()
        expect(page.locator("[data-field=download]")).to_be_visible(timeout=10_000)
        assert block.get_attribute("data-status") == "done"
        assert block.locator("progress").evaluate("element => element.value") == 3
        assert page.evaluate("window.__cspViolations") == []
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/paper-batch.png", full_page=True)
    finally:
        context.close()


def test_a_large_meeting_prepares_its_badges_in_the_background(browser, live_server, settings):
    settings.PAPERS_BATCH_THRESHOLD = 2
    meeting = MeetingFactory()
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.REGISTERED)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context, page = signed_in(browser, live_server, viewport=DESKTOP)
    try:
        page.goto(control_url(live_server, meeting))
        assert page.locator("#tool-badges").count() == 0
        page.click("#tool-badges-batch")
        page.wait_for_url("**/papers/batches/*/")
        # The test's queue runs the task at once: the batch is ready when its page opens.
        download = page.locator("[data-field=download] a")
        expect(download).to_be_visible()
        assert page.locator("[data-field=total]").inner_text() == "3"
        with page.expect_download() as info:
            download.click()
        assert info.value.suggested_filename == f"{meeting.slug}-badges.pdf"
    finally:
        context.close()
