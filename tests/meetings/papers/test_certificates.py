"""Certificates of attendance: read back from their PDF (text, fonts, signature), issued once,
refused to who did not attend, verified on the public page, revoked from the admin."""

import datetime
import hashlib
import io
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from meetings.attendance.links import registration_token
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.papers import services
from meetings.papers.models import Letterhead, Paper
from meetings.papers.signing import SigningKeyMissing, check_signing_key, signing_certificate
from tests.factories import BodyFactory, MeetingFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db

#: People whose names are in every script the papers typeset: (given, family, original,
#: language of their papers, the name the PDF's text must hold).
PEOPLE = {
    "chinese": ("Jinghua", "Cao", "曹京华", "zh-hans", "曹京华"),
    "arabic": ("Mohammed", "Abdullah", "محمد عبد الله", "en", "محمد عبد الله"),
    "cyrillic": ("Ivan", "Petrov", "Иван Петров", "en", "Иван Петров"),
    "greek": ("Eleni", "Papadopoulou", "Ελένη Παπαδοπούλου", "en", "Ελένη Παπαδοπούλου"),
    "accented": ("Zoë", "Łukasiewicz-Ødegård", "", "en", "Zoë Łukasiewicz-Ødegård"),
    "vietnamese": ("Thị Thuỷ", "Nguyễn", "", "en", "Thị Thuỷ Nguyễn"),
}
#: The fonts a paper may embed: the vendored families (static/css/papers.css), regular or
#: bold, as subsets ("/ABCDEF+Noto-Sans-SC-Bold"). A font of the machine (even another Noto,
#: such as "Noto Sans CJK JP") is none of them.
VENDORED_FONT = re.compile(
    r"/[A-Z]{6}\+Noto-Sans(-Latin-Ext|-Cyrillic|-Cyrillic-Ext|-Greek|-Vietnamese|-SC|-Arabic)?"
    r"(-Bold)?"
)


@pytest.fixture
def meeting():
    return MeetingFactory(
        body=BodyFactory(kind="working_group"),
        number=1,
        start_date=datetime.date(2019, 5, 13),
        end_date=datetime.date(2019, 5, 14),
        is_published=True,
    )


def attendee(meeting, key="chinese", **kwargs) -> Participation:
    given, family, original, language, _text = PEOPLE[key]
    person = PersonFactory(
        given_name=given, family_name=family, name_original=original, language=language
    )
    return ParticipationFactory(meeting=meeting, person=person, **kwargs)


def pdf_of(paper: Paper) -> bytes:
    with paper.file.open("rb") as handle:
        return handle.read()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("key", PEOPLE)
def test_certificate_typesets_the_name_in_its_script_with_the_vendored_fonts(meeting, key):
    participation = attendee(meeting, key)
    paper = services.certificate_issue(participation=participation, by=None)
    pdf = pdf_of(paper)
    text = text_of(pdf)
    # Compared without spaces: a name set in two of the subset fonts (the Latin letters of
    # "Thị" from one, "ị" from the other) is read back with a space where the font changes.
    assert PEOPLE[key][4].replace(" ", "") in re.sub(r"\s", "", text)
    assert paper.reference in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    fonts = font_names(pdf)
    assert fonts and all(VENDORED_FONT.fullmatch(name) for name in fonts), fonts


def test_certificate_of_a_chinese_participant_is_in_chinese(meeting):
    paper = services.certificate_issue(participation=attendee(meeting, "chinese"), by=None)
    text = text_of(pdf_of(paper))
    assert paper.language == "zh-hans"
    assert "出席证明" in text
    assert "/zh-hans/papers/" in text
    assert any("Noto-Sans-SC" in name for name in font_names(pdf_of(paper)))


def test_certificate_is_signed_by_the_papers_certificate(meeting):
    paper = services.certificate_issue(participation=attendee(meeting, "cyrillic"), by=None)
    pdf = pdf_of(paper)
    assert paper.sha256 == hashlib.sha256(pdf).hexdigest()
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signing_certificate()])
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"


