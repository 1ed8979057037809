"""Each person's rights over their data (docs/personal-data.md), walked in a browser in English
and in Chinese: a contact person signs in with the link mailed to them, reads what the site
holds about them and downloads it; the Secretariat erases them in the admin, on their request,
with a reason. The words the pages must show are taken from the catalogue, in the page's
language."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from anso.models import OutgoingMail, OutgoingMailStatus
from members.models import Erasure, Person, Role
from members.nominations.models import NominationKind

from ..factories import (
    MeetingFactory,
    NominationFactory,
    ParticipationFactory,
    PositionFactory,
    UserFactory,
)
from ..staff_helpers import admin_sign_in
from .language_check import ENGLISH_RUN, assert_one_language, latin_only_names
from .test_invitations import secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh-hans"])
#: The browser's preferred language for each of the site's.
LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}
ADDRESS = "amina@example.org"
OTHER_ADDRESS = "other.person@example.org"
#: The columns of the erasures' list in the admin (members/personal_data/admin.py).
COLUMNS = ["erased_at", "erased_by", "reason"]
SIGN_IN_LINK = re.compile(r"https?://\S+/sign-in/link/\S+")


def one_language(page, language: str, *records_text: str) -> None:
    """A Chinese page shows Chinese, English only where it is marked as such, besides the
    people's Latin names and the records' own text (this fixture gives its records no Chinese
    names: the page shows their English ones)."""
    if language == "en":
        return
    allowed = set(latin_only_names())
    for text in records_text:
        allowed.update(ENGLISH_RUN.findall(text))
    assert_one_language(page, allowed)


def t(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def in_language(language: str, text) -> str:
    """A lazy text or a record's name, as the site says it in `language`."""
    with translation.override(language):
        return str(text)


@pytest.fixture
def people(transactional_db) -> dict[str, Person]:
    """A contact person with a position, a meeting attended, a nomination and a mail; another
    person at the same meeting, whose data is no one else's."""
    meeting = MeetingFactory()
    member = PositionFactory(
        person__given_name="Amina",
        person__family_name="Odhiambo",
        person__email=ADDRESS,
        person__phone="+254 700 000 000",
        title="Director, International Cooperation",
    ).person
    other = PositionFactory(
        person__given_name="Boris",
        person__family_name="Kowalczyk",
        person__email=OTHER_ADDRESS,
        person__phone="+48 600 000 000",
        person__country="PL",
    ).person
    ParticipationFactory(meeting=meeting, person=member)
    ParticipationFactory(meeting=meeting, person=other)
    NominationFactory(
        email=ADDRESS, given_name="Amina", family_name="Odhiambo", organization=member.organization
    )
    NominationFactory(email=OTHER_ADDRESS, given_name="Boris", family_name="Kowalczyk")
    for address, subject in ((ADDRESS, "Your registration"), (OTHER_ADDRESS, "Not yours")):
        OutgoingMail.objects.create(
            to=[address],
            subject=subject,
            body="See you in Beijing.",
            status=OutgoingMailStatus.SENT,
            sent_at=timezone.now(),
        )
    return {"member": member, "other": other}


