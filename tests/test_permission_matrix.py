"""Every URL pattern x every role, with the status each role must get.

Walks the whole URL resolver (anso.urls), named patterns and unnamed ones. A named pattern must
have an entry in EXPECTED, or be an admin page of a registered model, whose expectation follows
from SECRETARIAT_PERMISSIONS (members/roles.py) by ADMIN_ACTIONS below; an unnamed one an entry
in UNNAMED_EXPECTED. A pattern with neither fails the test: add the new URL's row to EXPECTED
(and its arguments to `url_for`) when you add a URL.

Roles: anonymous, staff outside the Secretariat group, Secretariat, superuser. Statuses are of a
plain GET (302 = sent to sign in or elsewhere, 403 = refused, 405 = GET not allowed).

Two more roles owe a second factor: a Secretariat member with a confirmed device signed in with
the password only, and a superuser without a device under production rules (ADMIN_REQUIRE_OTP).
Their expectation follows from the anonymous visitor's: wherever anonymous is sent to sign in,
they are sent to the second factor (SECOND_FACTOR: verify it, or set a device up), through the
admin's sign-in page or directly; everywhere else they get what anonymous gets. So a new staff
page that skips the staff rule (anso/security/staff.py) fails here without a row of its own. A row
may still name these roles where they differ (the sign-in and two-factor pages).

One more role is not staff: a member (the contact person of a member organization, signed in
with a mailed link, members/access.py). They get what anonymous gets, except wherever anonymous
is sent to sign in (staff pages): there a member is refused, by a 403 or by the admin's sign-in
page (MEMBER_REFUSED). A row may name the role where it differs.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from anso.models import ExportJob, ExportJobStatus, ImportJob, OutgoingMail
from meetings.attendance.models import ParticipationEvent
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient, RecipientList
from meetings.papers.models import (
    Letterhead,
    Paper,
    PaperBatch,
    PaperBatchKind,
    PaperBatchStatus,
    PaperKind,
    VisaRequest,
)
from meetings.record.comment_models import MinutesComment
from meetings.record.comments import comment_token
from meetings.record.models import MattersArising
from meetings.record.services import minutes_create
from members.models import Erasure
from members.nominations.models import NominationEvent
from members.nominations.services import nomination_token
from members.roles import SECRETARIAT_PERMISSIONS
from tests.factories import (
    ActionFactory,
    ActionProgressFactory,
    AgendaItemFactory,
    DecisionFactory,
    DocumentVersionFactory,
    MeetingFactory,
    NominationFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    RegistrationWindowFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.staff_helpers import landing

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "secretariat", "superuser")
#: Signed in, staff, but the second factor is still owed (see the module's docstring).
SECOND_FACTOR_ROLES = ("password_only", "superuser_no_device")
#: The roles requested under production rules (ADMIN_REQUIRE_OTP on).
PRODUCTION_RULES_ROLES = ("superuser_no_device",)
#: Expected for a role that owes the second factor: 302 to verify it (a device owner) or to
#: set a device up (a superuser without one), directly or through the admin's sign-in page.
SECOND_FACTOR = "second factor"
SECOND_FACTOR_PAGE = {
    "password_only": "two_factor_verify",
    "superuser_no_device": "two_factor_setup",
}
#: Expected for a member where anonymous is sent to sign in: 403, or 302 to the admin's
#: sign-in page (which does not let them further).
MEMBER_REFUSED = "refused"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(staff_status=200):
    return {"anonymous": 302, "outsider": staff_status, "secretariat": staff_status,
            "superuser": staff_status}  # fmt: skip


def superuser_only(status=200):
    return {"anonymous": 302, "outsider": 403, "secretariat": 403, "superuser": status}


#: The API's endpoints (meetings/api_urls.py), each a list and an item, public.
API_ENDPOINTS = (
    "meeting",
    "attendance",
    "action",
    "organization",
    "body",
    "working-group",
    "person",
)

#: URL name -> role -> status. Extend when adding a URL.
EXPECTED: dict[str, dict[str, int]] = {
    # Public pages
    "home": everyone(200),
    "members:working_group": everyone(200),
    "members:organization_list": everyone(200),
    "organization_detail": everyone(200),
    "person_detail": everyone(200),
    "meetings:meeting_list": everyone(200),
    "meetings:meeting_detail": everyone(200),
    "meetings:action_list": everyone(200),
    "meetings:action_detail": everyone(200),
    "meetings:meeting_ical": everyone(200),
    "meetings:meeting_calendar": everyone(200),
    "sitemap": everyone(200),
    "search:search": everyone(200),
    "healthz": everyone(200),
    # The benchmark's floor: on only with DJANGO_BENCH_FLOOR, which the benchmark sets.
    "bench_floor": everyone(404),
    "robots_txt": everyone(200),
    "favicon": everyone(302),  # to the static file
    # Changes the interface language on POST; a GET changes nothing and goes back to the site.
    "set_language": everyone(302),
    # Contact-person nominations: public form, thank-you page and the signed status link.
    "members:nomination_create": everyone(200),
    "members:nomination_thanks": everyone(200),
    "members:nomination_confirm": everyone(200),
    "members:nomination_resend": everyone(200),
    # The members' sign-in: asking for a link, the link's page (a GET uses nothing), sign-out.
    "members:member_sign_in": everyone(200),
    "members:member_sign_in_link": everyone(200),
    # The read-only JSON API (docs/api.md): public, whoever asks.
    "api:api-root": everyone(200),
    "api:schema": everyone(200),
    "api:docs": everyone(200),
    "api:redoc": everyone(200),
    **{
        f"api:{basename}-{kind}": everyone(200)
        for basename in API_ENDPOINTS
        for kind in ("list", "detail")
    },
    "members:member_sign_out": everyone(405),  # POST only
    # A member's own data (page and JSON): the signed-in member only; everyone else is sent
    # to the members' sign-in.
    "members:personal_data": {**everyone(302), "member": 200},
    "members:personal_data_json": {**everyone(302), "member": 200},
    # Deciding a nomination: staff who may change nominations (GET asks for confirmation).
    "admin:members_nomination_approve": {**superuser_only(200), "secretariat": 200},
    "admin:members_nomination_reject": {**superuser_only(200), "secretariat": 200},
    # Nominations come from the public form and their audit rows from the workflow: nobody
    # adds them by hand, and audit rows are never deleted.
    "admin:members_nomination_add": superuser_only(403),
    "admin:members_nominationevent_add": superuser_only(403),
    "admin:members_nominationevent_delete": superuser_only(403),
    # The records of erasures are written by the erasure only, and never deleted.
    "admin:members_erasure_add": superuser_only(403),
    "admin:members_erasure_delete": superuser_only(403),
    # Two-factor authentication (staff): verifying without a device sends you to set one up,
    # setting up with one sends you to verify it. Open to staff who owe the second factor.
    "two_factor_setup": {
        **staff_only(200),
        "password_only": SECOND_FACTOR,
        "superuser_no_device": 200,
    },
    "two_factor_verify": {
        **staff_only(302),
        "password_only": 200,
        "superuser_no_device": SECOND_FACTOR,
    },
    # The admin site
    "admin:index": staff_only(200),
    "admin:login": {
        "anonymous": 200,
        "outsider": 302,
        "secretariat": 302,
        "superuser": 302,
        **dict.fromkeys(SECOND_FACTOR_ROLES, SECOND_FACTOR),
    },
    "admin:logout": {**staff_only(405), "anonymous": 302},  # POST only
    "admin:password_change": staff_only(200),
    "admin:password_change_done": staff_only(200),
    "admin:autocomplete": staff_only(403),  # without a valid field to complete
    "admin:jsi18n": staff_only(200),
    "admin:view_on_site": everyone(302),
    "admin:app_list": {"anonymous": 302, "outsider": 404, "secretariat": 404, "superuser": 200},
    # Users, sign-in records and devices: superusers only.
    "admin:auth_user_password_change": superuser_only(200),
    "admin:otp_totp_totpdevice_config": superuser_only(200),
    "admin:otp_totp_totpdevice_qrcode": superuser_only(200),
    # Registration (public) and the Secretariat's meeting pages.
    "meetings:registration_create": everyone(200),
    "meetings:registration_done": everyone(200),
    "meetings:registration_manage": everyone(200),  # with a valid link, before the meeting
    "meetings:registration_link_request": everyone(200),
    "meetings:check_in": {**staff_only(200), "outsider": 403},
    "meetings:check_in_search": {**staff_only(200), "outsider": 403},
    "meetings:check_in_toggle": {**staff_only(405), "outsider": 403},  # POST only
    "meetings:report": {**staff_only(200), "outsider": 403},
    "meetings:report_print": {**staff_only(200), "outsider": 403},
    "meetings:participant_list_print": {**staff_only(200), "outsider": 403},
    "meetings:badges": {**staff_only(200), "outsider": 403},
    "meetings:table_tents": {**staff_only(200), "outsider": 403},
    "meetings:sign_in_sheet": {**staff_only(200), "outsider": 403},
    # Issues the meeting's dossier on POST (the control page's button); a GET is refused.
    "meetings:dossier_issue": {**staff_only(405), "outsider": 403},
    "meetings:statistics": {**staff_only(200), "outsider": 403},
    "meetings:statistics_export": {**staff_only(200), "outsider": 403},
    "meetings:meeting_control": {**staff_only(200), "outsider": 403},
    "meetings:meeting_control_check_in": {**staff_only(200), "outsider": 403},
    # Batches of papers made by the worker: queued from the control page (POST only), their
    # page, progress and file (the sample is a finished batch of badges), "Try again" (POST).
    "meetings:paper_batch_create": {**staff_only(405), "outsider": 403},
    "meetings:paper_batch": {**staff_only(200), "outsider": 403},
    "meetings:paper_batch_status": {**staff_only(200), "outsider": 403},
    "meetings:paper_batch_download": {**staff_only(200), "outsider": 403},
    "meetings:paper_batch_retry": {**staff_only(405), "outsider": 403},
    # Invitations and announcements: the personal link (public, valid token, registration
    # open), the unsubscribe link of an announcement (public, valid token), and the
    # Secretariat's composer, invitation page and reminder.
    "meetings:invitation_respond": everyone(200),
    # Votes: a contact person's ballot page (a valid personal link) and the public result of
    # a closed vote.
    "meetings:ballot": everyone(200),
    "meetings:vote_result": everyone(200),
    # Ballots and delegations are cast by contact persons only: nobody adds or deletes one.
    **{
        f"admin:meetings_{model}_{step}": superuser_only(403)
        for model in ("ballot", "delegation")
        for step in ("add", "delete")
    },
    "members:announcements_unsubscribe": everyone(200),
    "meetings:invitation_list": {**staff_only(200), "outsider": 403},
    "meetings:invitation_compose": {**staff_only(200), "outsider": 403},
    "meetings:announcement_compose": {**staff_only(200), "outsider": 403},
    "meetings:invitation_remind": {**staff_only(405), "outsider": 403},  # POST only
    # Mailings and their recipients are written by the composer and the worker only.
    **{
        f"admin:meetings_{model}_{step}": superuser_only(403)
        for model in ("mailing", "mailingrecipient")
        for step in ("add", "delete")
    },
    # Documents: a Secretariat-only document's file and preview. Not found for everyone else
    # (its existence is not revealed); the preview is found once the worker has made it.
    "documents:download": {**everyone(404), "secretariat": 200, "superuser": 200},
    "documents:preview": everyone(404),
    # A document's versions are written by uploads only: nobody adds or deletes one by hand.
    "admin:meetings_documentversion_add": superuser_only(403),
    "admin:meetings_documentversion_delete": superuser_only(403),
    # Spreadsheet import (add and change permissions) and export (view permission).
    **{
        f"admin:{model}_{step}": {**staff_only(200), "outsider": 403}
        for model in ("meetings_participation", "members_organization", "members_person")
        for step in ("import", "export")
    },
    **{
        f"admin:{model}_{step}": staff_only(405)  # POST only: confirm, try again, cancel
        for model in ("meetings_participation", "members_organization", "members_person")
        for step in ("process_import", "import_job_action")
    },
    # An import's page: the job of that list (the sample is a participants' import).
    "admin:meetings_participation_import_job": {**staff_only(200), "outsider": 403},
    **{
        f"admin:{model}_import_job": {**staff_only(404), "outsider": 403}
        for model in ("members_organization", "members_person")
    },
    # A large export's page and file: its creator's alone (the sample is a Secretariat
    # member's export of participants), never someone else's, even a superuser's.
    **{
        f"admin:meetings_participation_{page}": {
            **staff_only(200),
            "outsider": 403,
            "superuser": 404,
        }
        for page in ("export_job", "export_job_download")
    },
    **{
        f"admin:{model}_{page}": {**staff_only(404), "outsider": 403}
        for model in ("members_organization", "members_person")
        for page in ("export_job", "export_job_download")
    },
    # The list of exports shows each their own: another's is "not found" (the admin's
    # redirect to its index), for a superuser too.
    "admin:anso_exportjob_change": {**staff_only(302), "outsider": 403, "secretariat": 200},
    "admin:anso_exportjob_history": {**staff_only(302), "secretariat": 200},
    # The status-change log is written by the services only, even superusers only read it.
    "admin:meetings_participationevent_add": superuser_only(403),
    "admin:meetings_participationevent_delete": superuser_only(403),
    # Records of background work are written by the site and the worker only.
    **{
        f"admin:{model}_{step}": superuser_only(403)
        for model in (
            "anso_outgoingmail",
            "anso_importjob",
            "anso_exportjob",
            "django_tasks_database_dbtaskresult",
        )
        for step in ("add", "delete")
    },
    # A mail's HTML part, framed by its page in the outbox: whoever may see the outbox.
    "admin:anso_outgoingmail_html": {**staff_only(200), "outsider": 403},
    # Papers: the public verification page (a paper issued), the participant's certificate
    # from their link (POST only), a paper's PDF in the admin (whoever may view papers). Papers
    # are issued by the services only and never deleted; the letterhead is one row, never added
    # nor deleted.
    "papers:verify": everyone(200),
    "meetings:certificate_download": everyone(405),
    "admin:meetings_paper_download": {**staff_only(200), "outsider": 403},
    "admin:meetings_paper_add": superuser_only(403),
    "admin:meetings_paper_delete": superuser_only(403),
    "admin:meetings_letterhead_add": superuser_only(403),
    # Visa requests: made by the registration form, decided by actions, never added or
    # deleted in the admin.
    "admin:meetings_visarequest_add": superuser_only(403),
    # Batches of papers: made from the control page and the actions, listed read-only.
    "admin:meetings_paperbatch_add": superuser_only(403),
    "admin:meetings_paperbatch_delete": superuser_only(403),
    "admin:meetings_visarequest_delete": superuser_only(403),
    "admin:meetings_letterhead_delete": superuser_only(403),
    # Minutes: never deleted; two revisions compared for whoever may view the minutes.
    "admin:meetings_minutes_delete": superuser_only(403),
    "admin:meetings_minutes_compare": {**staff_only(200), "outsider": 403},
    "admin:meetings_minutesrevision_add": superuser_only(403),
    "admin:meetings_minutesrevision_delete": superuser_only(403),
    # The members' comments: written through their personal links only, never added nor
    # deleted in the admin; the page of one set of minutes' comments for whoever may view
    # comments. The link's page answers anyone who holds the link.
    "admin:meetings_minutescomment_add": superuser_only(403),
    "admin:meetings_minutescomment_delete": superuser_only(403),
    "admin:meetings_minutes_comments": {**staff_only(200), "outsider": 403},
    "meetings:minutes_comments": everyone(200),
    # django-axes' records cannot be added by hand, even by superusers.
    "admin:axes_accessattempt_add": superuser_only(403),
    "admin:axes_accesslog_add": superuser_only(403),
    "admin:axes_accessfailurelog_add": superuser_only(403),
}

#: Unnamed patterns, by their route (a model admin's prefix written as `<model>/`) -> role ->
#: status.
UNNAMED_EXPECTED: dict[str, dict[str, int]] = {
    # The change page's address before Django 1.9: redirects to the change page, whose own row
    # decides who sees it.
    "admin/<model>/<path:object_id>/": staff_only(302),
    # Any other address under /admin/: sign in first, then "not found".
    "admin/(?P<url>.*)$": staff_only(404),
}

#: Admin URL name suffix -> the permission (action) it needs.
ADMIN_ACTIONS = {
    "changelist": "view",
    "add": "add",
    "change": "view",  # view-only users see the read-only form
    "history": "view",
    "delete": "delete",
    "simple_history": "change",
}


def walk(patterns, namespace="", prefix=""):
    """(name or None, pattern, full route) of every pattern, through every include()."""
    for pattern in patterns:
        route = f"{prefix}{pattern.pattern}"
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern, route


def admin_model_prefixes():
    """Route prefix ("admin/app_label/model_name/") -> model, of every registered model."""
    return {f"admin/{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}


def unnamed_key(route) -> str:
    """The key of an unnamed pattern in UNNAMED_EXPECTED."""
    for prefix in admin_model_prefixes():
        if route.startswith(prefix):
            return "admin/<model>/" + route[len(prefix) :]
    return route


def admin_model_for(name):
    """(model, suffix) when `name` is an admin page of a registered model."""
    if not name.startswith("admin:"):
        return None, None
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name[len(prefix) :]
    return None, None


def expected_for(name) -> dict[str, int] | None:
    if name in EXPECTED:
        return EXPECTED[name]
    model, suffix = admin_model_for(name)
    if model is None or suffix not in ADMIN_ACTIONS:
        return None
    action = ADMIN_ACTIONS[suffix]
    granted = SECRETARIAT_PERMISSIONS.get(model._meta.app_label, {}).get(model._meta.model_name, ())
    allowed = action in granted or (action == "view" and "change" in granted)
    return {
        "anonymous": 302,
        "outsider": 403,
        "secretariat": 200 if allowed else 403,
        "superuser": 200,
    }


def _export_job(user) -> ExportJob:
    job = ExportJob(
        created_by=user,
        model_label="meetings.participation",
        file_format="csv",
        file_name="participants.csv",
        language="en",
        status=ExportJobStatus.DONE,
    )
    job.file.save("participants.csv", ContentFile(b"email\n"))
    return job


def _paper_batch(meeting) -> PaperBatch:
    batch = PaperBatch(
        meeting=meeting,
        kind=PaperBatchKind.BADGES,
        status=PaperBatchStatus.DONE,
        total=1,
        done=1,
        finished_at=timezone.now(),
    )
    batch.file.save("badges.pdf", ContentFile(b"%PDF-1.7\n"))
    return batch


@pytest.fixture
def samples(superuser, secretariat_user):
    """One object of every model whose pages take an object."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    meeting = MeetingFactory()
    nomination = NominationFactory()
    speaker = SpeakerFactory(item__session__meeting=meeting)
    minutes = minutes_create(meeting=meeting, by=None)  # a part for the speaker's item
    version = DocumentVersionFactory(document__meeting=meeting, document__visibility="secretariat")
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x"}
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="Invitation", body_en="{link}"
    )
    return {
        "organization": OrganizationFactory(),
        # A person has a public page once they hold a position.
        "person": PositionFactory().person,
        "meeting": meeting,
        "action": ActionFactory(),
        "members.body": meeting.body,
        "members.position": PositionFactory(),
        "meetings.session": speaker.item.session,
        "meetings.agendaitem": speaker.item,
        "meetings.speaker": speaker,
        "meetings.participation": ParticipationFactory(meeting=meeting),
        "meetings.decision": DecisionFactory(meeting=meeting),
        "meetings.actionprogress": ActionProgressFactory(meeting=meeting, date=meeting.start_date),
        "meetings.document": version.document,
        "meetings.documentversion": version,
        "members.nomination": nomination,
        "members.erasure": Erasure.objects.create(reason="Asked by mail", person=PersonFactory()),
        "members.nominationevent": NominationEvent.objects.create(
            nomination=nomination, from_status="unconfirmed", to_status="awaiting_review"
        ),
        "meetings.registrationwindow": RegistrationWindowFactory(meeting=meeting),
        "meetings.mailing": mailing,
        "meetings.mailingrecipient": MailingRecipient.objects.create(
            mailing=mailing, person=PositionFactory().person, address="a@x.org"
        ),
        "meetings.recipientlist": RecipientList.objects.create(name="Partners"),
        "meetings.participationevent": ParticipationEvent.objects.create(
            participation=ParticipationFactory(meeting=meeting), to_status="attended"
        ),
        "auth.user": superuser,
        "auth.group": Group.objects.get(name="Secretariat"),
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt,
            http_accept="",
            path_info="/",
            get_data="",
            post_data="",
            failures_since_start=1,
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt, http_accept="", path_info="/"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            **attempt, http_accept="", path_info="/"
        ),
        "anso.outgoingmail": OutgoingMail.objects.create(
            to=["a@example.org"], subject="S", html="<p>S</p>"
        ),
        "anso.exportjob": _export_job(secretariat_user),
        "anso.importjob": ImportJob.objects.create(
            model_label="meetings.participation",
            resource_path="meetings.attendance.resources.ParticipantResource",
            input_format="csv",
            file_name="participants.csv",
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="anso.tasks.send_mail",
            backend_name="default",
        ),
        **_vote_samples(meeting),
        "meetings.letterhead": Letterhead.ensure(),
        "meetings.minutes": minutes,
        "meetings.minutespart": minutes.parts.first(),
        "meetings.minutesrevision": minutes.revisions.first(),
        "meetings.minutescomment": MinutesComment.objects.create(
            part=minutes.parts.first(),
            person=PositionFactory().person,
            text="Please add who chaired.",
            created_at=timezone.now(),
        ),
        "meetings.mattersarising": MattersArising.objects.create(
            item=AgendaItemFactory(session=speaker.item.session, kind="matters_arising"),
            decision=DecisionFactory(meeting=meeting),
        ),
        "meetings.paper": Paper.objects.create(
            kind=PaperKind.CERTIFICATE,
            reference="ANSO-2019-WG1-C-0001",
            meeting=meeting,
            participation=ParticipationFactory(meeting=meeting),
            issued_at=timezone.now(),
            file=ContentFile(b"%PDF-1.7\n", name="ANSO-2019-WG1-C-0001.pdf"),
            sha256="0" * 64,
        ),
        "meetings.paperbatch": _paper_batch(meeting),
        "meetings.visarequest": VisaRequest.objects.create(
            participation=ParticipationFactory(meeting=meeting),
            passport_name="SAMPLE PERSON",
            arrival=meeting.start_date,
            departure=meeting.end_date,
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=UserFactory(username="device-owner"), name="phone"
        ),
    }


