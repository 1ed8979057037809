"""Documents on the public pages: a meeting's by session and agenda item, a person's
presentations, the action plan's; only what the visitor's audience may read, in a fixed
number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.documents.listing import file_type
from meetings.documents.models import DocumentKind, DocumentLanguage, PreviewState, Visibility
from members.access import sign_in_url

from ..factories import (
    PDF_BYTES,
    ActionFactory,
    AgendaItemFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MeetingFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def document(**kwargs):
    """A document with one PDF version (its latest)."""
    versions = kwargs.pop("versions", 1)
    doc = DocumentFactory(**kwargs)
    for _ in range(versions):
        version = DocumentVersionFactory(document=doc)
    doc.refresh_from_db()
    return doc, version


def member_client(client):
    """The client signed in as a contact person of a member organization."""
    person = PositionFactory().person
    person.user = UserFactory(username=f"member-{person.pk}")
    person.save(update_fields=["user"])
    client.force_login(person.user)
    return client


def section(html: str, element_id: str) -> str:
    """The markup of the element with this id, up to the first end tag of its kind (a
    document's line: to its own end)."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    end = "</div></li>" if element_id.startswith("document-") else f"</{name}>"
    return html[tag : html.index(end, start)]


# -- the meeting page ------------------------------------------------------------------------


def test_meeting_page_lists_documents_by_session_and_agenda_item(client):
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting, order=1)
    item = AgendaItemFactory(session=session, order=1, title="Overall work of the Secretariat")
    agenda, _ = document(meeting=meeting, kind=DocumentKind.AGENDA, title="Meeting agenda")
    document(meeting=meeting, session=session, kind=DocumentKind.MINUTES, title="Session notes")
    slides, latest = document(
        meeting=meeting,
        session=session,
        agenda_item=item,
        title="Secretariat slides",
        language=DocumentLanguage.CHINESE,
    )
    html = client.get(meeting.get_absolute_url()).content.decode()

    documents = section(html, "documents")
    assert "Meeting agenda" in documents
    assert "Session notes" not in documents and "Secretariat slides" not in documents
    card = section(html, "session-1")
    assert "Session notes" in card
    assert "Secretariat slides" in section(html, f"item-{item.pk}")
    assert card.index("Session notes") < card.index(f'id="item-{item.pk}"')
    line = section(html, f"document-{slides.pk}")
    assert f'href="{latest.get_absolute_url()}"' in line
    assert f"(Presentation · Simplified Chinese · PDF · {len(PDF_BYTES)}\xa0bytes)" in line
    assert "earlier version" not in line
    assert "<details" not in section(html, f"document-{agenda.pk}")


def test_earlier_versions_are_listed_newest_first_with_their_dates(client):
    doc, latest = document(versions=3)
    doc.versions.filter(number=1).update(
        uploaded_at=datetime.datetime(2019, 5, 1, 4, tzinfo=datetime.UTC)
    )
    html = client.get(doc.meeting.get_absolute_url()).content.decode()
    line = section(html, f"document-{doc.pk}")
    assert "<summary>2 earlier versions</summary>" in line
    assert line.index("Version 2") < line.index("Version 1")
    assert '<time datetime="2019-05-01">1 May 2019</time>' in line
    first = doc.versions.get(number=1)
    assert f'href="{first.get_absolute_url()}"' in line
    assert f'href="{latest.get_absolute_url()}"' in line


def test_a_preview_is_shown_once_made_through_its_checked_address(client):
    doc, version = document()
    url = doc.meeting.get_absolute_url()
    assert "document-preview" not in client.get(url).content.decode()
    type(version).objects.filter(pk=version.pk).update(preview_state=PreviewState.READY)
    html = client.get(url).content.decode()
    preview = reverse("documents:preview", kwargs={"pk": doc.pk, "number": version.number})
    assert f'<img class="document-preview" src="{preview}" alt=""' in html


