"""Content in English and Chinese: the translated fields, the English fallback marked
`lang="en"` on the public pages, the admin's side-by-side fields, both language columns in the
spreadsheets, and query counts that do not grow with the languages."""

import datetime
import re

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from anso.text.languages import fallback_lang
from meetings.models import Meeting
from members.models import BodyKind, Organization, Position
from members.resources import OrganizationResource

from .admin_helpers import admin_post, get_in_language
from .factories import (
    ActionFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PositionFactory,
    SessionFactory,
)
from .meetings.test_public_views import build_meeting

pytestmark = pytest.mark.django_db


def _lang_en(html: str, text: str) -> bool:
    """Whether the element whose text starts with `text` is marked English."""
    pattern = r'<[a-z0-9]+\b[^>]*\blang="en"[^>]*>\s*' + re.escape(text)
    return re.search(pattern, html) is not None


def _bilingual_meeting():
    body = BodyFactory(kind=BodyKind.WORKING_GROUP, name="ANSO Working Group")
    body.name_zh_hans = "ANSO工作组"
    body.save()
    meeting = MeetingFactory(body=body, number=1, summary="The first meeting.")
    meeting.summary_zh_hans = "工作组第一次会议。"
    meeting.city_zh_hans = "北京"
    meeting.save()
    translated = SessionFactory(meeting=meeting, order=1, title="Opening session")
    translated.title_zh_hans = "开幕式"
    translated.save()
    SessionFactory(meeting=meeting, order=2, title="Second session")  # English only
    action = ActionFactory(title="Open science and data sharing")
    AgendaItemFactory(session=translated, order=1, title="Opening address", action=action)
    DecisionFactory(meeting=meeting, order=1, text="To build a working group.")
    return meeting


def test_translated_fields_read_the_active_language_and_fall_back_to_english():
    meeting = _bilingual_meeting()
    with translation.override("zh-hans"):
        assert meeting.summary == "工作组第一次会议。"
        assert meeting.venue == "Ya'ao International Hotel"  # no Chinese: English
        assert fallback_lang(meeting, "summary") is None
        assert fallback_lang(meeting, "venue") == "en"
    with translation.override("en"):
        assert meeting.summary == "The first meeting."
        assert fallback_lang(meeting, "venue") is None


def test_meeting_page_in_chinese_marks_each_english_fallback(client):
    meeting = _bilingual_meeting()
    response = get_in_language(client, "zh-hans", meeting.get_absolute_url)
    assert response.status_code == 200
    html = response.text
    assert "<h1>ANSO工作组第一次会议</h1>" in html
    assert "工作组第一次会议。" in html and not _lang_en(html, "<p>工作组第一次会议")
    assert _lang_en(html, "Ya&#x27;ao International Hotel")
    assert not _lang_en(html, "北京")
    # The programme (written in Python): the translated session is not marked, the other is.
    assert not _lang_en(html, "开幕式")
    assert _lang_en(html, "Second session")
    assert _lang_en(html, "Opening address")
    assert _lang_en(html, "Open science and data sharing")
    assert _lang_en(html, "To build a working group.")


def test_meeting_page_in_english_marks_nothing(client):
    meeting = _bilingual_meeting()
    response = get_in_language(client, "en", meeting.get_absolute_url)
    html = response.text
    assert "<h1>1st ANSO Working Group Meeting</h1>" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]  # the switcher names English
    assert 'lang="en"' not in main


def test_meeting_list_and_action_plan_mark_fallbacks(client):
    meeting = _bilingual_meeting()
    other = MeetingFactory(number=2, body=meeting.body)
    Meeting.objects.filter(pk=other.pk).update(title_zh_hans=None)  # as if not translated
    response = get_in_language(client, "zh-hans", lambda: reverse("meetings:meeting_list"))
    html = response.text
    assert "ANSO工作组第一次会议" in html and not _lang_en(html, "ANSO工作组第一次会议")
    assert _lang_en(html, "2nd ANSO Working Group Meeting")
    response = get_in_language(client, "zh-hans", lambda: reverse("meetings:action_list"))
    assert _lang_en(response.text, "Open science and data sharing")


