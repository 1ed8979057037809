import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings.attendance.models import Capacity, ParticipationStatus
from meetings.views import MEETINGS_PER_PAGE, UPCOMING_SHOWN
from members.models import MembershipStatus

from ..factories import (
    ActionFactory,
    ActionProgressFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    RegistrationWindowFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def build_meeting(n: int, **kwargs):
    """A meeting with n sessions (each with n items, each with a speaker), n participants,
    n decisions and n actions presented."""
    meeting = MeetingFactory(**kwargs)
    for i in range(n):
        session = SessionFactory(meeting=meeting, order=i + 1)
        action = ActionFactory()
        for j in range(n):
            item = AgendaItemFactory(session=session, order=j + 1, action=action)
            SpeakerFactory(item=item)
        ParticipationFactory(meeting=meeting)
        DecisionFactory(meeting=meeting, order=i + 1)
    return meeting


# -- meeting detail --------------------------------------------------------------------------


def test_meeting_detail_shows_programme_and_attendance(client):
    meeting = MeetingFactory(
        reported_attendance="more than 40 participants from 14 countries and regions"
    )
    chair = PersonFactory(honorific="Prof.", given_name="", family_name="Ailikun")
    opening = SessionFactory(
        meeting=meeting,
        order=1,
        title="Opening session",
        chair=chair,
        chair_capacity="Assistant Executive Director",
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
    )
    welcome = AgendaItemFactory(session=opening, order=1, title="Welcome address")
    SpeakerFactory(
        item=welcome,
        person=PersonFactory(honorific="Prof.", given_name="Qasim", family_name="Jan"),
        capacity="ANSO Vice-President",
    )
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opening session" in html
    assert "Prof. Ailikun" in html
    assert "Assistant Executive Director" in html
    assert "Prof. Qasim Jan" in html
    assert "ANSO Vice-President" in html
    assert "more than 40 participants from 14 countries and regions" in html
    assert reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug}) in html
    assert html.count("<h1") == 1


def test_meeting_attendance_counts_follow_the_definitions(client):
    """Member organizations present are members on the start date; everyone else attended is
    an 'other participant'; absent people count nowhere; countries are distinct."""
    meeting = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    member = OrganizationFactory(country="PK")
    delegate = Capacity.DELEGATE
    ParticipationFactory(meeting=meeting, organization=member, country="PK", capacity=delegate)
    ParticipationFactory(meeting=meeting, organization=member, country="PK", capacity=delegate)
    joined_later = OrganizationFactory(joined_on=datetime.date(2020, 1, 1))
    ParticipationFactory(
        meeting=meeting, organization=joined_later, country="TH", capacity=delegate
    )
    partner = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    ParticipationFactory(meeting=meeting, organization=partner, country="")
    ParticipationFactory(meeting=meeting, organization=None, country="KE")
    former = OrganizationFactory(
        membership_status=MembershipStatus.FORMER, left_on=datetime.date(2020, 1, 1)
    )
    ParticipationFactory(meeting=meeting, organization=former, country="KE", capacity=delegate)
    ParticipationFactory(
        meeting=meeting, organization=OrganizationFactory(), status=ParticipationStatus.ABSENT
    )
    attendance = client.get(meeting.get_absolute_url()).context["attendance"]
    assert attendance.attended == 6
    assert attendance.member_organizations == 2  # member and former (still in then)
    assert attendance.other_participants == 3
    assert attendance.countries == 3
    assert [(row.country.code, row.value) for row in attendance.by_country] == [
        ("KE", 2),
        ("PK", 2),
        ("TH", 1),
    ]


def test_meeting_participant_list_shows_only_listed_people_and_no_contact_details(client):
    meeting = MeetingFactory()
    listed = ParticipationFactory(meeting=meeting, person__phone="+86 10 1234 5678")
    hidden = ParticipationFactory(meeting=meeting, listed_publicly=False)
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert listed.person.display_name in html
    assert hidden.person.display_name not in html
    assert listed.person.email not in html
    assert "1234 5678" not in html
    assert response.context["attendance"].attended == 2


def test_unpublished_meeting_is_404_to_the_public(client):
    meeting = MeetingFactory(is_published=False)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    url = reverse("meetings:meeting_ical", kwargs={"year": 2019, "slug": meeting.slug})
    assert client.get(url).status_code == 404


def test_unpublished_meeting_is_shown_to_secretariat_with_a_banner(secretariat_client):
    meeting = MeetingFactory(is_published=False)
    response = secretariat_client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert "Not published." in response.content.decode()


