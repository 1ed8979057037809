"""What the next meeting of a body takes up from the earlier ones (meetings/record/arising.py,
docs/record.md, "Matters arising"): the approval of the previous meeting's minutes and the
matters arising, added once when the meeting is created, edited by the Secretariat, shown on
the public page."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings import services
from meetings.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Decision,
    DecisionState,
    Meeting,
    Session,
)
from meetings.record import arising
from meetings.record import services as record_services
from meetings.record.models import MattersArising, Minutes
from members.models import BodyKind
from tests.admin_helpers import get_in_language
from tests.factories import (
    ActionFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECOND_START = datetime.date(2020, 5, 13)
#: The meeting's page with a programme, and the section's two queries (the page of the 1st
#: meeting, which takes nothing up, makes eight: `test_meeting_detail_with_minutes_queries_flat`).
EXPECTED_QUERIES = 10


@pytest.fixture
def body():
    return BodyFactory(kind=BodyKind.WORKING_GROUP)


@pytest.fixture
def first(body):
    """The body's 1st meeting, with minutes, two decisions and an action endorsed by one."""
    meeting = MeetingFactory(body=body, number=1)
    Minutes.objects.create(meeting=meeting)
    endorsing = DecisionFactory(meeting=meeting, order=1, text="To endorse the plan.")
    DecisionFactory(meeting=meeting, order=2, text="To meet again in a year.")
    ActionFactory(title="Open action", status=ActionStatus.IN_PROGRESS, endorsed_by=endorsing)
    ActionFactory(title="Completed action", status=ActionStatus.COMPLETED, endorsed_by=endorsing)
    ActionFactory(title="Dropped action", status=ActionStatus.DROPPED)
    return meeting


def _second(body, **values) -> Meeting:
    values = {"start_date": SECOND_START, "end_date": SECOND_START, "is_published": True, **values}
    return services.meeting_create(meeting=Meeting(body=body, number=2, **values), by=None)


def _items(meeting) -> dict[str, AgendaItem]:
    return {
        item.kind: item
        for item in AgendaItem.objects.filter(
            session__meeting=meeting,
            kind__in=[AgendaItemKind.MINUTES_APPROVAL, AgendaItemKind.MATTERS_ARISING],
        )
    }


def _listed(item) -> list[str]:
    return [str(line) for line in MattersArising.objects.filter(item=item).order_by("order")]


def test_second_meeting_gets_the_approval_and_the_matters_arising(body, first):
    meeting = _second(body)
    items = _items(meeting)
    approval = items[AgendaItemKind.MINUTES_APPROVAL]
    assert approval.minutes_to_approve == first.minutes
    assert approval.title_en == "Approval of the minutes of the previous meeting"
    assert approval.title_zh_hans == "审议通过上次会议纪要"
    matters = items[AgendaItemKind.MATTERS_ARISING]
    assert matters.title_zh_hans == "续议事项"
    # A first session was made for them, in both languages.
    session = Session.objects.get(meeting=meeting)
    assert (session.order, session.title_en, session.title_zh_hans) == (
        1,
        "Opening session",
        "开幕式",
    )
    listed = _listed(matters)
    assert listed[0] == "Open action"
    assert "Completed action" not in listed and "Dropped action" not in listed
    assert [line.decision.order for line in matters.arising.exclude(decision=None)] == [1, 2]


def test_items_go_in_the_existing_first_session(body, first):
    meeting = MeetingFactory(body=body, number=2, start_date=SECOND_START, end_date=SECOND_START)
    session = SessionFactory(meeting=meeting, order=1)
    SessionFactory(meeting=meeting, order=2)
    AgendaItem.objects.create(session=session, order=1, title="Welcome")
    services.meeting_carry_over(meeting=meeting, by=None)
    items = _items(meeting)
    assert {item.session_id for item in items.values()} == {session.pk}
    assert sorted(item.order for item in items.values()) == [2, 3]


