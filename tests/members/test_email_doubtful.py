"""An address a mail server refused for good marks the person's address doubtful: shown to the
Secretariat in the admin, never on public pages, cleared when the address changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from anso.mail.sending import send_after_commit
from members.models import Person

from ..admin_helpers import admin_post
from ..anso.smtp import Inbox, free_port, smtp_mailers, smtp_server
from ..factories import PersonFactory, PositionFactory


def doubtful(person, reason="550 5.1.1 No such user"):
    Person.objects.filter(pk=person.pk).update(
        email_doubtful_since=timezone.now(), email_doubtful_reason=reason
    )
    person.refresh_from_db()
    return person


@pytest.mark.django_db(transaction=True)
def test_a_refusal_by_a_real_server_marks_the_person(settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    gone = PersonFactory(email="gone@example.org")
    here = PersonFactory(email="here@example.org")
    inbox = Inbox(refuse_only={"gone@example.org": "550 5.1.1 No such user"})
    with smtp_server(port, inbox):
        send_after_commit(subject="S", body="B", to=["here@example.org", "Gone <Gone@example.org>"])
    assert len(inbox.messages) == 1
    gone.refresh_from_db()
    here.refresh_from_db()
    assert gone.email_doubtful_since is not None
    assert gone.email_doubtful_reason == "550 5.1.1 No such user"
    assert here.email_doubtful_since is None


@pytest.mark.django_db(transaction=True)
def test_a_mail_refused_to_its_only_recipient_marks_the_person_too(settings):
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    gone = PersonFactory(email="gone@example.org")
    with smtp_server(port, Inbox(refuse="550 5.1.1 No such user")):
        send_after_commit(subject="S", body="B", to=["gone@example.org"])
    gone.refresh_from_db()
    assert gone.email_doubtful_since is not None


@pytest.mark.django_db
def test_a_new_address_clears_the_mark_and_other_changes_keep_it():
    person = doubtful(PersonFactory(email="old@example.org"))
    person.phone = "+86 10 1234"
    person.save()
    person.refresh_from_db()
    assert person.email_doubtful_since is not None

    person.email = "New@example.org"
    person.save(update_fields=["email"])
    person.refresh_from_db()
    assert person.email == "new@example.org"
    assert person.email_doubtful_since is None
    assert person.email_doubtful_reason == ""


def _change_form_data(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


@pytest.mark.django_db
def test_the_secretariat_sees_the_mark_and_clears_it_by_changing_the_address(secretariat_client):
    person = doubtful(PersonFactory(email="old@example.org"))
    PersonFactory(email="fine@example.org")
    changelist = reverse("admin:members_person_changelist")
    response = secretariat_client.get(changelist, {"email_doubtful": "yes"})
    assert [p.pk for p in response.context["cl"].result_list] == [person.pk]
    assert "address doubtful" in response.content.decode()

    url = reverse("admin:members_person_change", args=[person.pk])
    page = secretariat_client.get(url).content.decode()
    assert "550 5.1.1 No such user" in page
    assert 'name="email_doubtful_reason"' not in page  # read-only

    data = _change_form_data(secretariat_client, url)
    data["email_doubtful_reason"] = "forged"  # ignored: read-only
    response = admin_post(secretariat_client, url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_doubtful_reason == "550 5.1.1 No such user"

    response = admin_post(secretariat_client, url, {**data, "email": "new@example.org"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_doubtful_since is None


@pytest.mark.django_db
def test_the_mark_is_never_on_public_pages(client):
    person = doubtful(PersonFactory(email="old@example.org"), reason="550 secret-reason")
    PositionFactory(person=person)  # someone with a public page
    page = client.get(person.get_absolute_url())
    assert page.status_code == 200
    assert "secret-reason" not in page.content.decode()
    assert "old@example.org" not in page.content.decode()
