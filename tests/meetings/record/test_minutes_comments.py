"""The members' comments on circulated minutes (docs/record.md, "Comments while circulated"):
the mail to each member of the working group with their personal link, the comment page and
its refusals (closed, not circulated, another's minutes, tampered, too many posts), the
Secretariat's page beside the text and its decisions, the home page's count, and who may do
what."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from anso.models import OutgoingMail
from meetings.models import Minutes
from meetings.record import comments, comments_views, services
from meetings.record.comment_models import CommentDecision, MinutesComment
from meetings.record.models import MinutesState
from meetings.record.personal_data import ERASED_TEXT
from members.models import BodyKind, MembershipStatus, Role
from members.personal_data.hooks import export_sections
from members.personal_data.services import person_erase
from tests.anso.smtp import free_port, smtp_mailers, smtp_server
from tests.factories import (
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    PersonFactory,
    PositionFactory,
)
from tests.meetings.invitations.helpers import working_group

from .test_minutes import _written

pytestmark = pytest.mark.django_db

SITE = "https://anso.example.org"
LINK = re.compile(r"https?://\S+/minutes/comments/\S+/")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def members():
    """Two contact persons in the working group."""
    return working_group(2, body=BodyFactory(kind=BodyKind.WORKING_GROUP))


@pytest.fixture
def circulated(members) -> Minutes:
    """Minutes circulated today, comments until three days on."""
    minutes = _written(MeetingFactory())
    return services.minutes_circulate(minutes=minutes, by=None, comments_until=days(3))


def link(minutes, person) -> str:
    return comments.comment_path(minutes=minutes, person=person)


def first_part(minutes):
    return minutes.parts.order_by("order").first()


def post_comment(client, minutes, person, text="Please name the speaker.", part=None):
    part = part or first_part(minutes)
    return client.post(link(minutes, person), {"part": part.pk, "text": text})


# The mail ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_circulating_mails_each_member_their_link_on_site_url(
    secretariat_client, members, settings
):
    """Circulated in the admin: each member of the working group (and nobody else) gets a mail
    from the worker, through a real SMTP server, with a link on SITE_URL that opens their page."""
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.SITE_URL = SITE
    settings.MAIL_RATE_PER_MINUTE = 1000
    PersonFactory()  # not in the working group
    without_address = working_group(1)[0]
    without_address.email = ""
    without_address.save()
    minutes = _written(MeetingFactory())
    minutes.comments_until = days(5)
    minutes.save()
    with smtp_server(port) as inbox:
        response = secretariat_client.post(
            reverse("admin:meetings_minutes_changelist"),
            {"action": "circulate_selected", "_selected_action": [minutes.pk]},
        )
    assert response.status_code == 302
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Each member of the working group is mailed their personal link to comment." in notices
    received = {message["To"]: message for message in inbox.messages}
    assert sorted(received) == sorted(person.email for person in members)
    for person in members:
        message = received[person.email]
        assert message["Subject"] == f"Draft minutes for your comments: {minutes.meeting.title}"
        text = message.get_body(preferencelist=("plain",)).get_content()
        (url,) = LINK.findall(text)
        assert url.startswith(f"{SITE}/en/meetings/")
        assert url.removeprefix(SITE) == link(minutes, person)
        page = Client().get(url.removeprefix(SITE))
        assert page.status_code == 200
        assert person.display_name in page.content.decode()


def test_the_mail_is_in_the_members_language(
    members, mailoutbox, django_capture_on_commit_callbacks
):
    chinese = members[1]
    chinese.language = "zh-hans"
    chinese.save()
    with django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_circulate(
            minutes=_written(MeetingFactory()), by=None, comments_until=days(3)
        )
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert by_address[chinese.email].subject.startswith("征求意见")
    assert "/zh-hans/meetings/" in by_address[chinese.email].body
    assert "/en/meetings/" in by_address[members[0].email].body
    assert link(minutes, members[0]) in by_address[members[0].email].body


# The comment page ----------------------------------------------------------------------------


def test_a_comment_is_saved_through_the_link_and_shown_to_its_author_only(
    client, circulated, members
):
    author, other = members
    page = client.get(link(circulated, author))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "strict-origin"
    assert "<strong>welcomed</strong>" in html  # the part's Markdown, rendered
    assert html.count('class="comment-form"') == circulated.parts.count()

    response = post_comment(client, circulated, author, "Add who chaired.")
    assert response.status_code == 302
    comment = MinutesComment.objects.get()
    assert (comment.person, comment.part, comment.text) == (
        author,
        first_part(circulated),
        "Add who chaired.",
    )
    assert comment.decision == CommentDecision.PENDING
    assert comment.history.count() == 1
    assert "Add who chaired." in client.get(link(circulated, author)).content.decode()
    assert "Add who chaired." not in Client().get(link(circulated, other)).content.decode()


def test_comments_are_taken_on_the_last_day_and_refused_after_it(client, circulated, members):
    author = members[0]
    Minutes.objects.filter(pk=circulated.pk).update(comments_until=timezone.localdate())
    assert post_comment(client, circulated, author).status_code == 302

    Minutes.objects.filter(pk=circulated.pk).update(comments_until=days(-1))
    page = client.get(link(circulated, author)).content.decode()
    assert "Comments on these minutes closed on" in page
    assert 'class="comment-form"' not in page
    response = post_comment(client, circulated, author)
    assert response.status_code == 403
    assert "Comments on these minutes closed on" in response.content.decode()
    assert MinutesComment.objects.count() == 1


@pytest.mark.parametrize("state", [MinutesState.DRAFT, MinutesState.APPROVED])
def test_comments_are_refused_unless_the_minutes_are_circulated(client, members, state):
    minutes = _written(MeetingFactory())
    if state == MinutesState.APPROVED:  # as `minutes_approve` leaves them
        now = timezone.now()
        Minutes.objects.filter(pk=minutes.pk).update(
            state=state, circulated_at=now, approved_at=now, approved_by_decision=DecisionFactory()
        )
        minutes.refresh_from_db()
    response = post_comment(client, minutes, members[0])
    assert response.status_code == 403
    assert "comments" in response.content.decode().lower()
    assert not MinutesComment.objects.exists()
    with pytest.raises(comments.CommentRefused):
        comments.minutes_comment_add(part=first_part(minutes), person=members[0], text="x")


def test_a_link_for_other_minutes_or_tampered_is_not_found(client, circulated, members):
    other = services.minutes_circulate(minutes=_written(MeetingFactory()), by=None)
    token = comments.comment_token(minutes=other, person=members[0])
    meeting = circulated.meeting
    foreign = reverse(
        "meetings:minutes_comments",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug, "token": token},
    )
    assert client.get(foreign).status_code == 404
    assert client.post(foreign, {"part": first_part(circulated).pk, "text": "x"}).status_code == 404
    good = link(circulated, members[0])
    tampered = good.replace(f"{circulated.pk}.{members[0].pk}", f"{circulated.pk}.{members[1].pk}")
    assert tampered != good
    assert client.get(tampered).status_code == 404
    assert client.get(good[:-3] + "xx/").status_code == 404
    assert "This link is not valid" in client.get(foreign).content.decode()
    # A part of other minutes, posted through a good link, is refused too.
    response = client.post(good, {"part": first_part(other).pk, "text": "x"})
    assert response.status_code == 400
    assert not MinutesComment.objects.exists()


def test_the_link_has_a_limit_with_retry_after_and_keeps_what_was_typed(circulated, members):
    visitor = Client()
    for _n in range(comments_views.COMMENT_LINK_POSTS_PER_HOUR):
        assert post_comment(visitor, circulated, members[0], text="  ").status_code == 400
    response = post_comment(visitor, circulated, members[0], text="Typed before the limit")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    html = response.content.decode()
    assert "Too many comments through this link" in html
    assert "Typed before the limit</textarea>" in html
    assert not MinutesComment.objects.exists()
    # Another member's link is not affected.
    assert post_comment(visitor, circulated, members[1]).status_code == 302


def test_the_page_in_chinese(circulated, members):
    with translation.override("zh-hans"):
        url = link(circulated, members[0])
    html = Client().get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "工作组<strong>受到欢迎</strong>" in html
    assert "欢迎辞" in html
    assert '<div lang="en"><p>The plan was discussed.</p>' in html  # no Chinese: marked English


@pytest.mark.parametrize("n", (1, 12))
def test_comment_page_queries_flat(circulated, members, django_assert_num_queries, n):
    for _n in range(n):
        comments.minutes_comment_add(part=first_part(circulated), person=members[0], text="A")
    visitor = Client()
    url = link(circulated, members[0])
    visitor.get(url)  # the session's first request
    # The meeting (by the one rule of a meeting's pages), its minutes, the person, the parts,
    # their comments.
    with django_assert_num_queries(5):
        assert visitor.get(url).status_code == 200


# Who may comment: the working group today ---------------------------------------------------


def _left_the_working_group(person) -> None:
    """The person's working-group position ended yesterday (its last day held)."""
    person.positions.update(end_date=days(-1))


