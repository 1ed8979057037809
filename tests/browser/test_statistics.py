"""The Secretariat's attendance statistics in a browser: the trend chart's labels stay apart
and inside the chart, the filter works from its form, and the page keeps the CSP."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import BodyKind
from tests.factories import BodyFactory, MeetingFactory, ParticipationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Pairs of trend-chart labels whose boxes overlap, and labels outside the chart.
LABEL_CLASHES = """() => {
    const svg = document.querySelector("#trend-title").closest("figure").querySelector("svg");
    const box = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll("text.chart-label")]
        .map(t => t.getBoundingClientRect());
    const out = [];
    labels.forEach((a, i) => {
        if (a.left < box.left - 0.5 || a.right > box.right + 0.5) out.push(`outside ${i}`);
        labels.slice(i + 1).forEach((b, j) => {
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                out.push(`${i} and ${i + j + 1}`);
            }
        });
    });
    return {count: labels.length, out};
}"""


def _meetings():
    """Two meetings in November 2018 with long body names, a meeting without records."""
    board = BodyFactory(kind=BodyKind.GOVERNING_BOARD)
    assembly = BodyFactory(kind=BodyKind.GENERAL_ASSEMBLY)
    for body, number, day in ((board, 12, 3), (assembly, 11, 4)):
        date = datetime.date(2018, 11, day)
        meeting = MeetingFactory(body=body, number=number, start_date=date, end_date=date)
        ParticipationFactory.create_batch(3, meeting=meeting)
    MeetingFactory(
        body=board,
        number=13,
        start_date=datetime.date(2019, 5, 1),
        end_date=datetime.date(2019, 5, 1),
    )


@pytest.mark.parametrize("language", ("en", "zh-hans"))
def test_statistics_labels_apart_and_the_filter_from_its_form(browser, live_server, language):
    _meetings()
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "admin")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + reverse("admin:index"))
        page.goto(live_server.url + f"/{language}/meetings/statistics/")
        if shots := os.environ.get("ANSO_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/statistics-{language}.png", full_page=True)
        result = page.evaluate(LABEL_CLASHES)
        assert result == {"count": 3, "out": []}
        page.select_option("#id_year", "2019")
        page.locator(".statistics-filter [type=submit]").click()
        page.wait_for_url("**year=2019**")
        expect(
            page.locator("#trend-title").locator("..").locator("text.chart-label")
        ).to_have_count(1)
        expect(page.locator("a[href*='statistics/export/'][href*='year=2019']")).to_have_count(6)
        assert violations == []
    finally:
        context.close()


#: The trend chart's smallest label height, and how far the page scrolls sideways.
READABLE = """() => {
    const labels = [...document.querySelectorAll("#trend-title ~ .chart-scroll text.chart-label")];
    return {
        count: labels.length,
        smallest: Math.min(...labels.map(t => t.getBoundingClientRect().height)),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}"""


def test_many_meetings_keep_the_trend_chart_readable_on_a_tablet(browser, live_server):
    board = BodyFactory(kind=BodyKind.GOVERNING_BOARD)
    for number in range(1, 25):
        date = datetime.date(2000 + number, 5, 1)
        meeting = MeetingFactory(body=board, number=number, start_date=date, end_date=date)
        ParticipationFactory(meeting=meeting)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "admin")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + reverse("admin:index"))
        page.goto(live_server.url + reverse("meetings:statistics"))
        result = page.evaluate(READABLE)
        assert result["count"] == 24
        assert result["smallest"] >= 12
        assert result["overflow"] <= 0
    finally:
        context.close()