def test_visitors_see_public_documents_and_how_many_are_for_members(client):
    meeting = MeetingFactory()
    document(meeting=meeting, title="Public agenda")
    document(meeting=meeting, title="Members report", visibility=Visibility.MEMBERS)
    document(meeting=meeting, title="Members minutes", visibility=Visibility.MEMBERS)
    document(meeting=meeting, title="Staff notes", visibility=Visibility.SECRETARIAT)
    DocumentFactory(meeting=meeting, title="Not uploaded yet")
    url = meeting.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Public agenda" in html
    for hidden in ("Members report", "Members minutes", "Staff notes", "Not uploaded yet"):
        assert hidden not in html
    notice = section(html, "documents")
    assert "2 documents of this meeting are for members only" in notice
    assert f'href="{sign_in_url(url).replace("&", "&amp;")}"' in notice

    html = member_client(client).get(url).content.decode()
    assert "Members report" in html and "Members minutes" in html
    assert "Staff notes" not in html
    assert "for members only" not in html


def test_the_secretariat_sees_every_document_with_a_file(secretariat_client):
    meeting = MeetingFactory()
    document(meeting=meeting, title="Staff notes", visibility=Visibility.SECRETARIAT)
    document(meeting=meeting, title="Members report", visibility=Visibility.MEMBERS)
    DocumentFactory(meeting=meeting, title="Not uploaded yet", visibility=Visibility.SECRETARIAT)
    html = secretariat_client.get(meeting.get_absolute_url()).content.decode()
    assert "Staff notes" in html and "Members report" in html
    assert "Not uploaded yet" not in html
    assert "for members only" not in html


def test_a_signed_in_account_that_is_not_a_member_is_not_asked_to_sign_in(client):
    doc, _ = document(visibility=Visibility.MEMBERS, title="Members report")
    client.force_login(UserFactory(username="not-a-member"))
    html = client.get(doc.meeting.get_absolute_url()).content.decode()
    assert "Members report" not in html
    assert "for members only" not in html


def test_members_notice_in_the_singular_and_none_when_all_are_public(client):
    meeting = MeetingFactory()
    document(meeting=meeting)
    assert "members only" not in client.get(meeting.get_absolute_url()).content.decode()
    document(meeting=meeting, visibility=Visibility.MEMBERS)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 document of this meeting is for members only" in html


def test_meeting_without_documents_says_so(client):
    meeting = MeetingFactory()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "No document of this meeting has been published." in section(html, "documents")
    # The section is there, so the page's menu links to it (tests/meetings/test_public_views.py).
    assert 'href="#documents"' in html


def test_documents_only_in_the_programme_are_pointed_to(client):
    session = SessionFactory()
    document(meeting=session.meeting, session=session)
    html = client.get(session.meeting.get_absolute_url()).content.decode()
    assert "listed with their session or agenda item in the programme" in html
    assert 'href="#documents"' in html


def test_document_titles_are_escaped(client):
    doc, _ = document(title=SCRIPT)
    html = client.get(doc.meeting.get_absolute_url()).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_chinese_page_shows_chinese_titles_and_marks_english_fallbacks(client):
    meeting = MeetingFactory()
    translated, _ = document(meeting=meeting, title_en="Agenda", title_zh_hans="会议议程")
    english, _ = document(meeting=meeting, title_en="Slides only in English")
    with translation.override("zh-hans"):
        url = meeting.get_absolute_url()
    html = client.get(url).content.decode()
    line = section(html, f"document-{translated.pk}")
    assert ">会议议程</a>" in line and 'lang="en"' not in line.split("</a>")[0]
    fallback = section(html, f"document-{english.pk}")
    assert 'lang="en">Slides only in English</a>' in fallback
    # Kind, language and type in Chinese; the size as the Chinese locale writes it.
    assert "(报告发言 · 英语 · PDF · " in fallback
    assert '<h2 id="documents-heading">会议文件</h2>' in html


def test_chinese_members_notice_and_earlier_versions(client):
    doc, _ = document(versions=2)
    document(meeting=doc.meeting, visibility=Visibility.MEMBERS)
    with translation.override("zh-hans"):
        url = doc.meeting.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<summary>1 个早期版本</summary>" in html
    assert "第 1 版" in html
    assert "本次会议有 1 份文件仅向成员开放" in html


def test_chinese_person_and_action_pages_name_their_lists(client):
    person = PersonFactory()
    action = ActionFactory()
    item = AgendaItemFactory(action=action)
    document(meeting=item.session.meeting, session=item.session, agenda_item=item,
             presented_by=person)  # fmt: skip
    with translation.override("zh-hans"):
        urls = person.get_absolute_url(), reverse("meetings:action_list")
    person_page, plan = (client.get(url).content.decode() for url in urls)
    assert ">报告文件</h2>" in person_page
    assert ">报告文件</dt>" in plan


