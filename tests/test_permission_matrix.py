"""Every URL pattern x every role, with the status each role must get.

Walks the whole URL resolver (anso.urls). A named pattern must have an entry in EXPECTED, or
be an admin page of a registered model, whose expectation follows from SECRETARIAT_PERMISSIONS
(members/roles.py) by ADMIN_ACTIONS below. A pattern with neither fails the test: add the new
URL's row to EXPECTED (and its arguments to the `url_args` fixture) when you add a URL.

Roles: anonymous, staff outside the Secretariat group, Secretariat, superuser. Statuses are of a
plain GET (302 = sent to sign in or elsewhere, 403 = refused, 405 = GET not allowed).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from anso.models import ImportJob, OutgoingMail
from meetings.models import ParticipationEvent
from members.models import NominationEvent
from members.roles import SECRETARIAT_PERMISSIONS
from members.services import nomination_token
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    NominationFactory,
    OrganizationFactory,
    ParticipationFactory,
    PositionFactory,
    RegistrationWindowFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "secretariat", "superuser")


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(staff_status=200):
    return {"anonymous": 302, "outsider": staff_status, "secretariat": staff_status,
            "superuser": staff_status}  # fmt: skip


def superuser_only(status=200):
    return {"anonymous": 302, "outsider": 403, "secretariat": 403, "superuser": status}


#: URL name -> role -> status. Extend when adding a URL.
EXPECTED: dict[str, dict[str, int]] = {
    # Public pages
    "home": everyone(200),
    "members:working_group": everyone(200),
    "members:organization_list": everyone(200),
    "members:organization_detail": everyone(200),
    "members:person_detail": everyone(200),
    "meetings:meeting_list": everyone(200),
    "meetings:meeting_detail": everyone(200),
    "meetings:action_list": everyone(200),
    "meetings:action_detail": everyone(200),
    "meetings:meeting_ical": everyone(200),
    "meetings:meeting_calendar": everyone(200),
    "sitemap": everyone(200),
    "healthz": everyone(200),
    # Contact-person nominations: public form, thank-you page and the signed status link.
    "members:nomination_create": everyone(200),
    "members:nomination_thanks": everyone(200),
    "members:nomination_confirm": everyone(200),
    "members:nomination_resend": everyone(200),
    # Deciding a nomination: staff who may change nominations (GET asks for confirmation).
    "admin:members_nomination_approve": {**superuser_only(200), "secretariat": 200},
    "admin:members_nomination_reject": {**superuser_only(200), "secretariat": 200},
    # Nominations come from the public form and their audit rows from the workflow: nobody
    # adds them by hand, and audit rows are never deleted.
    "admin:members_nomination_add": superuser_only(403),
    "admin:members_nominationevent_add": superuser_only(403),
    "admin:members_nominationevent_delete": superuser_only(403),
    # Two-factor authentication (staff): verifying without a device sends you to set one up.
    "two_factor_setup": staff_only(200),
    "two_factor_verify": {**staff_only(302), "anonymous": 302},
    # The admin site
    "admin:index": staff_only(200),
    "admin:login": {"anonymous": 200, "outsider": 302, "secretariat": 302, "superuser": 302},
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
    "meetings:registration_manage": everyone(200),  # with a valid signed link
    "meetings:check_in": {**staff_only(200), "outsider": 403},
    "meetings:check_in_search": {**staff_only(200), "outsider": 403},
    "meetings:check_in_toggle": {**staff_only(405), "outsider": 403},  # POST only
    "meetings:report": {**staff_only(200), "outsider": 403},
    "meetings:report_print": {**staff_only(200), "outsider": 403},
    "meetings:participant_list_print": {**staff_only(200), "outsider": 403},
    "meetings:statistics": {**staff_only(200), "outsider": 403},
    # Spreadsheet import (add and change permissions) and export (view permission).
    **{
        f"admin:{model}_{step}": {**staff_only(200), "outsider": 403}
        for model in ("meetings_participation", "members_organization", "members_person")
        for step in ("import", "export")
    },
    **{
        f"admin:{model}_process_import": staff_only(405)  # POST only
        for model in ("meetings_participation", "members_organization", "members_person")
    },
    # An import's page: the job of that list (the sample is a participants' import).
    "admin:meetings_participation_import_job": {**staff_only(200), "outsider": 403},
    **{
        f"admin:{model}_import_job": {**staff_only(404), "outsider": 403}
        for model in ("members_organization", "members_person")
    },
    # The status-change log is written by the services only, even superusers only read it.
    "admin:meetings_participationevent_add": superuser_only(403),
    "admin:meetings_participationevent_delete": superuser_only(403),
    # Records of background work are written by the site and the worker only.
    **{
        f"admin:{model}_{step}": superuser_only(403)
        for model in ("anso_outgoingmail", "anso_importjob", "django_tasks_database_dbtaskresult")
        for step in ("add", "delete")
    },
    # django-axes' records cannot be added by hand, even by superusers.
    "admin:axes_accessattempt_add": superuser_only(403),
    "admin:axes_accesslog_add": superuser_only(403),
    "admin:axes_accessfailurelog_add": superuser_only(403),
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


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


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


@pytest.fixture
def samples(superuser):
    """One object of every model whose pages take an object."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    meeting = MeetingFactory()
    nomination = NominationFactory()
    speaker = SpeakerFactory(item__session__meeting=meeting)
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x"}
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
        "members.nomination": nomination,
        "members.nominationevent": NominationEvent.objects.create(
            nomination=nomination, from_status="unconfirmed", to_status="awaiting_review"
        ),
        "meetings.registrationwindow": RegistrationWindowFactory(meeting=meeting),
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
        "anso.outgoingmail": OutgoingMail.objects.create(to=["a@example.org"], subject="S"),
        "anso.importjob": ImportJob.objects.create(
            model_label="meetings.participation",
            resource_path="meetings.resources.ParticipantResource",
            input_format="csv",
            file_name="participants.csv",
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="anso.tasks.send_mail",
            backend_name="default",
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=UserFactory(username="device-owner"), name="phone"
        ),
    }


