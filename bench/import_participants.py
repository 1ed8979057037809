"""Benchmark: import 5,000 participant rows as the admin does (preview, then confirm).

Runs against a throw-away SQLite database unless DATABASE_URL is set (then that database is
used and the rows are left in it: point it at a scratch database).

    .venv/bin/python bench/import_participants.py [rows]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = None
if "DATABASE_URL" not in os.environ:
    scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run (the settings default to off)
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import io  # noqa: E402

from django.core.management import call_command  # noqa: E402
from import_export.formats.base_formats import CSV  # noqa: E402

from meetings.attendance.models import Participation  # noqa: E402
from meetings.attendance.resources import ParticipantResource  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from members.models import Body, BodyKind, Organization  # noqa: E402

COUNTRIES = ["CN", "KE", "PK", "TH", "RU", "NG", "BR", "IT", "LK", "NP", "MN", "GH", "BD", "KZ"]


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    alliance, _ = Organization.objects.get_or_create(
        name="Alliance of International Science Organizations", defaults={"short_name": "ANSO"}
    )
    body, _ = Body.objects.get_or_create(
        organization=alliance, kind=BodyKind.WORKING_GROUP, defaults={"name": "ANSO Working Group"}
    )
    number = (Meeting.objects.filter(body=body).count() or 0) + 100
    meeting = Meeting.objects.create(
        body=body,
        number=number,
        start_date=datetime.date(2030, 5, 13),
        end_date=datetime.date(2030, 5, 14),
        is_published=True,
    )
    for n in range(50):
        Organization.objects.get_or_create(
            name=f"Bench Organization {n}", defaults={"short_name": f"BO{n}"}
        )
    out = io.StringIO()
    out.write(
        "meeting,email,honorific,given_name,family_name,organization,country,capacity,"
        "status,listed_publicly\n"
    )
    for n in range(rows):
        out.write(
            f"{meeting.slug},bench{number}.{n}@example.org,Dr.,Given{n},Family{n},"
            f"BO{n % 50},{COUNTRIES[n % len(COUNTRIES)]},delegate,registered,yes\n"
        )
    content = out.getvalue()

    started = time.perf_counter()
    dataset = CSV().create_dataset(content)
    preview = ParticipantResource().import_data(dataset, dry_run=True)
    preview_seconds = time.perf_counter() - started
    if preview.has_errors():
        raise SystemExit(f"preview failed: {preview.base_errors}")

    started = time.perf_counter()
    dataset = CSV().create_dataset(content)
    result = ParticipantResource().import_data(dataset, dry_run=False)
    confirm_seconds = time.perf_counter() - started
    if result.has_errors():
        raise SystemExit(f"import failed: {result.base_errors}")
    created = Participation.objects.filter(meeting=meeting).count()
    print(
        f"{rows} participant rows on {django.db.connection.vendor}: "
        f"preview {preview_seconds:.2f} s, import {confirm_seconds:.2f} s, "
        f"{created} participations created"
    )


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
    finally:
        if scratch is not None:
            os.unlink(scratch.name)
