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


# --- the filter ---------------------------------------------------------------------------


@pytest.fixture
def two_bodies():
    """A Working Group meeting in 2019 (2 from Kenya) and a Governing Board meeting in 2021
    (1 from Thailand)."""
    group = MeetingFactory(body=BodyFactory(kind=BodyKind.WORKING_GROUP))
    ParticipationFactory.create_batch(2, meeting=group, country="KE")
    board = MeetingFactory(
        body=BodyFactory(kind=BodyKind.GOVERNING_BOARD),
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2021, 6, 1),
    )
    ParticipationFactory(meeting=board, country="TH")
    return group, board


def test_the_filter_narrows_the_trends_and_the_charts(secretariat_client, two_bodies):
    group, board = two_bodies
    html = secretariat_client.get(reverse(URL), {"body": board.body.slug}).text
    assert board.title in _figure(html, "trend")
    assert group.title not in _figure(html, "trend")
    assert "Thailand" in _figure(html, "country")
    assert "Kenya" not in _figure(html, "country")
    html = secretariat_client.get(reverse(URL), {"year": "2019"}).text
    assert group.title in _figure(html, "trend")
    assert board.title not in _figure(html, "trend")
    assert "Kenya" in _figure(html, "country")
    assert "Thailand" not in _figure(html, "country")
    membership = _bar_widths(_figure(html, "membership"))
    assert sum(1 for _ in membership) == 2


def test_the_filter_is_kept_in_the_export_links(secretariat_client, two_bodies):
    group, _board = two_bodies
    html = secretariat_client.get(reverse(URL), {"body": group.body.slug, "year": "2019"}).text
    links = re.findall(r'href="([^"]*/statistics/export/[^"]*)"', html)
    assert links
    for link in links:
        assert f"body={group.body.slug}" in link
        assert "year=2019" in link


@pytest.mark.parametrize(
    "query",
    ({"year": "abc"}, {"year": "1800"}, {"body": "no-such-body"}, {"year": "2019\u00b2"}),
)
def test_a_bad_filter_is_the_forms_message_and_a_400(secretariat_client, two_bodies, query):
    response = secretariat_client.get(reverse(URL), query)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert "chart-svg" not in response.text


# --- the export ---------------------------------------------------------------------------

EXPORT = "meetings:statistics_export"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_gives_the_figures_by_meeting(secretariat_client, two_bodies):
    group, board = two_bodies
    empty = MeetingFactory(start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2022, 1, 1))
    rows = _csv(secretariat_client.get(reverse(EXPORT), {"table": "meetings", "format": "csv"}))
    header, *data = rows
    assert header[:4] == ["Meeting", "Body", "Start date", "End date"]
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert set(by_title) == {group.title, board.title, empty.title}
    assert by_title[group.title]["Attended"] == "2"
    assert by_title[group.title]["Records"] == "2"
    assert by_title[empty.title]["Records"] == "0"
    assert by_title[empty.title]["Attended"] == ""  # no records, not zero


def test_the_export_follows_the_filter(secretariat_client, two_bodies):
    _group, board = two_bodies
    query = {"table": "countries", "format": "csv", "body": board.body.slug}
    rows = _csv(secretariat_client.get(reverse(EXPORT), query))
    assert rows == [
        ["Country or region code", "Country or region", "Participants"],
        ["TH", "Thailand", "1"],
    ]


def test_the_export_by_organization_is_formula_safe_and_has_no_personal_data(
    secretariat_client,
):
    meeting = MeetingFactory()
    person = PersonFactory(email="zhang-wei@example.org", given_name="Wei", family_name="Zhang")
    ParticipationFactory(
        meeting=meeting, person=person, organization=None, organization_name="=HYPERLINK(1)"
    )
    _organizations_beyond_the_top(meeting, named=25, each=1, others=0)
    response = secretariat_client.get(reverse(EXPORT), {"table": "organizations", "format": "csv"})
    rows = _csv(response)
    assert rows[0] == ["Organization", "Participants"]
    assert ["'=HYPERLINK(1)", "1"] in rows
    assert len(rows) == 1 + 26  # every organization, none folded
    text = response.content.decode()
    assert "@" not in text
    assert "Zhang" not in text
    assert "Wei" not in text


def test_the_export_as_xlsx(secretariat_client, two_bodies):
    response = secretariat_client.get(reverse(EXPORT), {"table": "meetings", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Meeting"
    assert sheet.max_row == 3


def test_the_export_follows_the_language(secretariat_client, two_bodies):
    with translation.override("zh-hans"):
        url = reverse(EXPORT)
    rows = _csv(secretariat_client.get(url, {"table": "countries", "format": "csv"}))
    assert rows[0][2] == "参会人员"


@pytest.mark.parametrize(
    "query",
    (
        {"table": "people", "format": "csv"},
        {"table": "meetings", "format": "pdf"},
        {"table": "meetings", "format": "csv", "year": "abc"},
        {"table": "meetings", "format": "csv", "body": "x"},
    ),
)
def test_a_bad_export_address_is_a_400(secretariat_client, two_bodies, query):
    response = secretariat_client.get(reverse(EXPORT), query)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_the_export_is_for_the_secretariat(client, outsider_staff_user):
    url = reverse(EXPORT)
    assert client.get(url).status_code == 302
    client.force_login(outsider_staff_user)
    assert client.get(url).status_code == 403


# --- the query count ----------------------------------------------------------------------


@pytest.mark.parametrize("n", (2, 30))
def test_filtered_dashboard_and_export_queries_flat(
    secretariat_client, django_assert_num_queries, n
):
    body = BodyFactory(kind=BodyKind.WORKING_GROUP)
    for number in range(n):
        day = datetime.date(2000 + number, 5, 13)
        meeting = MeetingFactory(body=body, start_date=day, end_date=day)
        ParticipationFactory(meeting=meeting)
    MeetingFactory(  # of another body: filtered out
        body=BodyFactory(kind=BodyKind.GOVERNING_BOARD),
        start_date=datetime.date(2040, 1, 1),
        end_date=datetime.date(2040, 1, 1),
    )
    url = reverse(URL)
    query = {"body": body.slug}
    secretariat_client.get(url, query)
    with django_assert_num_queries(11):
        response = secretariat_client.get(url, query)
    assert response.status_code == 200
    assert len(_trend_labels(response.text)) == n
    export = {**query, "table": "meetings", "format": "csv"}
    secretariat_client.get(reverse(EXPORT), export)
    with django_assert_num_queries(6):
        response = secretariat_client.get(reverse(EXPORT), export)
    assert len(_csv(response)) == n + 1


def test_every_table_the_export_offers_is_exported(secretariat_client, two_bodies):
    from meetings.attendance.filters import StatisticsExportForm
    from meetings.attendance.statistics import EXPORT_TABLES

    tables = [value for value, _label in StatisticsExportForm.base_fields["table"].choices]
    assert set(tables) == set(EXPORT_TABLES)
    for table in tables:
        response = secretariat_client.get(reverse(EXPORT), {"table": table})
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert f"attendance-{table}.csv" in response["Content-Disposition"]