@pytest.mark.parametrize("n", [1, 40])
def test_meeting_page_queries_flat_in_documents_and_versions(client, django_assert_num_queries, n):
    """n documents on the meeting, its session and its item, three versions each, and as many
    members-only ones: the same queries for 1 and 40."""
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    item = AgendaItemFactory(session=session)
    for i in range(n):
        target = [{}, {"session": session}, {"session": session, "agenda_item": item}][i % 3]
        document(meeting=meeting, versions=3, **target)
        document(meeting=meeting, visibility=Visibility.MEMBERS, **target)
    # meeting, sessions, items, speakers, documents (with their latest version, and which
    # the visitor may read), their versions, decisions; attendance; the registration box
    with django_assert_num_queries(9):
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert html.count('class="document"') == n
    assert html.count("<summary>2 earlier versions</summary>") == n


@pytest.mark.parametrize("n", [1, 40])
def test_meeting_page_queries_flat_for_a_member(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for _ in range(n):
        document(meeting=meeting, versions=2, visibility=Visibility.MEMBERS)
    client = member_client(client)
    client.get(meeting.get_absolute_url())
    # the session and its user, the member rule, then the page's own queries
    with django_assert_num_queries(10):
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert html.count('class="document"') == n


def test_upload_renews_the_cached_meeting_page(client, page_cache):
    doc, _ = document(title="First file")
    url = doc.meeting.get_absolute_url()
    assert "First file" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    version = DocumentVersionFactory(document=doc)
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit"
    assert f'href="{version.get_absolute_url()}"' in response.content.decode()


def test_a_presentation_renews_the_cached_person_page_and_action_plan(client, page_cache):
    person = PositionFactory().person
    item = AgendaItemFactory(action=ActionFactory())
    pages = [person.get_absolute_url(), reverse("meetings:action_list")]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    document(meeting=item.session.meeting, session=item.session, agenda_item=item,
             presented_by=person, title="Fresh slides")  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        assert "Fresh slides" in response.content.decode(), url


# -- types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "label"),
    [
        ("application/pdf", "PDF"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "Word document"),
        ("application/msword", "Word document"),
        ("image/jpeg", "JPEG image"),
        ("application/vnd.ms-powerpoint", "PowerPoint presentation"),
        ("application/x-unknown", "file"),
    ],
)  # fmt: skip
def test_file_type_names_the_type(content_type, label):
    assert file_type(content_type) == label


# -- a person's page -------------------------------------------------------------------------


def test_person_page_lists_the_presentations_they_gave(client):
    person = PersonFactory()
    item = AgendaItemFactory()
    SpeakerFactory(item=item, person=person)
    meeting = item.session.meeting
    _, version = document(
        meeting=meeting, session=item.session, agenda_item=item, presented_by=person,
        title="Overall work",
    )  # fmt: skip
    document(meeting=meeting, presented_by=person, title="Members slides",
             visibility=Visibility.MEMBERS)  # fmt: skip
    document(meeting=meeting, presented_by=person, kind=DocumentKind.MINUTES, title="Minutes")
    unpublished = MeetingFactory(is_published=False)
    document(meeting=unpublished, presented_by=person, title="Unpublished talk")
    html = client.get(person.get_absolute_url()).content.decode()
    listed = section(html, "presentations-heading")
    assert "Presentations" in listed
    presentations = html[html.index('id="presentations-heading"') :]
    assert "Overall work" in presentations
    assert f'href="{version.get_absolute_url()}"' in presentations
    assert f'href="{meeting.get_absolute_url()}"' in presentations
    for hidden in ("Members slides", "Minutes", "Unpublished talk"):
        assert hidden not in html
    assert "Members slides" in member_client(client).get(person.get_absolute_url()).content.decode()


def test_a_presenter_has_a_page(client):
    doc, _ = document(presented_by=PersonFactory())
    assert client.get(doc.presented_by.get_absolute_url()).status_code == 200


def test_person_without_presentations_has_no_such_section(client):
    position = PositionFactory()
    html = client.get(position.person.get_absolute_url()).content.decode()
    assert "presentations-heading" not in html


