"""The project's admin offers import and export where the Secretariat needs them."""

import pytest
from django.urls import reverse

from meetings.attendance.models import ParticipationEvent

from ..factories import ParticipationFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ("meetings_participation", "members_organization", "members_person")
)
def test_secretariat_sees_import_and_export(secretariat_client, model):
    changelist = secretariat_client.get(reverse(f"admin:{model}_changelist"))
    assert reverse(f"admin:{model}_import").encode() in changelist.content
    assert reverse(f"admin:{model}_export").encode() in changelist.content
    assert secretariat_client.get(reverse(f"admin:{model}_import")).status_code == 200
    assert secretariat_client.get(reverse(f"admin:{model}_export")).status_code == 200


def test_contact_persons_export_is_offered_but_not_for_import(secretariat_client):
    PositionFactory()
    export = secretariat_client.get(reverse("admin:members_person_export"))
    assert b"Contact persons (export only)" in export.content
    imports = secretariat_client.get(reverse("admin:members_person_import"))
    assert b"Contact persons (export only)" not in imports.content


def test_status_change_log_is_read_only(secretariat_client):
    participation = ParticipationFactory()
    event = ParticipationEvent.objects.create(participation=participation, to_status="attended")
    assert (
        secretariat_client.get(reverse("admin:meetings_participationevent_changelist")).status_code
        == 200
    )
    assert (
        secretariat_client.get(reverse("admin:meetings_participationevent_add")).status_code == 403
    )
    response = secretariat_client.post(
        reverse("admin:meetings_participationevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ParticipationEvent.objects.filter(pk=event.pk).exists()


def test_meeting_admin_edits_the_registration_window_inline(secretariat_client):
    participation = ParticipationFactory()
    response = secretariat_client.get(
        reverse("admin:meetings_meeting_change", args=[participation.meeting.pk])
    )
    assert b'name="registration-TOTAL_FORMS"' in response.content
