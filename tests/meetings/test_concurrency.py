"""The last seat under concurrency: real connections racing for it on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from meetings import services
from meetings.models import Participation, ParticipationStatus

from ..factories import ParticipationFactory, RegistrationWindowFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock, so it cannot show a race; "
        "run the suite with DATABASE_URL pointing at PostgreSQL",
    ),
]

RACERS = 6


def race(meeting) -> list[object]:
    """RACERS threads, each with its own database connection, submit at the same moment."""
    barrier = threading.Barrier(RACERS)
    outcomes: list[object] = [None] * RACERS

    def register(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            result = services.registration_submit(
                meeting=meeting,
                details=services.RegistrantDetails(
                    family_name=f"Racer{index}", email=f"racer{index}@example.org", country="KE"
                ),
            )
            outcomes[index] = result.participation.status
        except services.RegistrationFull as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_the_last_seat_goes_to_exactly_one_person():
    window = RegistrationWindowFactory(capacity=3, waiting_list=False)
    ParticipationFactory.create_batch(
        2, meeting=window.meeting, status=ParticipationStatus.REGISTERED
    )
    outcomes = race(window.meeting)
    winners = [o for o in outcomes if o == ParticipationStatus.REGISTERED]
    refused = [o for o in outcomes if isinstance(o, services.RegistrationFull)]
    assert len(winners) == 1
    assert len(refused) == RACERS - 1
    assert "full" in refused[0].message
    assert Participation.objects.filter(meeting=window.meeting).holding_seats().count() == 3


def test_the_others_go_to_the_waiting_list():
    window = RegistrationWindowFactory(capacity=1, waiting_list=True)
    outcomes = race(window.meeting)
    assert outcomes.count(ParticipationStatus.REGISTERED) == 1
    assert outcomes.count(ParticipationStatus.WAITLISTED) == RACERS - 1
    assert Participation.objects.filter(meeting=window.meeting).holding_seats().count() == 1
