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
