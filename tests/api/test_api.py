"""The read-only JSON API under /api/v1/ (docs/api.md)."""

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.api_urls import router
from meetings.models import Action, DecisionState
from meetings.record.models import Minutes, MinutesPart, MinutesState
from meetings.record.votes.models import Ballot, Choice, Delegation, VoteMethod
from meetings.record.votes.selectors import vote_result, vote_results
from members.models import MembershipStatus
from tests.factories import (
    ActionFactory,
    ActionProgressFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.meetings.record.votes_helpers import electorate, open_vote
from tests.redis_server import require_redis

pytestmark = pytest.mark.django_db

SCHEMA = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def list_urls() -> list[str]:
    return [reverse(f"api:{basename}-list") for _prefix, _viewset, basename in router.registry]


def detail_url(basename: str, item: dict) -> str:
    if basename == "working-group":
        return reverse("api:working-group-detail", kwargs={"pk": item["id"]})
    return reverse(f"api:{basename}-detail", kwargs={"slug": item["slug"]})


def walk(client, **headers) -> list[dict]:
    """Every list of the router, every page of it, and every item's own answer."""
    answers = []
    for _prefix, _viewset, basename in router.registry:
        url = reverse(f"api:{basename}-list")
        while url:
            response = client.get(url, **headers)
            assert response.status_code == 200, url
            page = response.json()
            answers.append(page)
            for item in page["results"]:
                answer = client.get(detail_url(basename, item), **headers)
                assert answer.status_code == 200, (basename, item)
                answers.append(answer.json())
            url = page["next"]
    return answers


def test_every_endpoint_and_field_holds_no_email_no_phone_and_no_unlisted_participant(
    client, settings
):
    """The demo data, with an attended participant who did not agree to be listed, and
    everyone's email and phone filled in: no answer of any endpoint, in either language,
    holds an email, a phone or that participant's name."""
    settings.API_RATE_LIMIT = 100_000  # the walk makes a few hundred requests
    call_command("load_demo", verbosity=0)
    meeting = MeetingFactory(number=99)
    hidden = PersonFactory(given_name="Zyxwvuts", family_name="Hiddenperson", phone="+86 555 0199")
    ParticipationFactory(meeting=meeting, person=hidden, listed_publicly=False)
    ParticipationFactory(meeting=meeting, person=PersonFactory(phone="+86 555 0198"))
    from members.models import Person

    for index, person in enumerate(Person.objects.all()):
        person.email = person.email or f"someone{index}@example.org"
        person.phone = person.phone or f"+86 10 5555 {index:04d}"
        person.save()
    phones = list(Person.objects.values_list("phone", flat=True))
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}):
        text = json.dumps(walk(client, **headers), ensure_ascii=False)
        assert not EMAIL.search(text)
        assert not [phone for phone in phones if phone in text]
        assert "Hiddenperson" not in text and "Zyxwvuts" not in text
    # The walk did reach the meeting and its figures: the hidden participant is counted.
    figures = client.get(reverse("api:attendance-detail", kwargs={"slug": meeting.slug})).json()
    assert figures["attendance"]["attended"] == 2
    shown = client.get(reverse("api:meeting-detail", kwargs={"slug": meeting.slug})).json()
    assert len(shown["participants"]) == 1


def test_unpublished_meetings_are_not_found(client):
    meeting = MeetingFactory(is_published=False)
    assert client.get(reverse("api:meeting-list")).json()["results"] == []
    url = reverse("api:meeting-detail", kwargs={"slug": meeting.slug})
    assert client.get(url).status_code == 404


def test_meetings_filter_by_body_year_and_country(client):
    board = BodyFactory(kind="governing_board")
    MeetingFactory(start_date=datetime.date(2019, 5, 13), country="CN")
    MeetingFactory(
        body=board, start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2021, 3, 1),
        country="KE",
    )  # fmt: skip

    def titles(query):
        return len(client.get(reverse("api:meeting-list") + query).json()["results"])

    assert titles("") == 2
    assert titles("?year=2019") == 1
    assert titles("?country=ke") == 1
    assert titles(f"?body={board.slug}") == 1
    assert client.get(reverse("api:meeting-list") + "?year=abc").status_code == 400


