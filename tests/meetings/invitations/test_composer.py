"""The composer: errors on the fields, the preview for one recipient, sending queues the
recipients and one task; and the invitation page, whose queries do not grow with the list."""

import pytest
from django.tasks import task_backends
from django.urls import reverse

from anso.models import OutgoingMail
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from tests.factories import PersonFactory

from .helpers import (
    compose_url,
    composer_data,
    invitation_list_url,
    meeting_kwargs,
    open_meeting,
    working_group,
)

pytestmark = pytest.mark.django_db


def test_composer_starts_with_a_template_in_both_languages(secretariat_client):
    meeting = open_meeting()
    response = secretariat_client.get(compose_url(meeting))
    assert response.status_code == 200
    form = response.context["form"]
    assert "{link}" in form.initial["body_en"]
    assert "{link}" in form.initial["body_zh_hans"]
    assert "{link}" in response.content.decode()  # the placeholders are listed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body_en", "Dear {nmae}", "Unknown placeholder {nmae}"),
        ("subject_en", "Hello {name", "A brace is not closed"),
        ("body_zh_hans", "{name.__dict__}", "Unknown placeholder"),
    ],
)
def test_a_bad_template_is_an_error_on_its_field(secretariat_client, field, value, message):
    meeting = open_meeting()
    response = secretariat_client.post(compose_url(meeting), composer_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not Mailing.objects.exists()


def test_an_announcement_without_a_meeting_cannot_use_the_meetings_placeholders(
    secretariat_client,
):
    working_group(1)
    data = {"group": "working_group", "subject_en": "News", "body_en": "See you on {dates}"}
    response = secretariat_client.post(reverse("meetings:announcement_compose"), data)
    assert response.status_code == 400
    assert "cannot be used" in response.context["form"].errors["body_en"][0]
    data["body_en"] = "Register: {link}"
    meeting = open_meeting()
    response = secretariat_client.post(
        reverse("meetings:announcement_compose"), {**data, "meeting": meeting.pk}
    )
    assert "cannot be used" in response.context["form"].errors["body_en"][0]


def test_preview_shows_recipients_skipped_and_the_mail_for_the_chosen_person(secretariat_client):
    meeting = open_meeting()
    first, second = working_group(2)
    second.language = "zh-hans"
    second.save()
    no_email = working_group(1)[0]
    no_email.email = ""
    no_email.save()
    response = secretariat_client.post(
        compose_url(meeting), composer_data(preview_person=second.pk)
    )
    assert response.status_code == 200
    pick = response.context["pick"]
    assert {p.pk for p in pick.people} == {first.pk, second.pk}
    assert [p.pk for p, _reason in pick.skipped] == [no_email.pk]
    preview = response.context["preview"]
    assert preview["person"].pk == second.pk
    assert preview["mail"].subject.startswith("邀请:")
    html = response.content.decode()
    assert 'id="preview"' in html and "no email address" in html
    assert not Mailing.objects.exists() and not OutgoingMail.objects.exists()


def test_send_stores_the_recipients_and_leaves_the_mail_to_the_worker(
    secretariat_client, settings, django_capture_on_commit_callbacks
):
    """The request stores the mailing and queues one task once it commits; the mails are
    written by that task, in the worker (here the queue only keeps what is queued)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    meeting = open_meeting()
    people = working_group(3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = secretariat_client.post(
            compose_url(meeting), composer_data(send="1"), follow=True
        )
    assert callbacks  # the hand-over waits for the commit
    assert response.status_code == 200
    assert "The mailing to 3 people is queued" in response.content.decode()
    mailing = Mailing.objects.get()
    assert mailing.kind == MailingKind.INVITATION and mailing.created_by.username == "secretariat"
    assert set(mailing.recipients.values_list("person", flat=True)) == {p.pk for p in people}
    assert not OutgoingMail.objects.exists()  # nothing written in the request, nor at commit
    [queued] = task_backends["default"].results
    assert queued.kwargs["mailing_id"] == mailing.pk
    # What the worker does with it: one mail for each recipient.
    queued.task.call(*queued.args, **queued.kwargs)
    assert sorted(address for mail in OutgoingMail.objects.all() for address in mail.to) == sorted(
        person.email for person in people
    )
    # Sent again: everyone is already invited, nobody to send to.
    response = secretariat_client.post(compose_url(meeting), composer_data(send="1"))
    assert response.status_code == 400
    assert Mailing.objects.count() == 1


def test_send_needs_the_permission(client, outsider_staff_user):
    meeting = open_meeting()
    client.force_login(outsider_staff_user)
    assert client.post(compose_url(meeting), composer_data(send="1")).status_code == 403
    assert not Mailing.objects.exists()


@pytest.mark.parametrize("page", ["meetings:invitation_compose", "meetings:invitation_list"])
def test_an_anonymous_visitor_learns_nothing_of_which_meetings_exist(client, page):
    """The access is checked before the meeting is looked up: a made-up meeting is sent to
    the sign-in page like a real (unpublished) one, not answered with a 404."""
    meeting = open_meeting()
    real = client.get(reverse(page, kwargs=meeting_kwargs(meeting)))
    made_up = client.get(reverse(page, kwargs={"year": 2001, "slug": "no-such-meeting"}))
    assert real.status_code == made_up.status_code == 302
    assert "/admin/login/" in made_up["Location"]


@pytest.mark.parametrize("n", [1, 30])
def test_invitation_page_queries_are_flat(secretariat_client, django_assert_num_queries, n):
    meeting = open_meeting()
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="s", body_en="b"
    )
    for person in PersonFactory.create_batch(n):
        mail = OutgoingMail.objects.create(to=[person.email], subject="s", body="b")
        MailingRecipient.objects.create(
            mailing=mailing, person=person, address=person.email, mail=mail
        )
    secretariat_client.get(invitation_list_url(meeting))  # the session, warmed
    with django_assert_num_queries(11):
        response = secretariat_client.get(invitation_list_url(meeting))
    assert len(response.context["page"].object_list) == n


def test_invitation_page_empty_state(secretariat_client):
    meeting = open_meeting()
    response = secretariat_client.get(invitation_list_url(meeting))
    assert response.status_code == 200
    assert 'id="no-invitations"' in response.content.decode()


@pytest.mark.parametrize("kind", ["invitation", "announcement"])
def test_the_same_composer_form_sent_twice_sends_once(
    secretariat_client, kind, django_capture_on_commit_callbacks
):
    """A double click on "Send", or the request sent again: one mailing, one mail each."""
    meeting = open_meeting()
    working_group(2)
    url = compose_url(meeting) if kind == "invitation" else reverse("meetings:announcement_compose")
    page = secretariat_client.get(url)
    key = page.context["form"].initial["submission_key"]
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    data = composer_data(send="1", submission_key=key)
    if kind == "announcement":
        data.update(subject_en="News", body_en="Dear {name}", subject_zh_hans="", body_zh_hans="")

    with django_capture_on_commit_callbacks(execute=True):
        first = secretariat_client.post(url, data)
        second = secretariat_client.post(url, data, follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first.url
    assert "already sent" in second.content.decode()
    assert Mailing.objects.count() == 1
    assert MailingRecipient.objects.count() == 2
    assert OutgoingMail.objects.count() == 2
    # A new visit of the composer is a new form.
    assert secretariat_client.get(url).context["form"].initial["submission_key"] != key


def test_two_sends_of_one_form_at_the_same_moment_store_one_mailing():
    """The view's check and the send are not one step: the unique key decides the race."""
    from meetings.invitations import services

    meeting = open_meeting()
    people = working_group(1)
    draft = services.MailingDraft(
        kind=MailingKind.INVITATION,
        meeting=meeting,
        subject_en="Invitation",
        body_en="{link}",
        submission_key="same-form",
    )
    first = services.mailing_send(draft=draft, people=people, by=None)
    with pytest.raises(services.MailingAlreadySent) as already:
        services.mailing_send(draft=draft, people=people, by=None)
    assert already.value.mailing == first
    assert Mailing.objects.count() == 1
    assert MailingRecipient.objects.count() == 1