def _organization_left_the_alliance(person) -> None:
    organization = person.organization
    organization.membership_status = MembershipStatus.FORMER
    organization.left_on = days(-1)
    organization.save()


@pytest.mark.parametrize("leave", [_left_the_working_group, _organization_left_the_alliance])
def test_a_person_no_longer_in_the_working_group_gets_403_and_cannot_comment(
    client, circulated, members, leave
):
    """Their link was mailed while they were a member; the page and a post check again, on
    today's date, that they still are: a working-group position held today, a contact
    person's while their organization is a member."""
    former, member = members
    leave(former)
    page = client.get(link(circulated, former))
    assert page.status_code == 403
    assert page["Referrer-Policy"] == "strict-origin"
    html = page.content.decode()
    assert "You are no longer a member of the working group" in html
    assert 'class="comment-form"' not in html
    assert "The plan was discussed." not in html  # nor the draft itself
    response = post_comment(client, circulated, former)
    assert response.status_code == 403
    assert "You are no longer a member of the working group" in response.content.decode()
    assert not MinutesComment.objects.exists()
    # The others still comment.
    assert post_comment(client, circulated, member).status_code == 302
    assert list(MinutesComment.objects.values_list("person", flat=True)) == [member.pk]


def test_the_403_page_in_chinese(circulated, members):
    _left_the_working_group(members[0])
    with translation.override("zh-hans"):
        url = link(circulated, members[0])
    page = Client().get(url, headers={"accept-language": "zh-hans"})
    assert page.status_code == 403
    html = page.content.decode()
    assert "您已不再是工作组成员" in html
    assert "您目前已不是工作组成员" in html


