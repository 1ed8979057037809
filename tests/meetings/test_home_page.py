"""The Secretariat's home page (the admin's index): the "needs attention" panel, whose every
count is the number of rows its link lists; a card per coming meeting with the figures of its
control page; a query count that does not grow with the rows."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from anso.models import ImportJob, ImportJobStatus, OutgoingMail, OutgoingMailStatus
from anso.workbench import entries_for
from meetings.attendance.models import ParticipationStatus
from meetings.attendance.selectors import attendance_counts, seats_left
from meetings.models import ActionStatus
from meetings.papers.models import VisaRequest, VisaRequestStatus
from meetings.record.comment_models import CommentDecision, MinutesComment
from meetings.record.services import minutes_create
from meetings.workbench.selectors import coming_meeting_cards, meeting_control
from members.nominations.models import NominationStatus

from ..factories import (
    ActionFactory,
    DocumentFactory,
    MeetingFactory,
    NominationFactory,
    ParticipationFactory,
    PersonFactory,
)
from .test_control_page import invite, seeded, upcoming_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def visa_request(meeting, **fields):
    return VisaRequest.objects.create(
        participation=ParticipationFactory(meeting=meeting),
        passport_name="OKONKWO CHIDINMA",
        passport_number="A01234567",
        arrival=meeting.start_date,
        departure=meeting.end_date,
        **fields,
    )


def past_meeting():
    return MeetingFactory(start_date=days(-40), end_date=days(-39))


def import_job(status, **fields):
    return ImportJob.objects.create(
        model_label="members.person",
        resource_path="members.resources.PersonResource",
        input_format="csv",
        file_name="people.csv",
        status=status,
        **fields,
    )


@pytest.fixture
def busy():
    """Rows that wait for the Secretariat, and rows like them that do not."""
    coming = upcoming_meeting(capacity=20)
    seeded(coming)  # 4 registered, 2 waiting, invitations: 1 sent and 1 failed unanswered
    past = past_meeting()
    ParticipationFactory.create_batch(2, meeting=past, status=ParticipationStatus.REGISTERED)
    ParticipationFactory(meeting=past, status=ParticipationStatus.WAITLISTED)
    invite(past, [PersonFactory()])  # unanswered, but the meeting is over
    visa_request(past)  # waiting for the Secretariat's decision
    visa_request(
        past,
        status=VisaRequestStatus.REFUSED,
        refusal_reason="Registered after the meeting.",
        decided_at=timezone.now(),
    )
    NominationFactory.create_batch(2)
    NominationFactory(status=NominationStatus.UNCONFIRMED)
    OutgoingMail.objects.create(to=["a@example.org"], subject="x", status=OutgoingMailStatus.FAILED)
    now = timezone.now()
    import_job(ImportJobStatus.FAILED, finished_at=now - datetime.timedelta(hours=1))
    import_job(ImportJobStatus.FAILED, finished_at=now - datetime.timedelta(days=30))
    import_job(ImportJobStatus.CHECKING, queued_at=now - datetime.timedelta(hours=1))  # stuck
    import_job(ImportJobStatus.IMPORTING, queued_at=now)  # running
    import_job(ImportJobStatus.DONE, finished_at=now)
    today = timezone.localdate(now)
    ActionFactory.create_batch(2, due_date=today - datetime.timedelta(days=1))  # overdue
    ActionFactory(due_date=today - datetime.timedelta(days=9), status=ActionStatus.COMPLETED)
    ActionFactory(due_date=today)  # due today: not overdue yet
    ActionFactory(due_date=None)
    minutes_comment(CommentDecision.PENDING)
    minutes_comment(CommentDecision.PENDING)
    minutes_comment(CommentDecision.TAKEN_IN)
    return coming


def minutes_comment(decision: str) -> MinutesComment:
    """A member's comment on the first part of new minutes, with the Secretariat's decision."""
    minutes = minutes_create(meeting=MeetingFactory(), by=None)
    part = minutes.parts.first() or minutes.parts.create(order=1, heading="Opening")
    now = timezone.now()
    return MinutesComment.objects.create(
        part=part,
        person=PersonFactory(),
        text="Please add who chaired.",
        created_at=now,
        decision=decision,
        decided_at=None if decision == CommentDecision.PENDING else now,
    )


def attention(html: str) -> dict[str, int]:
    panel = re.search(r'<section [^>]*id="needs-attention".*?</section>', html, re.DOTALL)
    return {
        label: int(count)
        for count, label in re.findall(
            r'data-count="(\d+)">\d+</span><span class="workbench-label">([^<]+)<',
            panel.group(0),
        )
    }


def test_each_count_is_the_number_of_rows_its_link_lists(secretariat_client, busy):
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert attention(html) == {
        "Nominations awaiting review": 2,
        "Registrations awaiting a decision": 4,
        "On a waiting list": 2,
        "Invitations not yet answered": 2,
        "Mails that failed": 2,
        "Spreadsheet imports failed or stuck": 2,
        "Visa letters to review": 1,
        "Actions overdue": 2,
        "Comments on the minutes to decide": 2,
    }
    request = secretariat_client.get(reverse("admin:index")).wsgi_request
    entries = entries_for(request)
    assert len(entries) == 9
    for entry in entries:
        response = secretariat_client.get(entry.url)
        # A parameter the list does not know would redirect to every row ("?e=1").
        assert response.status_code == 200, entry.url
        changelist = response.context["cl"]
        assert changelist.result_count == len(changelist.result_list) == entry.count, entry


def test_the_panel_links_open_the_lists_with_their_filters(secretariat_client, busy):
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "/admin/members/nomination/?status__exact=awaiting_review" in html
    assert "/admin/meetings/participation/?status__exact=registered&amp;when=coming" in html
    assert "/admin/meetings/mailingrecipient/?invitation=unanswered&amp;when=coming" in html
    assert "/admin/anso/outgoingmail/?status__exact=failed" in html
    assert "/admin/anso/importjob/?attention=yes" in html
    assert "/admin/meetings/action/?overdue=yes" in html


def test_with_nothing_waiting_the_panel_is_calm(secretariat_client):
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert set(attention(html).values()) == {0}
    assert html.count("nothing waiting") == 9
    assert 'id="nothing-waiting"' in html
    assert "No meeting is coming up." in html


def test_staff_without_permissions_see_no_panel_and_no_meetings(client, outsider_staff_user):
    client.force_login(outsider_staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="needs-attention"' not in html
    assert 'id="coming-meetings"' not in html


# --- the coming meetings ---------------------------------------------------------------------


def card(html: str, meeting) -> str:
    match = re.search(
        rf'<li class="workbench-card" data-meeting="{meeting.pk}">.*?</li>\s*</ul>\s*</li>',
        html,
        re.DOTALL,
    )
    assert match, f"no card for {meeting}"
    return match.group(0)


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(.*?)</(?:dd|p)>', html, re.DOTALL)
    assert match, f"no figure {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_a_card_per_coming_meeting_soonest_first(secretariat_client):
    soon = MeetingFactory(start_date=days(3), end_date=days(4), is_published=False)
    far = MeetingFactory(start_date=days(90), end_date=days(91))
    past_meeting()
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    found = [int(pk) for pk in re.findall(r'class="workbench-card" data-meeting="(\d+)"', html)]
    assert found == [soon.pk, far.pk]
    assert figure(card(html, soon), "days") == "3 days to go"
    assert "not published" in card(html, soon)
    control = reverse(
        "meetings:meeting_control", kwargs={"year": soon.start_date.year, "slug": soon.slug}
    )
    assert control in card(html, soon)
    assert reverse("admin:meetings_meeting_change", args=[soon.pk]) in card(html, soon)


def test_a_cards_figures_are_the_control_pages(secretariat_client):
    meeting = upcoming_meeting(capacity=20)
    seeded(meeting)
    DocumentFactory.create_batch(2, meeting=meeting)
    html = card(secretariat_client.get(reverse("admin:index")).content.decode(), meeting)
    control = meeting_control(meeting=meeting)
    assert (
        figure(html, "registered")
        == (
            f"{control.attendance.registered} of 20 "
            f"{seats_left(window=meeting.registration)} seats left"
        )
        == "6 of 20 14 seats left"
    )
    assert (
        figure(html, "answered")
        == (
            f"{control.invitations.sent - control.invitations.not_answered} of "
            f"{control.invitations.sent}"
        )
        == "2 of 4"
    )
    assert figure(html, "documents") == str(control.programme.documents) == "2"
    assert 'data-figure="checked-in"' not in html  # not started


def test_a_meeting_under_way_shows_its_check_in(secretariat_client):
    meeting = MeetingFactory(start_date=TODAY(), end_date=days(1))
    ParticipationFactory.create_batch(3, meeting=meeting, status=ParticipationStatus.ATTENDED)
    ParticipationFactory.create_batch(2, meeting=meeting, status=ParticipationStatus.CONFIRMED)
    html = card(secretariat_client.get(reverse("admin:index")).content.decode(), meeting)
    counts = attendance_counts(meeting_id=meeting.pk)
    assert figure(html, "checked-in") == f"{counts.attended} of {counts.registered}" == "3 of 5"
    assert figure(html, "days") == "Under way"
    assert figure(html, "registered") == "5 no registration window"


def test_cards_read_five_queries_whatever_the_number_of_meetings(django_assert_num_queries):
    for _ in range(3):
        seeded(upcoming_meeting(capacity=5))
    with django_assert_num_queries(5):
        cards = coming_meeting_cards()
    assert len(cards) == 3


#: Session and user (2), permissions (2: the user's and the group's), nine entries, the
#: coming meetings' cards (5), the recent actions (1).
HOME_PAGE_QUERIES = 19


@pytest.mark.parametrize("n", (1, 8))
def test_home_page_queries_flat(client, secretariat_user, django_assert_num_queries, n):
    """The same number of queries with one row of each kind as with eight."""
    client.force_login(secretariat_user)
    for _ in range(n):
        meeting = upcoming_meeting(capacity=30)
        seeded(meeting, invited=2)
        DocumentFactory(meeting=meeting)
        NominationFactory()
        visa_request(meeting)
        ActionFactory(due_date=meeting.start_date - datetime.timedelta(days=400))
        OutgoingMail.objects.create(to=["a@b.org"], subject="x", status=OutgoingMailStatus.FAILED)
        minutes_comment(CommentDecision.PENDING)
    client.get(reverse("admin:index"))  # the session and the permissions, as on every page
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        assert client.get(reverse("admin:index")).status_code == 200


def test_home_page_in_chinese(secretariat_client, busy):
    with translation.override("zh-hans"):
        response = secretariat_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert "需要处理" in html
    assert "即将举行的会议" in html
    assert "会议与议程" in html