def url_for(name, pattern, samples) -> str:
    """The URL to request for a pattern, with sample arguments."""
    kwargs = {}
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if name.endswith("_import_job"):  # an admin page of a model, with an import job's pk
        return reverse(name, kwargs={"job_pk": samples["anso.importjob"].pk})
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
    elif name == "admin:app_list":
        kwargs = {"app_label": "auth"}
    elif name == "members:nomination_confirm":
        kwargs = {"token": nomination_token(nomination=samples["members.nomination"])}
    elif name == "meetings:registration_manage":
        from meetings.services import registration_token

        participation = samples["meetings.participation"]
        meeting = participation.meeting
        kwargs = {
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation),
        }
    elif name == "meetings:check_in_toggle":
        participation = samples["meetings.participation"]
        meeting = participation.meeting
        kwargs = {"year": meeting.start_date.year, "slug": meeting.slug, "pk": participation.pk}
    elif name.startswith("meetings:") and params == {"year", "slug"}:
        meeting = samples["meeting"]
        kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    elif "slug" in params:
        kind = {"members:organization_detail": "organization", "members:person_detail": "person",
                "meetings:action_detail": "action"}[name]  # fmt: skip
        kwargs = {"slug": samples[kind].slug}
    else:
        assert not params, f"tell url_for() which arguments {name} takes"
    return reverse(name, kwargs=kwargs)


def all_named_patterns():
    return [(name, pattern) for name, pattern in walk(get_resolver("anso.urls").url_patterns)]


def test_every_url_pattern_has_an_expectation():
    missing = sorted(
        {name for name, _pattern in all_named_patterns() if name and expected_for(name) is None}
    )
    assert missing == [], f"add these URL names to EXPECTED in {__file__}: {missing}"


def test_unnamed_patterns_are_only_admin_redirects():
    unnamed = [str(p.pattern) for name, p in all_named_patterns() if name is None]
    for route in unnamed:
        assert route in {"<path:object_id>/", "(?P<url>.*)$"}, f"name the URL pattern {route}"


@pytest.fixture
def role_clients(client, django_user_model, secretariat_user, outsider_staff_user, superuser):
    from django.test import Client

    clients = {"anonymous": client}
    for role, user in (
        ("outsider", outsider_staff_user),
        ("secretariat", secretariat_user),
        ("superuser", superuser),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def test_permission_matrix(role_clients, samples):
    failures = []
    for name, pattern in all_named_patterns():
        if name is None:
            continue
        expected = expected_for(name)
        if expected is None:
            continue  # reported by test_every_url_pattern_has_an_expectation
        url = url_for(name, pattern, samples)
        for role in ROLES:
            status = role_clients[role].get(url).status_code
            if status != expected[role]:
                failures.append(f"{name} {url} as {role}: {status}, expected {expected[role]}")
    assert failures == [], "\n".join(failures)