def test_the_comment_service_checks_the_working_group_again(circulated, members):
    """A person who leaves between the page and the post: the service refuses the comment."""
    former = members[0]
    _left_the_working_group(former)
    with pytest.raises(comments.CommentRefused, match="Only the members of the working group"):
        comments.minutes_comment_add(part=first_part(circulated), person=former, text="x")
    assert not MinutesComment.objects.exists()


def test_an_expert_of_the_working_group_comments_without_an_organization(client, circulated):
    expert = PersonFactory(organization=None)
    PositionFactory(
        person=expert,
        role=Role.EXPERT,
        appointed_by=None,
        body=BodyFactory(kind=BodyKind.WORKING_GROUP),
    )
    assert client.get(link(circulated, expert)).status_code == 200
    assert post_comment(client, circulated, expert).status_code == 302
    assert MinutesComment.objects.get().person == expert


def test_the_contact_person_of_an_organization_no_longer_a_member_is_not_mailed(members):
    """The mail goes to whom the page takes comments from, on the day of the circulation."""
    _organization_left_the_alliance(members[0])
    mailed = comments.members_to_mail(date=timezone.localdate())
    assert list(mailed) == [members[1]]


# Never public --------------------------------------------------------------------------------


def test_comments_and_their_authors_are_never_on_the_public_pages(client, circulated, members):
    author = members[0]
    author.email = "commenter@example.org"
    author.save()
    comments.minutes_comment_add(part=first_part(circulated), person=author, text="Secret remark")
    Minutes.objects.filter(pk=circulated.pk).update(state=MinutesState.DRAFT)
    meeting = circulated.meeting
    meeting.is_published = True
    meeting.save()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Secret remark" not in html and "commenter@example.org" not in html


