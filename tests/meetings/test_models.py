import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.attendance.models import Participation
from meetings.models import Meeting, Session
from members.models import BodyKind

from ..factories import (
    BodyFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_meeting_title_reads_as_an_ordinal():
    meeting = MeetingFactory(number=1, body=BodyFactory(kind=BodyKind.WORKING_GROUP))
    assert meeting.title == "1st ANSO Working Group Meeting"
    assert meeting.slug == "1st-anso-working-group-meeting"
    assert meeting.get_absolute_url() == "/en/meetings/2019/1st-anso-working-group-meeting/"


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


def test_session_ending_before_it_starts_is_refused_by_the_database():
    session = SessionFactory.build(
        meeting=MeetingFactory(),
        chair=None,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(9, 30),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()
    assert Session.objects.count() == 0


def test_session_ending_before_it_starts_gets_a_message_on_the_end_time():
    session = SessionFactory.build(
        meeting=MeetingFactory(),
        chair=None,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(9, 30),
    )
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert excinfo.value.message_dict["end_time"] == ["A session cannot end before it starts."]


def test_session_date_outside_the_meeting_gets_a_message_on_the_date():
    session = SessionFactory.build(
        meeting=MeetingFactory(), chair=None, date=datetime.date(2019, 5, 15)
    )
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert "date" in excinfo.value.message_dict


def test_session_order_is_unique_in_a_meeting():
    first = SessionFactory(order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(meeting=first.meeting, order=1, chair=first.chair)


def test_same_person_twice_at_one_meeting_is_refused_by_the_database():
    first = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(meeting=first.meeting, person=first.person)
    assert Participation.objects.count() == 1


def test_same_person_twice_at_one_meeting_gets_a_message_on_the_person():
    first = ParticipationFactory()
    again = ParticipationFactory.build(
        meeting=first.meeting, person=first.person, organization=None
    )
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.message_dict["person"] == [
        "This person is already a participant of this meeting."
    ]


def test_same_person_at_two_meetings_is_fine():
    person = PersonFactory()
    ParticipationFactory(person=person)
    ParticipationFactory(person=person)
    assert person.participations.count() == 2