def test_working_group_on_a_date(client):
    PositionFactory(start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31))
    PositionFactory(start_date=datetime.date(2022, 1, 1))
    PositionFactory(start_date=datetime.date(2019, 1, 1), listed_publicly=False)
    url = reverse("api:working-group-list")
    assert len(client.get(url + "?date=2019-06-01").json()["results"]) == 1
    assert len(client.get(url + "?date=2023-06-01").json()["results"]) == 1
    assert client.get(url + "?date=2019-13-45").status_code == 400


def test_people_and_organizations_filter_by_country(client):
    PositionFactory(
        person=PersonFactory(country="CN", organization=OrganizationFactory(country="CN"))
    )
    PositionFactory(
        person=PersonFactory(country="KE", organization=OrganizationFactory(country="KE"))
    )
    people = client.get(reverse("api:person-list") + "?country=CN").json()["results"]
    assert [p["country"]["code"] for p in people] == ["CN"]
    organizations = client.get(reverse("api:organization-list") + "?country=KE").json()
    assert {o["country"]["code"] for o in organizations["results"]} == {"KE"}


def test_cursor_pagination_walks_every_item_once(client):
    for day in range(1, 6):
        MeetingFactory(start_date=datetime.date(2020, 1, day), end_date=datetime.date(2020, 1, day))
    url, seen = reverse("api:meeting-list") + "?page_size=2", []
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [m["start_date"] for m in page["results"]]
        url = page["next"]
        assert not url or url.startswith(settings.SITE_URL)
    assert seen == [f"2020-01-0{day}" for day in range(5, 0, -1)]


def test_language_by_query_or_header(client):
    MeetingFactory(summary_en="The first meeting.", summary_zh_hans="第一次会议。")
    url = reverse("api:meeting-list")
    assert client.get(url).json()["results"][0]["summary"] == "The first meeting."
    chinese = client.get(url + "?lang=zh-hans")
    assert chinese.json()["results"][0]["summary"] == "第一次会议。"
    assert chinese["Content-Language"] == "zh-hans"
    header = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
    assert header.json()["results"][0]["summary"] == "第一次会议。"
    assert "Accept-Language" in header["Vary"]
    assert client.get(url + "?lang=fr").status_code == 400


def test_etag_answers_304(client):
    MeetingFactory()
    url = reverse("api:meeting-list")
    etag = client.get(url)["ETag"]
    assert etag
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url + "?lang=zh-hans", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cors_allows_get_from_other_sites_on_the_api_only(client):
    origin = {"HTTP_ORIGIN": "https://anso.example.net"}
    response = client.get(reverse("api:meeting-list"), **origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        reverse("api:meeting-list"), HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/healthz", **origin)


def test_too_many_requests_get_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = 2
    url = reverse("api:body-list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.API_RATE_PERIOD
    # Counted per client (anso.security.client.client_address): another address passes.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_writes_are_not_allowed(client):
    assert client.post(reverse("api:meeting-list"), {}).status_code == 405


def _meetings(n):
    for index in range(n):
        meeting = MeetingFactory()
        session = SessionFactory(meeting=meeting, chair=PersonFactory())
        SpeakerFactory(item=AgendaItemFactory(session=session, action=ActionFactory()))
        DecisionFactory(meeting=meeting)
        BodyFactory(organization=OrganizationFactory())
        ParticipationFactory(meeting=meeting)
        PositionFactory(start_date=datetime.date(2019, 1, 1))
        ActionProgressFactory(action=ActionFactory(title=f"Action {index}"), meeting=meeting)


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("meeting", 2),
        ("attendance", 2),
        ("action", 4),
        ("organization", 1),
        ("body", 1),
        ("working-group", 1),
        ("person", 1),
    ],
)
@pytest.mark.parametrize("n", [2, 20])
def test_list_queries_are_flat_in_the_page_size(
    client, django_assert_num_queries, name, queries, n
):
    _meetings(n)
    url = reverse(f"api:{name}-list") + "?date=2019-06-01&page_size=50"
    with django_assert_num_queries(queries):
        page = client.get(url).json()
    assert len(page["results"]) >= n


