import datetime

import pytest
from django.urls import reverse

from meetings.attendance.models import Capacity, ParticipationStatus
from meetings.attendance.reports import meeting_report_draft
from meetings.attendance.selectors import attendance_summary
from meetings.attendance.statistics import (
    meeting_trends,
    participants_by_country,
    participants_by_membership,
    participants_by_organization,
)
from members.models import MembershipStatus

from ..factories import (
    AgendaItemFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

COUNTRIES = ["CN", "KE", "PK", "TH", "RU", "NG", "BR", "IT", "LK", "NP", "MN", "GH", "BD", "KZ"]


def first_working_group_meeting(others: int = 30):
    """The 1st ANSO Working Group Meeting as the report gives it: 17 member organizations,
    other participants, 14 countries and regions. Names are invented."""
    meeting = MeetingFactory(number=1)
    for index in range(17):
        organization = OrganizationFactory(country=COUNTRIES[index % 14])
        ParticipationFactory(
            meeting=meeting,
            person=PersonFactory(organization=organization),
            organization=organization,
            country=COUNTRIES[index % 14],
            capacity=Capacity.DELEGATE,
        )
    guest_org = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    for index in range(others):
        ParticipationFactory(meeting=meeting, organization=guest_org, country=COUNTRIES[index % 14])
    # Registered but absent, and a member that joined after the meeting: counted apart.
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.REGISTERED)
    late = OrganizationFactory(joined_on=datetime.date(2020, 1, 1))
    ParticipationFactory(
        meeting=meeting, organization=late, country="CN", capacity=Capacity.DELEGATE
    )
    return meeting


def test_attendance_summary_follow_the_definitions():
    meeting = first_working_group_meeting(others=30)
    stats = attendance_summary(meeting_id=meeting.pk)
    assert stats.attended == 17 + 30 + 1
    assert stats.registered == 17 + 30 + 1 + 1
    assert stats.member_organizations == 17
    assert stats.member_delegates == 17
    assert stats.other_participants == 31  # the late joiner was not a member then
    assert stats.countries == 14
    assert sum(row.value for row in stats.by_country) == stats.attended
    assert stats.by_organization[0].value == 30


def test_former_member_counts_for_meetings_before_it_left():
    meeting = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    former = OrganizationFactory(
        membership_status=MembershipStatus.FORMER, left_on=datetime.date(2021, 1, 1)
    )
    ParticipationFactory(meeting=meeting, organization=former, capacity=Capacity.DELEGATE)
    assert attendance_summary(meeting_id=meeting.pk).member_organizations == 1
    assert meeting_trends()[0].member_organizations == 1
    assert participants_by_membership()[0].value == 1


@pytest.mark.parametrize("others", (2, 40))
def test_attendance_summary_run_a_fixed_number_of_queries(django_assert_num_queries, others):
    meeting = first_working_group_meeting(others=others)
    with django_assert_num_queries(3):
        attendance_summary(meeting_id=meeting.pk)


@pytest.mark.parametrize("meetings", (1, 6))
def test_cross_meeting_statistics_run_a_fixed_number_of_queries(
    django_assert_num_queries, meetings
):
    for number in range(meetings):
        day = datetime.date(2019 + number, 5, 13)
        meeting = MeetingFactory(start_date=day, end_date=day)
        ParticipationFactory.create_batch(3, meeting=meeting, capacity=Capacity.DELEGATE)
    with django_assert_num_queries(4):
        trends = meeting_trends()
        participants_by_country()
        participants_by_membership()
        participants_by_organization()
    assert len(trends) == meetings
    assert all(t.attended == 3 and t.member_organizations == 3 for t in trends)


def test_meeting_trends_agree_with_the_attendance_summary():
    meeting = first_working_group_meeting(others=5)
    trend = meeting_trends()[0]
    stats = attendance_summary(meeting_id=meeting.pk)
    assert (trend.registered, trend.attended, trend.member_organizations, trend.countries) == (
        stats.registered,
        stats.attended,
        stats.member_organizations,
        stats.countries,
    )


@pytest.mark.parametrize("n", (2, 30))
def test_statistics_dashboard_queries_flat(secretariat_client, django_assert_num_queries, n):
    for number in range(n):
        day = datetime.date(2000 + number, 5, 13)
        meeting = MeetingFactory(start_date=day, end_date=day)
        ParticipationFactory(meeting=meeting)
    url = reverse("meetings:statistics")
    secretariat_client.get(url)
    # Session, user, permissions (2), the filter's bodies and years, trends, three charts.
    with django_assert_num_queries(10):
        response = secretariat_client.get(url)
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_statistics_dashboard_is_for_staff_only(client, outsider_staff_user):
    url = reverse("meetings:statistics")
    assert client.get(url).status_code == 302
    client.force_login(outsider_staff_user)
    assert client.get(url).status_code == 403


