"""Changelists that stay usable with thousands of meetings and hundreds of thousands of
participations: a short meeting filter that still reaches every meeting, a country filter
that follows the records, counts from the records, and links from a meeting to its rows."""

import datetime

import pytest
from django.urls import reverse

from meetings.attendance.models import ParticipationEvent

from ..factories import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPATIONS = reverse("admin:meetings_participation_changelist")


def _filter_choices(response, parameter: str) -> list[dict]:
    changelist = response.context["cl"]
    spec = next(
        spec
        for spec in changelist.filter_specs
        if getattr(spec, "parameter_name", None) == parameter
        or parameter in spec.expected_parameters()
    )
    return list(spec.choices(changelist))


def _meetings(n: int) -> list:
    """n meetings, one a month from January 2001, oldest first."""
    return [
        MeetingFactory(
            start_date=datetime.date(2001 + i // 12, 1 + i % 12, 3),
            end_date=datetime.date(2001 + i // 12, 1 + i % 12, 4),
        )
        for i in range(n)
    ]


def test_meeting_filter_lists_the_latest_meetings_not_every_one(secretariat_client):
    meetings = _meetings(14)
    response = secretariat_client.get(PARTICIPATIONS)
    shown = [c["display"] for c in _filter_choices(response, "meeting")][1:]  # after "All"
    assert len(shown) == 12
    assert shown[0].startswith(meetings[-1].title)  # newest first
    assert not any(label.startswith(meetings[0].title + " ") for label in shown)


def test_meeting_filter_reaches_an_older_meeting_and_lists_only_its_participants(
    secretariat_client,
):
    oldest, *others = _meetings(14)
    ParticipationFactory(meeting=oldest, person=PersonFactory(family_name="Early"))
    ParticipationFactory(meeting=others[-1], person=PersonFactory(family_name="Late"))
    response = secretariat_client.get(PARTICIPATIONS, {"meeting": oldest.pk})
    assert response.status_code == 200
    listed = {p.person.family_name for p in response.context["cl"].result_list}
    assert listed == {"Early"}
    selected = [c["display"] for c in _filter_choices(response, "meeting") if c["selected"]]
    assert selected == [f"{oldest.title} (January 2001)"]


@pytest.mark.parametrize("value", ["abc", "99999999", "-1"])
def test_meeting_filter_with_a_bad_value_lists_nothing_and_does_not_fail(secretariat_client, value):
    ParticipationFactory()
    response = secretariat_client.get(PARTICIPATIONS, {"meeting": value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("session", lambda meeting: SessionFactory(meeting=meeting)),
        ("agendaitem", lambda meeting: AgendaItemFactory(session__meeting=meeting)),
        ("speaker", lambda meeting: SpeakerFactory(item__session__meeting=meeting)),
        (
            "participationevent",
            lambda meeting: ParticipationEvent.objects.create(
                participation=ParticipationFactory(meeting=meeting),
                from_status="registered",
                to_status="attended",
            ),
        ),
    ],
)
def test_every_list_of_meeting_records_filters_by_meeting(secretariat_client, model, make):
    chosen, other = MeetingFactory(), MeetingFactory()
    mine, _theirs = make(chosen), make(other)
    url = reverse(f"admin:meetings_{model}_changelist")
    response = secretariat_client.get(url, {"meeting": chosen.pk})
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [mine.pk]


def test_meeting_page_links_to_the_lists_of_its_records(secretariat_client):
    meeting = MeetingFactory()
    response = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    for model in ("participation", "session", "agendaitem", "speaker", "participationevent"):
        link = f'href="{reverse(f"admin:meetings_{model}_changelist")}?meeting={meeting.pk}"'
        assert link in response.text


def test_participants_of_the_newest_meeting_come_first_by_family_name(secretariat_client):
    old, new = _meetings(2)
    for meeting, names in ((old, ["Aa", "Zz"]), (new, ["Yy", "Bb"])):
        for name in names:
            ParticipationFactory(meeting=meeting, person=PersonFactory(family_name=name))
    response = secretariat_client.get(PARTICIPATIONS)
    listed = [p.person.family_name for p in response.context["cl"].result_list]
    assert listed == ["Bb", "Yy", "Aa", "Zz"]


def test_country_filter_lists_the_countries_in_use_and_follows_changes(secretariat_client):
    ParticipationFactory(country="CN")
    response = secretariat_client.get(PARTICIPATIONS)
    assert [c["display"] for c in _filter_choices(response, "country")][1:] == ["China"]

    ParticipationFactory(country="KE")  # a save renews the cached list at once
    response = secretariat_client.get(PARTICIPATIONS)
    assert [c["display"] for c in _filter_choices(response, "country")][1:] == ["China", "Kenya"]

    response = secretariat_client.get(PARTICIPATIONS, {"country": "KE"})
    assert {p.country.code for p in response.context["cl"].result_list} == {"KE"}


def test_country_column_shows_the_name_and_sorts(secretariat_client):
    ParticipationFactory(country="KE")
    ParticipationFactory(country="CN")
    response = secretariat_client.get(PARTICIPATIONS)
    assert '<td class="field-country_name">Kenya</td>' in response.text
    names = [getattr(field, "__name__", field) for field in response.context["cl"].list_display]
    column = names.index("country_name")
    response = secretariat_client.get(PARTICIPATIONS, {"o": str(column)})
    assert [p.country.code for p in response.context["cl"].result_list] == ["CN", "KE"]


def test_meetings_list_counts_attended_participants_only(secretariat_client):
    counted, empty = MeetingFactory(), MeetingFactory()
    ParticipationFactory.create_batch(2, meeting=counted, status="attended")
    ParticipationFactory(meeting=counted, status="registered")
    response = secretariat_client.get(reverse("admin:meetings_meeting_changelist"))
    rows = {m.pk: m for m in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    assert admin.attended_count(rows[counted.pk]) == 2
    assert admin.attended_count(rows[empty.pk]) == 0


def test_the_count_of_a_long_list_follows_added_and_deleted_rows(secretariat_client):
    def count(**params):
        return secretariat_client.get(PARTICIPATIONS, params).context["cl"].result_count

    first, _second = ParticipationFactory.create_batch(2, status="registered")
    assert count() == 2
    ParticipationFactory(status="attended")
    assert count() == 3
    first.delete()
    assert count() == 2
    assert count(status__exact="attended") == 1