def test_as_on_the_meeting_date(body, first):
    """Decisions and actions of later meetings, and decisions closed before the date, are not
    listed; a decision closed on the day or after still is."""
    DecisionFactory(
        meeting=first, order=3, text="Closed.", followed_up_on=datetime.date(2019, 9, 1)
    )
    DecisionFactory(meeting=first, order=4, text="Closed later.", followed_up_on=SECOND_START)
    later = MeetingFactory(
        body=body,
        number=3,
        start_date=datetime.date(2021, 5, 1),
        end_date=datetime.date(2021, 5, 1),
    )
    later_decision = DecisionFactory(meeting=later, order=1, text="Later.")
    ActionFactory(title="Endorsed later", endorsed_by=later_decision)
    matters = _items(_second(body))[AgendaItemKind.MATTERS_ARISING]
    listed = _listed(matters)
    assert "Endorsed later" not in listed
    orders = [line.decision.order for line in matters.arising.exclude(decision=None)]
    assert orders == [1, 2, 4]
    assert list(
        Decision.objects.to_follow_up(body=body, before=SECOND_START).values_list(
            "order", flat=True
        )
    ) == [1, 2, 4]


def test_rejected_and_withdrawn_decisions_leave_nothing_to_follow_up(body, first):
    """A decision still proposed (its vote under way) is listed; one rejected or withdrawn
    is not."""
    DecisionFactory(meeting=first, order=3, text="Put to a vote.", state=DecisionState.PROPOSED)
    DecisionFactory(meeting=first, order=4, text="Voted down.", state=DecisionState.REJECTED)
    DecisionFactory(meeting=first, order=5, text="Taken back.", state=DecisionState.WITHDRAWN)
    matters = _items(_second(body))[AgendaItemKind.MATTERS_ARISING]
    orders = [line.decision.order for line in matters.arising.exclude(decision=None)]
    assert orders == [1, 2, 3]


def test_running_again_does_not_duplicate(body, first):
    meeting = _second(body)
    result = arising.matters_arising_add(meeting=meeting)
    assert result.created == 0
    assert AgendaItem.objects.filter(session__meeting=meeting).count() == 2
    assert MattersArising.objects.count() == 3  # one action, two decisions


# Refreshed: what became open or due since -------------------------------------------------------


def _since(first) -> tuple:
    """An action and a decision of the 1st meeting recorded after the 2nd meeting was made."""
    action = ActionFactory(title="Action added since")
    decision = DecisionFactory(meeting=first, order=3, text="Recorded since.")
    return action, decision


def test_refresh_adds_what_is_not_listed_after_the_lines_and_is_idempotent(body, first):
    meeting = _second(body)
    matters = _items(meeting)[AgendaItemKind.MATTERS_ARISING]
    before = {
        line.pk: (line.order, line.action_id, line.decision_id) for line in matters.arising.all()
    }
    action, decision = _since(first)
    user = UserFactory(username="refresher")
    result = arising.matters_arising_refresh(meeting=meeting, by=user)
    assert (result.added, result.has_item) == (2, True)
    added = list(matters.arising.exclude(pk__in=before).order_by("order"))
    assert [(line.order, line.action, line.decision) for line in added] == [
        (4, action, None),
        (5, None, decision),
    ]
    assert {line.history.get().history_user for line in added} == {user}
    # The lines there are unchanged.
    assert {
        line.pk: (line.order, line.action_id, line.decision_id)
        for line in matters.arising.filter(pk__in=before)
    } == before
    # Again: nothing to add.
    assert arising.matters_arising_refresh(meeting=meeting, by=user).added == 0
    assert matters.arising.count() == 5


def test_refresh_keeps_the_secretariats_edits_and_removals(body, first):
    """A line moved or changed stays so; what a line named before it was removed or changed
    is not added again; nothing is listed twice."""
    meeting = _second(body)
    matters = _items(meeting)[AgendaItemKind.MATTERS_ARISING]
    action_line = matters.arising.get(action__isnull=False)
    first_decision, second_decision = (line for line in matters.arising.exclude(decision=None))
    action_line.order = 9
    arising.matters_arising_save(line=action_line, by=None)
    arising.matters_arising_delete(line=second_decision, by=None)
    removed = second_decision.decision
    # One line now names the decision recorded since: it is not listed twice.
    _action, decision = _since(first)
    first_decision.decision = decision
    arising.matters_arising_save(line=first_decision, by=None)

    replaced = first_decision.history.earliest().decision_id

    result = arising.matters_arising_refresh(meeting=meeting, by=None)
    assert result.added == 1  # the action recorded since
    lines = {(line.order, str(line)) for line in matters.arising.all()}
    assert lines == {(2, str(decision)), (9, "Open action"), (10, "Action added since")}
    assert not matters.arising.filter(decision__in=[removed, replaced]).exists()


