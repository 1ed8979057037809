"""The record of a meeting from end to end (docs/record.md): the Secretariat circulates the
minutes in the admin; the worker mails each member of the working group their personal link
(to a real SMTP server, aiosmtpd); a contact person comments on a part through their link;
the Secretariat takes the comment in beside the text and opens a vote by written procedure;
the worker mails the ballot links; two contact persons vote through the links they received;
the vote is closed and its result appears on the meeting's public page."""

import datetime
import math
import re

import pytest
from django.utils import timezone

from meetings.models import DecisionState
from meetings.record.comment_models import CommentDecision, MinutesComment
from meetings.record.votes.models import Ballot, Vote
from members.models import BodyKind, Organization

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..factories import BodyFactory, MeetingFactory
from ..meetings.invitations.helpers import working_group
from ..meetings.record.test_minutes import _written
from ..meetings.record.votes_helpers import open_vote
from .test_secretariat_morning import DESKTOP, sign_in
from .test_visa_letter_path import run_action, run_worker_in_its_own_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT_LINK = re.compile(r"https?://\S+/minutes/comments/\S+/")
BALLOT_LINK = re.compile(r"https?://\S+/votes/\S+/")
COMMENT = "Please name the chair of the opening session."


def links_in(messages, pattern) -> dict[str, str]:
    """Each recipient's link, from the plain part of the mail they received."""
    links = {}
    for message in messages:
        (link,) = pattern.findall(message.get_body(preferencelist=("plain",)).get_content())
        links[message["To"]] = link
    return links


def test_minutes_circulated_commented_then_a_vote_to_its_public_result(
    browser, page, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    members = working_group(3, body=BodyFactory(kind=BodyKind.WORKING_GROUP))
    minutes = _written(MeetingFactory(is_published=True))
    minutes.comments_until = timezone.localdate() + datetime.timedelta(days=7)
    minutes.save()
    first_part = minutes.parts.order_by("order").first()

    # The Secretariat circulates the minutes; the worker mails each member their link.
    context, admin = sign_in(browser, live_server, DESKTOP)
    run_action(admin, f"{live_server.url}/admin/meetings/minutes/", "Circulate to the members")
    admin.get_by_text("1 set of minutes circulated.").wait_for()
    with smtp_server(port) as inbox:
        run_worker_in_its_own_thread()
    comment_links = links_in(inbox.messages, COMMENT_LINK)
    assert set(comment_links) == {person.email for person in members}

    # A contact person comments on the first part, signed in by their link.
    page.goto(comment_links[members[0].email])
    part = page.locator(f"#part-{first_part.pk}")
    part.get_by_label("Your comment on this part").fill(COMMENT)
    part.get_by_role("button", name="Send the comment").click()
    page.get_by_text("Thank you: your comment is sent to the Secretariat.").wait_for()

    # The Secretariat sees it beside the text and takes it in.
    admin.goto(f"{live_server.url}/admin/meetings/minutes/{minutes.pk}/change/")
    admin.locator("#minutes-comments-link").click()
    row = admin.locator(f"#part-{first_part.pk}")
    row.get_by_text(COMMENT).wait_for()
    row.get_by_label("Note").fill("Added to the opening.")
    row.get_by_role("button", name="Take in", exact=True).click()
    admin.get_by_text("The decision is recorded.").wait_for()
    assert MinutesComment.objects.get().decision == CommentDecision.TAKEN_IN

    # It opens the vote set up on a decision of the meeting; the worker mails the ballots.
    vote = open_vote(opened_at=None)
    run_action(
        admin,
        f"{live_server.url}/admin/meetings/vote/",
        "Open the selected votes (mails the ballot links)",
    )
    admin.get_by_text("1 vote opened.").wait_for()
    with smtp_server(port) as inbox:
        run_worker_in_its_own_thread()
    ballot_links = links_in(inbox.messages, BALLOT_LINK)
    assert set(ballot_links) == {person.email for person in members}
    assert all(link.startswith(live_server.url) for link in ballot_links.values())

    # Two contact persons vote through the links they received.
    for person, choice in ((members[0], "Yes"), (members[1], "Yes")):
        page.goto(ballot_links[person.email])
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Cast the ballot").click()
        page.get_by_text(f"The ballot of {person.organization.name} is cast").wait_for()
    assert Ballot.objects.filter(vote=vote).count() == 2

    # Closed, the decision is adopted and the result is on the meeting's public page.
    run_action(
        admin,
        f"{live_server.url}/admin/meetings/vote/",
        "Close the selected votes (counts them, mails the result)",
    )
    admin.get_by_text("1 vote closed.").wait_for()
    context.close()
    vote = Vote.objects.get()
    assert vote.decision.state == DecisionState.ADOPTED
    page.goto(f"{live_server.url}{vote.decision.meeting.get_absolute_url()}")
    page.get_by_role("link", name="Result of the vote").click()
    # The member organizations on the vote's date (the three of the working group, and the
    # organization the meetings' factory makes, which has no contact person), a quorum of
    # half; two took part, both yes.
    electorate = Organization.objects.members_on(vote.electorate_date).count()
    quorum = math.ceil(electorate / 2)
    assert page.locator("#result-yes").inner_text() == "2"
    assert (
        f"2 of {electorate} member organizations took part; the quorum was {quorum}. "
        "Quorum reached."
    ) in page.locator("main").inner_text()
    assert page.locator("#result-outcome").inner_text() == "The decision is adopted."
