"""Badges, table tents and the sign-in sheet of a meeting's registrants, read back from their
PDF: pages, names in every script, fonts, order, the badges' check-in code, who may print them."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from pypdf import PdfReader

from meetings.attendance.links import check_in_code
from meetings.attendance.models import Capacity, Participation, ParticipationStatus
from meetings.papers import sheets
from tests.factories import MeetingFactory, ParticipationFactory, PersonFactory
from tests.meetings.papers.test_certificates import PEOPLE, VENDORED_FONT, font_names
from tests.staff_helpers import landing

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(is_published=True)


def url(name, meeting, **kwargs):
    return reverse(
        f"meetings:{name}", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


def registrant(meeting, key="chinese", **kwargs):
    given, family, original, _language, _text = PEOPLE[key]
    person = PersonFactory(given_name=given, family_name=family, name_original=original)
    kwargs.setdefault("status", ParticipationStatus.REGISTERED)
    return ParticipationFactory(meeting=meeting, person=person, **kwargs)


def registrants(meeting, n):
    return [
        ParticipationFactory(
            meeting=meeting,
            person=PersonFactory(family_name=f"Family{number:03d}", given_name="Given"),
            status=ParticipationStatus.REGISTERED,
        )
        for number in range(n)
    ]


def reader(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def flat_text(pdf: PdfReader) -> str:
    """The text of every page without white space: a name set in two subset fonts is read
    back with a space where the font changes (as in the certificates' tests)."""
    return re.sub(r"\s", "", "".join(page.extract_text() for page in pdf.pages))


def page_texts(pdf: PdfReader) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.mark.parametrize(("n", "pages"), ((1, 1), (8, 1), (9, 2), (17, 3)))
def test_badges_eight_to_a_page(secretariat_client, meeting, n, pages):
    registrants(meeting, n)
    pdf = reader(secretariat_client.get(url("badges", meeting)))
    assert len(pdf.pages) == pages
    assert flat_text(pdf).count("Family") == n


def test_badges_keep_their_size_with_long_names(secretariat_client, meeting):
    """Text too long for a badge (here an organization name as long as the database keeps,
    longer than the form takes) is cut inside it: the page still holds eight, each with its QR
    code."""
    longest = Participation._meta.get_field("organization_name").max_length
    for participation in registrants(meeting, 8):
        participation.organization_name = ("Institute of Very Long Names and Sciences " * 12)[
            :longest
        ]
        participation.organization = None
        participation.save()
    pdf = reader(secretariat_client.get(url("badges", meeting)))
    assert len(pdf.pages) == 1
    assert len(pdf.pages[0].images) == 8


@pytest.mark.parametrize("name", ("badges", "table_tents", "sign_in_sheet"))
def test_sheets_typeset_every_script_with_the_vendored_fonts(secretariat_client, meeting, name):
    for key in PEOPLE:
        registrant(meeting, key)
    response = secretariat_client.get(url(name, meeting))
    text = flat_text(reader(response))
    for given, family, original, _language, _text in PEOPLE.values():
        assert f"{given}{family}".replace(" ", "") in text
        if original:
            assert original.replace(" ", "") in text
    fonts = font_names(response.content)
    assert fonts and all(VENDORED_FONT.fullmatch(font) for font in fonts), fonts


def test_badge_shows_organization_country_capacity_and_meeting(secretariat_client, meeting):
    participation = registrant(meeting, "cyrillic", capacity=Capacity.EXPERT, country="KZ")
    text = flat_text(reader(secretariat_client.get(url("badges", meeting))))
    assert participation.organization_label.replace(" ", "") in text
    assert "Kazakhstan" in text
    assert "expert" in text.lower()
    assert meeting.title.replace(" ", "") in text


def test_badge_capacity_in_the_papers_language(secretariat_client, meeting):
    registrant(meeting, "arabic", capacity=Capacity.EXPERT)
    response = secretariat_client.get(
        url("badges", meeting).replace("/en/", "/zh-hans/", 1), follow=True
    )
    assert "专家" in flat_text(reader(response))


def test_table_tents_one_to_a_page_with_the_name_twice(secretariat_client, meeting):
    registrant(meeting, "chinese")
    registrant(meeting, "accented")
    pdf = reader(secretariat_client.get(url("table_tents", meeting)))
    assert len(pdf.pages) == 2
    texts = [re.sub(r"\s", "", text) for text in page_texts(pdf)]
    assert sum(text.count("曹京华") for text in texts) == 2


def test_sign_in_sheet_by_family_name_numbered_with_page_of_pages(secretariat_client, meeting):
    people = registrants(meeting, sheets.SIGN_IN_ROWS_PER_PAGE + 1)
    pdf = reader(secretariat_client.get(url("sign_in_sheet", meeting)))
    texts = page_texts(pdf)
    assert len(texts) == 2
    assert "page 1 of 2" in texts[0]
    assert "page 2 of 2" in texts[1]
    families = re.findall(r"Family\d{3}", "".join(texts))
    assert families == sorted(person.person.family_name for person in people)
    assert meeting.title.replace(" ", "") in re.sub(r"\s", "", texts[1])


def test_sign_in_sheet_page_label_in_chinese(secretariat_client, meeting):
    registrants(meeting, 1)
    path = url("sign_in_sheet", meeting).replace("/en/", "/zh-hans/", 1)
    text = flat_text(reader(secretariat_client.get(path)))
    assert "第1页，共1页" in text  # noqa: RUF001 (the Chinese comma)


@pytest.mark.parametrize("name", ("badges", "table_tents", "sign_in_sheet"))
def test_sheets_leave_out_cancelled_and_waiting_list(secretariat_client, meeting, name):
    registrant(meeting, "cyrillic")
    registrant(meeting, "greek", status=ParticipationStatus.CANCELLED)
    registrant(meeting, "arabic", status=ParticipationStatus.WAITLISTED)
    text = flat_text(reader(secretariat_client.get(url(name, meeting))))
    assert "IvanPetrov" in text
    assert "Papadopoulou" not in text
    assert "Abdullah" not in text


def test_badge_qr_code_is_the_check_in_page_of_that_participant(
    secretariat_client, meeting, monkeypatch, settings
):
    settings.SITE_URL = "https://anso.example.org"
    participation = registrant(meeting, "greek")
    other = registrant(meeting, "cyrillic")
    encoded = []  # what segno was asked to encode
    make = segno.make
    monkeypatch.setattr(
        segno, "make", lambda content, **kw: encoded.append(content) or make(content, **kw)
    )
    reader(secretariat_client.get(url("badges", meeting)))
    assert len(encoded) == 2
    address = sheets.check_in_url(participation=participation)
    assert address.startswith("https://anso.example.org/en/")
    assert address in encoded
    parts = urlsplit(address)
    assert parts.path == url("check_in", meeting)
    (code,) = parse_qs(parts.query)["code"]
    # The code names nobody: no name, no mail address in it.
    assert "Papadopoulou" not in address
    assert not participation.person.email or participation.person.email not in address
    page = secretariat_client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows == [participation] and other not in rows
    # Scanning changes nothing: checked in by the page's button (a POST) only.
    participation.refresh_from_db()
    assert participation.checked_in_at is None
    assert code == check_in_code(participation=participation)


def test_check_in_code_cannot_be_made_up(secretariat_client, meeting):
    participation = registrant(meeting, "greek")
    code = check_in_code(participation=participation)
    number, _sep, signature = code.partition(".")
    forged = f"{int(number) + 1}.{signature}"
    registrant(meeting, "cyrillic")
    page = secretariat_client.get(url("check_in", meeting), {"code": forged})
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert "not one of this meeting" in page.text


def test_check_in_code_of_another_meeting_names_nobody_here(secretariat_client, meeting):
    elsewhere = registrant(MeetingFactory(), "greek")
    page = secretariat_client.get(
        url("check_in", meeting), {"code": check_in_code(participation=elsewhere)}
    )
    assert page.context["rows"] == []


@pytest.mark.parametrize("name", ("badges", "table_tents", "sign_in_sheet"))
def test_sheets_are_the_secretariats(client, outsider_staff_user, meeting, name):
    page = url(name, meeting)
    response = client.get(page)
    assert response.status_code == 302
    assert landing(response) == reverse("admin:login")
    client.force_login(outsider_staff_user)
    assert client.get(page).status_code == 403


@pytest.mark.parametrize("name", ("badges", "table_tents", "sign_in_sheet"))
@pytest.mark.parametrize("n", (1, 12))
def test_sheet_queries_flat(secretariat_client, meeting, django_assert_num_queries, name, n):
    registrants(meeting, n)
    page = url(name, meeting)
    secretariat_client.get(page)  # the session and the user's permissions, cached
    with django_assert_num_queries(QUERIES[name]):
        assert secretariat_client.get(page).status_code == 200


#: The session, the user, the user's and their groups' permissions (the staff rule), the
#: meeting, its registrants with their people and organizations.
QUERIES = {"badges": 6, "table_tents": 6, "sign_in_sheet": 6}


def admin_action(client, action, participations):
    return client.post(
        reverse("admin:meetings_participation_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in participations]},
    )


@pytest.mark.parametrize(("action", "per_page"), (("print_badges", 8), ("print_table_tents", 1)))
def test_admin_action_prints_the_selected_only(secretariat_client, meeting, action, per_page):
    chosen = [registrant(meeting, "chinese"), registrant(meeting, "arabic")]
    cancelled = registrant(meeting, "greek", status=ParticipationStatus.CANCELLED)
    left_out = registrant(meeting, "cyrillic")
    pdf = reader(admin_action(secretariat_client, action, [*chosen, cancelled]))
    text = flat_text(pdf)
    assert "曹京华" in text and "MohammedAbdullah" in text
    assert "Papadopoulou" not in text
    assert left_out.person.family_name not in text
    assert len(pdf.pages) == (1 if per_page == 8 else 2)


def test_control_page_links_the_sheets(secretariat_client, meeting):
    page = secretariat_client.get(url("meeting_control", meeting))
    assert page.status_code == 200
    for name in ("badges", "table_tents", "sign_in_sheet"):
        assert f'href="{url(name, meeting)}"' in page.text
