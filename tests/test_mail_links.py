"""Every kind of mail the site sends, as a real SMTP server (aiosmtpd) receives it from the
worker: each link, in the text part, the HTML part and the headers, is absolute and on
SITE_URL. The requests that cause them name another host, and the waiting list moved up by an
import has no request at all (the worker runs the import)."""

import datetime
import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anso.background.imports import import_job_confirm, import_job_create
from anso.models import ImportJob, ImportJobStatus, OutgoingMail
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.record.actions.reminders import action_reminders_send
from meetings.record.votes import services as votes
from meetings.record.votes.models import Vote
from members.models import BodyKind
from members.nominations import services as nominations
from members.nominations.models import Nomination, NominationStatus
from tests.anso.smtp import free_port, smtp_mailers, smtp_server
from tests.factories import (
    ActionFactory,
    BodyFactory,
    MeetingFactory,
    NominationFactory,
    OrganizationFactory,
)
from tests.meetings.invitations.helpers import (
    compose_url,
    composer_data,
    open_meeting,
    remind_url,
    working_group,
)
from tests.meetings.record.test_minutes import _written
from tests.meetings.record.votes_helpers import electorate, open_vote
from tests.meetings.test_registration import form_data as registration_form_data
from tests.members.test_nomination_views import form_data as nomination_form

SITE = "https://anso.example.org"
#: The host the visitors' requests name: never the one in the links.
REQUEST_HOST = "localhost:8400"

ABSOLUTE = re.compile(r"""https?://[^\s<>"']+""")
HREF = re.compile(r"""href=["']([^"']*)["']""")
#: A path of the site standing alone: a relative link.
RELATIVE = re.compile(r"""(?:^|[\s<>"'(=])(/(?:en|zh-hans|admin|announcements)/[^\s<>"']*)""")

pytestmark = pytest.mark.django_db(transaction=True)


def links_of(message) -> tuple[list[str], list[str]]:
    """The links of a message (both parts and its headers: addresses and every href), and the
    paths of the site that stand alone."""
    texts = [
        part.get_content()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    ]
    texts += [str(value) for name, value in message.items() if name.lower().startswith("list-")]
    absolute, relative = [], []
    for text in texts:
        absolute += ABSOLUTE.findall(text)
        absolute += HREF.findall(text)
        relative += RELATIVE.findall(text)
    return absolute, relative


def registration_form(email: str, given_name: str) -> dict:
    return registration_form_data(email=email, given_name=given_name)


