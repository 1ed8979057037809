"""Every way the admin writes a participation's or a nomination's status goes through its
service: the status event, the history row and a fresh public page follow.

Walks every action of every registered ModelAdmin and every import resource. An action or a
resource must be classified in ACTIONS or RESOURCES below: a new one fails
`test_every_admin_action_is_classified` until it is, and a status-changing one is then run
for real by the tests that follow.
"""

import re

import pytest
import tablib
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client, RequestFactory
from django.urls import reverse

from meetings.attendance.models import Participation, ParticipationEvent, ParticipationStatus
from members.nominations.models import Nomination, NominationEvent, NominationStatus

from .factories import (
    BodyFactory,
    MeetingFactory,
    NominationFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

#: What each admin action does to the records whose status has one write path.
PARTICIPATION_STATUS = "changes participations' status"
NOMINATION_STATUS = "changes nominations' status"
DELETES = "deletes the selected records"
READS = "writes nothing"
#: Through meetings/papers/services.py, which writes each paper's history (tested in
#: tests/meetings/papers/).
PAPERS = "issues or revokes papers"
#: Through meetings/record/services.py, which writes the minutes' history (tested in
#: tests/meetings/record/).
MINUTES_STATE = "changes the minutes' state"
VOTES = "opens or closes votes"
#: Through meetings/record/comments.py, which writes the comment's history (tested in
#: tests/meetings/record/test_minutes_comments.py).
COMMENT_DECISION = "decides members' comments"
#: Through meetings/record/arising.py, which writes each line's history (tested in
#: tests/meetings/record/test_matters_arising.py): adds lines, changes none.
ARISING = "adds lines to the matters arising"
#: Through members/personal_data/services.py, which scrubs the person, their history and their
#: mails and records the erasure (tested in tests/members/test_personal_data.py and
#: tests/meetings/test_erasure_figures.py).
ERASES = "erases people on request"

#: "<app>.<model>.<action>" -> what it does. Site-wide actions (delete, CSV export) apply to
#: every model; the status-changing ones are run below.
SITE_WIDE = {"delete_selected": DELETES, "export_as_csv": READS}
ACTIONS = {
    "meetings.participation.mark_attended": PARTICIPATION_STATUS,
    "members.nomination.approve_selected": NOMINATION_STATUS,
    "members.nomination.reject_selected": NOMINATION_STATUS,
    "axes.accessattempt.cleanup_expired_attempts": DELETES,
    "axes.accessattempt.unlock_accounts": DELETES,
    "anso.outgoingmail.send_again": READS,  # queues the stored mail again; no status
    "meetings.mailing.send_again": READS,  # hands the mailing to the worker again; no status
    "meetings.participation.issue_certificates": PAPERS,  # no status; a batch over the threshold
    "meetings.meeting.issue_dossier": PAPERS,  # through meetings/papers/dossier.py
    "meetings.meeting.issue_all_certificates": PAPERS,  # a batch in the worker, through the service
    "meetings.paper.revoke_selected": PAPERS,
    "members.person.erase_selected": ERASES,
    "meetings.participation.print_badges": READS,  # a PDF to print; nothing kept
    "meetings.participation.print_table_tents": READS,
    "meetings.visarequest.approve_selected": PAPERS,  # issues the letter's paper
    "meetings.visarequest.refuse_selected": PAPERS,  # through meetings/papers/visa.py
    "meetings.visarequest.send_again": PAPERS,  # the same paper, or a new one if revoked
    "meetings.meeting.refresh_matters_arising": ARISING,
    "meetings.minutes.circulate_selected": MINUTES_STATE,
    "meetings.minutes.approve_selected": MINUTES_STATE,
    # Through meetings/record/votes/services.py (tested in tests/meetings/record/test_votes.py):
    # the decision's state follows the vote.
    "meetings.vote.open_selected": VOTES,
    "meetings.vote.close_selected": VOTES,
    "meetings.minutescomment.mark_taken_in": COMMENT_DECISION,
    "meetings.minutescomment.mark_not_taken_in": COMMENT_DECISION,
}

#: Import resources ("<module>.<class>") -> what an import does to statuses.
RESOURCES = {
    "meetings.attendance.resources.ParticipantResource": PARTICIPATION_STATUS,
    "members.resources.OrganizationResource": READS,
    "members.resources.PersonResource": READS,
}


def _superuser_request(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def admin_actions(superuser) -> dict[str, str]:
    request = _superuser_request(superuser)
    found = {}
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            found[f"{model._meta.label_lower}.{name}"] = name
    return found


def import_resources(superuser) -> set[str]:
    request = _superuser_request(superuser)
    found = set()
    for model_admin in admin.site._registry.values():
        if hasattr(model_admin, "get_import_resource_classes"):
            for resource in model_admin.get_import_resource_classes(request):
                found.add(f"{resource.__module__}.{resource.__qualname__}")
    return found


def test_every_admin_action_is_classified(superuser):
    found = admin_actions(superuser)
    unclassified = sorted(
        key for key, name in found.items() if key not in ACTIONS and name not in SITE_WIDE
    )
    assert unclassified == [], f"classify these admin actions in ACTIONS in {__file__}"
    missing = sorted(set(ACTIONS) - set(found))
    assert missing == [], f"these actions in ACTIONS no longer exist: {missing}"


def test_every_import_resource_is_classified(superuser):
    assert import_resources(superuser) == set(RESOURCES)


def public_page(url: str) -> str:
    """A public page as an anonymous visitor gets it, through the page cache."""
    response = Client().get(url)
    assert response.status_code == 200
    return response.text


def attended_figure(meeting) -> int:
    text = public_page(meeting.get_absolute_url())
    return int(re.search(r'data-figure="participants"><dt>[^<]*</dt><dd>(\d+)</dd>', text)[1])


def _run_action(client, model, action: str, objects, extra=None):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **(extra or {})}
    return client.post(url, data)


PARTICIPATION_ACTIONS = [key for key, kind in ACTIONS.items() if kind == PARTICIPATION_STATUS]
NOMINATION_ACTIONS = [key for key, kind in ACTIONS.items() if kind == NOMINATION_STATUS]

#: For each status-changing action: the status it sets, and any form its intermediate
#: page asks for.
ACTION_RUNS = {
    "meetings.participation.mark_attended": (ParticipationStatus.ATTENDED, {}),
    "members.nomination.approve_selected": (NominationStatus.APPROVED, {}),
    "members.nomination.reject_selected": (
        NominationStatus.REJECTED,
        {"reason": "The nominee is not from a member organization."},
    ),
}


def test_every_status_action_has_a_run():
    assert set(PARTICIPATION_ACTIONS + NOMINATION_ACTIONS) == set(ACTION_RUNS)


@pytest.mark.parametrize("key", PARTICIPATION_ACTIONS)
def test_participation_action_writes_event_history_and_a_fresh_page(
    key, client, superuser, page_cache
):
    to_status, extra = ACTION_RUNS[key]
    meeting = MeetingFactory()
    selected = ParticipationFactory.create_batch(
        2, meeting=meeting, status=ParticipationStatus.REGISTERED
    )
    before = attended_figure(meeting)
    assert attended_figure(meeting) == before  # cached now
    history_before = {p.pk: p.history.count() for p in selected}

    client.force_login(superuser)
    response = _run_action(client, Participation, key.rsplit(".", 1)[1], selected, extra)
    assert response.status_code == 302

    for participation in Participation.objects.filter(pk__in=[p.pk for p in selected]):
        assert participation.status == to_status
        event = ParticipationEvent.objects.get(participation=participation)
        assert (event.to_status, event.by) == (to_status, superuser)
        assert participation.history.count() == history_before[participation.pk] + 1
        assert participation.history.latest().history_user == superuser
    expected = before + 2 if to_status == ParticipationStatus.ATTENDED else before
    assert attended_figure(meeting) == expected


@pytest.mark.parametrize("key", NOMINATION_ACTIONS)
def test_nomination_action_writes_event_history_and_a_fresh_page(
    key, client, superuser, page_cache
):
    to_status, extra = ACTION_RUNS[key]
    BodyFactory()  # the working group an approval appoints to
    nomination = NominationFactory(family_name="Zanzibar-Nominee")
    organization_url = nomination.organization.get_absolute_url()
    assert "Zanzibar-Nominee" not in public_page(organization_url)
    history_before = nomination.history.count()

    client.force_login(superuser)
    response = _run_action(client, Nomination, key.rsplit(".", 1)[1], [nomination], extra)
    assert response.status_code in (200, 302)

    nomination.refresh_from_db()
    assert nomination.status == to_status
    event = NominationEvent.objects.get(nomination=nomination, to_status=to_status)
    assert event.actor == superuser
    assert nomination.history.count() > history_before
    shown = "Zanzibar-Nominee" in public_page(organization_url)
    assert shown == (to_status == NominationStatus.APPROVED)


# --- imports --------------------------------------------------------------------------------


def _participant_rows(meeting, people) -> tablib.Dataset:
    data = tablib.Dataset(headers=["meeting", "email", "family_name", "status"])
    for person in people:
        data.append([meeting.slug, person.email, person.family_name, "attended"])
    return data


#: For each status-changing resource: a dataset that sets two rows to "attended" (one
#: existing participation, one new), and how to find the participations it touched.
RESOURCE_RUNS = {"meetings.attendance.resources.ParticipantResource": _participant_rows}


@pytest.mark.parametrize(
    "key", [key for key, kind in RESOURCES.items() if kind == PARTICIPATION_STATUS]
)
def test_import_resource_writes_event_history_and_a_fresh_page(key, superuser, page_cache):
    request = _superuser_request(superuser)
    (resource_class,) = (
        resource
        for model_admin in admin.site._registry.values()
        if hasattr(model_admin, "get_import_resource_classes")
        for resource in model_admin.get_import_resource_classes(request)
        if f"{resource.__module__}.{resource.__qualname__}" == key
    )
    meeting = MeetingFactory()
    known = ParticipationFactory(
        meeting=meeting,
        person=PersonFactory(email="known@example.org"),
        status=ParticipationStatus.REGISTERED,
    )
    newcomer = PersonFactory.build(email="new@example.org", family_name="Newcomer")
    assert attended_figure(meeting) == 0
    history_before = known.history.count()

    result = resource_class().import_data(
        RESOURCE_RUNS[key](meeting, [known.person, newcomer]), dry_run=False, user=superuser
    )
    assert not result.has_errors() and not result.has_validation_errors()

    assert attended_figure(meeting) == 2
    known.refresh_from_db()
    assert known.history.count() == history_before + 1
    for participation in Participation.objects.filter(meeting=meeting):
        assert participation.status == ParticipationStatus.ATTENDED
        assert participation.checked_in_by == superuser
        event = participation.events.get()
        assert (event.to_status, event.by) == (ParticipationStatus.ATTENDED, superuser)
        assert participation.history.latest().history_user == superuser


# --- nominations: the change form and the history -------------------------------------------


def test_nomination_status_is_not_a_field_of_the_change_form(secretariat_client):
    nomination = NominationFactory()
    url = reverse("admin:members_nomination_change", args=[nomination.pk])
    form = secretariat_client.get(url).context["adminform"].form
    assert "status" not in form.fields
    assert not {"reviewed_by", "reviewed_at", "person", "position"} & set(form.fields)


def test_nomination_reverted_from_the_history_keeps_its_decision(client, superuser):
    """The history view opens an earlier version of the record; saving it must not put back
    an earlier status (or any other field the form does not edit)."""
    BodyFactory()
    nomination = NominationFactory(job_title="Director")
    earliest = nomination.history.earliest()
    client.force_login(superuser)
    assert _run_action(client, Nomination, "approve_selected", [nomination]).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED

    url = reverse(
        "admin:members_nomination_simple_history", args=[nomination.pk, earliest.history_id]
    )
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url, data)
    assert response.status_code == 302

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert nomination.position is not None
    assert nomination.history.latest().status == NominationStatus.APPROVED
