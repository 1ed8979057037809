"""Certificates asked for at the same moment, on PostgreSQL with real connections: one paper
per participant, and reference numbers that never collide."""

import threading

import pytest
from django.db import connection, connections

from meetings.papers import services
from meetings.papers.models import Paper
from tests.factories import MeetingFactory, ParticipationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock, so it cannot show a race; "
        "run the suite with DATABASE_URL pointing at PostgreSQL",
    ),
]

RACERS = 4


def race(participations) -> list[object]:
    """One thread per participation, each with its own connection, asking at the same moment."""
    barrier = threading.Barrier(len(participations))
    outcomes: list[object] = [None] * len(participations)

    def issue(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = services.certificate_issue(
                participation=participations[index], by=None
            ).reference
        except Exception as error:  # the test reports it
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(len(participations))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_certificate_however_many_ask_at_once():
    participation = ParticipationFactory(meeting=MeetingFactory(is_published=True))
    outcomes = race([participation] * RACERS)
    assert len(set(outcomes)) == 1, outcomes
    assert Paper.objects.count() == 1


def test_reference_numbers_never_collide():
    meeting = MeetingFactory(is_published=True)
    outcomes = race(ParticipationFactory.create_batch(RACERS, meeting=meeting))
    assert sorted(outcomes) == sorted(set(outcomes)), outcomes
    assert sorted(int(reference[-4:]) for reference in outcomes) == list(range(1, RACERS + 1))
