"""Site search (meetings/search/, docs/search.md): what it finds in both languages, what it
never finds, the highlighting, the pages of results, the form without JavaScript, and its
queries. Runs on SQLite (icontains) and on PostgreSQL (full text and trigrams)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from meetings.documents.models import Visibility
from meetings.record import services as record_services
from meetings.record.models import MinutesPart
from meetings.search import selectors
from meetings.search.highlight import marked_parts, quote
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def search(client, q, lang="en", **params):
    with translation.override(lang):
        url = reverse("search:search")
    return client.get(url, {"q": q, **params})


def text_of(response) -> str:
    return response.content.decode()


# -- finding ---------------------------------------------------------------------------------


def test_search_finds_a_meeting_by_english_words(client):
    meeting = MeetingFactory(summary_en="The working group discussed biodiversity corridors.")
    response = search(client, "biodiversity corridors")
    assert response.status_code == 200
    assert meeting.get_absolute_url() in text_of(response)


def test_search_finds_english_words_in_another_form_on_postgresql(client):
    """Full text with the English stemmer: "corridor" finds "corridors"; SQLite's containment
    finds it too, as the word is inside."""
    meeting = MeetingFactory(summary_en="The working group discussed biodiversity corridors.")
    assert meeting.get_absolute_url() in text_of(search(client, "corridor"))
    if connection.vendor == "postgresql":
        meeting2 = MeetingFactory(summary_en="Corridors were mapped.")
        html = text_of(search(client, "mapping corridor"))
        assert meeting2.get_absolute_url() in html


def test_search_finds_an_agenda_item_by_english_words(client):
    item = AgendaItemFactory(title="Satellite data for disaster risk reduction")
    html = text_of(search(client, "disaster risk"))
    assert item.get_absolute_url() in html


def test_search_finds_an_organization_by_english_words(client):
    organization = OrganizationFactory(name="Kenya Marine and Fisheries Research Institute")
    html = text_of(search(client, "fisheries"))
    assert organization.get_absolute_url() in html


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_search_finds_chinese_from_two_characters(client, lang):
    """Chinese is not split into words: two characters inside a title are found (trigram index
    on PostgreSQL, icontains on SQLite), whichever the page's language."""
    meeting = MeetingFactory()
    item = AgendaItemFactory(
        session=SessionFactory(meeting=meeting),
        title_en="Capacity building",
        title_zh_hans="能力建设与人才培养",
    )
    organization = OrganizationFactory(
        name_en="Chinese Academy of Sciences", name_zh_hans="中国科学院"
    )
    html = text_of(search(client, "人才", lang=lang))
    with translation.override(lang):
        assert item.get_absolute_url() in html
    assert "<mark>人才</mark>" in html
    html = text_of(search(client, "科学", lang=lang))
    with translation.override(lang):
        assert organization.get_absolute_url() in html


def test_search_finds_english_text_from_a_chinese_page_and_shows_the_chinese_title(client):
    AgendaItemFactory(title_en="Capacity building", title_zh_hans="能力建设")
    html = text_of(search(client, "capacity", lang="zh-hans"))
    assert "能力建设" in html


def test_search_finds_decisions_actions_documents_minutes_and_people(client):
    body = BodyFactory()
    first = MeetingFactory(body=body, number=1)
    second = MeetingFactory(
        body=body,
        number=2,
        start_date=datetime.date(2020, 5, 13),
        end_date=datetime.date(2020, 5, 14),
    )
    decision = DecisionFactory(meeting=second, text="To endorse the mangrove restoration plan.")
    action = ActionFactory(title="Mangrove atlas of the Indian Ocean")
    document = DocumentVersionFactory(
        document=DocumentFactory(meeting=first, title="Mangrove slides")
    ).document
    AgendaItemFactory(session=SessionFactory(meeting=first, order=1), order=1, title="Opening")
    minutes = record_services.minutes_create(meeting=first, by=None)
    part = minutes.parts.get()
    part.text_en = "The group heard about mangrove nurseries."
    part.save()
    record_services.minutes_circulate(minutes=minutes, by=None)
    record_services.minutes_approve(minutes=minutes, decision=decision, by=None)
    speaker = SpeakerFactory(person__family_name="Mangrovesky").person
    html = text_of(search(client, "mangrove"))
    assert decision.get_absolute_url() in html
    assert action.get_absolute_url() in html
    assert document.get_absolute_url() in html
    assert f"{first.get_absolute_url()}#minutes" in html
    assert speaker.get_absolute_url() in html
    assert speaker.email not in html
    for key in ("decisions", "actions", "documents", "minutes", "people"):
        assert f'id="group-{key}"' in html


# -- never found -----------------------------------------------------------------------------


