"""A meeting's control page: its stages with the figures of the rules that own them
(`attendance_summary`, `seats_left`, the invitations' states, the check-in count), its tools
as the user's permissions allow, and the live check-in count it refreshes."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from anso.models import OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import Capacity, ParticipationStatus
from meetings.attendance.selectors import attendance_counts, attendance_summary
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from meetings.workbench.selectors import StageState, meeting_control
from members.models import MembershipStatus

from ..factories import (
    AgendaItemFactory,
    DocumentFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    RegistrationWindowFactory,
    SessionFactory,
    UserFactory,
)
from ..staff_helpers import landing

pytestmark = pytest.mark.django_db


def url(name, meeting):
    return reverse(
        f"meetings:{name}", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


def control_url(meeting) -> str:
    return url("meeting_control", meeting)


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1)


def status_count(html: str, status: str) -> int:
    match = re.search(rf'<tr data-status="{status}"><th scope="row">[^<]*</th><td>(\d+)<', html)
    assert match, f"no row for {status}"
    return int(match.group(1))


def check_in_count(html: str) -> tuple[int, int]:
    paragraph = re.search(r'id="check-in-count".*?</p>', html, re.DOTALL).group(0)
    attended = re.search(r'data-count="attended">(\d+)<', paragraph).group(1)
    registered = re.search(r'data-count="registered">(\d+)<', paragraph).group(1)
    return int(attended), int(registered)


def stage_section(html: str, key: str) -> str:
    return re.search(rf'<section [^>]*id="stage-{key}".*?</section>', html, re.DOTALL).group(0)


def is_current(html: str, key: str) -> bool:
    opening = re.search(rf'<section [^>]*id="stage-{key}"[^>]*>', html).group(0)
    return 'aria-current="step"' in opening


def upcoming_meeting(**window):
    """A published meeting in thirty days whose registration is open."""
    return RegistrationWindowFactory(**window).meeting


def invite(meeting, people, *, failed=()):
    """One invitation mailing to `people`, each mail sent (or failed, for `failed`)."""
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="Invitation", body_en="{link}"
    )
    recipients = []
    for person in people:
        mail = OutgoingMail.objects.create(
            to=[person.email],
            subject="Invitation",
            status=OutgoingMailStatus.FAILED if person in failed else OutgoingMailStatus.SENT,
        )
        recipients.append(
            MailingRecipient.objects.create(
                mailing=mailing, person=person, address=person.email, mail=mail
            )
        )
    return recipients


def seeded(meeting, *, invited: int = 4):
    """Participations in every status but attended, and invitations: one invitee registered,
    one declined, one whose mail failed, the others not answered."""
    for status, count in (
        (ParticipationStatus.REGISTERED, 3),
        (ParticipationStatus.CONFIRMED, 2),
        (ParticipationStatus.CANCELLED, 1),
        (ParticipationStatus.WAITLISTED, 2),
    ):
        for _ in range(count):
            ParticipationFactory(meeting=meeting, status=status)
    people = [PersonFactory() for _ in range(invited)]
    recipients = invite(meeting, people, failed=people[2:3])
    ParticipationFactory(meeting=meeting, person=people[0], status=ParticipationStatus.REGISTERED)
    recipients[1].declined_at = timezone.now()
    recipients[1].save()
    return people


# --- figures -----------------------------------------------------------------------------


def test_control_page_shows_registrations_by_status_capacity_and_seats_left(secretariat_client):
    meeting = upcoming_meeting(capacity=10)
    seeded(meeting)
    response = secretariat_client.get(control_url(meeting))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert status_count(html, "registered") == 4  # three, and the invitee who registered
    assert status_count(html, "confirmed") == 2
    assert status_count(html, "attended") == 0
    assert status_count(html, "cancelled") == 1
    assert status_count(html, "waitlisted") == 2
    assert figure(html, "registered") == "6"
    assert figure(html, "capacity") == "10"
    assert figure(html, "seats-left") == "4"
    assert figure(html, "waiting-list") == "2"
    assert "Registration is open until" in stage_section(html, "registrations")


def test_control_page_counts_invitations_answered_and_not(secretariat_client):
    meeting = upcoming_meeting()
    seeded(meeting, invited=5)
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert figure(html, "invited") == "5"
    assert figure(html, "invitations-registered") == "1"
    assert figure(html, "declined") == "1"
    assert figure(html, "not-answered") == "3"  # two sent, one failed
    assert "The mail to 1 person failed." in stage_section(html, "invitations")
    # Invitations waiting for answers are where the Secretariat stands.
    assert is_current(html, "invitations")


def test_control_page_without_invitations_or_window_says_not_started(secretariat_client):
    meeting = MeetingFactory(
        start_date=timezone.localdate() + datetime.timedelta(days=60),
        end_date=timezone.localdate() + datetime.timedelta(days=61),
        is_published=False,
    )
    html = secretariat_client.get(control_url(meeting)).content.decode()
    control = meeting_control(meeting=meeting)
    assert [stage.state for stage in control.stage_list] == [
        StageState.NOT_STARTED,  # nothing entered
        StageState.NOT_STARTED,
        StageState.NOT_STARTED,
        StageState.NOT_STARTED,
        StageState.NOT_STARTED,
        StageState.NOT_STARTED,
    ]
    assert is_current(html, "programme")
    assert "Nobody has been invited to this meeting from the site yet." in html
    assert "it takes no registrations on the site" in html
    assert 'data-figure="capacity"' not in html
    assert 'data-figure="seats-left"' not in html


def test_programme_figures_count_sessions_agenda_items_and_documents(secretariat_client):
    meeting = upcoming_meeting()
    sessions = SessionFactory.create_batch(2, meeting=meeting)
    AgendaItemFactory.create_batch(3, session=sessions[0])
    AgendaItemFactory(session=sessions[1])
    DocumentFactory.create_batch(2, meeting=meeting)
    DocumentFactory()  # another meeting's
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert figure(html, "sessions") == "2"
    assert figure(html, "agenda-items") == "4"
    assert figure(html, "documents") == "2"
    assert meeting_control(meeting=meeting).stages["programme"].state == StageState.DONE


def test_check_in_count_is_the_check_in_pages(secretariat_client):
    """During the meeting: the count is `attendance_counts`, the check-in page's own, and it
    is refreshed from the live address."""
    today = timezone.localdate()
    meeting = MeetingFactory(start_date=today, end_date=today + datetime.timedelta(days=1))
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.ATTENDED)
    ParticipationFactory.create_batch(2, meeting=meeting, status=ParticipationStatus.CONFIRMED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.WAITLISTED)
    html = secretariat_client.get(control_url(meeting)).content.decode()
    counts = attendance_counts(meeting_id=meeting.pk)
    assert check_in_count(html) == (counts.attended, counts.registered) == (3, 5)
    check_in_page = secretariat_client.get(url("check_in", meeting)).content.decode()
    assert check_in_count(check_in_page) == (3, 5)
    section = stage_section(html, "check_in")
    assert f'data-live-url="{url("meeting_control_check_in", meeting)}"' in section
    assert is_current(html, "check_in")
    assert re.search(r'class="control-state-label">([^<]*)<', section).group(1) == "Open"


def test_a_past_meeting_shows_check_in_closed_with_the_final_figures(secretariat_client):
    meeting = MeetingFactory()  # May 2019
    ParticipationFactory.create_batch(4, meeting=meeting, status=ParticipationStatus.ATTENDED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.ABSENT)
    html = secretariat_client.get(control_url(meeting)).content.decode()
    section = stage_section(html, "check_in")
    assert check_in_count(html) == (4, 5)
    assert "data-live-url" not in section
    assert "Check-in is closed: these are the final figures." in section
    control = meeting_control(meeting=meeting)
    assert control.stages["check_in"].state == StageState.CLOSED
    assert control.stages["statistics"].state == StageState.DONE
    assert is_current(html, "report")


def test_statistics_figures_are_the_attendance_summary(secretariat_client):
    meeting = MeetingFactory()
    for country in ("CN", "KE", "KE"):
        organization = OrganizationFactory(
            membership_status=MembershipStatus.MEMBER, country=country
        )
        ParticipationFactory(
            meeting=meeting,
            person=PersonFactory(organization=organization),
            organization=organization,
            country=country,
            capacity=Capacity.DELEGATE,
        )
    partner = OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    ParticipationFactory.create_batch(2, meeting=meeting, organization=partner, country="TH")
    summary = attendance_summary(meeting_id=meeting.pk)
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert figure(html, "participants") == str(summary.attended) == "5"
    assert figure(html, "member-organizations") == str(summary.member_organizations) == "3"
    assert figure(html, "countries") == str(summary.countries) == "3"
    assert "3 member-organization delegates attended." in stage_section(html, "statistics")


def test_report_stage_says_whether_a_summary_is_published(secretariat_client):
    meeting = MeetingFactory()
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert "No summary is published yet" in stage_section(html, "report")
    meeting.summary_en = "The meeting agreed on the action plan."
    meeting.save()
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert "A summary is published on the meeting's public page." in stage_section(html, "report")
    assert meeting_control(meeting=meeting).stages["report"].state == StageState.DONE


# --- tools and permissions ---------------------------------------------------------------


def test_control_page_links_every_tool_for_the_secretariat(secretariat_client):
    meeting = upcoming_meeting()
    html = secretariat_client.get(control_url(meeting)).content.decode()
    changelist = reverse("admin:meetings_participation_changelist")
    for href in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        f"{reverse('admin:meetings_document_changelist')}?meeting={meeting.pk}",
        meeting.get_absolute_url(),
        url("invitation_list", meeting),
        url("invitation_compose", meeting),
        f"{changelist}?meeting={meeting.pk}",
        f"{changelist}?meeting={meeting.pk}&amp;status__exact=waitlisted",
        url("check_in", meeting),
        url("participant_list_print", meeting),
        reverse("meetings:statistics"),
        url("report", meeting),
    ):
        assert f'href="{href}"' in html, href
    # The admin's look: its breadcrumbs, and no public menu.
    breadcrumbs = re.search(r'<ol class="breadcrumbs">.*?</ol>', html, re.DOTALL).group(0)
    crumbs = [re.sub(r"<[^>]+>", "", item).strip() for item in breadcrumbs.split("</li>")[:-1]]
    assert crumbs == ["Home", meeting.title, "Control page"]
    assert "navbar-nav" not in html


def test_the_public_page_is_linked_only_once_published(secretariat_client):
    meeting = MeetingFactory(is_published=False)
    html = secretariat_client.get(control_url(meeting)).content.decode()
    assert 'id="tool-public-page"' not in html


def test_tools_the_user_may_not_use_are_hidden(client):
    """Staff with nothing but "view meeting": the page, without the tools they lack."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    meeting = upcoming_meeting()
    response = client.get(control_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    for tool in (
        "tool-documents",
        "tool-invitations",
        "tool-invite",
        "tool-participants",
        "tool-waiting-list",
        "tool-check-in",
        "tool-participant-list",
        "tool-statistics",
        "tool-report",
    ):
        assert f'id="{tool}"' not in html, tool
    assert "The meeting in the admin" in html


def test_the_composer_is_hidden_without_the_permission_to_send(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_meeting", "view_mailing"])
    )
    client.force_login(user)
    html = client.get(control_url(upcoming_meeting())).content.decode()
    assert 'id="tool-invitations"' in html
    assert 'id="tool-invite"' not in html


@pytest.mark.parametrize("name", ["meeting_control", "meeting_control_check_in"])
def test_outsiders_are_refused_and_anonymous_visitors_sent_to_sign_in(
    client, outsider_staff_user, name
):
    meeting = MeetingFactory()
    response = client.get(url(name, meeting))
    assert landing(response) == reverse("admin:login")
    client.force_login(outsider_staff_user)
    assert client.get(url(name, meeting)).status_code == 403


def test_an_unknown_meeting_is_not_found(secretariat_client):
    response = secretariat_client.get(
        reverse("meetings:meeting_control", kwargs={"year": 2019, "slug": "no-such-meeting"})
    )
    assert response.status_code == 404


def test_the_page_loads_its_script_and_style_from_files(secretariat_client):
    """The content security policy refuses inline scripts and styles."""
    html = secretariat_client.get(control_url(upcoming_meeting())).content.decode()
    assert "/static/js/control.js" in html
    assert "/static/css/control.css" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html


def test_the_page_reads_in_chinese(secretariat_client):
    meeting = upcoming_meeting()
    with translation.override("zh-hans"):
        address = control_url(meeting)
    assert address.startswith("/zh-hans/")
    html = secretariat_client.get(address).content.decode()
    assert "控制页" in html
    assert "议程和文件" in html


# --- the way in ----------------------------------------------------------------------------


def test_the_meeting_admin_links_to_the_control_page(secretariat_client):
    meeting = MeetingFactory()
    change = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert f'href="{control_url(meeting)}"' in change.content.decode()
    changelist = secretariat_client.get(reverse("admin:meetings_meeting_changelist"))
    assert f'href="{control_url(meeting)}"' in changelist.content.decode()


# --- the live count ------------------------------------------------------------------------


def test_the_live_count_answers_the_check_in_count_as_json(secretariat_client, secretariat_user):
    today = timezone.localdate()
    meeting = MeetingFactory(start_date=today, end_date=today)
    participations = ParticipationFactory.create_batch(
        3, meeting=meeting, status=ParticipationStatus.CONFIRMED
    )
    response = secretariat_client.get(url("meeting_control_check_in", meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {"attended": 0, "registered": 3}
    secretariat_client.post(
        reverse(
            "meetings:check_in_toggle",
            kwargs={"year": today.year, "slug": meeting.slug, "pk": participations[0].pk},
        ),
        {"action": "check_in"},
    )
    assert secretariat_client.get(url("meeting_control_check_in", meeting)).json() == {
        "attended": 1,
        "registered": 3,
    }


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 25])
def test_control_page_queries_are_flat(secretariat_client, django_assert_num_queries, n):
    meeting = upcoming_meeting(capacity=100)
    SessionFactory.create_batch(n, meeting=meeting)
    DocumentFactory.create_batch(n, meeting=meeting)
    ParticipationFactory.create_batch(n, meeting=meeting, status=ParticipationStatus.ATTENDED)
    ParticipationFactory.create_batch(n, meeting=meeting, status=ParticipationStatus.WAITLISTED)
    invite(meeting, [PersonFactory() for _ in range(n)])
    secretariat_client.get(control_url(meeting))  # the session's and permissions' first reads
    with django_assert_num_queries(QUERIES):
        response = secretariat_client.get(control_url(meeting))
    assert response.status_code == 200
    assert figure(response.content.decode(), "invited") == str(n)


#: The session and user (2), the user's permissions (2), the meeting (1), the page's eight reads
#: (programme, invitations, window, seats left, by status, and the attendance summary's three),
#: and the meeting's latest batches of papers (1).
QUERIES = 14


@pytest.mark.parametrize("n", [1, 25])
def test_meeting_control_selector_queries_are_flat(django_assert_num_queries, n):
    meeting = upcoming_meeting(capacity=100)
    ParticipationFactory.create_batch(n, meeting=meeting, status=ParticipationStatus.ATTENDED)
    invite(meeting, [PersonFactory() for _ in range(n)])
    with django_assert_num_queries(8):
        control = meeting_control(meeting=meeting)
    assert control.attendance.attended == n
    assert control.registrations.seats_left == 100 - n


# --- where the meeting stands ---------------------------------------------------------------


def current_stage(meeting) -> str:
    [current] = [
        stage.key for stage in meeting_control(meeting=meeting).stage_list if stage.current
    ]
    return current


def test_with_registration_open_and_every_invitation_answered_registrations_are_current():
    meeting = upcoming_meeting()
    [recipient] = invite(meeting, [PersonFactory()])
    recipient.declined_at = timezone.now()
    recipient.save()
    control = meeting_control(meeting=meeting)
    assert control.stages["invitations"].state == StageState.DONE
    assert control.stages["registrations"].state == StageState.OPEN
    assert current_stage(meeting) == "registrations"


def test_before_registration_opens_the_stage_after_the_programme_is_invitations():
    now = timezone.now()
    meeting = upcoming_meeting(
        opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=9)
    )
    control = meeting_control(meeting=meeting)
    assert control.stages["registrations"].state == StageState.NOT_STARTED
    assert current_stage(meeting) == "invitations"


def test_once_registration_has_closed_before_the_meeting_check_in_is_next():
    now = timezone.now()
    meeting = upcoming_meeting(
        opens_at=now - datetime.timedelta(days=9), closes_at=now - datetime.timedelta(days=2)
    )
    control = meeting_control(meeting=meeting)
    assert control.stages["registrations"].state == StageState.CLOSED
    assert control.stages["check_in"].state == StageState.NOT_STARTED
    assert current_stage(meeting) == "check_in"


def test_an_unpublished_meeting_with_a_programme_is_in_preparation(secretariat_client):
    meeting = upcoming_meeting()
    meeting.is_published = False
    meeting.save()
    SessionFactory(meeting=meeting)
    control = meeting_control(meeting=meeting)
    assert control.stages["programme"].state == StageState.IN_PREPARATION
    html = secretariat_client.get(control_url(meeting)).content.decode()
    # Registration is open on its dates, but nobody can register for an unpublished meeting.
    assert "This meeting does not take registrations." in stage_section(html, "registrations")
