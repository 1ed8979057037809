"""The nomination and the registration in Chinese, on a desktop and a 375 px phone: a visitor
whose browser prefers Chinese fills the form, sees its errors and its answer in Chinese, and
the record remembers the language for the mails that follow. Every page on the way shows one
language, English only where it is marked as such."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.attendance.models import Participation
from members.models import Organization
from members.nominations.models import Nomination

from .language_check import assert_one_language, latin_only_names
from .test_chinese import DESKTOP, assert_fits
from .test_public_site import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOMINATE = "/zh-hans/working-group/nominate/"
OPEN_MEETING = "/zh-hans/meetings/2027/2nd-anso-working-group-meeting/"
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    return latin_only_names()


@pytest.fixture
def chinese_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def check_page(page, names, name: str) -> None:
    assert_fits(page, name)
    assert_one_language(page, names)


@VIEWPORTS
def test_a_nomination_in_chinese(chinese_page, live_server, demo, viewport, mailoutbox):
    page = chinese_page
    organization = Organization.objects.get(short_name="CAS")
    page.goto(live_server.url + NOMINATE)
    check_page(page, demo, f"zh-nomination-{viewport['width']}")

    page.get_by_label("联络人", exact=True).check()
    page.get_by_label("称谓").fill("教授")
    page.locator("#id_given_name").fill("明")
    page.locator("#id_family_name").fill("王")
    page.get_by_label("原文姓名").fill("王明")
    page.get_by_label("被提名人电子邮箱").fill("wang.ming@")  # the mistake
    page.get_by_label("在组织中的职务").fill("科研处处长")
    expect(page.locator("#id_country option[value=CN]")).to_have_text("中国")
    page.get_by_label("国家或地区").select_option("CN")
    page.get_by_label("被提名人同意在本网站公开其姓名和组织").check()
    page.get_by_label("您的姓名").fill("李华")
    page.get_by_label("您的电子邮箱").fill("li.hua@example.org")
    page.get_by_label("您在该组织中的职务").fill("ANSO代表")
    # The organization last, searched by its Chinese name (see test_nomination.py for why).
    page.locator("#id_organization-ts-control").click()
    page.keyboard.type("中国科学")
    page.locator(".ts-dropdown .option", has_text=organization.name_zh_hans).click()
    expect(page.locator("#id_organization")).to_have_value(str(organization.pk))
    page.get_by_role("button", name="提交提名").click()

    expect(page.locator("#id_email_error")).to_have_text("输入一个有效的 Email 地址。")
    assert not Nomination.objects.exists()
    check_page(page, demo, f"zh-nomination-error-{viewport['width']}")

    page.get_by_label("被提名人电子邮箱").fill("wang.ming@example.org")
    page.get_by_role("button", name="提交提名").click()
    expect(page).to_have_url(live_server.url + NOMINATE + "thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("谢谢")
    expect(page.get_by_role("main")).to_contain_text("我们已收到提名。")
    check_page(page, demo, f"zh-nomination-thanks-{viewport['width']}")

    nomination = Nomination.objects.get()
    assert nomination.language == "zh-hans"
    assert nomination.organization == organization
    assert nomination.name_original == "王明"
    (mail,) = mailoutbox
    assert mail.to == ["li.hua@example.org"]
    assert "/zh-hans/working-group/nominate/confirm/" in mail.body


@VIEWPORTS
def test_a_registration_in_chinese(chinese_page, live_server, demo, viewport, mailoutbox):
    page = chinese_page
    page.goto(live_server.url + OPEN_MEETING)
    check_page(page, demo, f"zh-open-meeting-{viewport['width']}")
    page.locator("#registration").get_by_role("link", name="注册").click()
    expect(page).to_have_url(live_server.url + OPEN_MEETING + "register/")
    check_page(page, demo, f"zh-registration-{viewport['width']}")

    page.get_by_label("称谓").fill("博士")
    page.locator("#id_given_name").fill("娜")
    # The family name, which the form requires, is left out the first time.
    page.get_by_label("电子邮箱").fill("li.na@example.org")
    page.locator("#id_organization_name").fill("兰州样本研究所")
    expect(page.locator("#id_country option[value=CN]")).to_have_text("中国")
    page.get_by_label("国家或地区").select_option("CN")
    page.get_by_label("参会身份").select_option("expert")
    page.get_by_label("在公开的参会人员名单中显示我的姓名、组织和国家").check()
    page.get_by_role("button", name="注册").click()

    expect(page.locator("#id_family_name_error")).to_have_text("这个字段是必填项。")
    expect(page.locator("#id_family_name")).to_have_attribute("aria-invalid", "true")
    assert page.get_by_label("电子邮箱").input_value() == "li.na@example.org"
    assert not Participation.objects.filter(person__email="li.na@example.org").exists()
    check_page(page, demo, f"zh-registration-error-{viewport['width']}")

    page.locator("#id_family_name").fill("李")
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(live_server.url + OPEN_MEETING + "register/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("谢谢")
    expect(page.get_by_role("status")).to_contain_text("您已注册成功。")
    check_page(page, demo, f"zh-registration-done-{viewport['width']}")

    participation = Participation.objects.get(person__email="li.na@example.org")
    assert participation.language == "zh-hans"
    (mail,) = mailoutbox
    assert mail.to == ["li.na@example.org"]
    assert "/zh-hans/" in mail.body
