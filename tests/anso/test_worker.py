"""The workers for real: the database queue's `db_worker` and RQ's `rqworker` on Redis run
the site's tasks (the rest of the suite runs tasks at once, as they are enqueued)."""

import pytest
from django.core import mail
from django.core.management import call_command

from anso.mail.sending import send_after_commit
from anso.models import OutgoingMail, OutgoingMailStatus
from tests.redis_server import require_redis

#: A Redis database of the test suite's own, away from the site's cache and queue.
TEST_REDIS_DB = 11


@pytest.fixture
def rq_queue(settings):
    url = require_redis(TEST_REDIS_DB)
    import django_rq

    # The site's queue options (its timeout), on the suite's own Redis database.
    settings.RQ_QUEUES = {"default": {**settings.RQ_QUEUES["default"], "URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()  # the suite's own Redis database: queue, registries, results
    yield queue
    queue.connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_rq_worker_sends_the_mail_queued_in_redis(rq_queue):
    send_after_commit(subject="Through Redis", body="Text", to=["r@example.org"])
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert rq_queue.count == 1
    assert mail.outbox == []

    # As in production, with the job class of django-tasks-rq; burst: until the queue is empty.
    call_command(
        "rqworker",
        "default",
        burst=True,
        job_class="django_tasks_rq.backend.Job",
        worker_class="rq.worker.SimpleWorker",
    )
    stored.refresh_from_db()
    assert stored.status == OutgoingMailStatus.SENT
    assert [message.subject for message in mail.outbox] == ["Through Redis"]
    assert rq_queue.count == 0


@pytest.mark.django_db(transaction=True)
def test_database_worker_sends_the_mail_queued_in_the_database(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_after_commit(subject="Through the database", body="Text", to=["d@example.org"])
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT
    assert [message.subject for message in mail.outbox] == ["Through the database"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_rq_worker_schedules_the_retry_of_a_mail_the_server_did_not_take(rq_queue, settings):
    from rq.registry import ScheduledJobRegistry

    from .smtp import free_port, smtp_mailers

    settings.MAILERS = smtp_mailers(free_port())  # nothing listens there
    send_after_commit(subject="Later", body="Text", to=["later@example.org"])
    call_command(
        "rqworker",
        "default",
        burst=True,
        job_class="django_tasks_rq.backend.Job",
        worker_class="rq.worker.SimpleWorker",
    )
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMailStatus.QUEUED
    assert stored.attempts == 1
    registry = ScheduledJobRegistry(queue=rq_queue)
    [job_id] = registry.get_job_ids()
    scheduled = registry.get_scheduled_time(job_id)
    assert abs((scheduled - stored.next_attempt_at).total_seconds()) < 1


@pytest.mark.django_db(transaction=True)
def test_rq_worker_sends_many_queued_mails_from_one_job_within_the_rate(
    rq_queue, settings, fresh_rate_window
):
    """Queuing 30 mails is one job; with a rate of 20 a minute the run sends 20 and plans
    one run for the next minute in RQ's schedule."""
    from rq.registry import ScheduledJobRegistry

    from anso.mail.sending import Mail, mails_queue

    settings.MAIL_RATE_PER_MINUTE = 20
    mails_queue([Mail(to=[f"p{i}@example.org"], subject="S", body="B") for i in range(30)])
    assert rq_queue.count == 1
    call_command(
        "rqworker",
        "default",
        burst=True,
        job_class="django_tasks_rq.backend.Job",
        worker_class="rq.worker.SimpleWorker",
    )
    assert len(mail.outbox) == 20
    assert OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED).count() == 10
    registry = ScheduledJobRegistry(queue=rq_queue)
    [job_id] = registry.get_job_ids()
    assert registry.get_scheduled_time(job_id).second == 0  # the next rate window