def test_docs_page_loads_only_local_assets(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.text
    assert "swagger-ui-bundle.js" in html
    assert not re.findall(r"https?://(?!testserver)[^\s\"'<>]+", html)
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert not re.findall(r"https?://[^\s\"'<>]+", script.text)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy


def test_redoc_page_loads_only_local_assets(client):
    """Redoc's page: the vendored bundle and the site's own starter, both same-origin static
    files, and no address elsewhere; it leads to Swagger UI, which leads back."""
    response = client.get(reverse("api:redoc"))
    assert response.status_code == 200
    html = response.text
    assert not re.findall(r"https?://(?!testserver)[^\s\"'<>]+", html)
    sources = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert sources and all(src.startswith(settings.STATIC_URL) for src in sources), sources
    assert any(src.endswith("redoc.standalone.js") for src in sources)
    for src in sources:  # each a file the site's static files hold
        assert finders.find(src.removeprefix(settings.STATIC_URL)), src
    assert f'data-schema-url="{reverse("api:schema")}"' in html
    assert f'href="{reverse("api:docs")}"' in html
    assert f'href="{reverse("api:redoc")}"' in client.get(reverse("api:docs")).text
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy


def test_the_documentation_pages_are_rate_limited(client, settings):
    """The API's limit per client holds on its documentation as on its endpoints."""
    settings.API_RATE_LIMIT = 1
    for number, name in enumerate(("api:docs", "api:redoc", "api:schema")):
        address = f"192.0.2.{number + 10}"  # a client of its own for each page
        assert client.get(reverse(name), REMOTE_ADDR=address).status_code == 200
        assert client.get(reverse(name), REMOTE_ADDR=address).status_code == 429


def test_the_committed_schema_is_the_api_s():
    """The API and docs/api/openapi.yaml change together."""
    generated = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
        env={**__import__("os").environ, "DJANGO_DEBUG": "true"},
    )
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout == SCHEMA.read_text(), (
        "The API changed: regenerate its schema with "
        "`DJANGO_DEBUG=true .venv/bin/python manage.py spectacular --file docs/api/openapi.yaml`"
    )


def test_the_root_lists_every_endpoint_on_the_site_s_address(client):
    root = client.get(reverse("api:api-root")).json()
    assert set(root) == {prefix for prefix, _viewset, _basename in router.registry}
    assert all(url.startswith(settings.SITE_URL + "/api/v1/") for url in root.values())


def _one_meeting_with(n):
    meeting = MeetingFactory(number=50)
    organization = OrganizationFactory()
    person = PersonFactory(organization=organization)
    PositionFactory(person=person)
    action = ActionFactory(title="The action", owner_person=person)
    minutes = Minutes.objects.create(meeting=meeting)
    for index in range(n):
        session = SessionFactory(meeting=meeting, order=index + 1, chair=PersonFactory())
        item = AgendaItemFactory(session=session, action=action)
        SpeakerFactory(item=item, person=person)
        DecisionFactory(meeting=meeting, order=index + 1)
        ParticipationFactory(meeting=meeting, person=PersonFactory(organization=organization))
        ActionProgressFactory(action=action, meeting=meeting)
        MinutesPart.objects.create(
            minutes=minutes, order=index + 1, agenda_item=item, text_en=f"Part {index}"
        )
    ParticipationFactory(meeting=meeting, person=person)
    Minutes.objects.filter(pk=minutes.pk).update(
        state=MinutesState.APPROVED,
        circulated_at=timezone.now(),
        approved_at=timezone.now(),
        approved_by_decision=DecisionFactory(meeting=MeetingFactory(body=meeting.body)),
    )
    return {
        "meeting": meeting.slug,
        "attendance": meeting.slug,
        "action": action.slug,
        "organization": organization.slug,
        "person": person.slug,
    }