def new_page(browser, language: str):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[language], accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def ask_for_link(page, live_server, mailoutbox, language: str, next_path: str) -> str:
    """The member's own way in: a members' page sends them to the sign-in, they type their
    address, and the mail brings the link."""
    page.goto(live_server.url + next_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Members' sign-in"))
    sent_before = len(mailoutbox)
    page.get_by_label(t(language, "Email")).fill(ADDRESS)
    page.get_by_role("button", name=t(language, "Send me a sign-in link")).click()
    expect(page.get_by_role("status")).to_be_visible()
    # Other waiting mails may go out with it, in an order the database does not fix.
    (mail,) = [
        m for m in mailoutbox[sent_before:] if ADDRESS in m.to and "/sign-in/link/" in m.body
    ]
    (link,) = SIGN_IN_LINK.findall(mail.body)
    assert f"/{language}/sign-in/link/" in link
    return link


def follow_link(page, link: str, language: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Sign in"))
    page.get_by_role("button", name=t(language, "Sign in")).click()


@LANGUAGES
def test_a_member_reads_and_downloads_their_data(
    browser, live_server, people, mailoutbox, language
):
    member, other = people["member"], people["other"]
    my_data = f"/{language}/my-data/"
    context, page = new_page(browser, language)
    link = ask_for_link(page, live_server, mailoutbox, language, my_data)
    follow_link(page, link, language)
    expect(page).to_have_url(live_server.url + my_data)

    # The header says who is signed in and links here.
    with translation.override(language):
        name = member.display_name  # the honorific's place depends on the language
        meeting = str(member.participations.get().meeting)
        organization = str(member.organization)
        nominated_by = str(member.organization)
    expect(page.locator("#member-status")).to_contain_text(name)
    expect(
        page.locator("#member-status").get_by_role("link", name=t(language, "My data"))
    ).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Your data"))
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    for heading in (
        "Your record",
        "Positions",
        "Meetings",
        "Invitations",
        "Comments on minutes",
        "Nominations",
        "Mails sent to you",
        "Consent",
    ):
        assert t(language, heading) in headings
    record = page.locator("#personal-data-person")
    expect(record).to_contain_text(name)
    expect(record).to_contain_text(ADDRESS)
    expect(record).to_contain_text("+254 700 000 000")
    expect(record).to_contain_text(organization)
    expect(page.locator("#personal-data-positions tbody tr")).to_have_count(1)
    expect(page.locator("#personal-data-positions")).to_contain_text(
        "Director, International Cooperation"
    )
    expect(page.locator("#personal-data-participations tbody tr")).to_have_count(1)
    expect(page.locator("#personal-data-participations")).to_contain_text(meeting)
    expect(page.locator("#personal-data-nominations tbody tr")).to_have_count(1)
    expect(page.locator("#personal-data-nominations")).to_contain_text(nominated_by)
    expect(page.locator("#personal-data-mails")).to_contain_text("Your registration")
    with translation.override(language):
        position = member.positions.get()
        records_text = [str(position.body), position.title, organization, meeting]
    one_language(page, language, *records_text, "Your registration")
    main = page.get_by_role("main").inner_text()
    for theirs in ("Boris", other.family_name, OTHER_ADDRESS, "Not yours"):
        assert theirs not in main

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t(language, "Download as JSON")).click()
    download = download_info.value
    assert download.suggested_filename == "my-data.json"
    text = Path(download.path()).read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["language"] == language
    assert data["person"]["email"] == ADDRESS
    assert data["person"]["family_name"] == "Odhiambo"
    assert [p["title"] for p in data["positions"]] == ["Director, International Cooperation"]
    assert [p["meeting"] for p in data["participations"]] == [meeting]
    assert [n["email"] for n in data["nominations"]] == [ADDRESS]
    # Its labels in the page's language.
    assert data["positions"][0]["role"] == in_language(language, Role.CONTACT_PERSON.label)
    assert data["nominations"][0]["kind"] == in_language(
        language, NominationKind.CONTACT_PERSON.label
    )
    assert "Your registration" in [m["subject"] for m in data["mails"]]
    for theirs in ("Boris", "Kowalczyk", OTHER_ADDRESS, "+48 600 000 000", "Not yours"):
        assert theirs not in text
    # Every section the download holds is on the page, under its heading; the empty ones say so.
    for key in set(data) - {"generated_at", "language"}:
        section = page.locator(f"#personal-data-{key}")
        expect(section.get_by_role("heading", level=2)).to_be_visible()
        if data[key] == []:
            expect(section.locator("[data-empty]")).to_be_visible()
    expect(page.locator("#personal-data-minutes_comments [data-empty]")).to_have_text(
        t(language, "You have written no comment on circulated minutes.")
    )
    context.close()


def secretariat_sign_in(browser, live_server, language: str):
    """The Secretariat signs in to the admin with the second factor, then picks the admin's
    language with its switcher (the admin has no language prefix: it follows the choice)."""
    staff = UserFactory(username="secretary", is_staff=True)
    staff.groups.add(secretariat_group())
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    context, page = new_page(browser, "en")
    admin_sign_in(page, live_server, device)
    page.wait_for_url(f"{live_server.url}/admin/")
    if language != "en":
        page.locator(f".admin-language-switcher button[value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    return staff, context, page


def attendance_figures(page, url: str) -> dict[str, str]:
    page.goto(url)
    figures = page.locator(".attendance-figure")
    expect(figures.first).to_be_visible()
    return {
        figure.get_attribute("data-figure"): figure.locator("dd").inner_text()
        for figure in figures.all()
    }


@LANGUAGES
def test_the_secretariat_erases_a_person_in_the_admin(
    browser, live_server, people, mailoutbox, language
):
    member = people["member"]
    meeting = member.participations.get().meeting
    with translation.override(language):
        meeting_url = live_server.url + meeting.get_absolute_url()
        person_url = live_server.url + reverse("person_detail", kwargs={"slug": member.slug})

    # The member is signed in with their link, and has asked for another on a second device.
    member_context, member_page = new_page(browser, language)
    my_data = f"/{language}/my-data/"
    follow_link(
        member_page,
        ask_for_link(member_page, live_server, mailoutbox, language, my_data),
        language,
    )
    expect(member_page).to_have_url(live_server.url + my_data)
    phone_context, phone = new_page(browser, language)
    unused_link = ask_for_link(phone, live_server, mailoutbox, language, my_data)

    public_context, public = new_page(browser, language)
    assert public.goto(person_url).status == 200
    before = attendance_figures(public, meeting_url)
    assert before["participants"] == "2"
    assert "Odhiambo" in public.get_by_role("main").inner_text()  # listed among participants

    staff, context, page = secretariat_sign_in(browser, live_server, language)
    page.goto(f"{live_server.url}/admin/members/person/?q={ADDRESS}")
    page.locator("#result_list tbody tr").filter(has_text="Odhiambo").get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option(
        label=t(language, "Erase the selected people…")
    )
    page.get_by_role("button", name=t(language, "Run")).click()

    # The reason page, in the admin's language; sent without a reason first.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Erase the people"))
    with translation.override(language):
        expect(page.get_by_role("main")).to_contain_text(member.display_name)
    erase = page.get_by_role("button", name=t(language, "Erase"), exact=True)
    erase.click()
    reason = page.get_by_label(t(language, "Reason"))
    expect(page.locator("ul.errorlist")).to_have_text(t(language, "This field is required."))
    expect(page.locator("#error-summary-title")).to_have_text(t(language, "The form was not sent"))
    expect(page.locator("#error-summary-list a")).to_have_text(t(language, "Reason"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()
    one_language(page, language)
    member.refresh_from_db()
    assert member.erased_at is None and not Erasure.objects.exists()

    reason.fill("Request by mail of 1 December")
    erase.click()
    with translation.override(language):
        erased = ngettext("%(count)d person erased.", "%(count)d people erased.", 1) % {"count": 1}
    expect(page.locator(".messagelist .success")).to_have_text(erased)
    one_language(page, language, str(member.organization))

    # The public side: no page for them, the meeting's figures unchanged.
    assert public.goto(person_url).status == 404
    member.refresh_from_db()
    with translation.override(language):
        erased_url = live_server.url + reverse("person_detail", kwargs={"slug": member.slug})
    assert public.goto(erased_url).status == 404
    assert attendance_figures(public, meeting_url) == before
    assert "Odhiambo" not in public.get_by_role("main").inner_text()

    # The record: when, why and by whom, in the admin.
    (erasure,) = Erasure.objects.all()
    assert erasure.erased_by == staff
    assert erasure.reason == "Request by mail of 1 December"
    assert timezone.now() - erasure.erased_at < datetime.timedelta(minutes=5)
    page.goto(f"{live_server.url}/admin/members/erasure/")
    with translation.override(language):
        columns = [str(Erasure._meta.get_field(name).verbose_name) for name in COLUMNS]
        when = formats.localize(timezone.template_localtime(erasure.erased_at))
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert [h.strip().lower() for h in headers[1:]] == [c.lower() for c in columns]
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    for shown in (when, "secretary", "Request by mail of 1 December"):
        expect(row).to_contain_text(shown)
    one_language(page, language, erasure.reason)

    # The member's link no longer opens their data: the signed-in page sends them to the
    # sign-in, and the link they had not used yet signs nobody in.
    member_page.goto(live_server.url + my_data)
    expect(member_page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Members' sign-in")
    )
    assert "Odhiambo" not in member_page.content() and ADDRESS not in member_page.content()
    follow_link(phone, unused_link, language)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        t(language, "This sign-in link does not work")
    )
    expect(phone.locator("#sign-in-link-invalid")).to_be_visible()
    # Asking again with the old address sends nothing: nobody has it any more.
    sent_before = len(mailoutbox)
    phone.get_by_label(t(language, "Email")).fill(ADDRESS)
    phone.get_by_role("button", name=t(language, "Send me a sign-in link")).click()
    expect(phone.get_by_role("status")).to_be_visible()
    assert not [m for m in mailoutbox[sent_before:] if ADDRESS in m.to]
    phone.goto(live_server.url + my_data)
    expect(phone.get_by_role("heading", level=1)).to_have_text(t(language, "Members' sign-in"))
    for each in (context, member_context, phone_context, public_context):
        each.close()
