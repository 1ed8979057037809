"""A worker killed (SIGKILL) in the middle of an import, with a real worker process on each
queue: nothing of the import is saved, the upkeep finds the job no worker holds, and a worker
started again finishes it; or, with no attempts left, the job fails with its message and
"Try again". The worker runs in another process, so the test database must be one it can
reach: PostgreSQL (the in-memory SQLite test database is this process's own)."""

import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from anso.background.upkeep import upkeep_run
from anso.models import ImportJob, ImportJobStatus
from meetings.attendance.models import Participation
from members.models import Person
from tests.redis_server import redis_url

from ..factories import MeetingFactory
from .test_worker import TEST_REDIS_DB, rq_queue  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs a database another process can reach"
    ),
]

#: Rows enough for the import to run a few seconds on this machine.
ROWS = 4000


def participants_csv(meeting_slug: str, count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["meeting", "email", "given_name", "family_name", "country", "status"])
    for n in range(count):
        writer.writerow([meeting_slug, f"p{n}@example.org", f"Given{n}", f"Family{n}", "KE", ""])
    return out.getvalue().encode()


def worker_env(tmp_path, queue: str) -> dict:
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "TASKS_REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="anso.settings",
        DJANGO_DEBUG="true",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=f"postgres://{credentials}@{host}:{port}/{database['NAME']}",
        DJANGO_PROGRESS_DIR=str(tmp_path / "progress"),
    )
    if queue == "rq":
        env["TASKS_REDIS_URL"] = redis_url(TEST_REDIS_DB)
    return env


def worker_command(queue: str, *, until_empty: bool) -> list[str]:
    if queue == "rq":
        command = ["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]
        return [*command, "--burst"] if until_empty else command
    command = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    return [*command, "--batch"] if until_empty else command


def start_worker(tmp_path, queue: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this interpreter, manage.py, fixed arguments
        [sys.executable, "manage.py", *worker_command(queue, until_empty=False)],
        cwd=django_settings.BASE_DIR,
        env=worker_env(tmp_path, queue),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_worker_until_empty(tmp_path, queue: str) -> None:
    result = subprocess.run(  # noqa: S603 - this interpreter, manage.py, fixed arguments
        [sys.executable, "manage.py", *worker_command(queue, until_empty=True)],
        cwd=django_settings.BASE_DIR,
        env=worker_env(tmp_path, queue),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def wait_until(condition, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def queue_of(request, settings, tmp_path):
    """The queue of the test's parameter, in this process as in the worker's."""
    if request.param == "rq":
        request.getfixturevalue("rq_queue")
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return request.param


def import_killed_in_the_middle(tmp_path, queue: str, secretariat_user) -> ImportJob:
    """A confirmed import of ROWS rows, whose worker is killed once it has started."""
    meeting = MeetingFactory(number=1)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=secretariat_user,
            confirmed_by=secretariat_user,
            confirmed_at=timezone.now(),
            model_label="meetings.participation",
            resource_path="meetings.attendance.resources.ParticipantResource",
            input_format="csv",
            file_name="participants.csv",
            data=participants_csv(meeting.slug, ROWS),
            status=ImportJobStatus.IMPORTING,
            queued_at=timezone.now(),
            attempts=1,
        )
        from anso.background.imports import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))

    worker = start_worker(tmp_path, queue)
    try:
        wait_until(lambda: ImportJob.objects.filter(pk=job.pk, started_at__isnull=False).exists())
        time.sleep(1.5)  # in the middle of the rows
        job.refresh_from_db()
        assert job.status == ImportJobStatus.IMPORTING, "the import ended before the kill"
    finally:
        # The worker and what it forked: RQ's work horse runs the job in a process group of
        # its own, so the group of the worker alone would leave it running.
        for pid in [*children_of(worker.pid), worker.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait()
    return job


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


@pytest.mark.parametrize("queue_of", ["database", "rq"], indirect=True)
def test_import_whose_worker_was_killed_is_finished_by_the_next_worker(
    queue_of, tmp_path, settings, secretariat_user
):
    job = import_killed_in_the_middle(tmp_path, queue_of, secretariat_user)
    # All or nothing: the killed run saved nothing, not even the people it created first.
    assert Participation.objects.count() == 0
    assert Person.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportJobStatus.IMPORTING

    settings.IMPORT_JOB_STALE_SECONDS = 0
    # The upkeep skips a row another connection locks (a live run): the killed worker's lock
    # lasts until the database server notices its connection is gone, which a busy machine
    # may take a moment to do. Until then the upkeep changes nothing.
    wait_until(lambda: upkeep_run()["imports.recover"] == 1, seconds=30)
    run_worker_until_empty(tmp_path, queue_of)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.errors
    assert (job.new, job.attempts) == (ROWS, 2)
    assert Participation.objects.count() == ROWS
    assert Person.objects.count() == ROWS


@pytest.mark.parametrize("queue_of", ["database"], indirect=True)
def test_import_whose_worker_was_killed_with_no_attempt_left_fails_and_offers_to_try_again(
    queue_of, tmp_path, settings, secretariat_user, secretariat_client
):
    job = import_killed_in_the_middle(tmp_path, queue_of, secretariat_user)
    settings.IMPORT_JOB_STALE_SECONDS = 0
    settings.IMPORT_JOB_ATTEMPTS = 1
    assert upkeep_run()["imports.recover"] == 1

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert Participation.objects.count() == 0
    content = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "The background worker stopped before this step ended, 1 times" in content
    assert f'action="{job.get_absolute_url()}retry/"' in content
