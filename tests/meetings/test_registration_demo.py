import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting, RegistrationWindow
from meetings.registration_demo import registration_demo_load

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
