"""The minutes of a meeting (meetings/record/, docs/record.md): Markdown rendered and
sanitised, both languages, revisions kept and compared, the states and their rules, what the
public page shows, and who may do what."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anso.text.markdown import markdown_html
from meetings.models import AgendaItem
from meetings.record import services
from meetings.record.models import Minutes, MinutesPart, MinutesRevision, MinutesState
from members.models import BodyKind
from tests.admin_helpers import get_in_language
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


# Markdown ------------------------------------------------------------------------------------


def test_markdown_renders_and_strips_scripts_and_handlers():
    html = markdown_html(
        "The group **agreed**.\n\n- one\n- two\n\n"
        '<script>alert(1)</script><a href="https://ansole.org" onclick="steal()">link</a> '
        "[bad](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    assert "<strong>agreed</strong>" in html
    assert "<li>one</li>" in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onclick" not in html and "onerror" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://ansole.org" rel="noopener noreferrer nofollow">link</a>' in html


def test_markdown_filter_is_the_helper():
    rendered = Template("{% load site_tags %}{{ text|markdown }}").render(
        Context({"text": "*yes* <b onclick='x()'>b</b>"})
    )
    assert rendered == markdown_html("*yes* <b onclick='x()'>b</b>")
    assert "<em>yes</em>" in rendered and "onclick" not in rendered


# Records -------------------------------------------------------------------------------------


@pytest.fixture
def body():
    return BodyFactory()


@pytest.fixture
def first(body):
    """The 1st meeting, with two agenda items."""
    meeting = MeetingFactory(body=body, number=1)
    session = SessionFactory(meeting=meeting, order=1)
    AgendaItemFactory(session=session, order=1, title="Welcome", title_zh_hans="欢迎辞")
    AgendaItemFactory(session=session, order=2, title="The action plan")
    return meeting


@pytest.fixture
def second(body):
    """The 2nd meeting, a year later, with three decisions."""
    meeting = MeetingFactory(
        body=body,
        number=2,
        start_date=datetime.date(2020, 5, 13),
        end_date=datetime.date(2020, 5, 14),
    )
    for order in (1, 2, 3):
        DecisionFactory(meeting=meeting, order=order, text=f"Decision {order}")
    return meeting


def _written(meeting) -> Minutes:
    """Minutes in draft, their parts written in both languages."""
    if not AgendaItem.objects.filter(session__meeting=meeting).exists():
        session = SessionFactory(meeting=meeting, order=1)
        AgendaItemFactory(session=session, order=1, title="Welcome", title_zh_hans="欢迎辞")
        AgendaItemFactory(session=session, order=2, title="The action plan")
    minutes = services.minutes_create(meeting=meeting, by=None)
    welcome, plan = minutes.parts.order_by("order")
    welcome.text_en, welcome.text_zh_hans = "The group was **welcomed**.", "工作组**受到欢迎**。"
    welcome.save()
    plan.text_en = "The plan was discussed."
    plan.save()
    MinutesPart.objects.create(
        minutes=minutes, order=3, heading_en="Any other business", text_en="None."
    )
    return minutes


def _approved(first, second) -> Minutes:
    minutes = _written(first)
    services.minutes_circulate(minutes=minutes, by=None)
    return services.minutes_approve(
        minutes=minutes, decision=second.decisions.get(order=3), by=None
    )


def test_minutes_create_makes_a_part_per_agenda_item_and_the_first_revision(first):
    minutes = services.minutes_create(meeting=first, by=None)
    assert [str(part) for part in minutes.parts.order_by("order")] == [
        "Welcome",
        "The action plan",
    ]
    assert minutes.revisions.get().number == 1
    assert minutes.state == MinutesState.DRAFT


def test_minutes_revision_kept_only_when_the_text_changed(first):
    minutes = _written(first)
    revision = services.minutes_revision_record(minutes=minutes, by=None)
    assert revision.number == 2
    assert "## Welcome\n\nThe group was **welcomed**." in revision.text_en
    assert "## 欢迎辞\n\n工作组**受到欢迎**。" in revision.text_zh_hans
    # No Chinese heading: the English one heads the Chinese text.
    assert "## Any other business" in revision.text_zh_hans
    assert services.minutes_revision_record(minutes=minutes, by=None) is None
    assert minutes.revisions.count() == 2


# States --------------------------------------------------------------------------------------


def test_minutes_circulate_and_approve_write_their_history(first, second):
    minutes = _approved(first, second)
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.APPROVED
    assert minutes.approved_by_decision.order == 3
    assert minutes.circulated_at and minutes.approved_at
    reasons = list(minutes.history.order_by("history_id").values_list("history_change_reason"))
    assert reasons == [(None,), ("circulated",), ("approved",)]


def test_minutes_transitions_refused_with_a_clear_message(first, second):
    minutes = services.minutes_create(meeting=first, by=None)
    decision = second.decisions.first()
    with pytest.raises(services.MinutesRefused, match="without any English text"):
        services.minutes_circulate(minutes=minutes, by=None)
    with pytest.raises(services.MinutesRefused, match="Only circulated minutes can be approved"):
        services.minutes_approve(minutes=minutes, decision=decision, by=None)
    minutes = _written(MeetingFactory(body=first.body, number=5))
    services.minutes_circulate(minutes=minutes, by=None)
    with pytest.raises(services.MinutesRefused, match="Only draft minutes can be circulated"):
        services.minutes_circulate(minutes=minutes, by=None)


def test_minutes_circulation_deadline_in_the_past_refused(first):
    minutes = _written(first)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(services.MinutesRefused, match="day for comments has passed"):
        services.minutes_circulate(minutes=minutes, by=None, comments_until=yesterday)
    tomorrow = yesterday + datetime.timedelta(days=2)
    assert (
        services.minutes_circulate(minutes=minutes, by=None, comments_until=tomorrow).comments_until
        == tomorrow
    )


def test_minutes_approved_only_by_a_later_meeting_of_the_same_body(first, second):
    minutes = _written(second)
    services.minutes_circulate(minutes=minutes, by=None)
    refused = {
        "its own meeting": (second.decisions.first(), "later meeting"),
        "an earlier meeting": (DecisionFactory(meeting=first), "later meeting"),
        "another body": (
            DecisionFactory(
                meeting=MeetingFactory(
                    body=BodyFactory(kind=BodyKind.GOVERNING_BOARD),
                    number=3,
                    start_date=datetime.date(2021, 1, 1),
                    end_date=datetime.date(2021, 1, 1),
                )
            ),
            "same body",
        ),
        "a meeting still to come": (
            DecisionFactory(
                meeting=MeetingFactory(
                    body=first.body,
                    number=3,
                    start_date=timezone.localdate() + datetime.timedelta(days=30),
                    end_date=timezone.localdate() + datetime.timedelta(days=31),
                )
            ),
            "has not taken place yet",
        ),
    }
    for label, (decision, message) in refused.items():
        with pytest.raises(services.MinutesRefused, match=message):
            services.minutes_approve(minutes=minutes, decision=decision, by=None)
        minutes.refresh_from_db()
        assert minutes.state == MinutesState.CIRCULATED, label
    later = DecisionFactory(
        meeting=MeetingFactory(
            body=first.body,
            number=4,
            start_date=datetime.date(2021, 5, 1),
            end_date=datetime.date(2021, 5, 1),
        )
    )
    assert list(services.approving_decisions(minutes=minutes)) == [later]
    services.minutes_approve(minutes=minutes, decision=later, by=None)


def test_minutes_constraints_hold_without_the_services(first, second):
    minutes = Minutes.objects.create(meeting=first)
    now = timezone.now()
    for changes in (
        {"state": MinutesState.CIRCULATED},  # without the day it was sent
        {"state": MinutesState.APPROVED, "circulated_at": now, "approved_at": now},
        {
            "state": MinutesState.CIRCULATED,
            "circulated_at": now,
            "approved_by_decision": second.decisions.first(),
        },
        {"state": "lost"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Minutes.objects.filter(pk=minutes.pk).update(**changes)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesPart.objects.create(minutes=minutes, order=9)  # neither item nor heading
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.create(meeting=first)  # one set of minutes per meeting


# The public page -----------------------------------------------------------------------------


def test_minutes_public_page_hides_draft_and_circulated(client, first):
    minutes = _written(first)
    for _state in ("draft", "circulated"):
        html = client.get(first.get_absolute_url()).content.decode()
        assert "welcomed" not in html and 'id="minutes"' not in html
        if minutes.state == MinutesState.DRAFT:
            services.minutes_circulate(minutes=minutes, by=None)
            minutes.refresh_from_db()


def test_minutes_public_page_shows_approved_minutes_in_both_languages(client, first, second):
    _approved(first, second)
    english = get_in_language(client, "en", first.get_absolute_url).content.decode()
    assert 'id="minutes"' in english
    assert "The group was <strong>welcomed</strong>." in english
    assert "Approved at the 2nd" in english and "decision 3" in english
    assert second.decisions.get(order=3).get_absolute_url() in english
    assert "Any other business" in english
    chinese = get_in_language(client, "zh-hans", first.get_absolute_url).content.decode()
    assert "工作组<strong>受到欢迎</strong>。" in chinese
    assert ">欢迎辞</h3>" in chinese
    # No Chinese text: the English one, marked as English.
    assert '<div lang="en"><p>The plan was discussed.</p>' in chinese


def test_minutes_of_an_unpublished_meeting_are_not_public(client, first, second):
    _approved(first, second)
    first.is_published = False
    first.save()
    assert client.get(first.get_absolute_url()).status_code == 404
    assert not Minutes.objects.public().exists()


@pytest.mark.parametrize("n", (1, 30))
def test_meeting_detail_with_minutes_queries_flat(client, django_assert_num_queries, body, n):
    """Minutes cost the meeting's page nothing until they are approved (they come joined to
    the meeting), then one query: their parts, however many."""
    meeting = MeetingFactory(body=body, number=1)
    minutes = Minutes.objects.create(meeting=meeting)
    for order in range(1, n + 1):
        MinutesPart.objects.create(
            minutes=minutes,
            order=order,
            agenda_item=AgendaItemFactory(session__meeting=meeting),
            text_en=f"Part {order}",
        )
    decision = DecisionFactory(
        meeting=MeetingFactory(
            body=body,
            number=2,
            start_date=datetime.date(2020, 5, 13),
            end_date=datetime.date(2020, 5, 14),
        )
    )
    client.get(meeting.get_absolute_url())
    with django_assert_num_queries(8):
        client.get(meeting.get_absolute_url())
    Minutes.objects.filter(pk=minutes.pk).update(
        state=MinutesState.CIRCULATED, circulated_at=timezone.now()
    )
    services.minutes_approve(minutes=minutes, decision=decision, by=None)
    with django_assert_num_queries(9):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('class="minutes-part') == n


# The admin -----------------------------------------------------------------------------------


def _change_data(client: Client, minutes: Minutes) -> tuple[str, dict]:
    """The change page's URL and its form as the page fills it, the parts included."""
    url = reverse("admin:meetings_minutes_change", args=[minutes.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        for part in formset.forms:
            for name in part.fields:
                value = part[name].value()
                if value not in (None, False):
                    data[part.add_prefix(name)] = value
    return url, data


def test_minutes_added_in_the_admin_get_their_parts_and_revisions(secretariat_client, first):
    add = reverse("admin:meetings_minutes_add")
    page = secretariat_client.get(add)
    assert page.status_code == 200
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = secretariat_client.post(
        add,
        {
            "meeting": first.pk,
            "comments_until": "",
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=first)
    assert minutes.parts.count() == 2
    assert minutes.revisions.get().created_by.username == "secretariat"

    url, data = _change_data(secretariat_client, minutes)
    data[f"{prefix}-0-text_en"] = "The chair welcomed the members."
    data[f"{prefix}-0-text_zh_hans"] = "主席欢迎各位成员。"
    assert secretariat_client.post(url, data).status_code == 302
    url, data = _change_data(secretariat_client, minutes)
    data[f"{prefix}-0-text_en"] = "The chair welcomed the delegates."
    assert secretariat_client.post(url, data).status_code == 302
    assert secretariat_client.post(url, data).status_code == 302  # nothing changed
    assert list(minutes.revisions.values_list("number", flat=True)) == [3, 2, 1]

    change_page = secretariat_client.get(url).content.decode()
    compare = minutes.get_compare_url(older=2, newer=3)
    assert compare.replace("&", "&amp;") in change_page  # reachable from the minutes' page
    html = secretariat_client.get(compare).content.decode()
    assert "<del>The chair welcomed the members.</del>" in html
    assert "<ins>The chair welcomed the delegates.</ins>" in html
    assert "主席欢迎各位成员。" in html
    latest = secretariat_client.get(minutes.get_compare_url())
    assert latest.context["comparison"].newer.number == 3
    assert secretariat_client.get(minutes.get_compare_url() + "?a=1&b=9").status_code == 404


def test_minutes_admin_parts_refuse_another_meetings_item(secretariat_client, first, second):
    minutes = services.minutes_create(meeting=first, by=None)
    url, data = _change_data(secretariat_client, minutes)
    other = AgendaItemFactory(session__meeting=second)
    data["parts-0-agenda_item"] = other.pk
    response = secretariat_client.post(url, data)
    assert response.status_code == 200  # the form again
    assert minutes.parts.filter(agenda_item=other).count() == 0


def _action(client, name, minutes, **extra):
    return client.post(
        reverse("admin:meetings_minutes_changelist"),
        {"action": name, "_selected_action": [m.pk for m in minutes], **extra},
        follow=True,
    )


def test_minutes_admin_actions_circulate_and_approve(secretariat_client, first, second):
    minutes = _written(first)
    _action(secretariat_client, "circulate_selected", [minutes])
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.CIRCULATED
    assert minutes.history.latest().history_user.username == "secretariat"

    response = _action(secretariat_client, "circulate_selected", [minutes])
    assert any("Only draft minutes" in str(m) for m in get_messages(response.wsgi_request))

    page = _action(secretariat_client, "approve_selected", [minutes])
    assert page.status_code == 200 and "decision" in page.context["form"].fields
    decision = second.decisions.get(order=3)
    _action(secretariat_client, "approve_selected", [minutes], decision=decision.pk)
    minutes.refresh_from_db()
    assert minutes.approved_by_decision == decision
    # Approved minutes are no longer edited: the parts are read-only.
    url = reverse("admin:meetings_minutes_change", args=[minutes.pk])
    assert not secretariat_client.get(url).context["inline_admin_formsets"][0].has_change_permission


def test_minutes_admin_finds_minutes_by_their_chinese_text(secretariat_client, first):
    _written(first)
    MeetingFactory()  # another meeting's minutes are not found
    response = secretariat_client.get(
        reverse("admin:meetings_minutes_changelist"), {"q": "受到欢迎"}
    )
    assert list(response.context["cl"].result_list) == [Minutes.objects.get(meeting=first)]


def test_minutes_pages_refused_to_staff_without_rights(client, outsider_staff_user, first):
    minutes = services.minutes_create(meeting=first, by=None)
    urls = [
        minutes.get_compare_url(),
        reverse("admin:meetings_minutes_change", args=[minutes.pk]),
        reverse("admin:meetings_minutes_changelist"),
    ]
    for url in urls:
        assert Client().get(url).status_code == 302  # sign in first
    client.force_login(outsider_staff_user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert MinutesRevision.objects.count() == 1


# The demo ------------------------------------------------------------------------------------


def test_demo_minutes_of_the_first_meeting_are_circulated_in_both_languages(client):
    from meetings.demo import demo_load

    result = demo_load()
    minutes, meeting = result.objects["minutes"], result.objects["meeting"]
    assert minutes.state == MinutesState.CIRCULATED
    items = AgendaItem.objects.filter(session__meeting=meeting).count()
    parts = minutes.parts.all()
    assert parts.count() == items + 1  # and the opening's own part
    assert all(part.text_en and part.text_zh_hans for part in parts)
    assert "Qasim Jan" in minutes.parts.get(order=2).text_en
    # Circulated, not approved: the public page does not show them.
    assert 'id="minutes"' not in client.get(meeting.get_absolute_url()).content.decode()
    demo_load()  # again: nothing changes
    assert minutes.revisions.count() == 1
    assert minutes.history.count() == 2  # made, circulated


def test_minutes_approval_renews_the_cached_meeting_page(page_cache, first, second):
    """The page was cached without minutes; approving them shows them at once."""
    minutes = _written(first)
    services.minutes_circulate(minutes=minutes, by=None)
    url = first.get_absolute_url()
    Client().get(url)
    cached = Client().get(url)
    assert cached["X-Page-Cache"] == "hit" and 'id="minutes"' not in cached.text
    services.minutes_approve(minutes=minutes, decision=second.decisions.first(), by=None)
    assert 'id="minutes"' in Client().get(url).text
