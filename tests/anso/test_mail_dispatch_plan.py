"""The plan of the dispatcher's next run: mail that waits for its time always has a run
planned for when it is due, whatever the queue's clock does.

RQ keeps a planned time to the second, rounded down, so a run planned for 12:00:07.6 can start
at 12:00:07.0, before the mail it was planned for is due."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from rq.worker import SimpleWorker

from anso.mail.dispatch import dispatch_enqueue
from anso.mail.sending import send_after_commit
from anso.models import OutgoingMail, OutgoingMailStatus

from .smtp import free_port, smtp_mailers, smtp_server
from .test_worker import rq_queue  # noqa: F401  (a fixture)


class Worker(SimpleWorker):
    """RQ's worker, without the channel it listens on for commands (stop a job): in burst
    mode its teardown can wait up to a minute for that listener, once in every few passes."""

    def subscribe(self):
        pass

    def unsubscribe(self):
        pass


def rq_worker_pass():
    """One pass of the RQ worker as production runs it, with the scheduler: the planned runs
    that are due go into the queue, and the queue is worked until it is empty."""
    call_command(
        "rqworker",
        "default",
        burst=True,
        with_scheduler=True,
        job_class="django_tasks_rq.backend.Job",
        worker_class=f"{__name__}.Worker",
    )


def in_the_middle_of_a_second():
    """Wait until the clock is at a second's half: a retry planned now falls due at x.5."""
    time.sleep((0.5 - time.time() % 1) % 1)


@pytest.mark.django_db(transaction=True)
def test_rq_mail_queued_while_the_server_was_down_goes_out_once_it_is_back(
    rq_queue,  # noqa: F811
    settings,
):
    """20 registrations while the mail server is down (a closed port), then the server is back:
    every mail is delivered, each once."""
    port = free_port()
    settings.MAILERS = smtp_mailers(port)  # nothing listens there yet
    settings.MAIL_RETRY_DELAYS = [2, 2, 2, 2]
    addresses = [f"registrant{i}@example.org" for i in range(20)]
    for address in addresses:
        send_after_commit(subject="Your registration", body="Text", to=[address])
    assert rq_queue.count == 20

    in_the_middle_of_a_second()
    rq_worker_pass()
    assert OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED, attempts=1).count() == 20

    with smtp_server(port) as inbox:
        deadline = time.monotonic() + 10  # the retry is due within 3 seconds
        while time.monotonic() < deadline and len(inbox.messages) < 20:
            rq_worker_pass()
            time.sleep(0.05)
        for _ in range(10):  # and nothing more comes
            rq_worker_pass()
            time.sleep(0.05)
    delivered = sorted(address for envelope in inbox.envelopes for address in envelope)
    assert delivered == sorted(addresses)
    assert not OutgoingMail.objects.exclude(status=OutgoingMailStatus.SENT).exists()


@pytest.mark.django_db(transaction=True)
def test_rq_a_planned_run_started_early_plans_the_run_again(rq_queue):  # noqa: F811
    """A worker whose clock is ahead starts the planned run before the mail is due: the run
    plans it again for the mail's time, instead of finding that time taken (by itself) and
    leaving the mail with no run planned."""
    from rq.registry import ScheduledJobRegistry

    due = timezone.now() + datetime.timedelta(seconds=30)
    OutgoingMail.objects.create(
        to=["later@example.org"],
        subject="S",
        body="B",
        message_id="<m@example.org>",
        next_attempt_at=due,
    )
    dispatch_enqueue(run_after=due)
    registry = ScheduledJobRegistry(queue=rq_queue)
    [planned] = registry.get_job_ids()
    planned_at = registry.get_scheduled_time(planned)

    job = rq_queue.fetch_job(planned)
    registry.remove(job)
    rq_queue.enqueue_job(job)  # the queue's clock says it is time
    rq_worker_pass()

    assert OutgoingMail.objects.get().attempts == 0  # not due: not tried
    [again] = registry.get_job_ids()
    assert again != planned
    assert registry.get_scheduled_time(again) == planned_at