# Constraints ---------------------------------------------------------------------------------


def test_constraints_refuse_an_empty_comment_and_a_decision_without_a_date(circulated, members):
    part, person = first_part(circulated), members[0]
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesComment.objects.create(part=part, person=person, text="", created_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesComment.objects.create(
            part=part, person=person, text="x", created_at=now, decision=CommentDecision.TAKEN_IN
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesComment.objects.create(
            part=part, person=person, text="x", created_at=now, decided_at=now
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesComment.objects.create(
            part=part, person=person, text="x", created_at=now, decision="maybe"
        )


# The Secretariat -----------------------------------------------------------------------------


def comments_page(minutes) -> str:
    return reverse("admin:meetings_minutes_comments", args=[minutes.pk])


def test_the_secretariat_sees_the_comments_beside_the_text_and_takes_one_in(
    secretariat_client, circulated, members
):
    comment = comments.minutes_comment_add(
        part=first_part(circulated), person=members[0], text="Add who chaired."
    )
    change = secretariat_client.get(reverse("admin:meetings_minutes_change", args=[circulated.pk]))
    assert comments_page(circulated) in change.content.decode()
    page = secretariat_client.get(comments_page(circulated))
    html = page.content.decode()
    assert page.status_code == 200
    row = re.search(rf'<tr id="part-{comment.part_id}">.*?</tr>', html, re.S).group(0)
    assert "<strong>welcomed</strong>" in row and "Add who chaired." in row
    assert members[0].display_name in row
    assert "1 comment waits for a decision." in html

    response = secretariat_client.post(
        comments_page(circulated),
        {"comment": comment.pk, "decision": "taken_in", "note": "Added to the part."},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.decision == CommentDecision.TAKEN_IN
    assert comment.note == "Added to the part."
    assert comment.decided_by.username == "secretariat" and comment.decided_at
    latest = comment.history.latest()
    assert latest.history_user.username == "secretariat"
    assert latest.history_change_reason == "decided: taken_in"


def test_the_admin_actions_mark_comments(secretariat_client, circulated, members):
    taken, left = (
        comments.minutes_comment_add(part=first_part(circulated), person=person, text="x")
        for person in members
    )
    changelist = reverse("admin:meetings_minutescomment_changelist")
    for action, comment in (("mark_taken_in", taken), ("mark_not_taken_in", left)):
        secretariat_client.post(changelist, {"action": action, "_selected_action": [comment.pk]})
    taken.refresh_from_db()
    left.refresh_from_db()
    assert (taken.decision, left.decision) == (
        CommentDecision.TAKEN_IN,
        CommentDecision.NOT_TAKEN_IN,
    )
    assert left.decided_by.username == "secretariat"


def test_a_comment_of_other_minutes_is_not_decided_on_this_page(
    secretariat_client, circulated, members
):
    other = services.minutes_circulate(minutes=_written(MeetingFactory()), by=None)
    comment = comments.minutes_comment_add(part=first_part(other), person=members[0], text="x")
    secretariat_client.post(
        comments_page(circulated), {"comment": comment.pk, "decision": "taken_in"}
    )
    comment.refresh_from_db()
    assert comment.decision == CommentDecision.PENDING


def test_staff_outside_the_secretariat_get_403(client, outsider_staff_user, circulated, members):
    comment = comments.minutes_comment_add(part=first_part(circulated), person=members[0], text="x")
    client.force_login(outsider_staff_user)
    assert client.get(comments_page(circulated)).status_code == 403
    response = client.post(
        comments_page(circulated), {"comment": comment.pk, "decision": "taken_in"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.decision == CommentDecision.PENDING
    anonymous = Client().get(comments_page(circulated))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_staff_who_may_only_view_comments_cannot_decide(
    client, outsider_staff_user, circulated, members
):
    outsider_staff_user.user_permissions.add(Permission.objects.get(codename="view_minutescomment"))
    comment = comments.minutes_comment_add(part=first_part(circulated), person=members[0], text="x")
    client.force_login(outsider_staff_user)
    page = client.get(comments_page(circulated))
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()
    response = client.post(
        comments_page(circulated), {"comment": comment.pk, "decision": "taken_in"}
    )
    assert response.status_code == 403


def test_the_home_page_counts_the_comments_to_decide(secretariat_client, circulated, members):
    pending = [
        comments.minutes_comment_add(part=first_part(circulated), person=person, text="x")
        for person in members
    ]
    comments.minutes_comment_decide(comment=pending[0], decision=CommentDecision.TAKEN_IN, by=None)
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    entry = re.search(
        r'href="([^"]+)"[^>]*>\s*<span[^>]*data-count="(\d+)">\d+</span>'
        r'<span class="workbench-label">Comments on the minutes to decide<',
        html,
    )
    assert entry is not None, "no entry for the comments"
    url, count = entry.groups()
    assert count == "1"
    listed = secretariat_client.get(url.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert [c.pk for c in listed.context["cl"].result_list] == [pending[1].pk]


@pytest.mark.parametrize("n", (1, 12))
def test_the_secretariats_comments_page_queries_flat(
    client, secretariat_user, circulated, django_assert_num_queries, n
):
    for person in working_group(n):
        comment = comments.minutes_comment_add(
            part=first_part(circulated), person=person, text="A remark."
        )
        comments.minutes_comment_decide(
            comment=comment, decision=CommentDecision.TAKEN_IN, by=secretariat_user
        )
    client.force_login(secretariat_user)
    client.get(comments_page(circulated))  # the session and the permissions
    # Session and user (2), permissions (2), the minutes, the parts, their comments.
    with django_assert_num_queries(7):
        assert client.get(comments_page(circulated)).status_code == 200


def test_circulating_without_mail_queues_none(members, django_capture_on_commit_callbacks):
    """The demo's loader circulates its minutes so: no mail to the sample members."""
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(minutes=_written(MeetingFactory()), by=None, mail_members=False)
    assert not OutgoingMail.objects.exists()


def test_a_members_comments_in_their_data_and_gone_with_their_erasure(circulated):
    """Their export lists what they wrote; erased, the comment keeps its row and the
    Secretariat's decision, without the text, in the table and its history."""
    (person,) = working_group(1)
    comment = comments.minutes_comment_add(
        part=circulated.parts.first(), person=person, text="Please name the chair."
    )
    exported = export_sections(person)["minutes_comments"]
    assert [row["text"] for row in exported] == ["Please name the chair."]
    person_erase(person=person, by=None, reason="asked by the member")
    comment.refresh_from_db()
    assert comment.text == ERASED_TEXT
    assert not MinutesComment.history.filter(text__contains="chair").exists()


def test_the_minutes_of_an_unpublished_meeting_are_not_mailed_for_comment(members):
    """The members' links open the meeting's pages, which only a published meeting has: the
    Secretariat is asked to publish it first, and nothing is mailed."""
    minutes = _written(MeetingFactory(is_published=False))
    with pytest.raises(services.MinutesRefused, match="Publish the meeting first"):
        services.minutes_circulate(minutes=minutes, by=None)
    assert not OutgoingMail.objects.exists()
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.DRAFT
