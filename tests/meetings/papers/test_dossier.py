"""The meeting dossier: read back from its PDF (every part, every script, the vendored fonts,
"page 1 of N", the signature, PDF/A and its tags), what it leaves out (participants not
listed, documents not public, emails and phones), its queries, and the two ways in (the
admin's action, the control page's button) under their permission."""

import io
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from meetings.attendance.selectors import attendance_summary
from meetings.demo import demo_load
from meetings.documents.models import Visibility
from meetings.models import Meeting
from meetings.papers import dossier, services
from meetings.papers.models import Paper, PaperKind
from meetings.papers.signing import signing_certificate
from tests.factories import (
    DocumentFactory,
    DocumentVersionFactory,
    ParticipationFactory,
    PersonFactory,
    UserFactory,
)

from .test_certificates import PEOPLE, VENDORED_FONT, attendee, font_names, pdf_of

pytestmark = pytest.mark.django_db

PUBLIC_SHA256 = "ab12" * 16
HIDDEN_SHA256 = "cd34" * 16


@pytest.fixture
def meeting():
    """The demo's 1st Working Group meeting (Latin and Chinese names), with a participant in
    each other script the papers typeset, one who did not agree to be listed (with an email
    and a phone), a public document and a members-only one."""
    demo_load()
    meeting = Meeting.objects.get(body__name="ANSO Working Group", number=1)
    for key in PEOPLE:
        if key != "chinese":  # the demo's Jinghua Cao (曹京华) is there already
            attendee(meeting, key)
    hidden = PersonFactory(
        given_name="Quentin",
        family_name="Unlisted",
        email="quentin.unlisted@example.org",
        phone="+41 22 555 0199",
    )
    ParticipationFactory(meeting=meeting, person=hidden, listed_publicly=False)
    public = DocumentFactory(meeting=meeting, title="Dossier test: public slides")
    DocumentVersionFactory(document=public, sha256=PUBLIC_SHA256)
    members = DocumentFactory(
        meeting=meeting, title="Dossier test: members' budget", visibility=Visibility.MEMBERS
    )
    DocumentVersionFactory(document=members, sha256=HIDDEN_SHA256)
    return meeting


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def flat(pdf: bytes) -> str:
    """The PDF's text without whitespace: a name or a SHA-256 split across lines (or across
    two subset fonts) is read back whole."""
    return re.sub(r"\s", "", "".join(page.extract_text() for page in reader(pdf).pages))


@pytest.fixture
def issued(meeting) -> tuple[Paper, bytes]:
    paper = dossier.dossier_issue(meeting=meeting, by=None, language="en")
    return paper, pdf_of(paper)


def test_dossier_is_a_numbered_paper_with_a_history(issued, meeting):
    paper, pdf = issued
    assert (paper.kind, paper.reference) == (PaperKind.DOSSIER, "ANSO-2019-WG1-D-0001")
    assert paper.meeting == meeting and paper.participation is None
    assert paper.history.get().history_change_reason == "issued"
    pages = reader(pdf).pages
    assert len(pages) > 1
    assert f"page 1 of {len(pages)}" in pages[0].extract_text()
    assert f"page {len(pages)} of {len(pages)}" in pages[-1].extract_text()
    assert all(paper.reference in page.extract_text() for page in pages)
    assert "/en/papers/ANSO-2019-WG1-D-0001/" in flat(pdf)


def test_dossier_holds_every_part_of_the_record(issued):
    _paper, pdf = issued
    text = flat(pdf)
    for part in ("Meetingdossier", "Programme", "Attendance", "Participants", "Decisions"):
        assert part in text
    assert "1stANSOWorkingGroupMeeting" in text
    assert "OpeningSession" in text or "Openingsession" in text  # the programme's sessions
    assert "Chair:" in text and "Prof.Ailikun" in text  # a chair
    assert "ANSOVice-President" in text  # a speaker's capacity
    assert "ANSOscholarshipprogramme" in text  # an action of the plan presented
    assert "Countriesandregions" in text


@pytest.mark.parametrize("key", PEOPLE)
def test_dossier_names_every_script_with_the_vendored_fonts(issued, key):
    _paper, pdf = issued
    assert PEOPLE[key][4].replace(" ", "") in flat(pdf)
    fonts = font_names(pdf)
    assert fonts and all(VENDORED_FONT.fullmatch(name) for name in fonts), fonts


def test_dossier_names_a_chinese_name_in_both_scripts(issued):
    assert "曹京华" in flat(issued[1]) and "JinghuaCao" in flat(issued[1])


def test_dossier_lists_public_documents_with_their_sha256_only(issued):
    text = flat(issued[1])
    assert "Dossiertest:publicslides" in text and PUBLIC_SHA256 in text
    assert "members'budget" not in text and HIDDEN_SHA256 not in text


def test_dossier_leaves_out_who_did_not_agree_and_any_contact(issued):
    text = flat(issued[1])
    assert "Unlisted" not in text and "Quentin" not in text
    assert "@" not in text
    assert "5550199" not in text


def test_dossier_is_signed(issued):
    _paper, pdf = issued
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signing_certificate()])
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"


def xmp(pdf: bytes) -> str:
    return reader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def assert_archival(pdf: bytes, language: str):
    """PDF/A-2a in the XMP after the signature's incremental update, tagged, with its
    language and an sRGB output intent."""
    metadata = xmp(pdf)
    assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="A"' in metadata
    root = reader(pdf).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == language
    assert "/OutputIntents" in root


