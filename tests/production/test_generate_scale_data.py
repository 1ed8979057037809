import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from meetings.attendance.models import Participation
from meetings.models import Meeting, Session
from members.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_generate_scale_data_small(capsys):
    call_command("generate_scale_data", scale=0.01)
    assert Organization.objects.filter(name__startswith="Scale Organization").count() == 20
    assert Person.objects.count() == 1000
    # ten meetings at this scale, and the two long programmes at any scale
    assert Meeting.objects.count() == 12
    assert Session.objects.count() == 100 + 10 + 50
    programmes = (
        Meeting.objects.published()
        .annotate(items=Count("sessions__items", distinct=True))
        .annotate(speakers=Count("sessions__items__speaker_set"))
        .filter(slug__startswith="scale-programme-")
        .order_by("items")
    )
    assert [(m.items, m.speakers) for m in programmes] == [(200, 400), (1000, 2000)]
    assert Participation.objects.count() == 3000
    biggest = Meeting.objects.annotate(n=Count("participations")).order_by("-n").first()
    assert biggest.n == 1000
    assert biggest.is_published
    assert "Done in" in capsys.readouterr().out


def test_generated_pages_render(client):
    call_command("generate_scale_data", scale=0.005)
    meeting = Meeting.objects.published().first()
    assert client.get(meeting.get_absolute_url()).status_code == 200
    # A person has a public page once they chair a session of a published meeting.
    person = Person.objects.filter(sessions_chaired__meeting__is_published=True).first()
    assert client.get(person.get_absolute_url()).status_code == 200


def test_generate_scale_data_refuses_to_run_twice():
    call_command("generate_scale_data", scale=0.002)
    with pytest.raises(CommandError, match="already"):
        call_command("generate_scale_data", scale=0.002)
