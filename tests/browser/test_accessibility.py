"""axe-core's accessibility rules on every public page and form, on a desktop and a phone:
no "serious" or "critical" violation (the WCAG 2.1 A and AA rules and axe's best practices)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from ..public_pages import ALL_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_serious_accessibility_violation_on_public_pages_and_forms(
    browser, live_server, demo, viewport
):
    # axe is injected by the test, not by the page: the page's CSP is left to test_csp.py.
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in ALL_PAGES:
            page.goto(live_server.url + path)
            blocking = [v for v in violations(page) if v["impact"] in BLOCKING]
            for violation in blocking:
                found.setdefault(path, []).append(
                    f"{violation['impact']} {violation['id']} ({violation['help']}): "
                    + " | ".join(violation["nodes"])
                )
    finally:
        context.close()
    assert not found, "\n".join(f"{path}: {line}" for path in found for line in found[path])