def test_unpublished_meeting_is_404_to_staff_without_permission(client, outsider_staff_user):
    meeting = MeetingFactory(is_published=False)
    client.force_login(outsider_staff_user)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_meeting_detail_with_the_wrong_year_is_404(client):
    meeting = MeetingFactory()
    url = reverse("meetings:meeting_detail", kwargs={"year": 2020, "slug": meeting.slug})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1"])
def test_meeting_detail_bad_participant_page_is_404(client, page):
    meeting = MeetingFactory()
    ParticipationFactory(meeting=meeting)
    assert client.get(meeting.get_absolute_url(), {"page": page}).status_code == 404


def test_meeting_detail_escapes_stored_html(client):
    body = BodyFactory(name=f"ANSO {SCRIPT} Group")
    meeting = MeetingFactory(body=body)
    SessionFactory(meeting=meeting, title=f"Session {SCRIPT}")
    ParticipationFactory(meeting=meeting, person__family_name=SCRIPT)
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_meeting_detail_lists_no_participant_before_anyone_attended(client):
    """Registrants of a meeting nobody attended yet are counted as registered, never listed;
    the page skips counting them."""
    meeting = MeetingFactory()
    ParticipationFactory(
        meeting=meeting, person__family_name="Registrant", status=ParticipationStatus.REGISTERED
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Registrant" not in html
    assert "No participant is listed publicly." in html
    assert client.get(meeting.get_absolute_url(), {"page": "2"}).status_code == 404


def test_meeting_detail_menu_links_every_section(client):
    """The in-page menu and the sections come from one list: every section's heading has
    its link, and every link its section, on a bare page and on a full one."""
    bare = MeetingFactory()
    full = build_meeting(2)
    for meeting in (bare, full):
        html = client.get(meeting.get_absolute_url()).content.decode()
        menu = html[html.index('aria-label="On this page"') :]
        menu = menu[: menu.index("</nav>")]
        linked = re.findall(r'href="#([\w-]+)"', menu)
        headings = re.findall(r'<h2 id="([\w-]+)-heading"', html)
        sections = re.findall(r'<section id="([\w-]+)" aria-labelledby="\1-heading"', html)
        assert linked == headings == sections
        assert "documents" in linked
    assert {"decisions", "actions"} <= set(headings)  # the full page's last ones


def test_meeting_detail_before_the_meeting_counts_its_registrations(client):
    """Four zeros of attendance told a visitor nothing before the meeting: its page counts
    the registrations (the `registered` rule: a cancelled or waitlisted one is not counted),
    the organizations they come from (chosen from the list, or typed in) and countries."""
    meeting = RegistrationWindowFactory().meeting
    first, second = OrganizationFactory(), OrganizationFactory()
    registered = ParticipationStatus.REGISTERED
    ParticipationFactory(meeting=meeting, organization=first, country="KE", status=registered)
    ParticipationFactory(meeting=meeting, organization=first, country="KE", status=registered)
    ParticipationFactory(
        meeting=meeting, organization=second, country="CN", status=ParticipationStatus.CONFIRMED
    )
    ParticipationFactory(
        meeting=meeting,
        organization=None,
        organization_name="Typed Institute",
        country="",
        status=registered,
    )
    ParticipationFactory(meeting=meeting, country="BR", status=ParticipationStatus.CANCELLED)
    ParticipationFactory(meeting=meeting, country="PE", status=ParticipationStatus.WAITLISTED)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert figure(html, "registered") == 4
    assert figure(html, "registered-organizations") == 3
    assert figure(html, "registered-countries") == 2
    assert 'data-figure="participants"' not in html
    assert '<h2 id="attendance-heading">Registrations</h2>' in html
    assert 'href="#attendance">Registrations</a>' in html

    # Once the meeting records who came, the page counts attendance.
    ParticipationFactory(meeting=meeting, organization=first, country="KE")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert figure(html, "participants") == 1
    assert 'data-figure="registered"' not in html


def figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}"><dt>[^<]*</dt><dd>(\d+)</dd>', html)
    assert match, name
    return int(match[1])


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_detail_before_the_meeting_queries_flat(client, django_assert_num_queries, n):
    meeting = RegistrationWindowFactory().meeting
    ParticipationFactory.create_batch(n, meeting=meeting, status=ParticipationStatus.REGISTERED)
    # meeting, decisions, sessions, documents; the figures (one aggregate: nobody attended
    # yet, so no rows by country or organization, no participants); the registration box
    # (its window; no limit, so no count of seats)
    with django_assert_num_queries(6):
        response = client.get(meeting.get_absolute_url())
    assert 'data-figure="registered"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_detail_queries_flat(client, django_assert_num_queries, n):
    meeting = build_meeting(n)
    url = meeting.get_absolute_url()
    # meeting, sessions, items (with the actions presented), speakers, documents (none: no
    # versions to read), decisions; the attendance summary (aggregate, by country, by
    # organization), which the charts use too; participants count, participants page; the
    # registration box (its window)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["meeting"].sessions.all()) == n


