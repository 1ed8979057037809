"""The papers' pages beyond the certificate itself: the letterhead's form, the verification
page's queries and rate limit, the certificate after the registration link has expired."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.attendance.links import registration_manage_url
from meetings.attendance.models import ParticipationStatus
from meetings.papers import services, views
from meetings.papers.models import LETTERHEAD_PK, Letterhead, Paper, PaperKind
from tests.factories import MeetingFactory, ParticipationFactory, PersonFactory
from tests.sample_files import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def letterhead_post(**files) -> dict:
    return {
        "address_en": "ANSO Secretariat\nBeijing",
        "address_zh_hans": "",
        "signatory_name": "Wang Lei",
        "signatory_title_en": "Director",
        "signatory_title_zh_hans": "",
        **files,
    }


def test_letterhead_takes_images_and_refuses_other_files(client, superuser):
    Letterhead.ensure()
    client.force_login(superuser)
    change = reverse("admin:meetings_letterhead_change", args=[LETTERHEAD_PK])
    refused = client.post(change, letterhead_post(logo=upload("logo.pdf", pdf_bytes())))
    assert refused.status_code == 200
    assert "Upload a PNG, JPEG, GIF or WebP image." in refused.text
    assert not Letterhead.objects.get().logo
    logo = upload("Logo of ANSO.png", image_bytes("PNG", size=(120, 40)), "image/png")
    signature = upload("signature.jpg", image_bytes("JPEG", size=(200, 60)), "image/jpeg")
    response = client.post(change, letterhead_post(logo=logo, signature=signature))
    assert response.status_code == 302
    letterhead = Letterhead.objects.get()
    assert letterhead.logo.name.endswith(".png") and letterhead.signature.name.endswith(".jpg")
    assert letterhead.history.latest().history_user == superuser


def test_the_letterhead_images_are_printed_on_the_certificate(superuser):
    letterhead = Letterhead.ensure()
    letterhead.logo.save("logo.png", io.BytesIO(image_bytes("PNG", size=(120, 40))))
    letterhead.signature.save("signature.png", io.BytesIO(image_bytes("PNG", size=(200, 60))))
    participation = ParticipationFactory(meeting=MeetingFactory(is_published=True))
    paper = services.certificate_issue(participation=participation, by=superuser)
    with paper.file.open("rb") as handle:
        page = PdfReader(handle).pages[0]
        # The logo, the signature; the QR code is drawn (SVG), not an image.
        assert len(page.images) == 2


def verification_url(paper) -> str:
    return reverse("papers:verify", kwargs={"reference": paper.reference})


def a_paper(meeting) -> Paper:
    """A paper's row without its PDF (the page reads the row only)."""
    participation = ParticipationFactory(meeting=meeting, person=PersonFactory())
    return Paper.objects.create(
        kind=PaperKind.CERTIFICATE,
        reference=services.paper_reference(
            meeting=meeting, kind=PaperKind.CERTIFICATE, sequence=participation.pk
        ),
        meeting=meeting,
        participation=participation,
        issued_at=datetime.datetime(2019, 5, 15, tzinfo=datetime.UTC),
        file="papers/2019/x.pdf",
        sha256="0" * 64,
    )


@pytest.mark.parametrize("n", (1, 30))
def test_verification_page_queries_flat(client, django_assert_num_queries, n):
    meeting = MeetingFactory(is_published=True)
    papers = [a_paper(meeting) for _ in range(n)]
    client.get(verification_url(papers[0]))  # the session and the language, once
    with django_assert_num_queries(1):
        assert client.get(verification_url(papers[-1])).status_code == 200


def test_verification_page_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(views, "VERIFICATIONS_PER_HOUR", 2)
    paper = a_paper(MeetingFactory(is_published=True))
    assert [client.get(verification_url(paper)).status_code for _ in range(3)] == [200, 200, 429]


def test_after_the_meeting_the_expired_link_still_gives_the_certificate(client):
    meeting = MeetingFactory(
        is_published=True,
        start_date=datetime.date(2019, 5, 13),
        end_date=datetime.date(2019, 5, 14),
    )
    attended = ParticipationFactory(meeting=meeting)
    cancelled = ParticipationFactory(meeting=meeting, status=ParticipationStatus.CANCELLED)
    expired = client.get(registration_manage_url(participation=attended))
    assert expired.status_code == 410
    assert 'id="certificate"' in expired.text
    assert (
        'id="certificate"' not in client.get(registration_manage_url(participation=cancelled)).text
    )
    action = expired.text.split('id="certificate"')[0].rsplit('action="', 1)[1].split('"')[0]
    response = client.post(action)
    assert response.status_code == 200
    assert Paper.objects.get().participation == attended


def test_verification_page_links_a_published_meeting_only(client):
    published = a_paper(MeetingFactory(is_published=True))
    unpublished = a_paper(MeetingFactory(is_published=False))
    assert published.meeting.get_absolute_url() in client.get(verification_url(published)).text
    page = client.get(verification_url(unpublished)).text
    assert unpublished.meeting.title in page
    assert unpublished.meeting.get_absolute_url() not in page
