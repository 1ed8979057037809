"""The demo's upcoming 2nd working-group meeting takes up the 1st meeting's minutes and the
demo's open actions (docs/record.md, "Matters arising")."""

import pytest

from meetings.demo import demo_load, registration_demo_load
from meetings.models import ACTION_CLOSED, Action, AgendaItem, AgendaItemKind
from meetings.record.models import MattersArising

pytestmark = pytest.mark.django_db


def test_demo_second_meeting_takes_up_the_first(client):
    result = demo_load()
    meeting = registration_demo_load()
    approval = AgendaItem.objects.get(
        session__meeting=meeting, kind=AgendaItemKind.MINUTES_APPROVAL
    )
    assert approval.minutes_to_approve == result.objects["minutes"]
    matters = AgendaItem.objects.get(session__meeting=meeting, kind=AgendaItemKind.MATTERS_ARISING)
    listed = set(
        MattersArising.objects.filter(item=matters, action__isnull=False).values_list(
            "action__title_en", flat=True
        )
    )
    assert listed == set(
        Action.objects.exclude(status__in=ACTION_CLOSED).values_list("title_en", flat=True)
    )
    assert listed
    count = MattersArising.objects.count()
    demo_load()
    registration_demo_load()  # again: nothing doubles
    assert MattersArising.objects.count() == count
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Taken up from earlier meetings" in html