def test_certificate_signature_breaks_when_the_pdf_is_changed(meeting):
    paper = services.certificate_issue(participation=attendee(meeting, "accented"), by=None)
    pdf = bytearray(pdf_of(paper))
    inside = pdf.index(b"stream\n") + 20  # a byte of the first page's drawing
    pdf[inside] ^= 0xFF
    changed = bytes(pdf)
    (signature,) = PdfFileReader(io.BytesIO(changed)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signing_certificate()])
    )
    assert not status.intact


def test_certificate_is_issued_once_and_numbered_per_meeting(meeting):
    first = attendee(meeting, "chinese")
    second = attendee(meeting, "arabic")
    paper = services.certificate_issue(participation=first, by=None)
    again = services.certificate_issue(participation=first, by=None)
    other = services.certificate_issue(participation=second, by=None)
    assert again.pk == paper.pk and pdf_of(again) == pdf_of(paper)
    assert (paper.reference, other.reference) == ("ANSO-2019-WG1-C-0001", "ANSO-2019-WG1-C-0002")
    assert Paper.objects.count() == 2


def test_certificate_refused_to_who_did_not_attend(meeting):
    participation = attendee(meeting, status=ParticipationStatus.REGISTERED)
    with pytest.raises(services.PaperRefused):
        services.certificate_issue(participation=participation, by=None)
    assert not Paper.objects.exists()


def test_one_standing_certificate_per_participation_in_the_database(meeting):
    paper = services.certificate_issue(participation=attendee(meeting), by=None)
    duplicate = Paper(
        kind=paper.kind,
        reference="ANSO-2019-WG1-C-0099",
        meeting=meeting,
        participation=paper.participation,
        issued_at=paper.issued_at,
        file=paper.file.name,
        sha256=paper.sha256,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_revoked_certificate_is_replaced_by_a_new_one(meeting, superuser):
    participation = attendee(meeting)
    paper = services.certificate_issue(participation=participation, by=None)
    services.paper_revoke(paper=paper, by=superuser, reason="Issued with a misspelt name.")
    new = services.certificate_issue(participation=participation, by=None)
    assert new.pk != paper.pk and new.reference.endswith("-0002")


# --- the verification page ------------------------------------------------------------------


def test_verification_page_says_what_was_issued_to_whose_initials(client, meeting):
    paper = services.certificate_issue(participation=attendee(meeting, "cyrillic"), by=None)
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert 'data-state="issued"' in page
    assert "I. P." in page and meeting.title in page
    for private in ("Ivan", "Petrov", "Иван", paper.participation.person.email):
        assert private not in page
    assert "no-cache" in response["Cache-Control"]


def test_verification_page_says_a_paper_was_revoked(client, meeting, superuser):
    paper = services.certificate_issue(participation=attendee(meeting), by=None)
    services.paper_revoke(paper=paper, by=superuser, reason="Issued by mistake.")
    page = client.get(paper.get_absolute_url()).text
    assert 'data-state="revoked"' in page
    assert "Issued by mistake." not in page


def test_verification_page_of_an_unknown_reference_is_a_clear_404(client):
    response = client.get(reverse("papers:verify", kwargs={"reference": "ANSO-2019-WG1-C-0404"}))
    assert response.status_code == 404
    assert "No paper with the reference number ANSO-2019-WG1-C-0404" in response.text


def test_verification_page_in_chinese(client, meeting):
    paper = services.certificate_issue(participation=attendee(meeting), by=None)
    with_prefix = paper.get_absolute_url().replace("/en/", "/zh-hans/")
    assert "出席证明" in client.get(with_prefix).text


# --- the participant's link -----------------------------------------------------------------


def certificate_url(participation) -> str:
    meeting = participation.meeting
    return reverse(
        "meetings:certificate_download",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation=participation),
        },
    )