@pytest.mark.parametrize(
    ("name", "queries"),
    [("meeting", 11), ("attendance", 4), ("action", 3), ("organization", 2), ("person", 4)],
)
@pytest.mark.parametrize("n", [2, 20])
def test_item_queries_are_flat_in_its_size(client, django_assert_num_queries, name, queries, n):
    slugs = _one_meeting_with(n)
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"api:{name}-detail", kwargs={"slug": slugs[name]}))
    assert response.status_code == 200


def test_a_progress_note_names_only_a_published_meeting(client):
    action = ActionFactory()
    shown = MeetingFactory(number=7)
    hidden = MeetingFactory(number=8, is_published=False)
    ActionProgressFactory(action=action, meeting=shown)
    ActionProgressFactory(action=action, meeting=hidden)
    answer = client.get(reverse("api:action-detail", kwargs={"slug": action.slug})).json()
    named = [note["meeting"] for note in answer["progress"]]
    assert shown.title in named and None in named and hidden.title not in named


def _presented(n_actions, n_meetings) -> dict[str, list]:
    """`n_actions` actions, each presented at `n_meetings` published meetings a day apart,
    with a progress note at each: each action's slug and its agenda items in meeting order."""
    meetings = [
        MeetingFactory(
            number=60 + index,
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            end_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )
        for index in range(n_meetings)
    ]
    items = {}
    for number in range(n_actions):
        action = ActionFactory(order=number + 1)
        items[action.slug] = [
            AgendaItemFactory(
                session=SessionFactory(meeting=meeting, order=number + 1),
                action=action,
                title=f"Item {number}.{index}",
            )
            for index, meeting in enumerate(meetings)
        ]
        for index, meeting in enumerate(meetings):
            ActionProgressFactory(
                action=action, meeting=meeting, date=meeting.start_date, text=f"Note {index}"
            )
    return items


@pytest.mark.parametrize("n_meetings", [1, 6])
@pytest.mark.parametrize("n_actions", [1, 5])
def test_the_action_list_s_queries_do_not_grow_with_its_actions_or_presentations(
    client, django_assert_num_queries, n_actions, n_meetings
):
    """The actions, their progress notes, then the latest presentations of the page's actions
    ranked and counted in one query and their fields in another (`latest_presentations`)."""
    _presented(n_actions, n_meetings)
    with django_assert_num_queries(4):
        page = client.get(reverse("api:action-list")).json()
    assert len(page["results"]) == n_actions


def test_the_action_list_gives_the_latest_three_and_the_item_all(client):
    """As the action plan: the list gives each action its latest three presentations at
    published meetings, the newest first, its latest three progress notes in date order, and
    how many there are of each; the action's own answer gives them all, in order."""
    items = _presented(2, 6)
    hidden = SessionFactory(meeting=MeetingFactory(number=99, is_published=False))
    for slug in items:  # an unpublished meeting's item: neither listed nor counted
        AgendaItemFactory(session=hidden, action=Action.objects.get(slug=slug), title="Hidden")
    results = client.get(reverse("api:action-list")).json()["results"]
    assert [action["slug"] for action in results] == list(items)
    for action, (slug, shown) in zip(results, items.items(), strict=True):
        answer = client.get(reverse("api:action-detail", kwargs={"slug": slug})).json()
        assert [p["title"] for p in answer["presentations"]] == [item.title for item in shown]
        assert answer["presentation_count"] == action["presentation_count"] == 6
        assert action["latest_presentations"] == answer["presentations"][:-4:-1]
        assert [p["title"] for p in action["latest_presentations"]] == [
            item.title for item in reversed(shown[-3:])
        ]
        assert [note["text"] for note in answer["progress"]] == [f"Note {i}" for i in range(6)]
        assert answer["progress_count"] == action["progress_count"] == 6
        assert action["latest_progress"] == answer["progress"][-3:]
        assert "presentations" not in action and "progress" not in action
        assert "latest_presentations" not in answer and "latest_progress" not in answer


def _closed(vote):
    vote.closed_at = timezone.now()
    vote.save()
    return vote


