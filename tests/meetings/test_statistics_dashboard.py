"""The Secretariat's attendance statistics page: its charts, its filter and its export."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from meetings.attendance.models import ParticipationStatus
from members.models import BodyKind

from ..factories import (
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

URL = "meetings:statistics"


def _figure(html: str, chart_id: str) -> str:
    """The <figure> of one chart."""
    match = re.search(
        rf'<figure class="chart[^"]*" aria-labelledby="{chart_id}-title">(.*?)</figure>',
        html,
        re.S,
    )
    assert match, chart_id
    return match.group(1)


def _bar_widths(figure: str) -> dict[str, float]:
    """Bar label (the bar's tooltip) -> its width in percent."""
    return {
        title: float(width)
        for width, title in re.findall(
            r'<rect x="0" y="[^"]*" width="([0-9.]+)%"[^>]*><title>(.*?): \d+</title>', figure
        )
    }


def _organizations_beyond_the_top(meeting, *, named: int, each: int, others: int):
    """`named` organizations with `each` participants, then `others` with one each: the
    folded row adds up to more than the largest organization."""
    for index in range(named):
        organization = OrganizationFactory(name=f"Named Organization {index:02d}")
        ParticipationFactory.create_batch(each, meeting=meeting, organization=organization)
    for index in range(others):
        organization = OrganizationFactory(name=f"Small Organization {index:02d}")
        ParticipationFactory(meeting=meeting, organization=organization)


# --- the folded row is not a bar --------------------------------------------------------------


def test_dashboard_draws_no_bar_wider_than_the_largest_named_organization(secretariat_client):
    _organizations_beyond_the_top(MeetingFactory(), named=20, each=8, others=10)
    html = secretariat_client.get(reverse(URL)).text
    figure = _figure(html, "organization")
    widths = _bar_widths(figure)
    assert len(widths) == 20
    largest = widths["Named Organization 00"]
    assert max(widths.values()) == largest
    assert not any("other organizations" in label for label in widths)
    assert "and 10 other organizations" in figure
    assert figure.split("and 10 other organizations")[1].startswith(": 10")


def test_meeting_page_draws_no_bar_for_the_folded_organizations(client):
    meeting = MeetingFactory()
    _organizations_beyond_the_top(meeting, named=15, each=2, others=9)
    html = client.get(meeting.get_absolute_url()).text
    widths = _bar_widths(_figure(html, "chart-organization"))
    assert len(widths) == 15
    assert max(widths.values()) == widths["Named Organization 00"]
    assert "and 9 other organizations" in html