def _vote_samples(meeting) -> dict:
    """A closed vote on a decision of `meeting`, with a delegation and a ballot."""
    from meetings.record.votes import services
    from tests.meetings.record.votes_helpers import electorate, open_vote

    giver, delegate = electorate(2)
    vote = open_vote(decision=DecisionFactory(meeting=meeting))
    delegation = services.delegation_give(
        vote=vote, person=giver, organization=giver.organization, delegate=delegate.organization
    )
    ballot = services.ballot_cast(
        vote=vote, person=delegate, organization=delegate.organization, choice="yes"
    )
    services.vote_close(vote=vote)
    return {
        "meetings.vote": vote,
        "meetings.ballot": ballot,
        "meetings.delegation": delegation,
        "vote_voter": delegate,
    }


def url_for(name, pattern, samples) -> str:
    """The URL to request for a pattern, with sample arguments."""
    kwargs = {}
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if name.endswith("_import_job"):  # an admin page of a model, with an import job's pk
        return reverse(name, kwargs={"job_pk": samples["anso.importjob"].pk})
    if name.endswith(("_export_job", "_export_job_download")):  # with an export job's pk
        return reverse(name, kwargs={"job_pk": samples["anso.exportjob"].pk})
    if name.endswith("_import_job_action"):
        return reverse(name, kwargs={"job_pk": samples["anso.importjob"].pk, "action": "retry"})
    model, suffix = admin_model_for(name)
    if model is not None:
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        obj = samples.get(key) or samples.get(model._meta.model_name)
        positional = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
        assert obj is not None or not (params or positional), f"add a sample {key} for {name}"
        if suffix == "simple_history":  # (object, version)
            return reverse(name, args=[obj.pk, obj.history.earliest().history_id])
        for param in params:
            kwargs[param] = obj.pk
    elif name == "admin:view_on_site":
        organization = samples["organization"]
        kwargs = {
            "content_type_id": ContentType.objects.get_for_model(organization).pk,
            "object_id": organization.pk,
        }
    elif name.startswith("documents:"):  # a Secretariat-only document's file and preview
        version = samples["meetings.documentversion"]
        kwargs = {"pk": version.document_id, "number": version.number}
        if "filename" in params:
            kwargs["filename"] = version.filename
    elif name == "admin:app_list":
        kwargs = {"app_label": "auth"}
    elif name == "members:nomination_confirm":
        kwargs = {"token": nomination_token(nomination=samples["members.nomination"])}
    elif name == "meetings:registration_manage":
        from meetings.attendance.links import registration_token

        participation = ParticipationFactory(meeting=RegistrationWindowFactory().meeting)
        meeting = participation.meeting
        kwargs = {
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation=participation),
        }
    elif name == "meetings:invitation_respond":
        from meetings.invitations.links import invitation_token

        recipient = samples["meetings.mailingrecipient"]
        meeting = recipient.mailing.meeting
        kwargs = {
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": invitation_token(recipient=recipient),
        }
    elif name == "meetings:minutes_comments":
        minutes = samples["meetings.minutes"]
        comment = samples["meetings.minutescomment"]
        kwargs = {
            "year": minutes.meeting.start_date.year,
            "slug": minutes.meeting.slug,
            "token": comment_token(minutes=minutes, person=comment.person),
        }
    elif name == "papers:verify":
        kwargs = {"reference": samples["meetings.paper"].reference}
    elif name == "meetings:certificate_download":
        from meetings.attendance.links import registration_token

        participation = samples["meetings.paper"].participation
        meeting = participation.meeting
        kwargs = {
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation=participation),
        }
    elif name == "members:announcements_unsubscribe":
        from members.announcements import unsubscribe_token

        kwargs = {"token": unsubscribe_token(person=samples["person"])}
    elif name.startswith("meetings:paper_batch") and "pk" in params:
        batch = samples["meetings.paperbatch"]
        kwargs = {"year": batch.meeting.start_date.year, "slug": batch.meeting.slug, "pk": batch.pk}
    elif name == "meetings:ballot":
        from meetings.record.votes.links import ballot_token

        kwargs = {
            "token": ballot_token(vote=samples["meetings.vote"], person=samples["vote_voter"])
        }
    elif name == "meetings:vote_result":
        decision = samples["meetings.vote"].decision
        kwargs = {
            "year": decision.meeting.start_date.year,
            "slug": decision.meeting.slug,
            "order": decision.order,
        }
    elif name == "meetings:check_in_toggle":
        participation = samples["meetings.participation"]
        meeting = participation.meeting
        kwargs = {"year": meeting.start_date.year, "slug": meeting.slug, "pk": participation.pk}
    elif name.startswith("api:") and params:
        position = PositionFactory()  # listed, in the working group today: a public person
        kwargs = {
            "api:meeting-detail": {"slug": samples["meeting"].slug},
            "api:attendance-detail": {"slug": samples["meeting"].slug},
            "api:action-detail": {"slug": samples["action"].slug},
            "api:organization-detail": {"slug": samples["organization"].slug},
            "api:body-detail": {"slug": position.body.slug},
            "api:working-group-detail": {"pk": position.pk},
            "api:person-detail": {"slug": position.person.slug},
        }[name]
    elif name.startswith("meetings:") and params == {"year", "slug"}:
        meeting = samples["meeting"]
        kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    elif "slug" in params:
        kind = {"organization_detail": "organization", "person_detail": "person",
                "meetings:action_detail": "action"}[name]  # fmt: skip
        kwargs = {"slug": samples[kind].slug}
    else:
        assert not params, f"tell url_for() which arguments {name} takes"
    return reverse(name, kwargs=kwargs)


