import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from meetings.models import Meeting
from members.models import BodyKind

from ..factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_meeting_title_reads_as_an_ordinal():
    meeting = MeetingFactory(number=1, body=BodyFactory(kind=BodyKind.WORKING_GROUP))
    assert meeting.title == "1st ANSO Working Group Meeting"
    assert meeting.slug == "1st-anso-working-group-meeting"
    assert meeting.get_absolute_url() == "/meetings/2019/1st-anso-working-group-meeting/"


def test_meeting_title_of_a_general_assembly_has_no_meeting_suffix():
    meeting = MeetingFactory(number=1, body=BodyFactory(kind=BodyKind.GENERAL_ASSEMBLY))
    assert meeting.title == "1st ANSO General Assembly"


def test_meeting_ending_before_it_starts_is_refused_by_the_database():
    meeting = MeetingFactory.build(
        body=BodyFactory(),
        start_date=datetime.date(2019, 5, 14),
        end_date=datetime.date(2019, 5, 13),
    )
    with pytest.raises(IntegrityError):
        meeting.save()


def test_meeting_ending_before_it_starts_gets_a_message_on_the_field():
    meeting = MeetingFactory.build(
        body=BodyFactory(),
        start_date=datetime.date(2019, 5, 14),
        end_date=datetime.date(2019, 5, 13),
    )
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "end_date" in excinfo.value.message_dict
    assert Meeting.objects.count() == 0
