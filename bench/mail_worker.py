"""Benchmark: the mail worker sending a large batch through a real SMTP server.

Queues N mails (2,000 by default: plain text and HTML parts, an unsubscribe header, bulk) with
`anso.mail.sending.mails_queue`, as an announcement does, starts a local SMTP server (aiosmtpd) and
runs the real worker, `manage.py db_worker --batch` (until the queue is empty), with a rate high
enough not to hold it back. Prints the time to queue, the worker's mails per second and its
peak memory (the worker process's peak resident set, `ru_maxrss` from wait4), and checks that
the server received every mail once. `--workers 2` runs two workers at once (they split the
mail through `select_for_update(skip_locked=True)`).

Runs production settings (debug off, the database cache for the rate's counter) against the
database of DATABASE_URL or --database-url: point it at a scratch database, the mails are left
in it.

    .venv/bin/python bench/mail_worker.py \
        --database-url postgres://postgres@127.0.0.1:5432/anso_bench_mail [--mails 2000]
"""

import argparse
import email
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Counter:
    """An SMTP server's handler that counts what it accepts (and keeps the Message-IDs)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.message_ids: list[str] = []
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            now = time.monotonic()
            self.first = self.first or now
            self.last = now
            self.message_ids.append(message["Message-ID"])
        return "250 Message accepted for delivery"


def worker_env(args, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=args.database_url,
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        MAIL_RATE_PER_MINUTE=str(args.rate),
        DEFAULT_FROM_EMAIL="ANSO Secretariat <noreply@anso.example.org>",
    )
    env.pop("REDIS_URL", None)
    env.pop("TASKS_REDIS_URL", None)
    return env


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def queue_mails(count: int) -> float:
    """Store `count` mails with one call, as an announcement does; returns the seconds."""
    from anso.mail.sending import Mail, mails_queue

    line = "The working group meets in Beijing. 工作组在北京开会。"
    body = "Dear colleague,\n\n" + f"{line}\n" * 20
    html = "<p>Dear colleague,</p>" + f"<p>{line}</p>" * 20
    mails = [
        Mail(
            to=[f"Bench Person {n} <bench.{n}@example.org>"],
            subject=f"Announcement {n}: the working group meets",
            body=body,
            html=html,
            headers={"List-Unsubscribe": f"<https://anso.example.org/unsubscribe/{n}>"},
            bulk=True,
        )
        for n in range(count)
    ]
    start = time.perf_counter()
    mails_queue(mails)  # outside a transaction: the dispatcher task is enqueued at once
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rate", type=int, default=1_000_000, help="MAIL_RATE_PER_MINUTE")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL): a scratch database")

    from aiosmtpd.controller import Controller

    port = free_port()
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    env = worker_env(args, port)
    django_setup(env)
    from django.core.management import call_command

    from anso.models import OutgoingMail, OutgoingMailStatus

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    before = OutgoingMail.objects.filter(status=OutgoingMailStatus.SENT).count()
    queued_in = queue_mails(args.mails)
    print(f"queued {args.mails} mails in {queued_in:.2f} s (one mails_queue call)")

    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
    ]
    start = time.monotonic()
    workers = [
        subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - this interpreter, fixed args
        for _ in range(args.workers)
    ]
    peaks = []
    for worker in workers:
        _pid, status, usage = os.wait4(worker.pid, 0)
        worker.returncode = os.waitstatus_to_exitcode(status)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    elapsed = time.monotonic() - start
    controller.stop()

    sent = OutgoingMail.objects.filter(status=OutgoingMailStatus.SENT).count() - before
    received = len(counter.message_ids)
    smtp_span = (counter.last - counter.first) if received > 1 else float("nan")
    print(f"workers: {args.workers}, exit codes {[worker.returncode for worker in workers]}")
    print(f"sent (database): {sent}; received by the server: {received}")
    print(f"duplicates received: {received - len(set(counter.message_ids))}")
    print(f"worker run: {elapsed:.2f} s -> {sent / elapsed:.0f} mails/s (start-up included)")
    print(f"first to last mail: {smtp_span:.2f} s -> {received / smtp_span:.0f} mails/s")
    print("peak memory per worker: " + ", ".join(f"{peak:.0f} MB" for peak in peaks))


if __name__ == "__main__":
    main()