def test_a_meeting_s_decisions_give_their_state_and_closed_votes_their_result(client):
    """The result as the public result page counts it (`vote_result`): per organization only
    when the vote is named, by organization, never a person; no result while the vote runs."""
    people = electorate(3)
    named = open_vote()
    meeting = named.decision.meeting
    for person, choice in zip(people, (Choice.YES, Choice.YES, Choice.NO), strict=True):
        Ballot.objects.create(
            vote=named, organization=person.organization, choice=choice, cast_by=person
        )
    _closed(named)
    secret = open_vote(secret=True, decision=DecisionFactory(meeting=meeting, order=2))
    Ballot.objects.create(
        vote=secret, organization=people[0].organization, choice=Choice.NO, cast_by=people[0]
    )
    _closed(secret)
    open_vote(decision=DecisionFactory(meeting=meeting, order=3, state=DecisionState.PROPOSED))
    DecisionFactory(meeting=meeting, order=4, state=DecisionState.WITHDRAWN)
    answer = client.get(reverse("api:meeting-detail", kwargs={"slug": meeting.slug})).json()
    decisions = {decision["order"]: decision for decision in answer["decisions"]}
    result = decisions[named.decision.order]["vote_result"]
    assert (result["yes"], result["no"], result["abstain"]) == (2, 1, 0)
    assert result["quorum_reached"] and result["passed"] and not result["secret"]
    assert sorted(row["choice"] for row in result["ballots"]) == ["no", "yes", "yes"]
    assert {row["organization"] for row in result["ballots"]} == {
        person.organization.name for person in people
    }
    hidden = decisions[2]["vote_result"]
    assert hidden["secret"] and hidden["no"] == 1 and hidden["ballots"] == []
    assert decisions[3]["state"] == "proposed" and decisions[3]["vote_result"] is None
    assert decisions[4]["state"] == "withdrawn" and decisions[4]["vote_result"] is None
    text = json.dumps(answer, ensure_ascii=False)
    assert not [p for p in people if p.display_name in text]


def test_a_meeting_s_minutes_only_once_approved(client):
    meeting = MeetingFactory()
    minutes = Minutes.objects.create(meeting=meeting)
    MinutesPart.objects.create(minutes=minutes, order=1, heading_en="Opening", text_en="**Hi**")
    url = reverse("api:meeting-detail", kwargs={"slug": meeting.slug})
    assert client.get(url).json()["minutes"] is None
    Minutes.objects.filter(pk=minutes.pk).update(
        state=MinutesState.CIRCULATED, circulated_at=timezone.now()
    )
    assert client.get(url).json()["minutes"] is None
    Minutes.objects.filter(pk=minutes.pk).update(
        state=MinutesState.APPROVED,
        approved_at=timezone.now(),
        approved_by_decision=DecisionFactory(meeting=MeetingFactory(body=meeting.body)),
    )
    shown = client.get(url).json()["minutes"]
    assert shown["parts"] == [{"heading": "Opening", "text": "**Hi**", "agenda_item": None}]


@pytest.mark.parametrize(("method", "queries"), [(VoteMethod.MEETING, 1), (VoteMethod.WRITTEN, 4)])
def test_each_closed_vote_costs_its_result_s_queries(client, method, queries):
    """The first closed vote adds what `vote_result` asks: one query for a vote at the
    meeting, four by written procedure; decisions without a closed vote cost nothing more."""
    meeting = MeetingFactory()
    for order in range(1, 6):
        DecisionFactory(meeting=meeting, order=order)
    vote = open_vote(decision=DecisionFactory(meeting=meeting, order=9), method=method)
    url = reverse("api:meeting-detail", kwargs={"slug": meeting.slug})
    client.get(url)

    def counted() -> int:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        return len(context)

    before = counted()
    _closed(vote)
    assert counted() == before + queries


def _closed_votes(meeting, orders, *, method, people):
    """Closed votes on new decisions of `meeting`, each of another date, each with ballots."""
    for order in orders:
        vote = open_vote(
            decision=DecisionFactory(meeting=meeting, order=order),
            method=method,
            opens_at=timezone.now() - datetime.timedelta(days=order),
            recorded_yes=2,
            recorded_no=1,
        )
        for person in people:
            Ballot.objects.create(
                vote=vote, organization=person.organization, choice=Choice.YES, cast_by=person
            )
        _closed(vote)


