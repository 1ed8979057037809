"""The demo data in Chinese: the 2019 meeting's records carry a marked translation, and the
people the report names carry their Chinese name where it is known."""

import pytest

from meetings.demo import demo_load
from meetings.demo.chinese import TRANSLATED, TRANSLATIONS
from meetings.demo.loader import registration_demo_load
from meetings.models import Action, AgendaItem, Meeting, Session
from members.models import Body, Organization, Person, Position

from ..admin_helpers import get_in_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_load()


def test_demo_records_have_their_chinese_text(demo):
    meeting = demo.objects["meeting"]
    assert meeting.title_zh_hans == "ANSO工作组第一次会议"
    assert meeting.summary_zh_hans.endswith(TRANSLATED)  # marked as a translation
    assert meeting.city_zh_hans == "北京"
    assert meeting.venue_zh_hans is None  # no certain Chinese name: English, marked
    assert Body.objects.get(name_en="ANSO Governing Board").name_zh_hans == "ANSO理事会"
    assert Organization.objects.get(short_name_en="CAS").name_zh_hans == "中国科学院"
    assert not Session.objects.filter(meeting=meeting, title_zh_hans__isnull=True).exists()
    assert not AgendaItem.objects.filter(
        session__meeting=meeting, title_zh_hans__isnull=True
    ).exists()
    assert not Action.objects.filter(title_zh_hans__isnull=True).exists()
    every_summary = Meeting.objects.exclude(summary_zh_hans__isnull=True)
    assert all(m.summary_zh_hans.endswith(TRANSLATED) for m in every_summary)


def test_demo_names_only_the_chinese_names_that_are_known(demo):
    assert Person.objects.get(slug="jinghua-cao").name_original == "曹京华"
    assert list(Person.objects.exclude(name_original="").values_list("slug", flat=True)) == [
        "jinghua-cao"
    ]


def test_demo_loaded_twice_changes_nothing_in_chinese(demo):
    again = demo_load()
    assert again.created == again.updated == 0


def test_demo_meeting_page_in_chinese(client, demo):
    meeting = demo.objects["meeting"]
    response = get_in_language(client, "zh-hans", meeting.get_absolute_url)
    html = response.text
    assert "<h1>ANSO工作组第一次会议</h1>" in html
    assert TRANSLATED in html
    assert "曹京华教授" in html  # the speaker of the opening address, in Chinese
    assert "开幕式" in html and "ANSO未来行动" in html
    assert 'lang="en">Ya&#x27;ao International Hotel' in html


def test_upcoming_sample_meeting_in_chinese(demo):
    meeting = registration_demo_load()
    assert meeting.title_zh_hans == "ANSO工作组第二次会议"
    assert meeting.summary_zh_hans == TRANSLATIONS[meeting.summary_en]
    assert meeting.summary_zh_hans.endswith(TRANSLATED)


def test_demo_position_titles_in_chinese(client, demo):
    """A position's title is translated like the other content: the demo's titles have
    their Chinese, and a Chinese page shows it, unmarked."""
    titled = Position.objects.exclude(title_en="")
    assert titled.exists()
    assert not titled.filter(title_zh_hans__isnull=True).exists()
    director = Person.objects.get(slug="yin-li")
    html = get_in_language(client, "zh-hans", director.get_absolute_url).text
    # The position, in Chinese; the capacity the talk gave (a speaker's, English only) stays.
    assert "<span>中科院国际合作局局长</span>" in html
