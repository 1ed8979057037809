"""The attendance rules as a visitor and the Secretariat see them: who counts as an "other
participant", what "registered" means, the report's wording, the participant list, the
registration form's capacity and the charts' rows beyond the first ones."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.attendance.models import Capacity, ParticipationStatus
from meetings.attendance.reports import meeting_report_draft
from meetings.attendance.statistics import meeting_trends
from meetings.models import Meeting
from members.models import MembershipStatus

from ..factories import (
    AgendaItemFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    RegistrationWindowFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def url(name, meeting):
    return reverse(
        f"meetings:{name}", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


def figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}"><dt>[^<]*</dt><dd>(\d+)</dd>', html)
    assert match, name
    return int(match[1])


def test_other_participants_are_those_not_delegates_of_a_member_organization(client):
    """The report's sense: "17 ANSO member organizations and about 30 other participants".
    A working-group member from a member organization, a delegate of a partner and a guest
    with no organization are other participants; only the member's delegate is not."""
    meeting = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    member = OrganizationFactory()
    partner = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    ParticipationFactory(meeting=meeting, organization=member, capacity=Capacity.DELEGATE)
    ParticipationFactory(
        meeting=meeting, organization=member, capacity=Capacity.WORKING_GROUP_MEMBER
    )
    ParticipationFactory(meeting=meeting, organization=partner, capacity=Capacity.DELEGATE)
    ParticipationFactory(meeting=meeting, organization=None, capacity=Capacity.GUEST)
    html = client.get(meeting.get_absolute_url()).text
    assert figure(html, "member-organizations") == 1
    assert figure(html, "other-participants") == 3
    assert figure(html, "participants") == 4
    assert "did not come as delegates of a member organization" in html


def test_report_states_the_total_in_the_right_number():
    meeting = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    member = OrganizationFactory()
    ParticipationFactory(
        meeting=meeting, organization=member, capacity=Capacity.DELEGATE, country="CN"
    )
    ParticipationFactory(meeting=meeting, organization=None, country="CN")
    assert (
        "1 ANSO member organization and 1 other participant attended: 2 participants from "
        "1 country or region."
    ) in meeting_report_draft(meeting=meeting)


def test_report_of_a_meeting_not_yet_held_speaks_of_the_future():
    start = timezone.localdate() + datetime.timedelta(days=30)
    meeting = MeetingFactory(start_date=start, end_date=start)
    session = SessionFactory(
        meeting=meeting,
        order=1,
        kind="opening",
        title="Opening session",
        chair=PersonFactory(honorific="Prof.", given_name="", family_name="Ailikun"),
        chair_capacity="",
    )
    welcome = AgendaItemFactory(session=session, order=1, kind="welcome", title="Welcome")
    SpeakerFactory(item=welcome, person=PersonFactory(given_name="Qasim", family_name="Jan"))
    AgendaItemFactory(session=session, order=2, kind="discussion", title="Discussion")
    ParticipationFactory.create_batch(2, meeting=meeting, status=ParticipationStatus.REGISTERED)
    text = meeting_report_draft(meeting=meeting)
    assert f"{meeting.title} will be held in" in text
    assert "2 participants have registered so far." in text
    assert "The opening session will be chaired by Prof. Ailikun." in text
    assert "Qasim Jan, Working-group member, will give a warm welcome to all the" in text
    assert "A discussion will follow." in text
    assert " was " not in text
    assert "attended" not in text


def test_check_in_counts_the_registrant_who_did_not_come_as_registered(secretariat_client):
    """Check-in lists everyone registered; "registered" counts each one who holds or held a
    seat, the absent one too, and so does the trend."""
    meeting = MeetingFactory()
    ParticipationFactory.create_batch(2, meeting=meeting, status=ParticipationStatus.ATTENDED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.ABSENT)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.CANCELLED)
    html = secretariat_client.get(url("check_in", meeting)).text
    assert '<span data-count="attended">2</span> of <span data-count="registered">3</span>' in html
    assert html.count("check-in-row") == 3
    trend = meeting_trends()[0]
    assert (trend.registered, trend.attended) == (3, 2)


def test_public_participant_list_shows_an_organization_typed_in(client):
    meeting = MeetingFactory()
    ParticipationFactory(
        meeting=meeting, organization=None, organization_name="Lagos Institute of Sample Studies"
    )
    html = client.get(meeting.get_absolute_url()).text
    participant_list = html.split('id="participants"')[1]
    assert "Lagos Institute of Sample Studies" in participant_list


def test_registration_form_does_not_make_anyone_a_delegate_by_default(client):
    window = RegistrationWindowFactory()
    response = client.get(url("registration_create", window.meeting))
    assert response.context["form"]["capacity"].value() in (None, "")
    assert 'value="delegate" selected' not in response.text
    data = {
        "family_name": "Okafor",
        "email": "amina@example.org",
        "organization_name": "Lagos Institute of Sample Studies",
        "country": "NG",
    }
    response = client.post(url("registration_create", window.meeting), data)
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == ["Choose the capacity you attend in."]


def _attended_by_organizations(meeting, count: int) -> None:
    for index in range(count):
        organization = OrganizationFactory(name=f"Organization {index:02d}")
        ParticipationFactory.create_batch(
            1 + (index < 3), meeting=meeting, organization=organization
        )


def test_meeting_page_folds_the_organizations_beyond_the_first_into_one_row(client):
    meeting = MeetingFactory()
    _attended_by_organizations(meeting, 17)
    html = client.get(meeting.get_absolute_url()).text
    assert "and 2 other organizations" in html
    assert "Organization 16" not in html.split('id="participants"')[0]


def test_dashboard_folds_the_organizations_beyond_the_first_into_one_row(secretariat_client):
    _attended_by_organizations(MeetingFactory(), 22)
    html = secretariat_client.get(reverse("meetings:statistics")).text
    assert "and 2 other organizations" in html


def test_page_dashboard_admin_and_report_give_the_same_figures_on_the_demo(
    client, secretariat_client, superuser
):
    """One summary behind every view: the demo's 2019 meeting has the same figures on its
    public page, on the Secretariat's dashboard, in the meeting admin, in the draft report and
    at check-in."""
    call_command("load_demo")
    meeting = Meeting.objects.get(body__name="ANSO Working Group", number=1)
    html = client.get(meeting.get_absolute_url()).text
    page = {
        name: figure(html, key)
        for name, key in (
            ("members", "member-organizations"),
            ("others", "other-participants"),
            ("attended", "participants"),
            ("countries", "countries"),
        )
    }
    dashboard = secretariat_client.get(reverse("meetings:statistics")).text
    row = re.search(
        rf"<th scope=\"row\">{re.escape(meeting.title)}</th>"
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>',
        dashboard,
    )
    registered, attended, members, countries = map(int, row.groups())
    assert (attended, members, countries) == (
        page["attended"],
        page["members"],
        page["countries"],
    )

    client.force_login(superuser)
    admin = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).text
    assert (
        f"{page['attended']} attended: {page['members']} member organizations and "
        f"{page['others']} other participants, from {page['countries']} countries and regions."
    ) in admin

    assert (
        f"{page['members']} ANSO member organizations and {page['others']} other participants "
        f"attended: {page['attended']} participants from {page['countries']} countries and "
        "regions."
    ) in meeting_report_draft(meeting=meeting)

    check_in = secretariat_client.get(url("check_in", meeting)).text
    assert (
        f'<span data-count="attended">{page["attended"]}</span> of '
        f'<span data-count="registered">{registered}</span>'
    ) in check_in
