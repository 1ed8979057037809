"""Erasing a participant of the 1st ANSO Working Group Meeting (2019) on request: every figure
of the meeting stays as the report gives it, and the person's name is nowhere in the database
(history tables and the admin's log included) or on the public pages (docs/personal-data.md)."""

import dataclasses

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse

from meetings.attendance.selectors import attendance_summary
from meetings.demo import demo_load
from meetings.models import Meeting
from members.models import Erasure, Person, Position

pytestmark = pytest.mark.django_db

#: A sample participant of 2019 with a position in the working group, listed publicly.
NAME, EMAIL = "Bekova", "aigerim-bekova@example.org"


def tables_holding(*terms: str) -> dict[str, int]:
    """Every table with a text column holding one of the terms: one query per table."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = connection.introspection.get_table_description(cursor, table)
            where = " OR ".join(
                f'LOWER(CAST("{column.name}" AS TEXT)) LIKE %s' for column in columns for _ in terms
            )
            params = [f"%{term.lower()}%" for _ in columns for term in terms]
            cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {where}', params)  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def figures(meeting: Meeting) -> dict:
    summary = attendance_summary(meeting_id=meeting.pk)
    return {**dataclasses.asdict(summary), "other_participants": summary.other_participants}


def test_erasing_a_2019_participant_moves_no_figure(client, secretariat_client):
    demo_load()
    meeting = Meeting.objects.get(body__name="ANSO Working Group", number=1)
    person = Person.objects.get(family_name=NAME)
    participation = person.participations.get(meeting=meeting)
    assert participation.listed_publicly
    slug = person.slug
    before = figures(meeting)
    assert (before["attended"], before["member_organizations"], before["countries"]) == (45, 17, 14)
    assert before["other_participants"] == 28
    positions_before = Position.objects.working_group_members(meeting.start_date).count()
    assert NAME in client.get(meeting.get_absolute_url()).content.decode()
    assert tables_holding(NAME, EMAIL, slug)

    url = reverse("admin:members_person_changelist")
    response = secretariat_client.post(
        url,
        {
            "action": "erase_selected",
            ACTION_CHECKBOX_NAME: [person.pk],
            "reason": "Asked by mail on 1 December",
        },
    )
    assert response.status_code == 302

    assert figures(meeting) == before
    assert Position.objects.working_group_members(meeting.start_date).count() == positions_before
    assert tables_holding(NAME, EMAIL, slug) == {}
    assert Erasure.objects.get().reason == "Asked by mail on 1 December"
    zh_meeting = meeting.get_absolute_url().replace("/en/", "/zh-hans/", 1)
    for page in (meeting.get_absolute_url(), zh_meeting, "/en/", "/zh-hans/"):
        html = client.get(page).content.decode()
        assert NAME not in html and slug not in html
    assert client.get(reverse("person_detail", kwargs={"slug": slug})).status_code == 404
