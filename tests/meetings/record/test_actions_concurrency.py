"""Reminders of actions under concurrency: several upkeeps at the same moment, each on its own
connection to PostgreSQL, queue one reminder per action."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from anso.models import OutgoingMail
from meetings.record.actions.reminders import action_reminders_send
from tests.factories import ActionFactory, PersonFactory
from tests.meetings.test_concurrency import RACERS, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock, so it cannot show a race; "
        "run the suite with DATABASE_URL pointing at PostgreSQL",
    ),
]


def test_upkeeps_at_once_send_each_reminder_once():
    today = timezone.localdate()
    actions = [
        ActionFactory(owner_person=PersonFactory(), due_date=today + datetime.timedelta(days=n))
        for n in range(1, 6)
    ]

    def upkeep() -> None:
        with transaction.atomic():  # as the upkeep runs each chore
            action_reminders_send()

    run_together(*[upkeep] * RACERS)
    sent_to = sorted(address for mail in OutgoingMail.objects.all() for address in mail.to)
    assert sent_to == sorted(action.owner_person.email for action in actions)