def url_for_unnamed(route, samples) -> str:
    """The URL to request for an unnamed pattern."""
    key = unnamed_key(route)
    if key == "admin/<model>/<path:object_id>/":
        prefix = route.removesuffix("<path:object_id>/")
        model = admin_model_prefixes()[prefix]
        obj = samples.get(f"{model._meta.app_label}.{model._meta.model_name}") or samples.get(
            model._meta.model_name
        )
        assert obj is not None, f"add a sample {model._meta.label_lower} for {route}"
        return f"/{prefix}{obj.pk}/"
    if key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    raise AssertionError(f"tell url_for_unnamed() what to request for {route}")


def all_patterns():
    return list(walk(get_resolver("anso.urls").url_patterns))


def test_every_url_pattern_has_an_expectation():
    missing = sorted(
        {name for name, _pattern, _route in all_patterns() if name and expected_for(name) is None}
    )
    assert missing == [], f"add these URL names to EXPECTED in {__file__}: {missing}"
    unnamed = sorted(
        {
            route
            for name, _pattern, route in all_patterns()
            if name is None and unnamed_key(route) not in UNNAMED_EXPECTED
        }
    )
    assert unnamed == [], f"name these URL patterns, or add them to UNNAMED_EXPECTED: {unnamed}"


@pytest.fixture
def member_user(db):
    """A contact person of a member organization with their sign-in account."""
    person = PositionFactory().person
    person.user = UserFactory(username=f"member-{person.pk}")
    person.save(update_fields=["user"])
    return person.user


