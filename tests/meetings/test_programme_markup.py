"""The markup of a meeting's programme and of the lists of documents (meetings/programme.py,
meetings/documents/markup.py) stays the one recorded in tests/data/markup/: the demo meeting's
page and the pages of a meeting with documents, in English and Chinese, compared byte for
byte (database ids aside, which differ from run to run)."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.demo import demo_load
from meetings.documents.models import (
    DocumentKind,
    DocumentLanguage,
    DocumentVersion,
    PreviewState,
)
from meetings.models import ActionStatus, AgendaItemKind, Meeting

from ..admin_helpers import get_in_language
from ..factories import (
    ActionFactory,
    AgendaItemFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MeetingFactory,
    PersonFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "markup"
LANGUAGES = ("en", "zh-hans")
#: Database ids in the markup, numbered in the order they first appear instead.
_IDS = re.compile(r'(id="item-|id="document-|/documents/)(\d+)')


def normalized(html: str) -> str:
    """`html` with each agenda item's and document's id replaced by its rank on the page."""
    seen: dict[tuple[str, str], int] = {}

    def rank(match: re.Match) -> str:
        kind = "item" if "item" in match[1] else "document"
        number = seen.setdefault((kind, match[2]), len([k for k in seen if k[0] == kind]) + 1)
        return f"{match[1]}#{number}"

    return _IDS.sub(rank, html)


def element(html: str, start: str) -> str:
    """The element whose start tag begins with `start`, to its matching end tag."""
    begin = html.index(start)
    name = re.match(r"<(\w+)", start)[1]
    tags = re.compile(rf"<(/?){name}\b[^>]*>")
    depth = 0
    for tag in tags.finditer(html, begin):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return html[begin : tag.end()]
    raise AssertionError(f"{start} is not closed")


def elements(html: str, start: str) -> list[str]:
    found, offset = [], 0
    while (at := html.find(start, offset)) != -1:
        found.append(element(html[at:], start))
        offset = at + len(start)
    return found


def meeting_with_documents() -> dict:
    """A meeting with chairs, speakers, actions, descriptions in paragraphs, texts with and
    without their Chinese translation, and documents on the meeting, a session, an agenda item
    (in three versions, with a preview) and an action."""
    meeting = MeetingFactory(number=7)
    chair = PersonFactory(
        honorific="Prof.",
        given_name="Yin",
        family_name="Li",
        name_order="family_first",
        name_original="李寅",
    )
    jan = PersonFactory(honorific="Prof.", given_name="Qasim", family_name="Jan")
    cao = PersonFactory(honorific="", given_name="Jinghua", family_name="Cao")
    opening = SessionFactory(
        meeting=meeting,
        order=1,
        title="Opening session",
        title_zh_hans="开幕式",
        chair=chair,
        chair_capacity="Chair of the working group",
        date=meeting.start_date,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
    )
    reports = SessionFactory(
        meeting=meeting,
        order=2,
        title="Reports & plans",
        chair=None,
        date=meeting.end_date,
        start_time=datetime.time(14, 15),
    )
    closing = SessionFactory(
        meeting=meeting, order=3, title="Closing", chair=jan, chair_capacity=""
    )
    open_data = ActionFactory(
        order=1, title="Open data", title_zh_hans="开放数据", status=ActionStatus.IN_PROGRESS
    )
    training = ActionFactory(order=2, title="Joint training", status=ActionStatus.PROPOSED)
    welcome = AgendaItemFactory(
        session=opening,
        order=1,
        kind=AgendaItemKind.WELCOME,
        title="Welcome",
        title_zh_hans="欢迎",
        description="Words of welcome.",
    )
    report = AgendaItemFactory(
        session=opening,
        order=2,
        kind=AgendaItemKind.REPORT,
        title="Report of the Secretariat",
        title_zh_hans="秘书处报告",
        description="What was done.\nWhat is next.\n\nQuestions.",
        description_zh_hans="已完成的工作。\n\n问题。",
        action=open_data,
    )
    talk = AgendaItemFactory(
        session=reports,
        order=1,
        kind=AgendaItemKind.PRESENTATION,
        title="Sharing data",
        action=training,
    )
    AgendaItemFactory(session=closing, order=1, kind=AgendaItemKind.OTHER, title="Farewell")
    SpeakerFactory(item=welcome, person=chair, order=1, capacity="Chair of the working group")
    SpeakerFactory(item=report, person=jan, order=1, capacity="ANSO Vice-President")
    SpeakerFactory(item=report, person=cao, order=2, capacity="")
    SpeakerFactory(item=talk, person=cao, order=1, capacity="Data steward")

    def add(versions=1, preview=False, size=None, **fields):
        document = DocumentFactory(**fields)
        for number in range(1, versions + 1):
            version = DocumentVersionFactory(document=document)
            DocumentVersion.objects.filter(pk=version.pk).update(
                uploaded_at=datetime.datetime(2019, 5, number, 9, tzinfo=datetime.UTC),
                size=size or version.size,
                preview_state=PreviewState.READY if preview else PreviewState.NONE,
            )
        return document

    add(
        meeting=meeting,
        kind=DocumentKind.AGENDA,
        language=DocumentLanguage.BOTH,
        title="Meeting agenda",
        title_zh_hans="会议议程",
        preview=True,
    )
    add(
        meeting=meeting,
        session=opening,
        kind=DocumentKind.MINUTES,
        language=DocumentLanguage.ENGLISH,
        title="Notes of the opening",
        size=123_456,
    )
    add(
        agenda_item=talk,
        kind=DocumentKind.PRESENTATION,
        language=DocumentLanguage.CHINESE,
        title="Slides on sharing data",
        presented_by=cao,
        versions=3,
        preview=True,
        size=2_500_000,
    )
    add(
        meeting=None,
        action=training,
        kind=DocumentKind.PRESENTATION,
        language=DocumentLanguage.OTHER,
        title="Training plan",
        title_zh_hans="培训计划",
        presented_by=cao,
        versions=2,
    )
    return {"meeting": meeting, "person": cao, "action": training}


def meeting_fragments(client, meeting: Meeting, language: str) -> str:
    html = get_in_language(client, language, meeting.get_absolute_url).content.decode()
    return "\n".join(
        element(html, f'<section id="{section}"') for section in ("programme", "documents")
    )


def document_lists(client, path, language: str) -> str:
    html = get_in_language(client, language, path).content.decode()
    lists = elements(html, '<ul class="list-unstyled documents')
    assert lists
    return "\n".join(lists)


def expected(name: str) -> str:
    return (EXPECTED / f"{name}.html").read_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_meeting_programme_markup_unchanged(client, language):
    demo_load()
    meeting = Meeting.objects.get(body__name="ANSO Working Group", number=1)
    html = normalized(meeting_fragments(client, meeting, language))
    assert html == expected(f"demo-meeting.{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_meeting_with_documents_markup_unchanged(client, language):
    """The programme with its documents, the meeting's own documents, a person's
    presentations and the action plan's and an action's presentation files."""
    made = meeting_with_documents()
    pages = {
        "meeting": normalized(meeting_fragments(client, made["meeting"], language)),
        "person": normalized(document_lists(client, made["person"].get_absolute_url, language)),
        "action-plan": normalized(
            document_lists(client, lambda: reverse("meetings:action_list"), language)
        ),
        "action": normalized(document_lists(client, made["action"].get_absolute_url, language)),
    }
    for page, html in pages.items():
        assert html == expected(f"documents-{page}.{language}"), page


PAYLOAD = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_programme_and_its_documents_is_escaped(client, language):
    """Tags and quotes in every stored text the fragments write: a session's title, its
    chair's name and capacity, an item's title and description, a speaker's name and
    capacity, an action's title, a document's title."""
    meeting = MeetingFactory(number=8)

    def person():
        # (an honorific is at most 20 characters: a short one)
        return PersonFactory(
            honorific="Dr.", given_name=PAYLOAD, family_name=PAYLOAD, name_original=PAYLOAD
        )

    session = SessionFactory(
        meeting=meeting,
        title=PAYLOAD,
        chair=person(),
        chair_capacity=PAYLOAD,
        date=meeting.start_date,
    )
    item = AgendaItemFactory(
        session=session,
        title=PAYLOAD,
        description=f"{PAYLOAD}\n{PAYLOAD}\n\n{PAYLOAD}",
        action=ActionFactory(title=PAYLOAD),
    )
    speaker = person()
    SpeakerFactory(item=item, person=speaker, capacity=PAYLOAD)
    for fields in ({"session": session}, {"agenda_item": item, "presented_by": speaker}):
        DocumentVersionFactory(
            document=DocumentFactory(title=PAYLOAD, kind=DocumentKind.PRESENTATION, **fields)
        )

    html = meeting_fragments(client, meeting, language)
    assert "<script" not in html
    assert 'alert("x")' not in html
    # the session's title, chair (at least once in the name) and capacity; the item's title,
    # its description (three times), speaker and capacity, action; the two documents
    assert html.count(ESCAPED) >= 11
    presentations = document_lists(client, speaker.get_absolute_url, language)
    assert "<script" not in presentations
    assert presentations.count(ESCAPED) == 1
