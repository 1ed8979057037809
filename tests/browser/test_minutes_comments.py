"""Comments on circulated minutes from end to end (docs/record.md, "Comments while
circulated"): the Secretariat circulates the minutes in the admin, the worker mails each
member of the working group their personal link (to a real SMTP server, aiosmtpd), a member
opens it and comments on a part, and the Secretariat sees the comment beside the part's text
and takes it in; the home page counts it while it waits."""

import datetime
import re

import pytest
from django.utils import timezone

from meetings.record.comment_models import CommentDecision, MinutesComment
from members.models import BodyKind

from ..anso.smtp import free_port, smtp_mailers, smtp_server
from ..factories import BodyFactory, MeetingFactory
from ..meetings.invitations.helpers import working_group
from ..meetings.record.test_minutes import _written
from .test_secretariat_morning import DESKTOP, attention, sign_in
from .test_visa_letter_path import run_action, run_worker_in_its_own_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/minutes/comments/\S+/")
COMMENT = "Please name the chair of the opening session."


def test_a_member_comments_by_link_and_the_secretariat_takes_it_in(
    browser, page, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    (member,) = working_group(1, body=BodyFactory(kind=BodyKind.WORKING_GROUP))
    minutes = _written(MeetingFactory())
    minutes.comments_until = timezone.localdate() + datetime.timedelta(days=7)
    minutes.save()
    first_part = minutes.parts.order_by("order").first()

    context, admin = sign_in(browser, live_server, DESKTOP)
    run_action(admin, f"{live_server.url}/admin/meetings/minutes/", "Circulate to the members")
    admin.get_by_text("1 set of minutes circulated.").wait_for()

    with smtp_server(port) as inbox:
        run_worker_in_its_own_thread()
    [mail] = [m for m in inbox.messages if m["To"] == member.email]
    (link,) = LINK.findall(mail.get_body(preferencelist=("plain",)).get_content())
    assert link.startswith(live_server.url)

    page.goto(link)
    part = page.locator(f"#part-{first_part.pk}")
    assert "welcomed" in part.locator("strong").first.inner_text()
    part.get_by_label("Your comment on this part").fill(COMMENT)
    part.get_by_role("button", name="Send the comment").click()
    page.get_by_text("Thank you: your comment is sent to the Secretariat.").wait_for()
    assert COMMENT in page.locator(f"#part-{first_part.pk} .own-comments").inner_text()

    admin.goto(f"{live_server.url}/admin/")
    count, _url = attention(admin)["Comments on the minutes to decide"]
    assert count == 1

    admin.goto(f"{live_server.url}/admin/meetings/minutes/{minutes.pk}/change/")
    admin.locator("#minutes-comments-link").click()
    row = admin.locator(f"#part-{first_part.pk}")
    row.get_by_text(COMMENT).wait_for()
    assert "welcomed" in row.locator(".part-text").inner_text()  # the text beside the comment
    assert member.display_name in row.inner_text()
    row.get_by_label("Note").fill("Added to the opening.")
    row.get_by_role("button", name="Take in", exact=True).click()
    admin.get_by_text("The decision is recorded.").wait_for()
    assert "Taken in" in admin.locator(f"#part-{first_part.pk} .comment-decision").inner_text()
    context.close()

    comment = MinutesComment.objects.get()
    assert comment.decision == CommentDecision.TAKEN_IN
    assert comment.note == "Added to the opening."
    assert comment.decided_by.username == "secretary"