# --- the report ---------------------------------------------------------------------------


def test_report_draft_opens_like_the_news_report():
    meeting = first_working_group_meeting(others=30)
    opening = SessionFactory(
        meeting=meeting,
        order=1,
        kind="opening",
        title="Opening session",
        chair=PersonFactory(honorific="Prof.", given_name="", family_name="Ailikun"),
        chair_capacity="Assistant Executive Director of the ANSO Secretariat",
    )
    welcome = AgendaItemFactory(session=opening, order=1, kind="welcome", title="Welcome")
    SpeakerFactory(
        item=welcome,
        person=PersonFactory(honorific="Prof.", given_name="Qasim", family_name="Jan"),
        capacity="ANSO Vice-President",
    )
    SessionFactory(
        meeting=meeting, order=2, kind="working", title="ANSO future actions", chair=None
    )
    third = SessionFactory(
        meeting=meeting, order=3, kind="working", title="Third session", chair=None
    )
    AgendaItemFactory(session=third, order=1, kind="opening_address", title="Opening address")
    presentation = AgendaItemFactory(
        session=third, order=2, kind="presentation", title="ANSO scholarship programme"
    )
    SpeakerFactory(
        item=presentation,
        person=PersonFactory(honorific="Ms.", given_name="Min", family_name="Zhao"),
        capacity="ANSO Secretariat",
    )
    AgendaItemFactory(session=third, order=3, kind="discussion", title="Discussion")
    AgendaItemFactory(
        session=third, order=4, kind="discussion", title="Discussion: Open science and data"
    )
    text = meeting_report_draft(meeting=meeting)
    assert text.startswith(
        "The 1st ANSO Working Group Meeting was held in Ya'ao International Hotel, Beijing "
        "on 13\u201314 May 2019. 17 ANSO member organizations and 31 other participants attended: "
        "48 participants from 14 countries and regions."
    )
    assert (
        "The opening session was chaired by Prof. Ailikun, Assistant Executive Director of "
        "the ANSO Secretariat." in text
    )
    assert "Prof. Qasim Jan, ANSO Vice-President, gave a warm welcome" in text
    assert "The second session was on ANSO future actions." in text
    assert (
        "At the third session, Ms. Min Zhao, ANSO Secretariat, gave a presentation on ANSO "
        "scholarship programme. A discussion followed. A discussion on open science and data "
        "followed." in text
    )
    assert "address on opening address" not in text


def test_report_page_saves_the_summary_and_prints(secretariat_client):
    meeting = first_working_group_meeting(others=3)
    kwargs = {"year": 2019, "slug": meeting.slug}
    response = secretariat_client.get(reverse("meetings:report", kwargs=kwargs))
    assert response.status_code == 200
    assert b"17 ANSO member organizations" in response.content
    response = secretariat_client.post(
        reverse("meetings:report", kwargs=kwargs), {"text": "Edited report.", "print": "1"}
    )
    assert b"Edited report." in response.content
    assert b"print.css" in response.content
    meeting.refresh_from_db()
    assert meeting.summary == ""
    response = secretariat_client.post(
        reverse("meetings:report", kwargs=kwargs), {"text": "Edited report.", "save": "1"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.summary == "Edited report."
    assert meeting.history.first().history_user.username == "secretariat"
    response = secretariat_client.get(reverse("meetings:report_print", kwargs=kwargs))
    assert b"Edited report." in response.content


def test_report_page_with_empty_text_is_an_error(secretariat_client):
    meeting = MeetingFactory()
    url = reverse("meetings:report", kwargs={"year": 2019, "slug": meeting.slug})
    response = secretariat_client.post(url, {"text": "", "save": "1"})
    assert response.status_code == 400


def test_printable_participant_list_has_no_emails(secretariat_client):
    meeting = first_working_group_meeting(others=2)
    url = reverse("meetings:participant_list_print", kwargs={"year": 2019, "slug": meeting.slug})
    response = secretariat_client.get(url)
    assert response.status_code == 200
    assert b"Signature" in response.content
    assert b"@example.org" not in response.content


def test_report_pages_are_for_the_secretariat(client, outsider_staff_user):
    meeting = MeetingFactory()
    url = reverse("meetings:report", kwargs={"year": 2019, "slug": meeting.slug})
    assert client.get(url).status_code == 302
    client.force_login(outsider_staff_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x", "save": "1"}).status_code == 403


def test_admin_index_links_to_the_dashboard(secretariat_client, client, outsider_staff_user):
    response = secretariat_client.get(reverse("admin:index"))
    assert reverse("meetings:statistics").encode() in response.content
    client.force_login(outsider_staff_user)
    response = client.get(reverse("admin:index"))
    assert reverse("meetings:statistics").encode() not in response.content