@pytest.mark.parametrize("n", [1, 30])
def test_person_page_queries_flat_in_presentations(client, django_assert_num_queries, n):
    person = PersonFactory()
    for _ in range(n):
        item = AgendaItemFactory()
        SpeakerFactory(item=item, person=person)
        document(meeting=item.session.meeting, session=item.session, agenda_item=item,
                 presented_by=person, versions=2)  # fmt: skip
    # person, positions, attendance, talks, sessions chaired, presentations, their versions
    with django_assert_num_queries(7):
        html = client.get(person.get_absolute_url()).content.decode()
    assert html.count('class="document"') == n


# -- the action plan -------------------------------------------------------------------------


def test_action_plan_links_each_actions_presentations(client):
    action = ActionFactory(title="Open data")
    other = ActionFactory(title="Training")
    item = AgendaItemFactory(action=action)
    meeting = item.session.meeting
    _, version = document(
        meeting=meeting, session=item.session, agenda_item=item, title="Open data slides"
    )
    _, own_version = document(meeting=None, action=action, title="Open data plan")
    document(meeting=meeting, session=item.session, agenda_item=item, title="Item minutes",
             kind=DocumentKind.MINUTES)  # fmt: skip
    document(meeting=meeting, session=item.session, agenda_item=item, title="Members slides",
             visibility=Visibility.MEMBERS)  # fmt: skip
    html = client.get(reverse("meetings:action_list")).content.decode()
    card = html[html.index(f'id="action-{action.pk}"') : html.index(f'id="action-{other.pk}"')]
    assert f'href="{version.get_absolute_url()}"' in card
    assert f'href="{own_version.get_absolute_url()}"' in card
    assert "Item minutes" not in html and "Members slides" not in html
    assert "None published" in html[html.index(f'id="action-{other.pk}"') :]

    detail = client.get(action.get_absolute_url()).content.decode()
    assert "Open data slides" in detail and "Open data plan" in detail
    assert "Members slides" not in detail
    assert "Members slides" in member_client(client).get(action.get_absolute_url()).content.decode()


def test_action_plan_shows_the_latest_three_and_links_to_all(client):
    action = ActionFactory()
    for year in range(2019, 2024):
        item = AgendaItemFactory(
            action=action,
            session__meeting__start_date=datetime.date(year, 5, 13),
            session__meeting__end_date=datetime.date(year, 5, 14),
        )
        document(meeting=item.session.meeting, session=item.session, agenda_item=item,
                 title=f"Slides {year}")  # fmt: skip
    html = client.get(reverse("meetings:action_list")).content.decode()
    assert "Slides 2023" in html and "Slides 2021" in html and "Slides 2020" not in html
    assert "All 5 presentation files" in html
    detail = client.get(action.get_absolute_url()).content.decode()
    assert all(f"Slides {year}" in detail for year in range(2019, 2024))


@pytest.mark.parametrize("n", [1, 30])
def test_action_pages_queries_flat_in_presentations(client, django_assert_num_queries, n):
    actions = [ActionFactory() for _ in range(n)]
    for action in actions:
        item = AgendaItemFactory(action=action)
        for _ in range(2):
            document(meeting=item.session.meeting, session=item.session, agenda_item=item,
                     versions=2)  # fmt: skip
        document(meeting=None, action=action)
    # actions, their progress notes, presentations ranked (agenda items), their fields,
    # documents, their versions
    with django_assert_num_queries(6):
        html = client.get(reverse("meetings:action_list")).content.decode()
    assert html.count('class="document"') == 3 * n
    # the action with its progress notes, agenda items, documents, their versions
    with django_assert_num_queries(5):
        html = client.get(actions[0].get_absolute_url()).content.decode()
    assert html.count('class="document"') == 3


@pytest.mark.parametrize("dated", [True, False])
def test_action_plan_shows_an_actions_newest_files(client, dated):
    """Files on the action itself share no meeting date: the newest three are shown, by their
    date, or by when they were uploaded when they have none (they were the three oldest, by
    id)."""
    action = ActionFactory()
    for year in range(2020, 2024):
        document(meeting=None, action=action, title=f"Plan {year}",
                 date=datetime.date(year, 1, 1) if dated else None)  # fmt: skip
    html = client.get(reverse("meetings:action_list")).content.decode()
    assert "Plan 2023" in html and "Plan 2022" in html and "Plan 2021" in html
    assert "Plan 2020" not in html
    assert html.index("Plan 2023") < html.index("Plan 2022") < html.index("Plan 2021")
