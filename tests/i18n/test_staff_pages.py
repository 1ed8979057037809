"""The Secretariat's pages, the report draft and the calendar files in the language chosen:
the request's."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from meetings.attendance.reports import meeting_report_draft
from members.models import Erasure
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(number=1, start_date=datetime.date(2019, 5, 13))
    session = SessionFactory(
        meeting=meeting,
        order=1,
        kind="opening",
        title="Opening session",
        chair=PersonFactory(honorific="Prof.", given_name="", family_name="Ailikun"),
        chair_capacity="",
    )
    welcome = AgendaItemFactory(session=session, order=1, kind="welcome", title="Welcome")
    SpeakerFactory(
        item=welcome, person=PersonFactory(given_name="Qasim", family_name="Jan"), capacity=""
    )
    AgendaItemFactory(session=session, order=2, kind="discussion", title="Discussion")
    ParticipationFactory.create_batch(2, meeting=meeting, status="attended")
    return meeting


def test_the_report_draft_is_written_in_the_active_language(meeting):
    english = meeting_report_draft(meeting=meeting)
    assert "was held in Ya'ao International Hotel, Beijing on 13\N{EN DASH}14 May 2019." in english
    assert "The opening session was chaired by Prof. Ailikun." in english
    with translation.override("zh-hans"):
        chinese = meeting_report_draft(meeting=meeting)
    assert "于2019年5月13日至14日在Ya'ao International Hotel, Beijing举行。" in chinese
    assert "开幕式由Ailikun 教授主持。" in chinese
    assert "Qasim Jan 博士向全体参会人员致欢迎辞。随后进行了讨论。" in chinese
    assert "was held" not in chinese


def test_the_report_page_and_the_statistics_follow_the_pages_language(secretariat_client, meeting):
    kwargs = {"year": 2019, "slug": meeting.slug}
    with translation.override("zh-hans"):
        report = secretariat_client.get(reverse("meetings:report", kwargs=kwargs))
        statistics = secretariat_client.get(reverse("meetings:statistics"))
    assert report.status_code == 200
    assert "开幕式由Ailikun 教授主持。" in report.content.decode()
    assert "会议报告" in report.content.decode()
    assert statistics.status_code == 200
    assert "出席统计" in statistics.content.decode()
    assert "Attendance statistics" not in statistics.content.decode()


def test_the_calendar_files_follow_the_pages_language(client, meeting):
    with translation.override("zh-hans"):
        feed = reverse("meetings:meeting_calendar")
        one = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    assert feed == "/zh-hans/meetings/calendar.ics"
    assert "X-WR-CALNAME:ANSO 会议" in client.get(feed).content.decode()
    event = client.get(one).content.decode().replace("\r\n ", "")
    assert f"/zh-hans/meetings/2019/{meeting.slug}/" in event


def test_the_admin_s_lists_in_chinese_have_no_django_words_left_in_english(secretariat_client):
    """Django 6's new messages its Chinese catalogue leaves out are in the site's: the empty
    choice of the actions' select, and the date filter of a list."""
    Erasure.objects.create(erased_at=timezone.now(), reason="asked", counts={})
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    people = secretariat_client.get(reverse("admin:members_person_changelist")).content.decode()
    erasures = secretariat_client.get(reverse("admin:members_erasure_changelist")).content.decode()
    assert 'name="action"' in people and 'id="date-hierarchy-label"' in erasures
    assert "Select an option" not in people
    assert "Filter by" not in erasures
    with translation.override("zh-hans"):
        assert translation.gettext("- Select an option -") in people
        field_name = str(Erasure._meta.get_field("erased_at").verbose_name)
        filter_by = translation.gettext("Filter by %(field_name)s") % {"field_name": field_name}
    assert filter_by in erasures
