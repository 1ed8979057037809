"""Every admin page renders for the Secretariat, and is refused for anonymous visitors and for
staff outside the Secretariat group."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.attendance.models import ParticipationEvent
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient, RecipientList
from meetings.papers.models import Letterhead, Paper, PaperBatch, PaperKind, VisaRequest
from meetings.record.comment_models import MinutesComment
from meetings.record.models import MattersArising
from meetings.record.services import minutes_create
from meetings.record.votes import services as votes
from members.models import Erasure
from members.nominations.models import NominationEvent
from members.roles import SECRETARIAT_GROUP, secretariat_codenames
from tests.meetings.record.votes_helpers import electorate, open_vote

from ..factories import (
    ActionFactory,
    ActionProgressFactory,
    AgendaItemFactory,
    DecisionFactory,
    DocumentVersionFactory,
    NominationFactory,
    ParticipationFactory,
    PositionFactory,
    RegistrationWindowFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

#: The site's own models (Django's users and groups are the superuser's business).
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in {"members", "meetings"}),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label for model in MODELS]


@pytest.fixture
def demo(db):
    """At least one row of every model, linked the way the demo links them."""
    speaker = SpeakerFactory()
    meeting = speaker.item.session.meeting
    decision = DecisionFactory(meeting=meeting)
    action = ActionFactory(endorsed_by=decision)
    ActionProgressFactory(action=action, meeting=meeting, date=meeting.start_date)
    AgendaItemFactory(session=speaker.item.session, action=action)
    MattersArising.objects.create(
        item=AgendaItemFactory(session=speaker.item.session, kind="matters_arising"),
        action=action,
    )
    participation = ParticipationFactory(meeting=meeting, person=speaker.person)
    PositionFactory(person=speaker.person)
    nomination = NominationFactory()
    NominationEvent.objects.create(nomination=nomination, to_status="awaiting_review")
    Erasure.objects.create(reason="Asked by mail", person=speaker.person)
    RegistrationWindowFactory(meeting=meeting)
    ParticipationEvent.objects.create(participation=participation, to_status="attended")
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="Invitation", body_en="{link}"
    )
    MailingRecipient.objects.create(
        mailing=mailing, person=speaker.person, address=speaker.person.email
    )
    RecipientList.objects.create(name="ANSO partners").people.add(speaker.person)
    DocumentVersionFactory(document__agenda_item=speaker.item)
    minutes = minutes_create(meeting=meeting, by=None)  # a part for each item, and a revision
    MinutesComment.objects.create(
        part=minutes.parts.first(),
        person=speaker.person,
        text="Please add who chaired.",
        created_at=timezone.now(),
    )
    Letterhead.ensure()
    Paper.objects.create(
        kind=PaperKind.CERTIFICATE,
        reference="ANSO-2019-WG1-C-0001",
        meeting=meeting,
        participation=participation,
        issued_at=timezone.now(),
        file=ContentFile(b"%PDF-1.7\n", name="ANSO-2019-WG1-C-0001.pdf"),
        sha256="0" * 64,
    )
    PaperBatch.objects.create(meeting=meeting, kind="badges", queued_at=timezone.now())
    # A vote with a delegation and a ballot.
    giver, delegate = electorate(2)
    vote = open_vote(decision=DecisionFactory(meeting=meeting))
    votes.delegation_give(
        vote=vote, person=giver, organization=giver.organization, delegate=delegate.organization
    )
    votes.ballot_cast(vote=vote, person=delegate, organization=delegate.organization, choice="no")
    VisaRequest.objects.create(
        participation=participation,
        passport_name="OKONKWO CHIDINMA",
        nationality="NG",
        passport_number="A01234567",
        date_of_birth="1980-01-02",
        consulate="Embassy of China in Abuja",
        arrival=meeting.start_date,
        departure=meeting.end_date,
    )


def _urls(model) -> dict[str, str]:
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the demo data has no {opts.label}"
    return {
        "changelist": reverse(f"{name}_changelist"),
        "add": reverse(f"{name}_add"),
        "change": reverse(f"{name}_change", args=[obj.pk]),
        "history": reverse(f"{name}_history", args=[obj.pk]),
    }


def test_every_model_of_both_apps_is_registered():
    from django.apps import apps

    registered = {model._meta.label for model in MODELS}
    for app in ("members", "meetings"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                assert model._meta.label in registered


def test_secretariat_group_has_exactly_the_listed_permissions():
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == secretariat_codenames()


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_admin_pages_render_for_the_secretariat(secretariat_client, secretariat_user, demo, model):
    opts = model._meta
    urls = _urls(model)
    for page in ("changelist", "change", "history"):
        response = secretariat_client.get(urls[page])
        assert response.status_code == 200, page
    can_add = secretariat_user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
    assert secretariat_client.get(urls["add"]).status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_admin_changelist_search_and_filters_render(secretariat_client, demo, model):
    changelist = _urls(model)["changelist"]
    response = secretariat_client.get(changelist, {"q": "ANSO"})
    assert response.status_code == 200
    changelist_obj = response.context["cl"]
    for spec in changelist_obj.filter_specs:
        for choice in list(spec.choices(changelist_obj))[:3]:
            assert secretariat_client.get(changelist + choice["query_string"]).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_admin_pages_send_anonymous_visitors_to_the_login(client, demo, model):
    for url in _urls(model).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_admin_pages_are_forbidden_to_staff_outside_the_secretariat(
    client, outsider_staff_user, demo, model
):
    client.force_login(outsider_staff_user)
    for page, url in _urls(model).items():
        assert client.get(url).status_code == 403, page


def test_staff_outside_the_secretariat_see_no_models(client, outsider_staff_user):
    client.force_login(outsider_staff_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_secretariat_sees_its_tables_by_task_and_not_the_user_accounts(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))
    groups = [app["app_label"] for app in response.context["app_list"]]
    # The tables grouped by task (anso/admin.py, GROUPS); the machinery ("system": user
    # accounts, failed sign-ins, task results) is for superusers only.
    assert groups == ["programme", "attendance", "papers", "people", "mail", "records"]
    labels = {m["model"]._meta.label for app in response.context["app_list"] for m in app["models"]}
    assert "auth.User" not in labels
    assert "anso.OutgoingMail" in labels


def test_admin_header_uses_the_site_name(secretariat_client, settings):
    response = secretariat_client.get(reverse("admin:index"))
    assert f"{settings.SITE_NAME} administration" in response.text


def test_a_single_view_permission_shows_only_that_model(client, outsider_staff_user, demo):
    outsider_staff_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="meetings", codename="view_meeting")
    )
    client.force_login(outsider_staff_user)
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    assert client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    assert client.get(reverse("admin:members_person_changelist")).status_code == 403