def test_dossier_is_pdf_a_and_tagged(issued):
    assert_archival(issued[1], "en")


def test_certificate_is_pdf_a_and_tagged(meeting):
    participation = attendee(meeting, "cyrillic")
    paper = services.certificate_issue(participation=participation, by=None)
    assert_archival(pdf_of(paper), "en")


def test_dossier_in_chinese(meeting):
    paper = dossier.dossier_issue(meeting=meeting, by=None, language="zh-hans")
    pdf = pdf_of(paper)
    text = flat(pdf)
    assert paper.language == "zh-hans"
    assert "会议档案" in text and "ANSO工作组第一次会议" in text
    assert f"第1页，共{len(reader(pdf).pages)}页" in text  # noqa: RUF001 (the Chinese comma)
    assert "曹京华教授·JinghuaCao" in text
    assert_archival(pdf, "zh-hans")


def test_each_request_issues_a_new_dossier_and_the_earlier_stands(meeting):
    first = dossier.dossier_issue(meeting=meeting, by=None, language="en")
    second = dossier.dossier_issue(meeting=meeting, by=None, language="en")
    assert (first.reference, second.reference) == ("ANSO-2019-WG1-D-0001", "ANSO-2019-WG1-D-0002")
    assert Paper.objects.dossiers().standing().count() == 2


#: In a transaction (its savepoint and release here): locking the meeting, the number, the
#: letterhead, the figures (counts, by organization, by country), the participants listed,
#: the sessions, their items, their speakers, the decisions, the public documents, the paper
#: and its history row.
DOSSIER_QUERIES = 16


@pytest.mark.parametrize("more", (0, 25))
def test_dossier_queries_flat_in_the_number_of_participants(
    meeting, django_assert_num_queries, more
):
    for _ in range(more):
        ParticipationFactory(meeting=meeting)
    with django_assert_num_queries(DOSSIER_QUERIES):
        dossier.dossier_issue(meeting=meeting, by=None, language="en")


def control_url(meeting: Meeting, name: str = "meeting_control") -> str:
    return reverse(
        f"meetings:{name}", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


def test_control_page_issues_the_dossier(secretariat_client, secretariat_user, meeting):
    page = secretariat_client.get(control_url(meeting))
    assert f'action="{control_url(meeting, "dossier_issue")}"' in page.text
    assert 'id="tool-dossier"' in page.text
    response = secretariat_client.post(control_url(meeting, "dossier_issue"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    paper = Paper.objects.dossiers().get()
    assert paper.issued_by == secretariat_user
    assert b"".join(response.streaming_content) == pdf_of(paper)


def test_control_page_dossier_in_the_pages_language(secretariat_client, meeting):
    url = reverse(
        "meetings:dossier_issue",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
        urlconf=None,
    ).replace("/en/", "/zh-hans/", 1)
    assert secretariat_client.post(url).status_code == 200
    assert Paper.objects.dossiers().get().language == "zh-hans"


def test_dossier_needs_the_permission_to_change_the_meeting(client, meeting):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    page = client.get(control_url(meeting))
    assert page.status_code == 200 and 'id="tool-dossier"' not in page.text
    assert client.post(control_url(meeting, "dossier_issue")).status_code == 403
    assert client.get(control_url(meeting, "dossier_issue")).status_code == 403
    assert not Paper.objects.exists()


def admin_action(client, meetings):
    return client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "issue_dossier", ACTION_CHECKBOX_NAME: [m.pk for m in meetings]},
        follow=True,
    )


def test_admin_action_issues_the_dossier(secretariat_client, secretariat_user, meeting):
    response = admin_action(secretariat_client, [meeting])
    paper = Paper.objects.dossiers().get()
    assert paper.issued_by == secretariat_user
    assert paper.reference in response.text
    assert reverse("admin:meetings_paper_download", args=[paper.pk]) in response.text


def test_admin_action_needs_the_permission_to_change_the_meeting(client, meeting):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    response = admin_action(client, [meeting])
    assert "issue_dossier" not in response.text  # the action is not offered
    assert not Paper.objects.exists()


def test_dossier_attendance_is_the_public_pages(issued, meeting):
    """The figures are `attendance_summary`'s, as the public page and the control page show
    them."""
    figures = attendance_summary(meeting_id=meeting.pk)
    text = "\n".join(page.extract_text() for page in reader(issued[1]).pages)
    assert figures.attended == 45 + len(PEOPLE)  # the demo's, and the fixture's who attended
    assert f"Participants {figures.attended}" in text
    assert f"Member organizations {figures.member_organizations}" in text
    assert f"Countries and regions {figures.countries}" in text


def test_verification_page_of_a_dossier(client, issued):
    paper, _pdf = issued
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    assert 'data-state="issued"' in response.text and "Meeting dossier" in response.text
    assert "Issued to" not in response.text  # a paper of the whole meeting: nobody's initials


def test_no_dossier_without_a_signing_key(settings, meeting, secretariat_client):
    settings.PAPERS_DEV_SELF_SIGNED = False
    settings.PAPERS_SIGNING_KEY = settings.PAPERS_SIGNING_CERT = ""
    response = secretariat_client.post(control_url(meeting, "dossier_issue"), follow=True)
    assert response.redirect_chain[-1][0] == control_url(meeting)
    assert "No dossier was issued" in response.text
    response = admin_action(secretariat_client, [meeting])
    assert "No dossier was issued" in response.text
    assert not Paper.objects.exists()
