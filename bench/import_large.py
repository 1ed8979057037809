"""Benchmark: large spreadsheet imports through the worker's code path.

Generates a participants file (50,000 CSV rows and 20,000 XLSX rows by default), stores it in
an ImportJob as the admin does, and runs `import_job_run` twice, as the worker does: the check
(a dry run), then the import. Each file runs in a process of its own, so that the peak memory
printed (the process's peak resident set) is that file's.

Runs against a throw-away SQLite database unless DATABASE_URL is set (then that database is
used and the rows are left in it: point it at a scratch database).

    .venv/bin/python bench/import_large.py [--csv-rows 50000] [--xlsx-rows 20000]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["CN", "KE", "PK", "TH", "RU", "NG", "BR", "IT", "LK", "NP", "MN", "GH", "BD", "KZ"]
HEADERS = [
    "meeting",
    "email",
    "honorific",
    "given_name",
    "family_name",
    "organization",
    "country",
    "capacity",
    "status",
    "listed_publicly",
]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run (the settings default to off)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def rows_for(meeting_slug: str, tag: str, count: int):
    for n in range(count):
        yield [
            meeting_slug,
            f"bench.{tag}.{n}@example.org",
            "Dr.",
            f"Given{n}",
            f"Family{n}",
            f"BO{n % 50}",
            COUNTRIES[n % len(COUNTRIES)],
            "delegate",
            "registered",
            "yes",
        ]


def generate(fmt: str, meeting_slug: str, tag: str, count: int) -> bytes:
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows_for(meeting_slug, tag, count))
        return out.getvalue().encode()
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in rows_for(meeting_slug, tag, count):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_one(fmt: str, count: int) -> None:
    """One file in this process: generate, store as a job, check, import; print the figures."""
    setup_django()
    import datetime

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from anso.background.imports import import_job_confirm, import_job_create, import_job_run
    from anso.models import ImportJob, ImportJobStatus
    from meetings.attendance.models import Participation
    from meetings.models import Meeting
    from members.models import Body, BodyKind, Organization

    call_command("migrate", verbosity=0)
    alliance, _ = Organization.objects.get_or_create(
        name="Alliance of International Science Organizations", defaults={"short_name": "ANSO"}
    )
    body, _ = Body.objects.get_or_create(
        organization=alliance, kind=BodyKind.WORKING_GROUP, defaults={"name": "ANSO Working Group"}
    )
    number = Meeting.objects.filter(body=body).count() + 200
    meeting = Meeting.objects.create(
        body=body,
        number=number,
        start_date=datetime.date(2031, 5, 13),
        end_date=datetime.date(2031, 5, 14),
        is_published=True,
    )
    for n in range(50):
        Organization.objects.get_or_create(
            name=f"Bench Organization {n}", defaults={"short_name": f"BO{n}"}
        )
    user, _ = User.objects.get_or_create(username="bench-importer", defaults={"is_staff": True})

    data = generate(fmt, meeting.slug, f"{fmt}{number}", count)
    job = import_job_create(
        user=user,
        model_label="meetings.participation",
        resource_path="meetings.attendance.resources.ParticipantResource",
        input_format=fmt,
        file_name=f"bench.{fmt}",
        data=data,
    )
    started = time.perf_counter()
    status = import_job_run(job_pk=job.pk)
    check_seconds = time.perf_counter() - started
    if status != ImportJobStatus.CHECKED:
        raise SystemExit(f"check failed: {ImportJob.objects.get(pk=job.pk).errors[:5]}")

    import_job_confirm(job_pk=job.pk, model_label="meetings.participation")
    started = time.perf_counter()
    status = import_job_run(job_pk=job.pk)
    import_seconds = time.perf_counter() - started
    if status != ImportJobStatus.DONE:
        raise SystemExit(f"import failed: {ImportJob.objects.get(pk=job.pk).errors[:5]}")
    created = Participation.objects.filter(meeting=meeting).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count:>6} {fmt.upper():<4} rows ({len(data) / 1e6:.1f} MB) on {connection.vendor}: "
        f"check {check_seconds:.1f} s, import {import_seconds:.1f} s, "
        f"peak memory {peak_mb:.0f} MB, {created} participations created",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv-rows", type=int, default=50_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], int(args.one[1]))
        return

    env = dict(os.environ)
    scratch = None
    if "DATABASE_URL" not in env:
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        env["DATABASE_URL"] = f"sqlite:///{scratch.name}"
    try:
        for fmt, rows in (("csv", args.csv_rows), ("xlsx", args.xlsx_rows)):
            subprocess.run(  # noqa: S603 (this script, with its own arguments)
                [sys.executable, __file__, "--one", fmt, str(rows)], env=env, check=True
            )
    finally:
        if scratch is not None:
            os.unlink(scratch.name)


if __name__ == "__main__":
    main()