def test_every_mail_links_absolutely_to_site_url(settings, secretariat_user):
    settings.SITE_URL = SITE
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    visitor = Client(HTTP_HOST=REQUEST_HOST)
    staff = Client(HTTP_HOST=REQUEST_HOST)
    staff.force_login(secretariat_user)
    members = working_group(2)
    BodyFactory(kind=BodyKind.WORKING_GROUP)
    meeting = open_meeting(capacity=2)
    kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    register = reverse("meetings:registration_create", kwargs=kwargs)
    lost_link = reverse("meetings:registration_link_request", kwargs=kwargs)
    received: dict[str, list] = {}

    with smtp_server(port) as inbox:

        def mails_of(kind: str, action) -> None:
            before = len(inbox.messages)
            response = action()
            assert response is None or response.status_code in (200, 302), kind
            received[kind] = inbox.messages[before:]
            assert received[kind], f"no mail: {kind}"

        mails_of(
            "registration confirmed",
            lambda: visitor.post(register, registration_form("amina@example.org", "Amina")),
        )
        mails_of(
            "already registered",
            lambda: visitor.post(register, registration_form("amina@example.org", "Amina")),
        )
        mails_of("lost link", lambda: visitor.post(lost_link, {"email": "amina@example.org"}))
        visitor.post(register, registration_form("li@example.org", "Li"))
        mails_of(
            "waiting list",
            lambda: visitor.post(register, registration_form("wang@example.org", "Wang")),
        )
        assert Participation.objects.get(person__email="wang@example.org").status == (
            ParticipationStatus.WAITLISTED
        )

        def import_cancelling_li():
            job = import_job_create(
                user=secretariat_user,
                model_label="meetings.participation",
                resource_path="meetings.attendance.resources.ParticipantResource",
                input_format="csv",
                file_name="participants.csv",
                data=(
                    "meeting,email,given_name,family_name,country,capacity,status\n"
                    f"{meeting.slug},li@example.org,Li,Sample,KE,guest,cancelled\n"
                ).encode(),
            )
            assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.CHECKED
            assert import_job_confirm(job_pk=job.pk, model_label="meetings.participation")
            assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.DONE

        mails_of("moved up from the waiting list by an import", import_cancelling_li)
        assert [m["To"] for m in received["moved up from the waiting list by an import"]] == [
            "wang@example.org"
        ]

        (manage,) = [
            link for link in links_of(received["lost link"][0])[0] if "/registration/" in link
        ]
        mails_of("cancelled", lambda: visitor.post(manage.removeprefix(SITE), {"cancel": "1"}))

        organization = OrganizationFactory()
        mails_of(
            "nomination to confirm",
            lambda: visitor.post(
                reverse("members:nomination_create"),
                nomination_form(organization),
            ),
        )
        mails_of(
            "nomination link again",
            lambda: visitor.post(
                reverse("members:nomination_resend"), {"email": "joseph@example.org"}
            ),
        )
        (confirm,) = [
            link
            for link in links_of(received["nomination to confirm"][0])[0]
            if "/confirm/" in link
        ]
        mails_of("nomination to review", lambda: visitor.post(confirm.removeprefix(SITE)))
        nomination = Nomination.objects.get(status=NominationStatus.AWAITING_REVIEW)
        mails_of(
            "nomination approved",
            lambda: (
                nominations.nomination_approve(nomination=nomination, reviewer=secretariat_user)
                and None
            ),
        )
        mails_of(
            "nomination rejected",
            lambda: (
                nominations.nomination_reject(
                    nomination=NominationFactory(status=NominationStatus.AWAITING_REVIEW),
                    reviewer=secretariat_user,
                    reason="Not a member organization.",
                )
                and None
            ),
        )

        mails_of(
            "members' sign-in link",
            lambda: visitor.post(reverse("members:member_sign_in"), {"email": members[0].email}),
        )

        invited = open_meeting()
        mails_of("invitation", lambda: staff.post(compose_url(invited), composer_data(send="1")))
        # A reminder is offered once those invited had time to answer.
        OutgoingMail.objects.update(sent_at=F("sent_at") - datetime.timedelta(days=3))
        mails_of("reminder", lambda: staff.post(remind_url(invited)))
        mails_of(
            "announcement",
            lambda: staff.post(
                reverse("meetings:announcement_compose"),
                {
                    "group": "working_group",
                    "subject_en": "The report is published",
                    "body_en": "Dear {name},\n\nThe report is on the site.",
                    "send": "1",
                },
            ),
        )
        minutes = _written(MeetingFactory())
        mails_of(
            "minutes circulated for comments",
            lambda: staff.post(
                reverse("admin:meetings_minutes_changelist"),
                {"action": "circulate_selected", "_selected_action": [minutes.pk]},
            ),
        )

        owner = members[0]
        ActionFactory(owner_person=owner, due_date=timezone.localdate())
        mails_of("action reminder", lambda: action_reminders_send() and None)
        # Votes by written procedure: opened by the Secretariat, then the upkeep's reminder
        # and its closing with the result; none has a request.
        electorate(2)
        vote = open_vote(opened_at=None, closes_at=timezone.now() + datetime.timedelta(hours=1))
        mails_of("vote opened", lambda: votes.vote_open(vote=vote) and None)
        mails_of("vote reminder", lambda: votes.votes_remind() and None)
        Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now())
        mails_of("vote result", lambda: votes.votes_close_due() and None)

    with_links = set(received) - {"nomination approved", "nomination rejected"}
    for kind, messages in received.items():
        for message in messages:
            absolute, relative = links_of(message)
            assert relative == [], (kind, relative)
            assert absolute or kind not in with_links, kind
            for link in absolute:
                assert link.startswith(SITE + "/"), (kind, link)
            assert REQUEST_HOST not in message.as_string(), kind