@pytest.fixture
def role_clients(
    client, secretariat_user, outsider_staff_user, superuser, password_only_user, member_user
):
    clients = {"anonymous": client}
    for role, user in (
        ("outsider", outsider_staff_user),
        ("secretariat", secretariat_user),
        ("superuser", superuser),
        ("password_only", password_only_user),
        ("superuser_no_device", superuser),
        ("member", member_user),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def requests_to_make(samples):
    """(label, url, expected row) of every pattern of the URLconf."""
    for name, pattern, route in all_patterns():
        expected = expected_for(name) if name else UNNAMED_EXPECTED.get(unnamed_key(route))
        if expected is None:
            continue  # reported by test_every_url_pattern_has_an_expectation
        url = url_for(name, pattern, samples) if name else url_for_unnamed(route, samples)
        yield name or route, url, expected


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and landing(response) == reverse("admin:login")


def matrix_failures(rows, role_clients, settings) -> list[str]:
    """Request every (label, url, expected row) as every role; what differs from the row."""
    anonymous = {url: role_clients["anonymous"].get(url) for _label, url, _expected in rows}
    failures = []
    for role in (*ROLES, *SECOND_FACTOR_ROLES, "member"):
        settings.ADMIN_REQUIRE_OTP = role in PRODUCTION_RULES_ROLES
        client = role_clients[role]
        for label, url, expected in rows:
            response = anonymous[url] if role == "anonymous" else client.get(url)
            if role in expected:
                want = expected[role]
            elif sent_to_sign_in(anonymous[url]):
                want = MEMBER_REFUSED if role == "member" else SECOND_FACTOR
            else:
                want = anonymous[url].status_code
            if want == MEMBER_REFUSED:
                if not (response.status_code == 403 or sent_to_sign_in(response)):
                    failures.append(
                        f"{label} {url} as member: {response.status_code}, expected 403"
                    )
            elif want == SECOND_FACTOR:
                # The admin's pages send to its sign-in page, whose own row checks that it
                # sends these roles on to the second factor.
                got = landing(response)
                allowed = {reverse(SECOND_FACTOR_PAGE[role])}
                if label != "admin:login":
                    allowed.add(reverse("admin:login"))
                if got not in allowed:
                    failures.append(
                        f"{label} {url} as {role}: {response.status_code} to {got}, expected "
                        f"302 to {reverse(SECOND_FACTOR_PAGE[role])}"
                    )
            elif response.status_code != want:
                failures.append(f"{label} {url} as {role}: {response.status_code}, expected {want}")
    return failures


def test_permission_matrix(role_clients, samples, settings):
    # Every role asks from one address, past the API's limit per client (tests/api tests it).
    settings.API_RATE_LIMIT = 1_000_000
    failures = matrix_failures(list(requests_to_make(samples)), role_clients, settings)
    assert failures == [], "\n".join(failures)


@pytest.mark.urls("tests.urls_stray_staff_page")
def test_a_staff_page_that_skips_the_staff_rule_fails_the_matrix(role_clients, settings):
    """A staff page written with Django's own staff check, and a row that says only what the
    four signed-in-or-not roles get: the roles owing the second factor reach it, and the
    matrix says so without a row for them."""
    row = ("stray", reverse("stray_staff_page"), staff_only(200))
    assert matrix_failures([row], role_clients, settings) == [
        f"stray /stray/ as {role}: 200 to None, expected 302 to {reverse(SECOND_FACTOR_PAGE[role])}"
        for role in SECOND_FACTOR_ROLES
    ]


@pytest.mark.parametrize("role", SECOND_FACTOR_ROLES)
def test_report_post_owing_the_second_factor_publishes_nothing(role_clients, settings, role):
    """The report form's POST publishes the meeting's summary: not without the second factor."""
    settings.ADMIN_REQUIRE_OTP = role in PRODUCTION_RULES_ROLES
    meeting = MeetingFactory(summary="The summary as published.")
    url = reverse("meetings:report", kwargs={"year": meeting.start_date.year, "slug": meeting.slug})
    response = role_clients[role].post(url, {"text": "Rewritten without a second factor."})
    assert response.status_code == 302
    assert landing(response) == reverse(SECOND_FACTOR_PAGE[role])
    meeting.refresh_from_db()
    assert meeting.summary == "The summary as published."
