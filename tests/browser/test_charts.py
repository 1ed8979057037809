"""The attendance charts of the meeting page, read on a phone and a desktop: every label
inside its chart, at a readable size, and the figures once as a table."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ..public_pages import DEMO_MEETING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}

LABELS_OUTSIDE = """() => {
    const out = [];
    let count = 0;
    for (const svg of document.querySelectorAll("svg.chart-bars")) {
        const box = svg.getBoundingClientRect();
        for (const text of svg.querySelectorAll("text")) {
            count++;
            const r = text.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.height < 12) {
                out.push(`${text.textContent} [${r.left}, ${r.right}] h=${r.height} `
                         + `in [${box.left}, ${box.right}]`);
            }
        }
    }
    return {count, out};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_chart_labels_stay_inside_the_chart_and_readable(browser, live_server, viewport):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        page.goto(live_server.url + DEMO_MEETING)
        expect(page.locator("svg.chart-bars")).to_have_count(2)
        result = page.evaluate(LABELS_OUTSIDE)
        assert result["count"] > 20
        assert result["out"] == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("document.documentElement.clientWidth")
    finally:
        context.close()


def test_the_country_figures_are_one_table_behind_the_chart(page, live_server):
    call_command("load_demo", verbosity=0)
    page.goto(live_server.url + DEMO_MEETING)
    attendance = page.locator("#attendance")
    tables = attendance.get_by_role(
        "table", name="Participants by country or region", include_hidden=True
    )
    expect(tables).to_have_count(1)
    expect(tables).to_be_hidden()
    attendance.locator("#chart-country-title").locator("..").get_by_text("Show as a table").click()
    expect(tables).to_be_visible()
    expect(tables.get_by_role("row").first).to_contain_text("China")
