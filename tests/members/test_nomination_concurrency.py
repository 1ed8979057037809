"""Races on PostgreSQL with real concurrent connections: each thread gets its own database
connection, so the row lock (select_for_update) and the unique index do the work they do in
production. SQLite serializes whole-database writes and has no row locks, so there is nothing
to test there."""

import threading

import pytest
from django.db import connection

from members.models import Person, Position
from members.nominations import services
from members.nominations.models import Nomination, NominationKind, NominationStatus
from tests.factories import BodyFactory, NominationFactory, OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs this suite on it)",
    ),
]


def run_together(*functions):
    """Start the functions in threads at the same moment; return what each returned or
    raised."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_nomination_approve_race_leaves_one_person_and_one_position():
    BodyFactory()
    nomination = NominationFactory()
    first = UserFactory(username="first", is_staff=True)
    second = UserFactory(username="second", is_staff=True)

    results = run_together(
        lambda: services.nomination_approve(nomination=nomination, reviewer=first),
        lambda: services.nomination_approve(nomination=nomination, reviewer=second),
    )

    positions = [r for r in results if isinstance(r, Position)]
    refusals = [r for r in results if isinstance(r, services.NominationAlreadyDecided)]
    assert (len(positions), len(refusals)) == (1, 1), results
    assert Person.objects.filter(email__iexact=nomination.email).count() == 1
    assert Position.objects.count() == 1
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert nomination.events.count() == 1


def test_nomination_double_submit_race_leaves_one_nomination():
    organization = OrganizationFactory()
    data = {
        "organization": organization,
        "kind": NominationKind.CONTACT_PERSON,
        "family_name": "Otieno",
        "given_name": "Amina",
        "email": "amina@example.org",
        "job_title": "Director",
        "country": "KE",
        "submitter_name": "Joseph Kamau",
        "submitter_email": "joseph@example.org",
        "submitter_role": "Representative",
    }

    def submit():
        return services.nomination_submit(details=services.NominationDetails(**data))

    results = run_together(submit, submit, submit)

    created = [r for r in results if isinstance(r, Nomination)]
    refused = [r for r in results if isinstance(r, services.NominationAlreadyOpen)]
    assert (len(created), len(refused)) == (1, 2), results
    assert Nomination.objects.count() == 1
