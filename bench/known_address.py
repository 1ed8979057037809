"""Time the two forms that take an email address and must not tell whether it is known:
"Lost your link?" and the members' sign-in. Prints, per form, the median and 90th percentile
of the answer's time for a known and for an unknown address (the two alternate), and the
queries of one request each.

    .venv/bin/python bench/known_address.py [--repeat 200]

Runs in-process with one client, in production mode (debug off, the database queue: a request
only enqueues its task), on a throw-away SQLite database with the demo data. The rate limits
are emptied between requests, outside the timed part. Times are noisy on a shared machine:
compare runs made in the same minute.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per address")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="anso-known-address-")
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="known-address-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_PAGE_CACHE="false",
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        DJANGO_PROGRESS_DIR=f"{folder}/progress",
        DJANGO_SETTINGS_MODULE="anso.settings",
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("TASKS_REDIS_URL", None)
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from meetings.attendance.models import RegistrationWindow
    from meetings.attendance.services import RegistrantDetails, registration_submit
    from members.access import contact_persons_on

    for command in ("migrate", "createcachetable", "load_demo", "open_demo_registration"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    meeting = RegistrationWindow.objects.select_related("meeting").get().meeting
    registrant = registration_submit(
        meeting=meeting,
        details=RegistrantDetails(
            given_name="Amina",
            family_name="Okafor",
            email="amina.okafor@example.org",
            country="NG",
            organization_name="Lagos Institute of Sample Studies",
            capacity="guest",
            listed_publicly=False,
        ),
    ).participation
    forms = {
        "lost your link": (
            reverse(
                "meetings:registration_link_request",
                kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
            ),
            registrant.person.email,
        ),
        "members' sign-in": (
            reverse("members:member_sign_in"),
            contact_persons_on(timezone.localdate()).first().email,
        ),
    }
    client = Client()

    def post(url: str, email: str) -> float:
        caches["ratelimit"].clear()
        started = time.perf_counter()
        response = client.post(url, {"email": email})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 302:
            raise SystemExit(f"{url}: status {response.status_code}")
        return elapsed

    print(f"{'form':18} {'address':8} {'median ms':>10} {'p90 ms':>7} {'queries':>7}")
    for name, (url, known) in forms.items():
        addresses = {"known": known, "unknown": "nobody@example.org"}
        for email in addresses.values():
            post(url, email)  # what a first request does once
        queries = {}
        for label, email in addresses.items():
            caches["ratelimit"].clear()
            with CaptureQueriesContext(connection) as captured:
                client.post(url, {"email": email})
            queries[label] = len(captured)
        times = {label: [] for label in addresses}
        for _ in range(args.repeat):
            for label, email in addresses.items():
                times[label].append(post(url, email))
        for label, values in times.items():
            p90 = statistics.quantiles(values, n=10)[-1]
            print(
                f"{name:18} {label:8} {statistics.median(values):10.2f} {p90:7.2f} "
                f"{queries[label]:7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
