"""Benchmark: the Secretariat invites 5,000 people to a meeting.

Measures (1) the composer's "Send" request, as the browser posts it (the test client through
the whole middleware stack): it picks the recipients, stores them and enqueues one task;
(2) the worker's side: writing the 5,000 personal mails (template, language, link, HTML part)
and handing them to the outbox; (3) the peak memory of that work. Sending them through an
SMTP server at the configured rate is the mail dispatcher's, measured by its own benchmark.

Runs against a throw-away SQLite file, or with `--postgres` against a PostgreSQL database
`anso_bench_invitations` on 127.0.0.1 that it creates and drops afterwards.

    .venv/bin/python bench/invitations.py [--people 5000] [--postgres]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_NAME = "anso_bench_invitations"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def psql(command: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", command],  # noqa: S607
        check=True,
    )


def main(people: int) -> None:
    import datetime
    import resource

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from meetings.attendance.models import RegistrationWindow
    from meetings.invitations.models import Mailing, MailingRecipient
    from meetings.invitations.services import mailing_deliver
    from meetings.models import Meeting
    from members.models import (
        Body,
        BodyKind,
        MembershipStatus,
        Organization,
        Person,
        Position,
        Role,
    )
    from members.roles import SECRETARIAT_GROUP

    call_command("migrate", verbosity=0)
    alliance = Organization.objects.create(name="Alliance (bench)", short_name="ANSO")
    body = Body.objects.create(
        organization=alliance, kind=BodyKind.WORKING_GROUP, name="ANSO Working Group"
    )
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Bench Organization {n}",
            short_name=f"BO{n}",
            slug=f"bench-organization-{n}",
            membership_status=MembershipStatus.MEMBER,
        )
        for n in range(200)
    )
    start = datetime.date(2020, 1, 1)
    persons = Person.objects.bulk_create(
        Person(
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            slug=f"bench-person-{n}",
            email=f"person{n}@bench.example.org",
            organization=organizations[n % len(organizations)],
            language="zh-hans" if n % 3 == 0 else "",
        )
        for n in range(people)
    )
    Position.objects.bulk_create(
        Position(
            person=person,
            role=Role.CONTACT_PERSON,
            body=body,
            appointed_by=person.organization,
            start_date=start,
        )
        for person in persons
    )
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        body=body,
        number=2,
        start_date=today + datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=61),
        venue="Bench Hotel",
        city="Beijing",
        is_published=True,
    )
    RegistrationWindow.objects.create(
        meeting=meeting,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    user = get_user_model().objects.create_user("bench-secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    client = Client()
    client.force_login(user)
    url = reverse(
        "meetings:invitation_compose",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )
    data = {
        "group": "working_group",
        "date": "",
        "subject_en": "Invitation: {meeting}, {dates}",
        "body_en": "Dear {name} of {organization},\n\nYou are invited to the {meeting}, "
        "{dates}, at {venue}.\n\nPlease register: {link}\n",
        "subject_zh_hans": "邀请:{meeting}",
        "body_zh_hans": "尊敬的{name}:\n\n诚邀您出席{meeting}({dates},{venue})。\n\n{link}\n",
        "send": "1",
    }

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.post(url, data)
        request_seconds = time.perf_counter() - began
    if response.status_code != 302:
        raise SystemExit(f"the send request answered {response.status_code}")
    mailing = Mailing.objects.get()
    recipients = MailingRecipient.objects.filter(mailing=mailing).count()
    if recipients != people:
        raise SystemExit(f"{recipients} recipients stored, not {people}")

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    written = mailing_deliver(mailing_id=mailing.pk)
    worker_seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if written != people:
        raise SystemExit(f"{written} mails written, not {people}")

    print(f"database: {connection.vendor}")
    print(f"send request: {request_seconds:.2f} s for {people} recipients ({len(queries)} queries)")
    print(
        f"worker, writing the mails: {worker_seconds:.2f} s ({people / worker_seconds:.0f} mails/s)"
    )
    print(
        f"peak memory of the process: {peak / 1024:.0f} MB "
        f"(before the worker: {before / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    scratch = None
    if args.postgres:
        psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        psql(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run (the settings default to off)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    try:
        main(args.people)
    finally:
        from django.db import connections

        connections.close_all()
        if args.postgres:
            psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        elif scratch is not None:
            Path(scratch.name).unlink(missing_ok=True)
