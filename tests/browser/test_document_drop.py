"""The documents' admin in a browser: files dropped on the drop zone are uploaded, one document
each, with the site's Content-Security-Policy holding (the zone's script is a static file)."""

import pytest
from django.urls import reverse

from meetings.documents.models import Document
from tests.factories import MeetingFactory, UserFactory

from .test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP_TWO_FILES = """() => {
  const zone = document.querySelector(".file-drop");
  const transfer = new DataTransfer();
  transfer.items.add(new File(["%PDF-1.4\\n%%EOF\\n"], "agenda.pdf", {type: "application/pdf"}));
  transfer.items.add(new File(["%PDF-1.4\\n%%EOF\\n"], "minutes.pdf", {type: "application/pdf"}));
  const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
  for (const name of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(name, options));
  }
  return document.querySelector("input[name=files]").files.length;
}"""

CHOOSE_MEETING = """([pk, label]) => {
  const select = document.querySelector("select[name=meeting]");
  select.add(new Option(label, pk, true, true));
}"""


def test_dropped_files_become_documents(live_server, page):
    meeting = MeetingFactory()
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.goto(live_server.url + reverse("admin:meetings_document_add"))
    assert page.locator(".file-drop .file-drop-hint").inner_text() == (
        "Drop files here, or choose them."
    )
    assert page.evaluate(DROP_TWO_FILES) == 2
    assert page.locator(".file-drop-list li").all_inner_texts() == [
        "agenda.pdf (1 KB)",
        "minutes.pdf (1 KB)",
    ]
    page.fill("#id_title_en", "Papers of the meeting")
    page.evaluate(CHOOSE_MEETING, [str(meeting.pk), meeting.title])
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:meetings_document_changelist"))

    assert sorted(Document.objects.values_list("title_en", flat=True)) == [
        "Papers of the meeting: agenda",
        "Papers of the meeting: minutes",
    ]
    assert page.evaluate("window.__cspViolations") == []
    assert [m for m in messages if "Content Security Policy" in m] == []