# -- meeting list ----------------------------------------------------------------------------


def test_meeting_list_splits_upcoming_and_past(client):
    past = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    upcoming = MeetingFactory(
        start_date=datetime.date(2099, 5, 13), end_date=datetime.date(2099, 5, 14)
    )
    hidden = MeetingFactory(is_published=False)
    response = client.get(reverse("meetings:meeting_list"))
    assert response.context["upcoming"] == [upcoming]
    assert list(response.context["page_obj"]) == [past]
    assert hidden.get_absolute_url() not in response.content.decode()


def test_meeting_list_filters_by_year_country_body_and_search(client):
    board = BodyFactory(kind="governing_board")
    beijing = MeetingFactory(start_date=datetime.date(2019, 5, 13), city="Beijing")
    nairobi = MeetingFactory(
        body=board,
        start_date=datetime.date(2021, 5, 13),
        end_date=datetime.date(2021, 5, 13),
        city="Nairobi",
        country="KE",
    )
    url = reverse("meetings:meeting_list")

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        assert not response.context["form"].errors, response.context["form"].errors
        return list(response.context["page_obj"])

    assert shown(year="2019") == [beijing]
    assert shown(country="KE") == [nairobi]
    assert shown(body=board.slug) == [nairobi]
    assert shown(q="nairo") == [nairobi]
    assert shown(q="governing board") == [nairobi]
    assert shown() == [nairobi, beijing]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"country": "XX"}, "country"),
        ({"body": "no-such-body"}, "body"),
        ({"q": "x" * 500}, "q"),
    ],
)
def test_meeting_list_bad_filter_values_give_a_form_error(client, params, field):
    MeetingFactory()
    response = client.get(reverse("meetings:meeting_list"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert list(response.context["page_obj"]) == []
    html = response.content.decode()
    assert "is-invalid" in html
    if field == "q":
        assert 'value="' + "x" * 500 + '"' in html  # the user's input is kept


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_meeting_list_bad_page_is_404(client, page):
    MeetingFactory()
    assert client.get(reverse("meetings:meeting_list"), {"page": page}).status_code == 404


def test_meeting_list_paginates_past_meetings(client):
    body = BodyFactory()
    for i in range(25):
        MeetingFactory(
            body=body,
            start_date=datetime.date(2000 + i, 1, 1),
            end_date=datetime.date(2000 + i, 1, 2),
        )
    first = client.get(reverse("meetings:meeting_list"))
    second = client.get(reverse("meetings:meeting_list"), {"page": 2})
    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert "?page=2" in first.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_list_queries_flat(client, django_assert_num_queries, n):
    for i in range(n):
        MeetingFactory(
            start_date=datetime.date(1950 + i, 1, 1), end_date=datetime.date(1950 + i, 1, 2)
        )
        MeetingFactory(
            start_date=datetime.date(2100 + i, 1, 1), end_date=datetime.date(2100 + i, 1, 2)
        )
    # body, year and country choices, past count, past page, upcoming
    with django_assert_num_queries(6):
        response = client.get(reverse("meetings:meeting_list"))
    assert len(response.context["upcoming"]) == min(n, UPCOMING_SHOWN)


# -- home ------------------------------------------------------------------------------------


def test_home_shows_next_and_latest_meetings_and_figures(client):
    past = MeetingFactory(start_date=datetime.date(2019, 5, 13))
    upcoming = MeetingFactory(
        start_date=datetime.date(2099, 5, 13), end_date=datetime.date(2099, 5, 14)
    )
    OrganizationFactory(country="PK")
    OrganizationFactory(country="PK")
    OrganizationFactory(country="TH")
    OrganizationFactory(membership_status=MembershipStatus.PARTNER, country="US")
    response = client.get(reverse("home"))
    assert response.context["next_meeting"] == upcoming
    assert response.context["latest_meetings"] == [past]
    figures = response.context["figures"]
    assert figures.member_organizations == 3  # the partner is not a member
    assert figures.countries == 2


@pytest.mark.parametrize("n", [1, 30])
def test_home_queries_flat(client, django_assert_num_queries, n):
    for i in range(n):
        MeetingFactory(
            start_date=datetime.date(1950 + i, 1, 1), end_date=datetime.date(1950 + i, 1, 2)
        )
        OrganizationFactory()
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).status_code == 200


# -- action plan -----------------------------------------------------------------------------


def test_action_detail_shows_where_endorsed_and_presented(client):
    board_meeting = MeetingFactory(body=BodyFactory(kind="governing_board"))
    decision = DecisionFactory(meeting=board_meeting)
    action = ActionFactory(endorsed_by=decision, status="endorsed")
    item = AgendaItemFactory(action=action, title="Presentation of the action")
    hidden_item = AgendaItemFactory(
        action=action, session__meeting__is_published=False, title="Hidden presentation"
    )
    response = client.get(action.get_absolute_url())
    html = response.content.decode()
    assert board_meeting.title in html
    assert item.title in html
    assert hidden_item.title not in html
    assert "endorsed" in html


def test_action_plan_lists_the_latest_presentations_and_the_page_lists_all(client):
    action = ActionFactory()
    for year in range(2019, 2024):
        AgendaItemFactory(
            action=action,
            title=f"Progress report {year}",
            session__meeting=MeetingFactory(
                start_date=datetime.date(year, 5, 13), end_date=datetime.date(year, 5, 14)
            ),
        )
    AgendaItemFactory(action=action, session__meeting__is_published=False, title="Hidden")

    html = client.get(reverse("meetings:action_list")).content.decode()
    for year in (2021, 2022, 2023):
        assert f"Progress report {year}" in html
    assert "Progress report 2020" not in html
    assert "All 5 presentations and discussions" in html  # the hidden one is not counted

    html = client.get(action.get_absolute_url()).content.decode()
    assert all(f"Progress report {year}" in html for year in range(2019, 2024))
    assert "Hidden" not in html
    assert html.index("Progress report 2019") < html.index("Progress report 2023")


def test_action_unknown_slug_is_404(client):
    assert client.get(reverse("meetings:action_detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_action_list_queries_flat(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    decision = DecisionFactory(meeting=meeting)
    for i in range(n):
        action = ActionFactory(
            endorsed_by=decision,
            endorsed_at=meeting,
            owner_person=PersonFactory() if i % 2 else None,
            owner_organization=None if i % 2 else OrganizationFactory(),
            due_date=meeting.start_date,
        )
        AgendaItemFactory(action=action, session__meeting=meeting)
        ActionProgressFactory(action=action, meeting=meeting, date=meeting.start_date)
        ActionProgressFactory(action=action, meeting=None)
    # actions (with their owners), their progress notes, presentations ranked (agenda items),
    # their fields, presentation files (none: no versions to read)
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:action_list"))
    assert len(response.context["actions"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_action_detail_queries_flat(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    action = ActionFactory(endorsed_by=DecisionFactory(meeting=meeting))
    for _ in range(n):
        AgendaItemFactory(action=action, session__meeting=meeting)
        ActionProgressFactory(action=action, meeting=meeting, date=meeting.start_date)
    # the action, its progress notes, its agenda items, its presentation files (none: no
    # versions to read)
    with django_assert_num_queries(4):
        assert client.get(action.get_absolute_url()).status_code == 200


# -- site-wide -------------------------------------------------------------------------------


def test_unknown_url_renders_the_custom_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_sitemap_lists_published_meetings_only(client):
    published = MeetingFactory()
    hidden = MeetingFactory(is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert published.get_absolute_url() in xml
    assert hidden.get_absolute_url() not in xml


def test_pages_carry_a_canonical_link(client):
    meeting = MeetingFactory()
    html = client.get(meeting.get_absolute_url(), {"page": 1}).content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}{meeting.get_absolute_url()}">' in html


def test_meeting_list_page_last_is_the_last_page(client):
    for year in range(1990, 1990 + MEETINGS_PER_PAGE + 1):  # one more than a page
        MeetingFactory(start_date=datetime.date(year, 5, 13), end_date=datetime.date(year, 5, 14))
    response = client.get(reverse("meetings:meeting_list"), {"page": "last"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert [m.start_date.year for m in response.context["page_obj"]] == [1990]


def test_meeting_list_shows_the_next_upcoming_meetings_and_says_more_are_planned(client):
    today = timezone.localdate()
    planned = [
        MeetingFactory(
            start_date=today.replace(year=today.year + 1 + i, month=1, day=10),
            end_date=today.replace(year=today.year + 1 + i, month=1, day=11),
        )
        for i in range(UPCOMING_SHOWN + 1)
    ]
    response = client.get(reverse("meetings:meeting_list"))
    assert response.context["upcoming"] == planned[:UPCOMING_SHOWN]
    assert "More meetings are planned after these" in response.content.decode()
    last_year = str(planned[-1].start_date.year)
    response = client.get(reverse("meetings:meeting_list"), {"year": last_year})
    assert response.context["upcoming"] == [planned[-1]]
    assert "More meetings are planned" not in response.content.decode()