def test_refresh_of_a_meeting_without_the_item_adds_nothing(body, first):
    assert arising.matters_arising_refresh(meeting=first, by=None) == arising.Refreshed(
        added=0, has_item=False
    )
    assert not MattersArising.objects.exists()


def test_the_database_refuses_a_second_item_of_a_kind(body, first):
    meeting = _second(body)
    session = Session.objects.get(meeting=meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(session=session, order=9, kind=AgendaItemKind.MATTERS_ARISING)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            session=SessionFactory(meeting=meeting, order=2),
            order=1,
            kind=AgendaItemKind.MINUTES_APPROVAL,
            minutes_to_approve=first.minutes,
        )
    line = MattersArising.objects.filter(action__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        MattersArising.objects.create(item=line.item, order=9, action=line.action)
    with pytest.raises(IntegrityError), transaction.atomic():
        MattersArising.objects.create(item=line.item, order=9)


def test_editing_keeps_the_links(body, first):
    meeting = _second(body)
    items = _items(meeting)
    approval, matters = (
        items[AgendaItemKind.MINUTES_APPROVAL],
        items[AgendaItemKind.MATTERS_ARISING],
    )
    approval.title_en = "Minutes of the 1st meeting"
    approval.order = 7
    approval.save()
    matters.title_en = "Follow-up"
    matters.save()
    approval.refresh_from_db()
    assert approval.minutes_to_approve == first.minutes
    assert len(_listed(matters)) == 3
    arising.matters_arising_add(meeting=meeting)  # nothing comes back nor doubles
    assert _items(meeting)[AgendaItemKind.MINUTES_APPROVAL].title_en == "Minutes of the 1st meeting"


def test_another_body_is_not_affected(body, first):
    other = MeetingFactory(number=1, body=BodyFactory(kind=BodyKind.GOVERNING_BOARD))
    DecisionFactory(meeting=other, order=1)
    matters = _items(_second(body))[AgendaItemKind.MATTERS_ARISING]
    assert not matters.arising.filter(decision__meeting=other).exists()
    second_of_other = services.meeting_create(
        meeting=Meeting(body=other.body, number=2, start_date=SECOND_START, end_date=SECOND_START)
    )
    items = _items(second_of_other)
    assert items[AgendaItemKind.MINUTES_APPROVAL].minutes_to_approve is None  # it has none
    assert (
        not items[AgendaItemKind.MATTERS_ARISING].arising.filter(decision__meeting=first).exists()
    )


def test_first_meeting_of_a_body_gets_nothing(body):
    meeting = services.meeting_create(
        meeting=Meeting(body=body, number=1, start_date=SECOND_START, end_date=SECOND_START)
    )
    assert not AgendaItem.objects.filter(session__meeting=meeting).exists()
    assert not Session.objects.filter(meeting=meeting).exists()


# The public page -----------------------------------------------------------------------------


def test_public_page_shows_what_is_taken_up(client, body, first):
    meeting = _second(body)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="arising"' in html
    assert "Taken up from earlier meetings" in html
    assert "Minutes to approve:" in html
    assert "Open action" in html and "Completed action" not in html
    assert f'href="{first.get_absolute_url()}#decision-1"' in html
    assert f'href="{first.get_absolute_url()}"' in html  # the minutes' meeting, not yet approved
    zh = get_in_language(client, "zh-hans", meeting.get_absolute_url).content.decode()
    assert "对此前会议事项的跟进" in zh and "续议事项" in zh


def test_public_page_links_approved_minutes(client, body, first):
    meeting = _second(body)
    decision = DecisionFactory(meeting=meeting, order=9, text="To approve the minutes.")
    Minutes.objects.filter(pk=first.minutes.pk).update(
        state="circulated", circulated_at="2019-06-01T00:00Z"
    )
    record_services.minutes_approve(
        minutes=Minutes.objects.get(pk=first.minutes.pk), decision=decision, by=None
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Minutes approved:" in html
    assert f'href="{first.get_absolute_url()}#minutes"' in html


@pytest.mark.parametrize("n", (1, 30))
def test_meeting_detail_with_matters_arising_queries_flat(
    client, django_assert_num_queries, body, first, n
):
    """The section costs two queries (the minutes approved, the lines), however many lines;
    nothing on a page without such items."""
    for index in range(n):
        ActionFactory(title=f"Another open action {index}")
    meeting = _second(body)
    assert MattersArising.objects.count() == n + 3
    client.get(meeting.get_absolute_url())
    with django_assert_num_queries(EXPECTED_QUERIES):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count("<li>Action:") == n + 1


# The admin -----------------------------------------------------------------------------------


def test_meeting_added_in_the_admin_gets_the_items(secretariat_client, body, first):
    url = reverse("admin:meetings_meeting_add")
    page = secretariat_client.get(url)
    assert page.status_code == 200
    data = {
        "body": body.pk,
        "number": 2,
        "slug": "",
        "start_date": "2020-05-13",
        "end_date": "2020-05-13",
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(body=body, number=2)
    items = _items(meeting)
    assert items[AgendaItemKind.MINUTES_APPROVAL].minutes_to_approve == first.minutes
    history = items[AgendaItemKind.MATTERS_ARISING].history.first()
    assert history.history_user.username == "secretariat"


def test_secretariat_edits_the_lines_in_the_item_inline(secretariat_client, body, first):
    matters = _items(_second(body))[AgendaItemKind.MATTERS_ARISING]
    url = reverse("admin:meetings_agendaitem_change", args=[matters.pk])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    inline = next(
        i for i in page.context["inline_admin_formsets"] if i.formset.model is MattersArising
    )
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for formset_view in page.context["inline_admin_formsets"]:
        formset = formset_view.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value not in (None, False):
                    data[row.add_prefix(name)] = value
    first_row = inline.formset.forms[0]
    data[first_row.add_prefix("DELETE")] = "on"
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    assert MattersArising.objects.filter(item=matters).count() == 2
    deleted = MattersArising.history.filter(history_type="-").get()
    assert deleted.history_user.username == "secretariat"


def _refresh_in_the_admin(client, *meetings):
    return client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "refresh_matters_arising", "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )


def test_the_admin_action_refreshes_and_says_how_many_were_added(secretariat_client, body, first):
    meeting = _second(body)
    _since(first)
    response = _refresh_in_the_admin(secretariat_client, meeting, first)
    assert response.status_code == 200
    notices = [str(m) for m in response.context["messages"]]
    assert f"{meeting}: 2 lines added to the matters arising." in notices
    assert f"{first} has no item “Matters arising”: nothing was added." in notices
    added = MattersArising.objects.order_by("-order").first()
    assert added.history.get().history_user.username == "secretariat"
    again = _refresh_in_the_admin(secretariat_client, meeting)
    notices = [str(m) for m in again.context["messages"]]
    assert notices == [f"{meeting}: 0 lines added to the matters arising."]
    assert MattersArising.objects.count() == 5


def test_the_admin_action_needs_the_change_permission(client, body, first):
    from django.contrib.auth.models import Permission

    meeting = _second(body)
    _since(first)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(viewer)
    page = client.get(reverse("admin:meetings_meeting_changelist"))
    assert "refresh_matters_arising" not in page.content.decode()
    _refresh_in_the_admin(client, meeting)
    assert MattersArising.objects.count() == 3


def test_permissions(client, body, first):
    from django.contrib.auth.models import Group

    from members.roles import SECRETARIAT_GROUP

    group = Group.objects.get(name=SECRETARIAT_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_mattersarising",
        "add_mattersarising",
        "change_mattersarising",
        "delete_mattersarising",
    } <= codenames
    staff = UserFactory(username="staff-only", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:meetings_mattersarising_changelist")).status_code == 403
