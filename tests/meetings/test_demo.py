"""The demo loader reproduces the report's facts from records, and is idempotent."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from meetings.attendance.models import ParticipationStatus
from meetings.attendance.selectors import attendance_summary
from meetings.demo import demo_load
from meetings.documents.models import Document, DocumentKind, PreviewState, Visibility
from meetings.models import Meeting, SessionKind
from members.models import Organization, Position, Role

pytestmark = pytest.mark.django_db

WG_DATE = datetime.date(2019, 5, 13)


def _row_counts() -> dict[str, int]:
    """Rows of every model of both apps, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("members", "meetings")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def demo():
    return demo_load()


@pytest.fixture
def wg_meeting(demo):
    return Meeting.objects.get(body__name="ANSO Working Group", number=1)


def test_demo_meeting_facts(wg_meeting):
    assert wg_meeting.title == "1st ANSO Working Group Meeting"
    assert (wg_meeting.start_date, wg_meeting.end_date) == (WG_DATE, datetime.date(2019, 5, 14))
    assert wg_meeting.venue == "Ya'ao International Hotel"
    assert (wg_meeting.city, wg_meeting.country.code) == ("Beijing", "CN")
    assert wg_meeting.is_published
    assert "14 countries and regions" in wg_meeting.reported_attendance


def test_demo_attendance_gives_every_figure_of_the_report(wg_meeting):
    """ "17 ANSO member organizations and about 30 other participants", "more than 40
    participants from 14 countries and regions", through the one definition of each figure
    (`meetings.attendance.selectors.attendance_summary`)."""
    figures = attendance_summary(meeting_id=wg_meeting.pk)
    assert figures.member_organizations == 17
    assert 28 <= figures.other_participants <= 32  # "about 30"
    assert figures.attended > 40
    assert figures.countries == 14
    assert (figures.attended, figures.other_participants) == (45, 28)


def test_demo_has_participations_that_did_not_attend_and_would_change_the_counts(wg_meeting):
    """Without the status filter the counts would be wrong: the records are meaningful."""
    others = wg_meeting.participations.exclude(status=ParticipationStatus.ATTENDED)
    assert others.count() == 2
    every_country = wg_meeting.participations.exclude(country="").values("country").distinct()
    assert every_country.count() == 16


def test_demo_working_group_has_22_members_on_the_meeting_date(demo):
    members = Position.objects.working_group_members(WG_DATE)
    assert members.count() == 22
    assert members.filter(role=Role.CONTACT_PERSON).count() == 17
    assert members.filter(role=Role.EXPERT).count() == 5
    assert Organization.objects.members_on(WG_DATE).count() == 17
    appointing = members.filter(role=Role.CONTACT_PERSON).values("appointed_by").distinct()
    assert appointing.count() == 17


def test_demo_opening_session_chair_and_addresses(wg_meeting):
    opening = wg_meeting.sessions.get(order=1)
    assert opening.kind == SessionKind.OPENING
    assert opening.chair.display_name == "Prof. Ailikun"
    assert opening.chair_capacity == "Assistant Executive Director of the ANSO Secretariat"
    speakers = [
        (item.kind, str(speaker.person), speaker.capacity)
        for item in opening.items.all()
        for speaker in item.speaker_set.all()
    ]
    assert speakers == [
        ("welcome", "Prof. Qasim Jan", "ANSO Vice-President"),
        (
            "opening_address",
            "Prof. Yin LI",
            "Director General of the Bureau of International Cooperation of CAS",
        ),
        ("opening_address", "Prof. Jinghua Cao", "Executive Director of the ANSO Secretariat"),
        ("presentation", "Prof. Jinghua Cao", "Executive Director of the ANSO Secretariat"),
    ]


def test_demo_second_session_presents_and_discusses_each_action(wg_meeting, demo):
    second = wg_meeting.sessions.get(order=2)
    items = list(second.items.all())
    assert [item.kind for item in items] == ["presentation", "discussion"] * 5
    assert [item.action for item in items[::2]] == demo.objects["actions"]
    assert [item.action for item in items[1::2]] == demo.objects["actions"]
    for action in demo.objects["actions"]:
        assert action.endorsed_by == demo.objects["decision_actions"]
        assert "Sample data." in action.description


def test_demo_load_twice_changes_nothing(demo):
    before = _row_counts()
    second = demo_load()
    assert (second.created, second.updated) == (0, 0)
    assert _row_counts() == before


def test_load_demo_command_reports_what_it_did(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "0 records created, 0 updated" in out


def test_demo_meeting_has_its_agenda_as_a_public_pdf_once(
    client, django_capture_on_commit_callbacks
):
    """The sample agenda is a real PDF, through the upload check, with its preview made (by
    the task the upload enqueues after the commit); a second load leaves it alone."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()
    agenda = Document.objects.get(kind=DocumentKind.AGENDA)
    assert agenda.visibility == Visibility.PUBLIC
    assert agenda.title_zh_hans == "会议议程（示例文件）"  # noqa: RUF001
    version = agenda.latest_version
    assert version.content_type == "application/pdf"
    assert version.preview_state == PreviewState.READY
    demo_load()
    assert Document.objects.count() == 1
    assert agenda.versions.count() == 1
    html = client.get(agenda.meeting.get_absolute_url()).content.decode()
    assert f'href="{version.get_absolute_url()}"' in html
    with version.file.open("rb") as file:
        assert b"%PDF" in file.read(8)
