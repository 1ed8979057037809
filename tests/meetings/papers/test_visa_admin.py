"""The Secretariat reviews visa requests in the admin: approves several at once (each gets
its letter, mailed as an attachment), refuses with a reason, sees the count on the home page;
staff outside the Secretariat are refused."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from anso.workbench import entries_for
from meetings.papers.models import PaperKind, VisaRequest, VisaRequestStatus

from .test_visa_letters import PASSPORT_NUMBER, new_meeting, requested

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:meetings_visarequest_changelist"
#: The visa requests' list, however many rows (measured).
QUERIES_OF_THE_LIST = 6


def run_action(client, action, objects, extra=None):
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **(extra or {})}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_bulk_approval_issues_a_letter_each_and_mails_it(
    secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    meeting = new_meeting()
    first, second = requested(meeting), requested(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(secretariat_client, "approve_selected", [first, second])
    assert "2 requests approved: their letters are being mailed." in response.text
    references = set()
    for visa_request in (first, second):
        visa_request.refresh_from_db()
        assert visa_request.status == VisaRequestStatus.APPROVED
        assert visa_request.decided_by == secretariat_user
        assert visa_request.paper.kind == PaperKind.VISA_LETTER
        references.add(visa_request.paper.reference)
    assert references == {"ANSO-2027-WG3-V-0001", "ANSO-2027-WG3-V-0002"}
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [(filename, _content, mimetype)] = message.attachments
        assert mimetype == "application/pdf" and filename.endswith(".pdf")
        assert PASSPORT_NUMBER not in message.body

    again = run_action(secretariat_client, "approve_selected", [first])
    assert "1 request was decided already and is left as it is." in again.text


def test_refusal_asks_for_a_reason_and_keeps_it(secretariat_client):
    visa_request = requested()
    asked = secretariat_client.post(
        reverse(CHANGELIST), {"action": "refuse_selected", ACTION_CHECKBOX_NAME: [visa_request.pk]}
    )
    assert asked.status_code == 200
    assert '<ol class="breadcrumbs">' in asked.text and "Reason" in asked.text
    response = run_action(
        secretariat_client,
        "refuse_selected",
        [visa_request],
        {"reason": "Registered after the consulate's deadline."},
    )
    assert "1 request refused." in response.text
    visa_request.refresh_from_db()
    assert visa_request.status == VisaRequestStatus.REFUSED
    assert visa_request.refusal_reason == "Registered after the consulate's deadline."
    assert visa_request.paper is None


def test_the_secretariat_reads_the_details_and_the_list_offers_no_export(secretariat_client):
    visa_request = requested()
    page = secretariat_client.get(
        reverse("admin:meetings_visarequest_change", args=[visa_request.pk])
    )
    assert page.status_code == 200 and PASSPORT_NUMBER in page.text
    listing = secretariat_client.get(reverse(CHANGELIST))
    assert listing.status_code == 200
    assert "export_as_csv" not in listing.text
    assert PASSPORT_NUMBER not in listing.text


def test_staff_outside_the_secretariat_are_refused(client, outsider_staff_user):
    visa_request = requested()
    client.force_login(outsider_staff_user)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    change = reverse("admin:meetings_visarequest_change", args=[visa_request.pk])
    assert client.get(change).status_code == 403


def test_the_home_page_counts_the_requests_to_review_and_links_to_exactly_them(
    secretariat_client, rf, secretariat_user
):
    meeting = new_meeting()
    requested(meeting), requested(meeting)
    decided = requested(meeting)
    VisaRequest.objects.filter(pk=decided.pk).update(
        status=VisaRequestStatus.REFUSED, refusal_reason="No."
    )
    request = rf.get("/")
    request.user = secretariat_user
    [entry] = [e for e in entries_for(request) if e.label == "Visa letters to review"]
    assert entry.count == 2
    listed = secretariat_client.get(entry.url)
    assert listed.context["cl"].result_count == 2
    assert "Visa letters to review" in secretariat_client.get(reverse("admin:index")).text


def test_a_visa_letters_paper_has_no_pdf_to_download(
    secretariat_client, django_capture_on_commit_callbacks
):
    visa_request = requested()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(secretariat_client, "approve_selected", [visa_request])
    visa_request.refresh_from_db()
    paper = visa_request.paper
    page = secretariat_client.get(reverse("admin:meetings_paper_change", args=[paper.pk]))
    assert page.status_code == 200 and paper.reference in page.text
    download = reverse("admin:meetings_paper_download", args=[paper.pk])
    assert secretariat_client.get(download).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_asks_as_many_queries_for_one_request_as_for_several(
    secretariat_client, django_assert_num_queries, n
):
    meeting = new_meeting()
    for _i in range(n):
        requested(meeting)
    secretariat_client.get(reverse(CHANGELIST))  # the session and permissions warmed
    with django_assert_num_queries(QUERIES_OF_THE_LIST):
        assert secretariat_client.get(reverse(CHANGELIST)).status_code == 200
