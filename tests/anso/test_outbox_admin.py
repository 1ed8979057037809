"""The outbox in the admin: the recipients as addresses, the HTML part from its own address
with its own policy."""

import pytest
from django.urls import reverse

from anso.models import OutgoingMail

pytestmark = pytest.mark.django_db

TO = ["zhang-wei@example.org", "Li Na <li-na@example.org>"]


@pytest.fixture
def mail():
    return OutgoingMail.objects.create(
        to=TO, subject="Invitation", body="Text", html="<p style='color: red'>Rich</p>"
    )


def test_the_outbox_shows_the_recipients_as_a_plain_list(secretariat_client, mail):
    for url in (
        reverse("admin:anso_outgoingmail_changelist"),
        reverse("admin:anso_outgoingmail_change", args=[mail.pk]),
    ):
        html = secretariat_client.get(url).content.decode()
        assert "zhang-wei@example.org, Li Na &lt;li-na@example.org&gt;" in html
        assert "[&quot;" not in html and '["' not in html


def html_url(mail) -> str:
    return reverse("admin:anso_outgoingmail_html", args=[mail.pk])


def test_the_outbox_frames_the_html_part_from_its_own_address(secretariat_client, mail):
    """The HTML part was a `srcdoc` frame, under the admin's policy: its inline styles were
    refused. It is served on its own, sandboxed, with a policy that lets its styles apply and
    nothing run or load."""
    html = secretariat_client.get(
        reverse("admin:anso_outgoingmail_change", args=[mail.pk])
    ).content.decode()
    assert "srcdoc" not in html
    assert f'src="{html_url(mail)}"' in html

    response = secretariat_client.get(html_url(mail))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == mail.html
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
    assert not any(part.startswith("script-src") for part in policy)
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_html_part_is_for_staff_who_may_see_the_outbox(client, outsider_staff_user, mail):
    response = client.get(html_url(mail))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(outsider_staff_user)
    assert client.get(html_url(mail)).status_code == 403


def test_a_mail_without_an_html_part_has_none_to_show(secretariat_client):
    mail = OutgoingMail.objects.create(to=TO, subject="Plain", body="Text")
    assert secretariat_client.get(html_url(mail)).status_code == 404
    page = secretariat_client.get(reverse("admin:anso_outgoingmail_change", args=[mail.pk]))
    assert "<iframe" not in page.content.decode()