def test_participant_downloads_their_certificate_from_their_link(client, meeting):
    participation = attendee(meeting, "arabic")
    response = client.post(certificate_url(participation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    paper = Paper.objects.get(participation=participation)
    assert hashlib.sha256(pdf).hexdigest() == paper.sha256
    assert paper.issued_by is None
    again = client.post(certificate_url(participation))
    assert b"".join(again.streaming_content) == pdf


def test_the_registration_page_offers_the_certificate_to_who_attended(client, meeting):
    from meetings.attendance.links import registration_manage_url

    attended = attendee(meeting)
    registered = attendee(meeting, "greek", status=ParticipationStatus.REGISTERED)
    expected = certificate_url(attended)
    assert expected in client.get(registration_manage_url(participation=attended)).text
    page = client.get(registration_manage_url(participation=registered)).text
    assert 'id="certificate"' not in page


def test_a_link_gets_no_other_certificate(client, meeting):
    mine = attendee(meeting, "chinese")
    theirs = attendee(MeetingFactory(is_published=True), "cyrillic")
    # My token on their meeting's address, a tampered token, and a GET.
    url = (
        certificate_url(mine)
        .replace(f"/{meeting.slug}/", f"/{theirs.meeting.slug}/")
        .replace(f"/{meeting.start_date.year}/", f"/{theirs.meeting.start_date.year}/")
    )
    assert client.post(url).status_code == 404
    assert client.post(certificate_url(theirs)[:-3] + "xx/").status_code == 404
    assert client.get(certificate_url(mine)).status_code == 405
    assert not Paper.objects.exists()


def test_a_link_of_who_did_not_attend_gets_no_certificate(client, meeting):
    participation = attendee(meeting, status=ParticipationStatus.CANCELLED)
    assert client.post(certificate_url(participation)).status_code == 403
    assert not Paper.objects.exists()


# --- the admin ------------------------------------------------------------------------------


def run_action(client, model, action, objects, extra=None):
    url = reverse(f"admin:meetings_{model._meta.model_name}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **(extra or {})}
    return client.post(url, data, follow=True)


def test_admin_issues_certificates_to_who_attended_only(client, superuser, meeting):
    attended = attendee(meeting, "chinese")
    registered = attendee(meeting, "accented", status=ParticipationStatus.REGISTERED)
    client.force_login(superuser)
    response = run_action(client, Participation, "issue_certificates", [attended, registered])
    assert response.status_code == 200
    page = response.text
    assert "1 certificate of attendance issued." in page
    assert f"No certificate for those who did not attend: {registered.person}." in page
    paper = Paper.objects.get()
    assert paper.participation == attended and paper.issued_by == superuser
    assert paper.history.latest().history_user == superuser
    response = run_action(client, Participation, "issue_certificates", [attended])
    assert "1 participant had a certificate already." in response.text
    assert Paper.objects.count() == 1


def test_admin_revokes_with_a_reason_kept_in_the_history(client, superuser, meeting):
    paper = services.certificate_issue(participation=attendee(meeting), by=None)
    client.force_login(superuser)
    asked = client.post(
        reverse("admin:meetings_paper_changelist"),
        {"action": "revoke_selected", ACTION_CHECKBOX_NAME: [paper.pk]},
    )
    assert asked.status_code == 200 and "Reason" in asked.text
    response = run_action(
        client, Paper, "revoke_selected", [paper], {"reason": "The participant left early."}
    )
    assert "1 paper revoked." in response.text
    paper.refresh_from_db()
    assert paper.is_revoked and paper.revoked_by == superuser
    latest = paper.history.latest()
    assert (latest.history_user, latest.revocation_reason) == (
        superuser,
        "The participant left early.",
    )


def test_admin_downloads_a_papers_pdf(client, secretariat_user, meeting):
    paper = services.certificate_issue(participation=attendee(meeting), by=None)
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:meetings_paper_download", args=[paper.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == paper.sha256


def test_letterhead_is_one_row(client, superuser):
    """The database refuses a second row; the admin adds none and lists the one."""
    Letterhead.ensure()
    with pytest.raises(IntegrityError), transaction.atomic():
        Letterhead.objects.create(id=2)
    client.force_login(superuser)
    assert client.get(reverse("admin:meetings_letterhead_add")).status_code == 403
    listed = client.get(reverse("admin:meetings_letterhead_changelist"))
    assert listed.context["cl"].result_count == 1
    assert reverse("admin:meetings_letterhead_add") not in listed.text


def test_letterhead_prints_on_the_certificate(meeting):
    Letterhead.ensure()
    Letterhead.objects.filter(pk=1).update(
        address_en="ANSO Secretariat\nBeijing", address_zh_hans="ANSO秘书处\n北京",
        signatory_name="Wang Lei", signatory_title_en="Director", signatory_title_zh_hans="主任",
    )  # fmt: skip
    english = services.certificate_issue(participation=attendee(meeting, "greek"), by=None)
    chinese = services.certificate_issue(participation=attendee(meeting, "chinese"), by=None)
    assert "ANSO Secretariat" in text_of(pdf_of(english))
    assert "Director" in text_of(pdf_of(english))
    assert "ANSO秘书处" in text_of(pdf_of(chinese)) and "主任" in text_of(pdf_of(chinese))


# --- the deploy check -----------------------------------------------------------------------


def test_deploy_check_warns_without_a_signing_key(settings):
    settings.PAPERS_DEV_SELF_SIGNED = False
    settings.PAPERS_SIGNING_KEY = settings.PAPERS_SIGNING_CERT = ""
    assert [message.id for message in check_signing_key()] == ["meetings.papers.W001"]


def test_deploy_check_passes_with_a_signing_key(settings, tmp_path):
    """With the pair `manage.py papers_signing_pair` writes (as `make deploy-check` does)."""
    call_command("papers_signing_pair", str(tmp_path), stdout=io.StringIO())
    settings.PAPERS_DEV_SELF_SIGNED = False
    settings.PAPERS_SIGNING_KEY = str(tmp_path / "signing-key.pem")
    settings.PAPERS_SIGNING_CERT = str(tmp_path / "signing-cert.pem")
    assert check_signing_key() == []
    settings.PAPERS_SIGNING_CERT = str(tmp_path / "missing.pem")
    assert [message.id for message in check_signing_key()] == ["meetings.papers.E001"]


def test_production_settings_refuse_to_sign_without_a_key(settings, meeting, client, superuser):
    settings.PAPERS_DEV_SELF_SIGNED = False
    settings.PAPERS_SIGNING_KEY = settings.PAPERS_SIGNING_CERT = ""
    participation = attendee(meeting)
    with pytest.raises(SigningKeyMissing):
        services.certificate_issue(participation=participation, by=None)
    # The participant is told so, and the Secretariat too.
    response = client.post(certificate_url(participation))
    assert response.status_code == 503
    assert "Certificates cannot be issued at the moment." in response.text
    client.force_login(superuser)
    response = run_action(client, Participation, "issue_certificates", [participation])
    assert "No certificate was issued" in response.text
    assert not Paper.objects.exists()


def test_the_qr_code_and_the_printed_address_lead_to_the_verification_page(
    settings, meeting, monkeypatch
):
    """Made on SITE_URL (no request in the worker), in the paper's language."""
    from meetings.papers import render

    settings.SITE_URL = "https://anso.example.org"
    encoded = []
    make = render.segno.make
    monkeypatch.setattr(
        render.segno, "make", lambda data, **kw: encoded.append(data) or make(data, **kw)
    )
    paper = services.certificate_issue(participation=attendee(meeting, "chinese"), by=None)
    address = f"https://anso.example.org/zh-hans/papers/{paper.reference}/"
    assert encoded == [address]
    assert address in re.sub(r"\s", "", text_of(pdf_of(paper)))