@pytest.mark.parametrize("method", [VoteMethod.MEETING, VoteMethod.WRITTEN])
def test_a_meeting_s_queries_do_not_grow_with_its_closed_votes(client, method):
    """The results of a meeting's closed votes are counted together (`vote_results`): the
    list and the meeting's answer cost the same with one closed vote and with three."""
    people = electorate(2)
    meeting = MeetingFactory()
    _closed_votes(meeting, [1], method=method, people=people)
    urls = (
        reverse("api:meeting-list"),
        reverse("api:meeting-detail", kwargs={"slug": meeting.slug}),
    )

    def counted() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context))
        return counts

    client.get(urls[1])
    with_one = counted()
    _closed_votes(meeting, [2, 3], method=method, people=people)
    with_three = counted()
    assert with_three == with_one
    decisions = client.get(urls[1]).json()["decisions"]
    assert [d["vote_result"]["yes"] for d in decisions] == [2, 2, 2]


def test_the_batched_results_are_each_vote_s_own():
    """`vote_results` over several votes gives each the result `vote_result` gives it alone:
    a named vote (with a delegation, and a ballot of an organization outside the electorate),
    a secret one, a vote at the meeting, of different dates."""
    people = electorate(3)
    outsider = PersonFactory(
        organization=OrganizationFactory(membership_status=MembershipStatus.PARTNER)
    )
    named = open_vote(opens_at=timezone.now() - datetime.timedelta(days=3))
    meeting = named.decision.meeting
    secret = open_vote(secret=True, decision=DecisionFactory(meeting=meeting, order=2))
    at_the_meeting = open_vote(
        decision=DecisionFactory(meeting=meeting, order=3),
        method=VoteMethod.MEETING,
        recorded_yes=5,
        recorded_no=2,
        recorded_abstain=1,
    )
    delegation = Delegation.objects.create(
        vote=named,
        organization=people[2].organization,
        delegate=people[0].organization,
        given_by=people[2],
    )
    for vote, choices in ((named, ("yes", "no", "abstain")), (secret, ("no", "no", "yes"))):
        for person, choice in zip(people, choices, strict=True):
            Ballot.objects.create(
                vote=vote,
                organization=person.organization,
                choice=choice,
                cast_by=person,
                via_delegation=delegation if vote == named and person == people[2] else None,
            )
    Ballot.objects.create(
        vote=named, organization=outsider.organization, choice=Choice.YES, cast_by=outsider
    )
    votes = [named, secret, at_the_meeting]
    for vote in votes:
        _closed(vote)
    batched = vote_results(votes)
    assert set(batched) == {vote.pk for vote in votes}
    for vote in votes:
        assert batched[vote.pk] == vote_result(vote)
    assert (batched[named.pk].yes, batched[named.pk].no, batched[named.pk].abstain) == (1, 1, 1)
    assert len(batched[named.pk].ballots) == 4 and batched[named.pk].delegations
    assert (batched[secret.pk].no, batched[secret.pk].ballots) == (2, [])
    assert batched[at_the_meeting.pk].yes == 5
    assert vote_results([]) == {}


#: The Redis database of this module's test (tests/redis_server.py).
REDIS_DB = 14


def test_the_limit_is_counted_in_the_shared_redis_cache(client, settings):
    """In production the counts live in Redis, shared by every worker: what one process
    counted, another sees."""
    url = require_redis(REDIS_DB)
    server = redis.Redis.from_url(url)
    server.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ratelimit",
        },
    }
    settings.API_RATE_LIMIT = 2
    endpoint = reverse("api:body-list")
    assert client.get(endpoint).status_code == 200
    assert [key for key in server.scan_iter() if b"ratelimit:api:" in key]
    # Another worker (another client object, the same cache) counts on from there.
    assert Client().get(endpoint).status_code == 200
    refused = Client().get(endpoint)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    server.flushdb()
