"""The programme on a meeting's page (meetings/programme.py): what it shows, escaped, in a
fixed number of queries however long it is."""

import datetime

import pytest

from meetings.models import AgendaItemKind

from ..factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    PersonFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_programme_shows_sessions_items_speakers_and_actions_in_order(client):
    meeting = MeetingFactory()
    chair = PersonFactory(
        honorific="Prof.", given_name="Yin", family_name="LI", name_order="family_first"
    )
    late = SessionFactory(meeting=meeting, order=2, title="Closing session")
    opening = SessionFactory(
        meeting=meeting,
        order=1,
        title="Opening session",
        chair=chair,
        chair_capacity="Chair of the working group",
        date=meeting.start_date,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
    )
    action = ActionFactory(title="Open data")
    second = AgendaItemFactory(session=opening, order=2, title="Report", description="a\n\nb")
    first = AgendaItemFactory(
        session=opening, order=1, title="Welcome", kind=AgendaItemKind.WELCOME, action=action
    )
    AgendaItemFactory(session=late, order=1, title="Farewell")
    jan = PersonFactory(honorific="Prof.", given_name="Qasim", family_name="Jan")
    cao = PersonFactory(honorific="", given_name="Jinghua", family_name="Cao")
    SpeakerFactory(item=first, person=cao, order=2, capacity="")
    SpeakerFactory(item=first, person=jan, order=1, capacity="ANSO Vice-President")
    html = client.get(meeting.get_absolute_url()).content.decode()

    assert html.index("Opening session") < html.index("Welcome") < html.index("Report")
    assert html.index("Report") < html.index("Closing session") < html.index("Farewell")
    assert (
        f'<a href="{chair.get_absolute_url()}">Prof. LI Yin</a>, Chair of the working group' in html
    )
    assert f'datetime="{meeting.start_date.isoformat()}"' in html
    assert "<time>9 a.m.</time>\N{EN DASH}<time>10:30 a.m.</time>" in html
    assert f'<li id="item-{first.pk}"' in html and f'<li id="item-{second.pk}"' in html
    assert '<span class="badge text-bg-secondary">welcome</span>' in html
    speakers = (
        f'<li><a href="{jan.get_absolute_url()}">Prof. Qasim Jan</a>, '
        '<span class="text-body-secondary">ANSO Vice-President</span></li>'
        f'<li><a href="{cao.get_absolute_url()}">Jinghua Cao</a></li>'
    )
    assert speakers in html
    assert f'Action plan: <a href="{action.get_absolute_url()}">Open data</a>' in html
    assert '<div class="small"><p>a</p>\n\n<p>b</p></div>' in html


def test_programme_not_published_yet(client, django_assert_num_queries):
    meeting = MeetingFactory()
    # meeting, decisions, sessions (none: no items or speakers to read), documents (none: no
    # versions to read), attendance, the registration box
    with django_assert_num_queries(6):
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert "The programme has not been published yet." in html


def test_programme_escapes_stored_html(client):
    meeting = MeetingFactory()
    session = SessionFactory(
        meeting=meeting,
        title=SCRIPT,
        chair=PersonFactory(family_name=SCRIPT),
        chair_capacity=SCRIPT,
    )
    item = AgendaItemFactory(session=session, title=SCRIPT, description=SCRIPT)
    SpeakerFactory(
        item=item, person=PersonFactory(honorific="Dr.", family_name=SCRIPT), capacity=SCRIPT
    )
    AgendaItemFactory(session=session, order=2, action=ActionFactory(title=SCRIPT))
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


@pytest.mark.parametrize("n", [1, 30])
def test_programme_queries_flat_in_items_and_speakers(client, django_assert_num_queries, n):
    """One session with n agenda items of two speakers each: the same queries for 1 and 30."""
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting, chair=PersonFactory())
    action = ActionFactory()
    for order in range(1, n + 1):
        item = AgendaItemFactory(session=session, order=order, action=action)
        SpeakerFactory(item=item, order=1)
        SpeakerFactory(item=item, order=2)
    # meeting, sessions, items (with the actions presented), speakers, documents (none),
    # decisions; attendance (one: nobody attended, so no participant to count or list); the
    # registration box
    with django_assert_num_queries(8):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('mb-1 speakers"') == n


def test_actions_presented_listed_once_each_in_plan_order_with_status(client):
    """The "Actions presented" list comes from the programme's rows: each action once, in the
    plan's order (then title), whatever the order of the items, with its status."""
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    later = ActionFactory(order=2, title="Later <b>action</b>", status="in_progress")
    first = ActionFactory(order=1, title="First action", status="completed")
    AgendaItemFactory(session=session, order=1, action=later)
    AgendaItemFactory(session=session, order=2, action=first)
    AgendaItemFactory(session=session, order=3, action=later)
    AgendaItemFactory(session=session, order=4)
    html = client.get(meeting.get_absolute_url()).content.decode()
    section = html[html.index('id="actions"') :]

    first_line = (
        f'<li><a href="{first.get_absolute_url()}">First action</a> '
        '<span class="badge text-bg-light border">completed</span></li>'
    )
    later_line = (
        f'<li><a href="{later.get_absolute_url()}">Later &lt;b&gt;action&lt;/b&gt;</a> '
        '<span class="badge text-bg-light border">in progress</span></li>'
    )
    assert section.index(first_line) < section.index(later_line)
    assert section.count(later.get_absolute_url()) == 1