def test_organization_page_in_chinese(client):
    participation = ParticipationFactory(organization=OrganizationFactory(name="Baikal Academy"))
    organization = participation.organization
    response = get_in_language(client, "zh-hans", organization.get_absolute_url)
    assert _lang_en(response.text, "Baikal Academy")
    organization.name_zh_hans = "贝加尔科学院"
    organization.save()
    response = get_in_language(client, "zh-hans", organization.get_absolute_url)
    assert "<h1>贝加尔科学院</h1>" in response.text


@pytest.mark.parametrize("n", [1, 10])
def test_meeting_page_queries_do_not_grow_with_the_languages(client, n):
    meeting = build_meeting(n)
    counts = {}
    for language in ("en", "zh-hans"):
        get_in_language(client, language, meeting.get_absolute_url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = get_in_language(client, language, meeting.get_absolute_url)
        assert response.status_code == 200
        counts[language] = len(captured.captured_queries)
    assert counts["en"] == counts["zh-hans"] == 12  # with the documents (none)


# --- the admin ------------------------------------------------------------------------------


def test_admin_edits_both_languages_side_by_side(secretariat_client):
    url = reverse("admin:members_organization_add")
    page = secretariat_client.get(url).text
    assert 'name="name_en"' in page and 'name="name_zh_hans"' in page
    data = {
        "name_en": "Chinese Academy of Sciences",
        "name_zh_hans": "中国科学院",
        "short_name_en": "CAS",
        "short_name_zh_hans": "中科院",
        "slug": "",
        "kind": "academy",
        "country": "CN",
        "membership_status": "member",
        "joined_on": "2018-11-04",
    }
    response = admin_post(secretariat_client, url, data)
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert (organization.name_en, organization.name_zh_hans) == (
        "Chinese Academy of Sciences",
        "中国科学院",
    )
    assert organization.slug == "cas"
    changelist = reverse("admin:members_organization_changelist")
    for query in ("中国科学", "Academy"):
        response = secretariat_client.get(changelist, {"q": query})
        assert list(response.context["cl"].result_list) == [organization]


def test_admin_meeting_form_has_both_languages(secretariat_client):
    meeting = _bilingual_meeting()
    page = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    for field in ("summary", "venue", "city", "reported_attendance"):
        assert f'name="{field}_en"' in page.text and f'name="{field}_zh_hans"' in page.text
    assert "ANSO工作组第一次会议" in page.text  # the Chinese title, read-only


def test_a_second_organization_without_chinese_name_is_no_duplicate(secretariat_client):
    """No Chinese name is NULL, not "", so the unique names do not collide."""
    OrganizationFactory()
    OrganizationFactory()
    assert Organization.objects.filter(name_zh_hans__isnull=True).count() == 2


# --- spreadsheets ---------------------------------------------------------------------------


def test_organization_spreadsheet_carries_both_languages_and_round_trips():
    organization = OrganizationFactory(name="Chinese Academy of Sciences", short_name="CAS")
    organization.name_zh_hans = "中国科学院"
    organization.save()
    exported = OrganizationResource().export()
    assert exported.headers[:4] == ["name", "name_zh_hans", "short_name", "short_name_zh_hans"]
    assert exported[0][:4] == ("Chinese Academy of Sciences", "中国科学院", "CAS", "")

    # Found by its Chinese name, updated in both languages; a new one created with both.
    dataset = tablib.Dataset(
        ["Chinese Academy of Sciences (CAS)", "中国科学院", "CAS", "中科院", "academy", "CN"],
        ["Baikal Academy", "贝加尔科学院", "BAS", "", "academy", "RU"],
        headers=["name", "name_zh_hans", "short_name", "short_name_zh_hans", "kind", "country"],
    )
    with translation.override("zh-hans"):  # the admin's language changes nothing
        result = OrganizationResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    organization.refresh_from_db()
    assert organization.name_en == "Chinese Academy of Sciences (CAS)"
    assert organization.short_name_zh_hans == "中科院"
    baikal = Organization.objects.get(name_en="Baikal Academy")
    assert baikal.name_zh_hans == "贝加尔科学院"
    assert baikal.slug == "bas"


def test_saved_in_chinese_the_original_column_stays_english_and_history_keeps_both():
    """Lookups across relations, constraints and the unique index read the original column:
    it holds the English name whichever language is active when saving."""
    organization = OrganizationFactory(name="Baikal Academy")
    with translation.override("zh-hans"):
        organization.name_zh_hans = "贝加尔科学院"
        organization.save()
        assert organization.name == "贝加尔科学院"
    with connection.cursor() as cursor:  # the column itself, not the translated field
        cursor.execute("SELECT name, name_zh_hans FROM members_organization")
        assert cursor.fetchall() == [("Baikal Academy", "贝加尔科学院")]
    latest = organization.history.order_by("-history_id").first()
    assert (latest.name_en, latest.name_zh_hans) == ("Baikal Academy", "贝加尔科学院")


def test_position_title_in_chinese_and_its_english_fallback_marked(client):
    translated = PositionFactory(title="Programme Officer")
    translated.title_zh_hans = "项目官员"
    translated.save()
    english_only = PositionFactory(title="Science Adviser")
    assert translated.title_en == "Programme Officer"  # saved in English, whatever is active
    with translation.override("zh-hans"):
        assert Position.objects.get(pk=translated.pk).title == "项目官员"
    html = get_in_language(client, "zh-hans", translated.person.get_absolute_url).text
    assert "<span>项目官员</span>" in html
    html = get_in_language(client, "zh-hans", english_only.person.get_absolute_url).text
    assert _lang_en(html, "Science Adviser")


def test_places_read_in_the_order_of_the_language_everywhere(client):
    """ "中国北京", not "北京, 中国": the meeting's page, the list, the home page and the
    calendar write a place through one helper (anso/text/places.py)."""
    meeting = MeetingFactory(
        start_date=datetime.date(2099, 5, 13),
        end_date=datetime.date(2099, 5, 14),
        venue="Ya'ao International Hotel",
        city="Beijing",
        country="CN",
    )
    meeting.city_zh_hans = "北京"
    meeting.save()
    MeetingFactory(start_date=datetime.date(2019, 5, 13), city="Nairobi", country="KE")
    pages = {
        "meeting": meeting.get_absolute_url,
        "list": lambda: reverse("meetings:meeting_list"),
        "home": lambda: reverse("home"),
    }
    for name, url in pages.items():
        html = get_in_language(client, "zh-hans", url).text
        assert "中国北京" in html, name
        assert "北京, 中国" not in html, name
        html = get_in_language(client, "en", url).text
        assert "Beijing, China" in html, name
    html = get_in_language(client, "zh-hans", meeting.get_absolute_url).text
    assert '中国北京 <span lang="en">Ya&#x27;ao International Hotel</span>' in html
    html = get_in_language(client, "zh-hans", lambda: reverse("meetings:meeting_list")).text
    assert '肯尼亚 <span lang="en">Nairobi</span>' in html  # no Chinese name: marked English

    def ical_location(language: str) -> str:
        url = lambda: reverse(  # noqa: E731
            "meetings:meeting_ical", kwargs={"year": 2099, "slug": meeting.slug}
        )
        response = get_in_language(client, language, url)
        return str(Calendar.from_ical(response.content).walk("VEVENT")[0]["location"])

    assert ical_location("zh-hans") == "中国北京 Ya'ao International Hotel"
    assert ical_location("en") == "Ya'ao International Hotel, Beijing, China"


def test_staff_pages_write_places_in_the_order_of_the_language(secretariat_client):
    """The Secretariat's pages (the home page's card, the control page, the printable
    participant list) write a meeting's place through the same helper as the public pages."""
    today = timezone.localdate()
    meeting = MeetingFactory(
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
        city="Beijing",
        country="CN",
    )
    meeting.city_zh_hans = "北京"
    meeting.save()
    kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    pages = {
        "home": lambda: reverse("admin:index"),
        "control": lambda: reverse("meetings:meeting_control", kwargs=kwargs),
        "print": lambda: reverse("meetings:participant_list_print", kwargs=kwargs),
    }
    for name, url in pages.items():
        html = get_in_language(secretariat_client, "zh-hans", url).text
        assert "中国北京" in html, name
        html = get_in_language(secretariat_client, "en", url).text
        assert "Beijing, China" in html, name
