import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from members.models import Position
from members.nominations.models import Nomination, NominationEvent, NominationStatus
from tests.factories import BodyFactory, NominationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_nomination_changelist")


def change_url(nomination):
    return reverse("admin:members_nomination_change", args=[nomination.pk])


@pytest.fixture
def working_group():
    return BodyFactory()


def test_nomination_admin_changelist_filters_and_search(secretariat_client):
    NominationFactory(family_name="Otieno", status=NominationStatus.AWAITING_REVIEW)
    NominationFactory(family_name="Wanjiru", status=NominationStatus.UNCONFIRMED)
    response = secretariat_client.get(CHANGELIST, {"status__exact": "awaiting_review"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Otieno" in html
    assert "Wanjiru" not in html
    response = secretariat_client.get(CHANGELIST, {"q": "wanjiru"})
    assert "Wanjiru" in response.content.decode()
    assert "Otieno" not in response.content.decode()


@pytest.mark.parametrize("n", (1, 30))
def test_nomination_admin_changelist_queries_flat(secretariat_client, django_assert_num_queries, n):
    NominationFactory.create_batch(n)
    secretariat_client.get(CHANGELIST)  # warm the session and content types
    # the unfiltered count comes from the cache; no date hierarchy (two queries fewer)
    with django_assert_num_queries(5):
        assert secretariat_client.get(CHANGELIST).status_code == 200


def test_nomination_admin_outsider_staff_sees_nothing(client, outsider_staff_user):
    client.force_login(outsider_staff_user)
    nomination = NominationFactory()
    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.post(reverse("admin:members_nomination_approve", args=[nomination.pk])).status_code
        == 403
    )


def test_nomination_admin_approve_button(
    secretariat_client,
    secretariat_user,
    working_group,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    nomination = NominationFactory()
    page = secretariat_client.get(change_url(nomination))
    approve_url = reverse("admin:members_nomination_approve", args=[nomination.pk])
    assert approve_url in page.content.decode()
    confirm = secretariat_client.get(approve_url)
    assert confirm.status_code == 200
    assert (
        Nomination.objects.get().status == NominationStatus.AWAITING_REVIEW
    )  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(approve_url, follow=True)
    assert response.redirect_chain[-1][0] == change_url(nomination)
    assert "Approved" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert nomination.reviewed_by == secretariat_user
    assert len(mailoutbox) == 1
    # The audit trail shows on the page, and the buttons are gone.
    html = response.content.decode()
    assert "Audit trail" in html
    assert approve_url not in html
    # Approving again says so and changes nothing.
    response = secretariat_client.post(approve_url, follow=True)
    assert "cannot be decided again" in response.content.decode()
    assert Position.objects.count() == 1


def test_nomination_admin_reject_button_asks_for_reason(
    secretariat_client, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = NominationFactory()
    reject_url = reverse("admin:members_nomination_reject", args=[nomination.pk])
    response = secretariat_client.post(reject_url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(reject_url, {"reason": "Duplicate of another."})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.reason) == ("rejected", "Duplicate of another.")
    assert len(mailoutbox) == 1


def test_nomination_admin_approve_action(secretariat_client, working_group):
    nominations = NominationFactory.create_batch(2)
    response = secretariat_client.post(
        CHANGELIST,
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [n.pk for n in nominations]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Nomination.objects.values_list("status", flat=True)) == {"approved"}
    assert Position.objects.count() == 2


def test_nomination_admin_reject_action_intermediate_form(secretariat_client):
    nominations = NominationFactory.create_batch(2)
    selected = [n.pk for n in nominations]
    page = secretariat_client.post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: selected}
    )
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert not Nomination.objects.filter(status="rejected").exists()
    response = secretariat_client.post(
        CHANGELIST,
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: selected, "reason": "Not members."},
    )
    assert response.status_code == 302
    assert set(Nomination.objects.values_list("status", "reason")) == {("rejected", "Not members.")}
    assert NominationEvent.objects.filter(to_status="rejected").count() == 2


def test_nomination_admin_event_inline_is_read_only(secretariat_client, working_group):
    nomination = NominationFactory()
    NominationEvent.objects.create(nomination=nomination, from_status="", to_status="unconfirmed")
    html = secretariat_client.get(change_url(nomination)).content.decode()
    assert "Audit trail" in html
    assert 'name="events-0-to_status"' not in html  # shown, not editable


def test_nomination_admin_history_page(secretariat_client):
    nomination = NominationFactory()
    response = secretariat_client.get(
        reverse("admin:members_nomination_history", args=[nomination.pk])
    )
    assert response.status_code == 200


def test_nomination_admin_no_add(secretariat_client):
    assert secretariat_client.get(reverse("admin:members_nomination_add")).status_code == 403


def test_secretariat_group_reviews_nominations_and_reads_audit(secretariat_user):
    """The data migration gave the group exactly these rights on nominations."""
    assert secretariat_user.has_perms(
        [
            "members.view_nomination",
            "members.change_nomination",
            "members.view_nominationevent",
        ]
    )
    assert not secretariat_user.has_perm("members.add_nomination")
    assert not secretariat_user.has_perm("members.delete_nomination")
    assert not secretariat_user.has_perm("members.change_nominationevent")


def test_nomination_admin_unconfirmed_can_be_rejected_not_approved(
    secretariat_client, working_group
):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    html = secretariat_client.get(change_url(nomination)).content.decode()
    assert reverse("admin:members_nomination_reject", args=[nomination.pk]) in html
    approve_url = reverse("admin:members_nomination_approve", args=[nomination.pk])
    assert approve_url not in html
    response = secretariat_client.post(approve_url, follow=True)
    assert "Only a nomination awaiting review can be approved" in response.content.decode()
    assert not Position.objects.exists()
