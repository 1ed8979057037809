"""The Secretariat's list of mailings."""

import re

import pytest
from django.urls import reverse

from meetings.invitations.models import Mailing, MailingKind

pytestmark = pytest.mark.django_db


def test_mailing_list_columns_have_distinct_headings(secretariat_client):
    Mailing.objects.create(
        kind=MailingKind.ANNOUNCEMENT, subject_en="News", body_en="Text", recipients_label="All"
    )
    html = secretariat_client.get(reverse("admin:meetings_mailing_changelist")).content.decode()
    start = html.index('id="result_list"')
    html = html[start : html.index("</thead>", start)]
    headings = [
        re.sub(r"<[^>]+>|\s+", " ", heading).strip()
        for heading in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    ]
    headings = [heading for heading in headings if heading]
    assert len(headings) == len(set(headings)), headings
    assert "Recipients" not in headings
