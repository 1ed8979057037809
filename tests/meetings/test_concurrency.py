"""The last seat under concurrency: real connections racing for it on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from meetings.attendance import services, status
from meetings.attendance.models import Participation, ParticipationEvent, ParticipationStatus

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


def run_together(*jobs) -> None:
    """Each job in its own thread and database connection, started at the same moment."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


def test_the_same_rows_marked_attended_twice_at_once_record_one_event_each(django_user_model):
    """Two Secretariat members mark the same participants attended at the same moment: the
    rows are locked, so each change of status is recorded once."""
    window = RegistrationWindowFactory(capacity=None)
    people = ParticipationFactory.create_batch(
        5, meeting=window.meeting, status=ParticipationStatus.REGISTERED
    )
    user = django_user_model.objects.create(username="door", is_staff=True)

    def mark() -> None:
        status.participations_status_change(
            participations=Participation.objects.filter(pk__in=[p.pk for p in people]),
            to_status=ParticipationStatus.ATTENDED,
            by=user,
        )

    run_together(*[mark] * RACERS)
    assert ParticipationEvent.objects.filter(to_status=ParticipationStatus.ATTENDED).count() == 5


def test_seats_freed_at_once_go_to_different_people_on_the_waiting_list(django_user_model):
    """Two cancellations and a capacity raise at the same moment: each freed or new seat goes
    to a different person, in the order they joined the waiting list, never past the
    capacity."""
    window = RegistrationWindowFactory(capacity=2)
    seated = ParticipationFactory.create_batch(
        2, meeting=window.meeting, status=ParticipationStatus.REGISTERED
    )
    waiting = ParticipationFactory.create_batch(
        5, meeting=window.meeting, status=ParticipationStatus.WAITLISTED
    )
    user = django_user_model.objects.create(username="desk", is_staff=True)

    def cancel(participation):
        return lambda: services.registration_cancel(participation=participation, by=user)

    def raise_capacity() -> None:
        window.capacity = 3
        status.registration_window_save(window=window, by=user)

    run_together(cancel(seated[0]), cancel(seated[1]), raise_capacity)
    statuses = [Participation.objects.get(pk=p.pk).status for p in waiting]
    assert statuses == [ParticipationStatus.REGISTERED] * 3 + [ParticipationStatus.WAITLISTED] * 2
    assert ParticipationEvent.objects.filter(note="moved up from the waiting list").count() == 3
