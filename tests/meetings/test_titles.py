"""A meeting's title in English and Chinese, from its body and number."""

import pytest
from django.utils import translation

from meetings.models import Meeting, chinese_numeral, meeting_title, meeting_title_zh
from members.models import BodyKind

from ..factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ORDINALS = [
    (1, "1st", "一"),
    (2, "2nd", "二"),
    (3, "3rd", "三"),
    (10, "10th", "十"),
    (11, "11th", "十一"),
    (21, "21st", "二十一"),
    (100, "100th", "一百"),
]


@pytest.mark.parametrize(("number", "english", "chinese"), ORDINALS)
def test_meeting_title_in_both_languages(number, english, chinese):
    body = BodyFactory(kind=BodyKind.WORKING_GROUP, name="ANSO Working Group")
    body.name_zh_hans = "ANSO工作组"
    assert meeting_title(body, number) == f"{english} ANSO Working Group Meeting"
    assert meeting_title_zh(body, number) == f"ANSO工作组第{chinese}次会议"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (101, "一百零一"),
        (110, "一百一十"),
        (1000, "一千"),
        (1010, "一千零一十"),
        (2019, "二千零一十九"),
    ],
)
def test_chinese_numeral_beyond_a_hundred(number, expected):
    assert chinese_numeral(number) == expected


def test_general_assembly_title_in_chinese_counts_sessions():
    body = BodyFactory(kind=BodyKind.GENERAL_ASSEMBLY, name="ANSO General Assembly")
    body.name_zh_hans = "ANSO全体大会"
    assert meeting_title(body, 2) == "2nd ANSO General Assembly"
    assert meeting_title_zh(body, 2) == "ANSO第二届全体大会"


def test_meeting_saved_with_chinese_active_keeps_both_titles():
    """Saving while the page's language is Chinese writes the English title in English (not
    Django's translated ordinal) and the Chinese one in Chinese; the slug is the English one."""
    body = BodyFactory(kind=BodyKind.WORKING_GROUP, name="ANSO Working Group")
    body.name_zh_hans = "ANSO工作组"
    body.save()
    with translation.override("zh-hans"):
        meeting = MeetingFactory(body=body, number=11)
        assert meeting.title == "ANSO工作组第十一次会议"
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.title_en == "11th ANSO Working Group Meeting"
    assert meeting.title_zh_hans == "ANSO工作组第十一次会议"
    assert meeting.slug == "11th-anso-working-group-meeting"
    assert meeting.title == "11th ANSO Working Group Meeting"  # English is active here


def test_meeting_of_a_body_without_chinese_name_falls_back_to_english():
    meeting = MeetingFactory(body=BodyFactory(name="ANSO Working Group"), number=1)
    assert meeting.title_zh_hans is None
    with translation.override("zh-hans"):
        assert meeting.title == "1st ANSO Working Group Meeting"
