"""A vote by written procedure from end to end (docs/record.md, "Decisions and votes"): the
Secretariat opens it in the admin, the worker mails each contact person their personal link to
a real SMTP server (aiosmtpd), two of them vote through the links they received, one tries
again and is refused, the Secretariat closes the vote, and the result appears on the public
page, linked from the meeting's decisions."""

import re

import pytest

from meetings.models import DecisionState
from meetings.record.votes.models import Ballot, Vote

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..meetings.record.votes_helpers import electorate, open_vote
from .test_secretariat_morning import DESKTOP, sign_in
from .test_visa_letter_path import run_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/votes/\S+/")


def test_a_vote_from_opening_to_its_public_result(browser, page, live_server, settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    voters = electorate(3)
    vote = open_vote(opened_at=None)
    context, admin = sign_in(browser, live_server, DESKTOP)

    with smtp_server(port) as inbox:
        run_action(
            admin,
            f"{live_server.url}/admin/meetings/vote/",
            "Open the selected votes (mails the ballot links)",
        )
        admin.get_by_text("1 vote opened.").wait_for()
    links = {}
    for message in inbox.messages:
        (link,) = LINK.findall(message.get_content())
        assert link.startswith(live_server.url)
        links[message["To"]] = link
    assert set(links) == {person.email for person in voters}

    for person, choice in ((voters[0], "Yes"), (voters[1], "Abstain")):
        page.goto(links[person.email])
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Cast the ballot").click()
        page.get_by_text(f"The ballot of {person.organization.name} is cast").wait_for()
        # Cast: the form is gone, the ballot shown as final.
        assert page.get_by_role("button", name="Cast the ballot").count() == 0
        assert "A ballot is final." in page.content()
    assert Ballot.objects.count() == 2

    with smtp_server(port) as inbox:
        run_action(
            admin,
            f"{live_server.url}/admin/meetings/vote/",
            "Close the selected votes (counts them, mails the result)",
        )
        admin.get_by_text("1 vote closed.").wait_for()
    context.close()
    assert len(inbox.messages) == 3
    vote = Vote.objects.get()
    assert vote.decision.state == DecisionState.ADOPTED

    # The third contact person's link, after closing: no form, the result.
    page.goto(links[voters[2].email])
    assert page.get_by_role("button", name="Cast the ballot").count() == 0
    assert "No ballot was cast." in page.content()

    page.goto(f"{live_server.url}{vote.decision.meeting.get_absolute_url()}")
    page.get_by_role("link", name="Result of the vote").click()
    # 3 members, half: 2 must take part; 2 did (1 yes, 1 abstention); 1 yes > 0 no.
    assert page.locator("#result-yes").inner_text() == "1"
    assert page.locator("#result-abstain").inner_text() == "1"
    assert "2 of 3 member organizations took part; the quorum was 2." in page.content()
    assert page.locator("#result-outcome").inner_text() == "The decision is adopted."
    assert voters[0].organization.name in page.locator("#result-ballots").inner_text()
