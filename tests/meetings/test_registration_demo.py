import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.attendance.models import RegistrationWindow
from meetings.demo import registration_demo_load
from meetings.models import Meeting

from ..factories import BodyFactory

pytestmark = pytest.mark.django_db


def test_registration_demo_opens_an_upcoming_meeting_and_can_run_twice():
    BodyFactory()
    meeting = registration_demo_load()
    assert meeting.start_date > timezone.localdate()
    assert meeting.registration.is_open(timezone.now())
    assert registration_demo_load() == meeting
    assert Meeting.objects.count() == 1
    assert RegistrationWindow.objects.count() == 1


def test_registration_demo_without_a_working_group_does_nothing(capsys):
    call_command("open_demo_registration")
    assert "run load_demo first" in capsys.readouterr().out
    assert Meeting.objects.count() == 0


def test_load_demo_opens_registration_and_the_report_matches_the_records(capsys):
    """`make run` loads the demo: the upcoming sample meeting takes registrations and the
    draft report of the 1st meeting gives the figures of the attendance records."""
    from meetings.attendance.reports import meeting_report_draft
    from meetings.attendance.selectors import attendance_summary

    call_command("load_demo")
    assert "Registration is open for the 2nd ANSO Working Group Meeting" in (
        capsys.readouterr().out
    )
    first = Meeting.objects.get(body__name="ANSO Working Group", number=1)
    stats = attendance_summary(meeting_id=first.pk)
    assert stats.member_organizations == 17
    assert stats.countries == 14
    assert (
        f"17 ANSO member organizations and {stats.other_participants} other participants "
        f"attended: {stats.attended} participants from 14 countries and regions."
    ) in meeting_report_draft(meeting=first)
