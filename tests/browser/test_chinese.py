"""The visitor's path in Chinese: a browser that prefers Chinese lands on /zh-hans/, and walks
home -> meetings -> a meeting -> the nomination form, on a desktop and a 375 px phone, with
Chinese navigation and dates and no page wider than the screen."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .language_check import assert_one_language, latin_only_names, unmarked_english
from .test_public_site import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
MEETING_PATH = "/zh-hans/meetings/2019/1st-anso-working-group-meeting/"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def assert_fits(page, name: str) -> None:
    # After a click the page's text may be there before its stylesheets: measure once loaded.
    page.wait_for_load_state("load")
    screenshot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"
    assert page.locator("html").get_attribute("lang") == "zh-hans", page.url


def open_navigation(page, viewport) -> None:
    """On a phone, open the collapsed menu and wait until it stands open: a click while it is
    still sliding open can land on the page beneath."""
    page.wait_for_load_state("load")  # the menu's script is in place
    if viewport is PHONE:
        page.locator(".navbar-toggler").click()
        expect(page.locator(".navbar-collapse")).to_have_class(re.compile(r"\bshow\b"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_chinese_visitor_walks_to_the_nomination_form(browser, live_server, demo, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    names = latin_only_names()
    try:
        page.goto(live_server.url + "/")
        expect(page).to_have_url(live_server.url + "/zh-hans/")
        assert_fits(page, f"zh-home-{viewport['width']}")
        assert_one_language(page, names)

        open_navigation(page, viewport)
        nav = page.get_by_role("navigation", name="主导航")
        nav.get_by_role("link", name="会议", exact=True).click()
        expect(page).to_have_url(live_server.url + "/zh-hans/meetings/")
        expect(page.get_by_role("heading", level=1)).to_have_text("会议")
        expect(page.get_by_role("heading", name="以往会议")).to_be_visible()
        assert_fits(page, f"zh-meetings-{viewport['width']}")
        assert_one_language(page, names)

        page.locator(f'main a[href="{MEETING_PATH}"]').first.click()
        expect(page).to_have_url(live_server.url + MEETING_PATH)
        expect(page.get_by_role("main")).to_contain_text("2019年5月13日")
        expect(page.get_by_role("main")).to_contain_text("日程")
        assert_fits(page, f"zh-meeting-{viewport['width']}")
        assert_one_language(page, names)

        # The switcher keeps the page.
        open_navigation(page, viewport)
        with page.expect_navigation():  # the next page's load, within the page's own timeout
            page.get_by_role("link", name="English").click()
        expect(page).to_have_url(live_server.url + MEETING_PATH.replace("/zh-hans/", "/en/"))
        open_navigation(page, viewport)
        with page.expect_navigation():
            page.get_by_role("link", name="简体中文").click()
        expect(page).to_have_url(live_server.url + MEETING_PATH)

        open_navigation(page, viewport)
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="登记联络人").click()
        expect(page).to_have_url(live_server.url + "/zh-hans/working-group/nominate/")
        expect(page.get_by_role("button", name="提交提名")).to_be_visible()
        expect(page.get_by_role("textbox", name="您的电子邮箱*")).to_be_visible()
        expect(page.get_by_role("link", name="ANSO 工作组")).to_be_visible()
        assert_fits(page, f"zh-nominate-{viewport['width']}")
        assert_one_language(page, names)
        # The organization search answers in Chinese too.
        page.locator("#id_organization-ts-control").click()
        page.keyboard.type("zzzz")
        expect(page.locator(".ts-dropdown .no-results")).to_have_text("没有匹配的成员组织。")
    finally:
        context.close()


#: The Chinese pages the visitor's walks reach, beyond the forms (tests/public_pages.py).
CHINESE_PAGES = [
    "/zh-hans/",
    "/zh-hans/meetings/",
    MEETING_PATH,
    "/zh-hans/meetings/action-plan/",
    "/zh-hans/meetings/action-plan/anso-joint-research-programmes/",
    "/zh-hans/working-group/",
    "/zh-hans/members/",
    "/zh-hans/members/acsd/",
    "/zh-hans/people/jinghua-cao/",
    "/zh-hans/sign-in/",
]


def test_chinese_pages_do_not_mix_languages(browser, live_server, demo):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    names = latin_only_names()
    try:
        for path in CHINESE_PAGES:
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == "zh-hans", path
            problems += [f"{path} {problem}" for problem in unmarked_english(page, names)]
    finally:
        context.close()
    assert not problems, "English not marked lang=en:\n" + "\n".join(problems)
