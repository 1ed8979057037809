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


# --- the trend chart's labels -------------------------------------------------------------


def _trend_labels(html: str) -> list[str]:
    figure = _figure(html, "trend")
    labels = re.findall(r'<text [^>]*class="chart-label"[^>]*>(.*?)</text>', figure, re.S)
    return [re.sub(r"<[^>]+>", " ", label).split() for label in labels]


def _two_meetings_in_november_2018():
    board = BodyFactory(kind=BodyKind.GOVERNING_BOARD)
    assembly = BodyFactory(kind=BodyKind.GENERAL_ASSEMBLY)
    for body, day in ((board, 3), (assembly, 4)):
        date = datetime.date(2018, 11, day)
        meeting = MeetingFactory(body=body, number=1, start_date=date, end_date=date)
        ParticipationFactory(meeting=meeting)


@pytest.mark.parametrize("language", ("en", "zh-hans"))
def test_trend_chart_tells_two_meetings_of_one_month_apart(secretariat_client, language):
    _two_meetings_in_november_2018()
    with translation.override(language):
        html = secretariat_client.get(reverse(URL)).text
    labels = [" ".join(label) for label in _trend_labels(html)]
    assert len(labels) == 2
    assert labels[0] != labels[1]
    if language == "en":
        assert "3 Nov 2018" in labels[0]
        assert "4 Nov 2018" in labels[1]
    else:
        assert "2018年11月3日" in labels[0]
        assert "理事会" in labels[0]
        assert "全体大会" in labels[1]


# --- no records is not zero -------------------------------------------------------------------


def test_a_meeting_without_records_shows_no_records_not_zero(secretariat_client):
    empty = MeetingFactory(
        start_date=datetime.date(2018, 11, 3), end_date=datetime.date(2018, 11, 4)
    )
    absent = MeetingFactory()  # records, nobody attended
    ParticipationFactory(meeting=absent, status=ParticipationStatus.ABSENT)
    html = secretariat_client.get(reverse(URL)).text
    figure = _figure(html, "trend")
    rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', figure, re.S))
    assert "no records" in rows[empty.title]
    assert re.findall(r">(\d+)<", rows[empty.title]) == []
    assert "no records" not in rows[absent.title]
    assert re.findall(r">(\d+)<", rows[absent.title])[:2] == ["1", "0"]
    # In the chart: the empty meeting has no columns (nor figures), but a note.
    chart = figure.split("<details")[0]
    assert chart.count("no records") == 1
    assert f"{empty.title}: registered" not in chart
    assert f"{absent.title}: registered 1" in chart


def test_no_attended_records_show_no_membership_bars(secretariat_client):
    MeetingFactory()
    html = secretariat_client.get(reverse(URL)).text
    assert "<rect" not in _figure(html, "membership")