def test_search_never_finds_unpublished_meetings_or_their_records(client):
    hidden = MeetingFactory(is_published=False, summary_en="Secret zanzibar budget")
    AgendaItemFactory(session=SessionFactory(meeting=hidden), title="Zanzibar item")
    DecisionFactory(meeting=hidden, text="Zanzibar decision")
    html = text_of(search(client, "zanzibar"))
    assert hidden.get_absolute_url() not in html
    assert "Zanzibar" not in html
    assert "Nothing matches" in html


def test_search_never_finds_draft_minutes(client):
    meeting = MeetingFactory()
    AgendaItemFactory(session=SessionFactory(meeting=meeting, order=1), order=1, title="Opening")
    minutes = record_services.minutes_create(meeting=meeting, by=None)
    MinutesPart.objects.filter(minutes=minutes).update(text_en="Quokka census discussed.")
    assert "Quokka" not in text_of(search(client, "quokka"))


def test_search_never_finds_people_without_a_public_page_or_who_did_not_consent(client):
    hidden = ParticipationFactory(listed_publicly=False, person__family_name="Xylophonist")
    only_registered = ParticipationFactory(status="registered", person__family_name="Xylophonista")
    unlisted_position = PositionFactory(listed_publicly=False, person__family_name="Xylophonic")
    listed = ParticipationFactory(person__family_name="Xylophone")
    html = text_of(search(client, "xylophon"))
    assert hidden.person.get_absolute_url() not in html
    assert only_registered.person.get_absolute_url() not in html
    assert unlisted_position.person.get_absolute_url() not in html
    assert listed.person.get_absolute_url() in html


def test_search_never_finds_members_only_or_secretariat_documents(client):
    for visibility in (Visibility.MEMBERS, Visibility.SECRETARIAT):
        DocumentVersionFactory(
            document=DocumentFactory(title=f"Wombat {visibility}", visibility=visibility)
        )
    DocumentFactory(title="Wombat without a file")
    assert "Wombat" not in text_of(search(client, "wombat"))


def test_search_never_matches_or_shows_emails_or_phones(client):
    person = PersonFactory(email="okapi@example.org", phone="+254 700 000 000")
    ParticipationFactory(person=person)
    html = text_of(search(client, "okapi"))
    assert person.get_absolute_url() not in html
    html = text_of(search(client, person.family_name))
    assert person.get_absolute_url() in html
    assert "okapi@example.org" not in html and "700 000" not in html


# -- highlighting ----------------------------------------------------------------------------


def test_search_escapes_the_query_and_the_records_and_marks_the_match(client):
    AgendaItemFactory(title="Data <b>bold</b> sharing")
    response = search(client, "<script>alert(1)</script>")
    html = text_of(response)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = text_of(search(client, "sharing"))
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>sharing</mark>" in html
    assert "<b>bold</b>" not in html


def test_marked_parts_cut_the_text_at_every_match_whatever_the_case():
    assert marked_parts("Data and DATA", ["data"]) == [
        ("Data", True),
        (" and ", False),
        ("DATA", True),
    ]
    assert marked_parts("a+b", ["+"]) == [("a", False), ("+", True), ("b", False)]


def test_quote_takes_the_text_that_matches_and_cuts_around_it():
    long = "word " * 100 + "needle " + "word " * 100
    parts = quote(["no match here", long], ["needle"])
    assert ("needle", True) in parts
    assert parts[0][0].startswith("…") and parts[-1][0].endswith("…")


# -- the page --------------------------------------------------------------------------------


def test_header_has_an_accessible_search_form_that_works_without_javascript(client):
    html = text_of(client.get(reverse("meetings:meeting_list")))
    assert 'role="search"' in html
    assert f'action="{reverse("search:search")}" method="get"' in html
    assert '<label class="visually-hidden" for="site-search-query">' in html
    assert 'name="q"' in html
    # The form's plain GET is the whole search: no script involved.
    MeetingFactory(summary_en="Pangolin trade")
    response = client.get(reverse("search:search") + "?q=pangolin")
    assert response.status_code == 200
    assert "<mark>Pangolin</mark>" in text_of(response)


def test_search_without_a_query_shows_the_form(client):
    response = client.get(reverse("search:search"))
    assert response.status_code == 200
    assert 'id="search-page-query"' in text_of(response)


def test_search_too_short_says_so_and_searches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client, "a")
    assert "Type at least 2 characters" in text_of(response)


def test_search_in_chinese_speaks_chinese(client):
    response = search(client, "a", lang="zh-hans")
    assert 'lang="zh-hans"' in text_of(response)
    assert "搜索" in text_of(response)


def test_search_results_are_not_kept_by_the_page_cache(client, page_cache):
    MeetingFactory(summary_en="Pangolin trade")
    response = search(client, "pangolin")
    assert "no-store" in response["Cache-Control"]
    assert response.get("X-Page-Cache") != "miss"
    assert search(client, "pangolin").get("X-Page-Cache") != "hit"


