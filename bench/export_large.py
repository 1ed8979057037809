"""Benchmark: a large admin export, in the request and as a job for the worker.

Fills a throw-away SQLite database (or DATABASE_URL's: point it at a scratch database) with
one meeting of `--rows` participations, then, as a Secretariat superuser through the admin's
export page, exports them as XLSX: once in the request (EXPORT_IN_REQUEST_MAX_ROWS above the
rows), once over the threshold, where the request stores an export job, and runs the job as
the worker does (`export_job_run`). Prints the seconds of each and the file's size.

    .venv/bin/python bench/export_large.py [--rows 20000]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_file: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database_file}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(database_file).parent / "media"))
    import django

    django.setup()


def fill(rows: int):
    import datetime

    from meetings.attendance.models import Participation
    from meetings.models import Meeting
    from members.models import Body, BodyKind, Organization, Person

    alliance, _ = Organization.objects.get_or_create(
        name="Alliance of International Science Organizations", defaults={"short_name": "ANSO"}
    )
    body, _ = Body.objects.get_or_create(
        organization=alliance, kind=BodyKind.WORKING_GROUP, defaults={"name": "ANSO Working Group"}
    )
    meeting = Meeting.objects.create(
        body=body,
        number=Meeting.objects.filter(body=body).count() + 300,
        start_date=datetime.date(2031, 5, 13),
        end_date=datetime.date(2031, 5, 14),
        is_published=True,
    )
    tag = meeting.number
    people = Person.objects.bulk_create(
        Person(
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            email=f"export.{tag}.{n}@example.org",
            country="KE",
            slug=f"export-{tag}-{n}",
        )
        for n in range(rows)
    )
    Participation.objects.bulk_create(
        Participation(meeting=meeting, person=person, country="KE", status="attended")
        for person in people
    )
    return meeting


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="anso-export-bench-")
    setup_django(str(Path(folder) / "db.sqlite3"))

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from anso.background.exports import export_job_run
    from anso.models import ExportJob

    setup_test_environment()  # the test client's hosts; nothing else changes
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    meeting = fill(args.rows)
    user, _ = User.objects.get_or_create(
        username="bench-exporter", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    url = reverse("admin:meetings_participation_export") + f"?meeting__id__exact={meeting.pk}"
    form = client.get(url).context["form"]
    [xlsx] = [value for value, title in form.fields["format"].choices if title == "xlsx"]
    data = {"format": str(xlsx), "resource": "0"}
    data |= {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "resource_index", None) == 0
    }

    settings.EXPORT_IN_REQUEST_MAX_ROWS = args.rows
    started = time.perf_counter()
    response = client.post(url, data)
    in_request = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"the export in the request answered {response.status_code}")

    settings.EXPORT_IN_REQUEST_MAX_ROWS = args.rows - 1
    started = time.perf_counter()
    queued = client.post(url, data)
    queue_request = time.perf_counter() - started
    if queued.status_code != 302:
        raise SystemExit(f"the export over the threshold answered {queued.status_code}")
    job = ExportJob.objects.latest("pk")
    started = time.perf_counter()
    status = export_job_run(job_pk=job.pk)
    worker = time.perf_counter() - started
    job.refresh_from_db()
    print(f"{args.rows} participations as XLSX ({len(response.content) / 1e6:.1f} MB)")
    print(f"  in the request:            {in_request:7.2f} s")
    print(f"  over the threshold, request: {queue_request:5.2f} s (the job's page follows)")
    print(f"  the worker's export_job_run: {worker:5.2f} s, {status}, {job.file.size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