def test_search_over_the_rate_limit_is_429_with_retry_after(client, settings):
    settings.SEARCH_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert search(client, "anything").status_code == 200
    response = search(client, "anything")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many searches" in text_of(response)


def test_search_pages_one_kind(client):
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    items = [
        AgendaItemFactory(session=session, order=n, title=f"Narwhal talk {n:02}")
        for n in range(1, 26)
    ]
    html = text_of(search(client, "narwhal"))
    assert html.count("</mark> talk") == selectors.OVERVIEW_HITS
    assert "All 25 results: Agenda items" in html
    first = text_of(search(client, "narwhal", kind="agenda"))
    second = text_of(search(client, "narwhal", kind="agenda", page=2))
    assert first.count("</mark> talk") == selectors.PAGE_HITS
    assert second.count("</mark> talk") == 25 - selectors.PAGE_HITS
    assert "Page 2 of 2" in second
    shown = {item.get_absolute_url() for item in items if item.get_absolute_url() in first + second}
    assert len(shown) == 25
    assert search(client, "narwhal", kind="agenda", page=3).status_code == 404
    assert search(client, "narwhal", kind="agenda", page="x").status_code == 404


def test_search_counts_and_pages_up_to_a_limit_and_says_more(client, monkeypatch):
    """Past MAX_HITS, a kind is neither counted nor paged further: the page says "more than"
    and asks for more words."""
    monkeypatch.setattr(selectors, "MAX_HITS", 6)
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    for n in range(1, 10):
        AgendaItemFactory(session=session, order=n, title=f"Okapi talk {n:02}")
    html = text_of(search(client, "okapi"))
    assert "More than 6 results: Agenda items" in html
    assert "Agenda items (6+)" in html
    page = search(client, "okapi", kind="agenda")
    assert page.context["group"].more and page.context["group"].total == 6
    assert "Only the first 6 results are shown. Add words to narrow your search." in text_of(page)
    with translation.override("zh-hans"):
        assert "超过6条结果" in text_of(search(client, "okapi", lang="zh-hans"))


def test_search_finds_people_whatever_their_rank_among_candidates(client, monkeypatch):
    """People are ranked as candidates first, then tested for a public page a few at a time:
    those found are the same, in the same order, however many candidates come before them
    without a public page."""
    monkeypatch.setattr(selectors, "CANDIDATES_AT_A_TIME", 2)
    hidden = [PersonFactory(family_name="Quokka", given_name=f"A{n}") for n in range(5)]
    listed = [PersonFactory(family_name="Quokka", given_name=f"B{n}") for n in range(3)]
    for person in listed:
        PositionFactory(person=person)
    group = search(client, "quokka", kind="people").context["group"]
    assert group.total == 3 and not group.more
    urls = [hit.url for hit in group.hits]
    assert urls == [person.get_absolute_url() for person in listed]
    assert not {person.get_absolute_url() for person in hidden} & set(urls)


def test_search_finds_a_word_of_two_latin_letters(client):
    """Two characters have no trigram: on PostgreSQL the bigram index finds them."""
    AgendaItemFactory(session__meeting=MeetingFactory(), title="Open science and AI")
    AgendaItemFactory(session__meeting=MeetingFactory(), title="Open science")
    html = text_of(search(client, "ai", kind="agenda"))
    assert "and <mark>AI</mark>" in html
    assert search(client, "ai", kind="agenda").context["group"].total == 1


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 12])
def test_search_queries_flat(client, django_assert_num_queries, n):
    """On the overview, one query a kind for its ranked keys, one more for the rows of each
    kind with hits, and one to test the people found for a public page; on a kind's page,
    two. The same whatever the hits."""
    meeting = MeetingFactory(summary_en="Tapir")
    session = SessionFactory(meeting=meeting)
    for i in range(n):
        AgendaItemFactory(session=session, order=i + 1, title=f"Tapir {i}")
        DecisionFactory(meeting=meeting, order=i + 1, text=f"Tapir {i}")
        ActionFactory(title=f"Tapir action {i}")
        ParticipationFactory(meeting=meeting, person__family_name=f"Tapir{i}")
        OrganizationFactory(name=f"Tapir institute {i}")
        DocumentVersionFactory(document=DocumentFactory(meeting=meeting, title=f"Tapir doc {i}"))
    kinds_with_hits = len(selectors.KINDS) - 1  # no minutes
    with django_assert_num_queries(len(selectors.KINDS) + kinds_with_hits + 1):
        assert search(client, "tapir").status_code == 200
    with django_assert_num_queries(2):
        assert search(client, "tapir", kind="agenda").status_code == 200
