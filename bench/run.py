"""Benchmark the site as it runs in production: gunicorn + PostgreSQL, public pages and admin
changelists under concurrent load, beside a bare Django view as the floor. See
docs/performance.md.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/anso_bench \
        --generate --scale 1

Everything stays on 127.0.0.1; each page is driven for a fixed time with a bounded number of
requests. Prints per page: requests/s, p50/p95/p99 latency, errors, SQL queries per request
(an uncached render, measured in-process with CaptureQueriesContext) and the throughput as a
ratio to the floor (a view that returns two bytes through the same middleware, gunicorn
and WSGI: `/bench/floor`, on with `DJANGO_BENCH_FLOOR`); then the bytes each page travels in
each encoding and the peak memory (VmHWM) of a gunicorn worker. `--soak 120` adds a
two-minute mixed run: readers plus writers submitting the public forms that exist.
"""

import argparse
import contextlib
import datetime
import html.parser
import http.client
import itertools
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

#: URL names the calendar feed may have; the first that resolves is benchmarked.
CALENDAR_NAMES = (
    "meetings:calendar",
    "meetings:calendar_feed",
    "meetings:ical",
    "meetings:meeting_calendar",
    "meetings:feed",
)
PUBLIC_TARGET_P95_MS = 100
#: The API's list endpoints, benchmarked beside the public pages; each label begins with "api",
#: so that `--only api` measures them alone (with the floor and /healthz).
API_LISTS = (
    ("api meetings", "api:meeting-list"),
    ("api actions", "api:action-list"),
    ("api organizations", "api:organization-list"),
    ("api people", "api:person-list"),
    ("api working group", "api:working-group-list"),
    ("api attendance", "api:attendance-list"),
)
#: A meeting with at least this many agenda items is benchmarked as a programme page.
PROGRAMME_MIN_ITEMS = 100
ADMIN_TARGET_P95_MS = 500


@dataclass
class Result:
    label: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    queries: int | None = None
    admin: bool = False

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))
        return ordered[index] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


# --- environment and Django


def production_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL=env.get("SITE_URL") or "http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=args.database_url,
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL="console",  # no SMTP server here; mail goes to the server log
        DJANGO_PAGE_CACHE="false" if args.no_page_cache else "true",
        DJANGO_BENCH_FLOOR="true",
        SEARCH_RATE_PER_MINUTE="100000000",  # one client address drives every search
        API_RATE_LIMIT="100000000",  # and every request to the API
        GUNICORN_MAX_REQUESTS="100000000",  # no recycling: measure a worker's real peak
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="",
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
        env["DJANGO_CACHE_PREFIX"] = f"anso-bench-{secrets.token_hex(4)}"
    else:
        env.pop("REDIS_URL", None)
    return env


def setup_django(env):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    import django

    django.setup()


def discover_targets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from django.contrib import admin
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting
    from members.models import Organization, Person

    public: list[tuple[str, str]] = [("floor (bare view)", reverse("bench_floor"))]
    public.append(("/healthz", reverse("healthz")))

    def add(label, name, *args, query=""):
        try:
            public.append((label, reverse(name, args=args) + query))
        except NoReverseMatch:
            print(f"  (no {name}: skipped)")

    big = (
        Meeting.objects.published()
        .annotate(n=Count("participations"))
        .order_by("-n")
        .select_related("body")
        .only("slug", "start_date", "body__slug")
        .first()
    )
    organization = (
        Organization.objects.annotate(n=Count("people")).order_by("-n").only("slug").first()
    )
    person = Person.objects.filter(participations__isnull=False).only("slug").first()
    add("home", "home")
    add("meetings", "meetings:meeting_list")
    if big:
        year = big.start_date.year
        add("meetings ?year", "meetings:meeting_list", query=f"?year={year}")
        add(
            "meetings ?body&page=last",
            "meetings:meeting_list",
            query=f"?body={big.body.slug}&page=last",
        )
        public.append((f"meeting ({big.n:,} participants)", big.get_absolute_url()))
    # The meetings with the longest programmes (generate_scale_data makes 200 and 1,000 items).
    programmes = (
        Meeting.objects.published()
        .annotate(items=Count("sessions__items"))
        .filter(items__gte=PROGRAMME_MIN_ITEMS)
        .order_by("items")
        .only("slug", "start_date")
    )
    for meeting in programmes[:2]:
        public.append((f"programme ({meeting.items:,} items)", meeting.get_absolute_url()))
    add("working group", "members:working_group")
    add("organizations", "members:organization_list")
    if organization:
        public.append(
            (f"organization ({organization.n:,} people)", organization.get_absolute_url())
        )
    if person:
        public.append(("person", person.get_absolute_url()))
    add("action plan", "meetings:action_list")
    # Site search (docs/search.md): English words (full text), two Chinese characters
    # (bigrams), a later page of one kind, and a common family name (10,000 people at
    # scale 1, each tested for a public page). Never kept by the page cache.
    add("search (English words)", "search:search", query="?q=future+action")
    add("search (Chinese, 2 characters)", "search:search", query="?q=%E4%BC%9A%E8%AE%AE")
    add("search (agenda items, page 2)", "search:search", query="?q=item&kind=agenda&page=2")
    add("search (a common name)", "search:search", query="?q=wang")
    for name in CALENDAR_NAMES:
        try:
            public.append(("calendar feed", reverse(name)))
            break
        except NoReverseMatch:
            continue
    else:
        print("  (no calendar feed URL on this build: skipped)")
    # The JSON API's lists (docs/api.md), a first page of 50 each; the page cache leaves
    # /api/ alone, so every request is a render.
    for label, name in API_LISTS:
        add(label, name)

    changelists = []
    for model in admin.site._registry:
        if model._meta.app_label in {"axes", "otp_totp", "sessions"}:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        changelists.append((f"admin {model._meta.verbose_name_plural}", reverse(name)))
    changelists.sort()
    return public, changelists


def in_languages(public: list[tuple[str, str]], languages: list[str]) -> list[tuple[str, str]]:
    """Each public page (found in English) in each of `languages`; unprefixed paths (the health
    check) once."""
    from django.urls import translate_url

    targets = []
    for label, path in public:
        translated = [(code, translate_url(path, code)) for code in languages]
        if all(url == path for _code, url in translated) or languages == ["en"]:
            targets.append((label, path))
            continue
        targets.extend((f"{label} [{code}]", url) for code, url in translated)
    return targets


def bench_user_session() -> tuple[str, object]:
    """A superuser with a verified second factor, and a session cookie for it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from anso.admin import HAS_DEVICE_SESSION_KEY

    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password(secrets.token_urlsafe(20))
    user.save()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAS_DEVICE_SESSION_KEY] = True
    session.create()
    return session.session_key, user


def count_queries(targets, admin_targets, session_key) -> dict[str, int]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    anonymous = Client()
    staff = Client()
    staff.cookies[settings.SESSION_COOKIE_NAME] = session_key
    for clients, items in ((anonymous, targets), (staff, admin_targets)):
        for _label, path in items:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = clients.get(path)
            counts[path] = len(captured) if response.status_code == 200 else -response.status_code
    return counts


# --- gunicorn


def start_gunicorn(env, port, workers, log_path) -> subprocess.Popen:
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}")
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn)
        [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "anso.wsgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=open(log_path, "w"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def peak_memory_kb(pids) -> int:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak


# --- load generation


#: What the load generator accepts, as a browser does (`--accept-encoding`).
ACCEPT_ENCODING = {"value": "gzip, deflate, br"}


def request(port, path, *, method="GET", cookie="", body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Host": "127.0.0.1", "Accept-Encoding": ACCEPT_ENCODING["value"]}
        if cookie:
            all_headers["Cookie"] = cookie
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
        response.payload = payload
        return response.status, response
    finally:
        connection.close()


def drive(port, label, path, *, duration, concurrency, max_requests, cookie="") -> Result:
    result = Result(label=label, path=path)
    lock = threading.Lock()
    budget = itertools.count()
    stop_at = time.monotonic() + duration

    def worker():
        while time.monotonic() < stop_at and next(budget) < max_requests:
            started = time.perf_counter()
            try:
                status, _ = request(port, path, cookie=cookie)
            except OSError:
                status = 0
            took = time.perf_counter() - started
            with lock:
                result.latencies.append(took)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status != 200:
                    result.errors += 1

    request(port, path, cookie=cookie)  # warm: the first render fills the page cache
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - started
    return result


# --- soak: readers and writers


class FormParser(html.parser.HTMLParser):
    """The fields of the first POST form of a page: name -> (tag, type, value, options)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, dict] = {}
        self.in_form = False
        self.done = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        if tag in {"input", "textarea"} and attrs.get("name"):
            if attrs["name"] in self.fields and attrs.get("type") == "radio":
                return  # keep the first choice of a radio group
            self.fields[attrs["name"]] = {
                "type": attrs.get("type", tag),
                "value": attrs.get("value", ""),
            }
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.fields[self.select] = {
                "type": "select",
                "value": "",
                "options": [],
                "required": "required" in attrs,
            }
        elif tag == "option" and self.select and attrs.get("value"):
            self.fields[self.select]["options"].append(attrs["value"])
            if "selected" in attrs:
                self.fields[self.select]["value"] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


#: Values for the public forms' fields; anything else keeps its default or first option.
#: Honeypot fields (`website`) stay empty.
def form_values(n: int) -> dict[str, str]:
    return {
        "given_name": "Soak",
        "family_name": f"Tester {n}",
        "email": f"soak.{n}.{secrets.token_hex(3)}@example.org",
        "job_title": "Deputy Director",
        "organization_name": "Soak Test Institute",
        "submitter_name": "Soak Submitter",
        "submitter_email": f"soak.submitter.{n}@example.org",
        "submitter_role": "Representative",
        "phone": "",
        "consent_to_publish": "on",
        "country": "KE",
        "website": "",
    }


def submit_form(port, path, n) -> tuple[int, str | None]:
    """GET the form (for its CSRF cookie and token), fill it, POST it. Returns the status and
    the email submitted."""
    status, response = request(port, path)
    if status != 200:
        return status, None
    cookies = [
        header.split(";", 1)[0]
        for key, header in response.getheaders()
        if key.lower() == "set-cookie"
    ]
    parser = FormParser()
    parser.feed(response.payload.decode("utf-8", "replace"))
    values = form_values(n)
    data = {}
    for name, spec in parser.fields.items():
        if spec["type"] in {"submit", "button"}:
            continue
        if name in values:
            if spec["type"] == "checkbox" and not values[name]:
                continue
            data[name] = values[name]
        elif spec["type"] == "select":
            # The selected option; else the first if a choice is required, else none.
            first = spec["options"][0] if spec["options"] and spec["required"] else ""
            data[name] = spec["value"] or first
        elif spec["type"] == "checkbox":
            continue
        else:
            data[name] = spec["value"]
    status, _ = request(
        port,
        path,
        method="POST",
        cookie="; ".join(cookies),
        body=urllib.parse.urlencode(data),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": path},
    )
    return status, data.get("email")


def soak(port, reader_paths, writer_paths, *, duration, readers, writers):
    stop_at = time.monotonic() + duration
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    accepted: dict[str, list[str]] = {}
    counter = itertools.count()

    def reader():
        rng = random.Random()
        while time.monotonic() < stop_at:
            try:
                status, _ = request(port, rng.choice(reader_paths))
            except OSError:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    def writer(kind, path):
        while time.monotonic() < stop_at:
            try:
                status, email = submit_form(port, path, next(counter))
            except OSError:
                status, email = 0, None
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status in (301, 302, 303) and email:
                    accepted.setdefault(kind, []).append(email)
            time.sleep(0.05)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for kind, path in writer_paths:
        threads += [threading.Thread(target=writer, args=(kind, path)) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, accepted


def page_cookies(response) -> list[str]:
    return [
        header.split(";", 1)[0]
        for key, header in response.getheaders()
        if key.lower() == "set-cookie"
    ]


@dataclass
class MixedReport:
    results: dict[str, Result]
    cache: dict[str, int]
    writes: dict[str, dict[int, int]]
    accepted: dict[str, list[str]]
    #: (monotonic start, seconds) of every read answered 200, and the times of the admin edits.
    reads: list[tuple[float, float]]
    edits: list[float]


def mixed(port, reader_targets, *, duration, readers, check_in, registration, edit):
    """Readers over every public page while the Secretariat works: a check-in every half
    second (`check_in`: (path, csrf cookie and token, participation pks)), a registration
    every 5 s (`registration`: the form's path) and an admin edit every 10 s (`edit`: a
    callable saving a record). Latency per page, statuses of the writes, the X-Page-Cache
    header of every read."""
    stop_at = time.monotonic() + duration
    lock = threading.Lock()
    results = {path: Result(label=label, path=path) for label, path in reader_targets}
    cache: dict[str, int] = {}
    writes: dict[str, dict[int, int]] = {}
    accepted: dict[str, list[str]] = {}
    reads: list[tuple[float, float]] = []
    edits: list[float] = []
    counter = itertools.count()

    def reader():
        rng = random.Random()
        while time.monotonic() < stop_at:
            _label, path = rng.choice(reader_targets)
            at = time.monotonic()
            started = time.perf_counter()
            try:
                status, response = request(port, path)
                state = response.getheader("X-Page-Cache") or "none"
            except OSError:
                status, state = 0, "error"
            elapsed = time.perf_counter() - started
            with lock:
                result = results[path]
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(elapsed)
                    reads.append((at, elapsed))
                else:
                    result.errors += 1
                cache[state] = cache.get(state, 0) + 1

    def record(kind, status, email=None):
        with lock:
            writes.setdefault(kind, {})
            writes[kind][status] = writes[kind].get(status, 0) + 1
            if status in (301, 302, 303) and email:
                accepted.setdefault(kind, []).append(email)

    def every(interval, kind, write):
        next_at = time.monotonic()
        while time.monotonic() < stop_at:
            try:
                write()
            except OSError:
                record(kind, 0)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))

    def tap():
        path, cookie, token, pks = check_in
        n = next(counter)
        pk = pks[(n // 2) % len(pks)]
        status, _ = request(
            port,
            f"{path}{pk}/",
            method="POST",
            cookie=cookie,
            body=urllib.parse.urlencode({"action": "undo" if n % 2 else "check_in"}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": token,
                "X-Requested-With": "fetch",
            },
        )
        record("check-in", status)

    def register():
        status, email = submit_form(port, registration, 100_000 + next(counter))
        record("registration", status, email)

    def admin_edit():
        edit()
        edits.append(time.monotonic())
        record("admin edit", 200)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    if check_in:
        threads.append(threading.Thread(target=every, args=(0.5, "check-in", tap)))
    if registration:
        threads.append(threading.Thread(target=every, args=(5.0, "registration", register)))
    if edit:
        threads.append(threading.Thread(target=every, args=(10.0, "admin edit", admin_edit)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results.values():
        result.elapsed = time.monotonic() - started
    return MixedReport(
        results=results, cache=cache, writes=writes, accepted=accepted, reads=reads, edits=edits
    )


def mixed_writers(port, session_key) -> tuple[tuple | None, str | None, object]:
    """The mixed run's writers: the check-in page of the meeting with the most participants
    (its path, the staff cookies and CSRF token, the participations to tap), the registration
    form of the next meeting, and an edit of an organization saved as the admin saves it."""
    from django.conf import settings
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from meetings.attendance.models import ParticipationStatus
    from meetings.models import Meeting
    from members.models import Organization

    check_in = None
    big = Meeting.objects.annotate(n=Count("participations")).order_by("-n").first()
    if big:
        try:
            kwargs = {"year": big.start_date.year, "slug": big.slug}
            page = reverse("meetings:check_in", kwargs=kwargs)
        except NoReverseMatch:
            page = None
        if page:
            cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
            status, response = request(port, page, cookie=cookie)
            parser = FormParser()
            parser.feed(response.payload.decode("utf-8", "replace"))
            token = parser.fields.get("csrfmiddlewaretoken", {}).get("value", "")
            cookies = "; ".join([cookie, *page_cookies(response)])
            registered = big.participations.filter(status=ParticipationStatus.REGISTERED)
            pks = list(registered.order_by("pk").values_list("pk", flat=True)[:200])
            if status == 200 and token and pks:
                check_in = (page, cookies, token, pks)
    registration = dict(writer_targets()).get("registration")
    organization = Organization.objects.order_by("pk").first()

    def edit():
        organization.short_name = f"SO-{secrets.token_hex(2)}"
        organization.save()

    return check_in, registration, edit if organization else None


def writer_targets() -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting

    targets = []
    with contextlib.suppress(NoReverseMatch):
        targets.append(("nomination", reverse("members:nomination_create")))
    from django.utils import timezone

    upcoming = Meeting.objects.published().filter(start_date__gt=timezone.localdate())
    meeting = upcoming.order_by("start_date").first()
    if meeting:
        kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
        with contextlib.suppress(NoReverseMatch):
            targets.append(("registration", reverse("meetings:registration_create", kwargs=kwargs)))
            open_registration(meeting)
    return targets


def open_registration(meeting) -> None:
    """Open a registration window for the soak's meeting (in the benchmark database only)."""
    from django.apps import apps
    from django.utils import timezone

    window_model = apps.get_model("meetings", "RegistrationWindow")
    now = timezone.now()
    window_model.objects.update_or_create(
        meeting=meeting,
        defaults={
            "opens_at": now - datetime.timedelta(hours=1),
            "closes_at": now + datetime.timedelta(days=7),
            "capacity": None,
        },
    )


def check_accepted(accepted: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    from django.apps import apps

    found = {}
    for kind, emails in accepted.items():
        if kind == "nomination":
            model, lookup = apps.get_model("members", "Nomination"), "email__in"
        else:
            model, lookup = apps.get_model("meetings", "Participation"), "person__email__in"
        in_db = model.objects.filter(**{lookup: emails}).count()
        found[kind] = (len(set(emails)), in_db)
    return found


# --- main


def mean_latency(result: Result) -> float:
    return sum(result.latencies) / len(result.latencies) if result.latencies else 0.0


def print_table(results, floor: Result | None, peak_kb, markdown, *, mixed=False):
    """One row per page. "x floor" is the page's rate as a share of the floor's, measured in
    the same run: requests/s when each page is driven alone; in the mixed run, where readers
    pick pages at random and every page gets about as many requests, the inverse of the mean
    latency (the rate one reader would reach on that page under the same load)."""
    header = ["page", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "queries", "x floor"]
    rows = []
    for r in results:
        queries = "?" if r.queries is None else ("-" if r.queries < 0 else str(r.queries))
        if floor is None:
            ratio = 0.0
        elif mixed:
            ratio = mean_latency(floor) / mean_latency(r) if mean_latency(r) else 0.0
        else:
            ratio = r.rps / floor.rps if floor.rps else 0.0
        target = ADMIN_TARGET_P95_MS if r.admin else PUBLIC_TARGET_P95_MS
        flag = "" if r.percentile(95) <= target and not r.errors else " !"
        rows.append(
            [
                r.label + flag,
                f"{r.rps:.0f}",
                f"{r.percentile(50):.1f}",
                f"{r.percentile(95):.1f}",
                f"{r.percentile(99):.1f}",
                str(r.errors),
                queries,
                f"{ratio:.2f}",
            ]
        )
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x) for x in column) for column in zip(header, *rows, strict=True)]
        for row in [header, *rows]:
            print(
                "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
    if peak_kb:
        print(f"\npeak memory of a gunicorn worker (VmHWM): {peak_kb / 1024:.0f} MiB")
    print(
        f"'!' marks a page over its p95 target ({PUBLIC_TARGET_P95_MS} ms public, "
        f"{ADMIN_TARGET_P95_MS} ms admin) or with errors."
    )


#: The encodings whose bytes are reported, as a client asks for each.
SIZE_ENCODINGS = {"br": "br", "gzip": "gzip", "none": "identity"}


def measure_sizes(port, targets) -> list[tuple[str, dict[str, int]]]:
    """The bytes of each page's body in each encoding (the second request: from the cache when
    it is on), and the Content-Encoding the server chose."""
    sizes = []
    for label, path in targets:
        row = {}
        for name, accept in SIZE_ENCODINGS.items():
            request(port, path, headers={"Accept-Encoding": accept})
            status, response = request(port, path, headers={"Accept-Encoding": accept})
            sent = response.getheader("Content-Encoding") or "none"
            row[name] = len(response.payload) if status == 200 and sent == name else -1
        sizes.append((label, row))
    return sizes


def print_sizes(sizes, markdown) -> None:
    header = ["page", *(f"{name} bytes" for name in SIZE_ENCODINGS)]
    rows = [
        [label, *(f"{row[name]:,}" if row[name] >= 0 else "-" for name in SIZE_ENCODINGS)]
        for label, row in sizes
    ]
    print("\nbytes each page travels, per Content-Encoding ('-': not sent in that encoding):")
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(x) for x in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def print_mixed(report: MixedReport, queries, peak_kb, markdown) -> int:
    """The mixed run's table (per page), the writes, the cache hit ratio; 1 on any error, any
    5xx or an accepted registration missing from the database."""
    results = list(report.results.values())
    for result in results:
        result.queries = queries.get(result.path)
    print()
    print_table(results, results[0] if results else None, peak_kb, markdown, mixed=True)
    failed = any(r.errors for r in results)
    for kind, statuses in report.writes.items():
        print(f"mixed: {kind}: statuses {dict(sorted(statuses.items()))}")
        failed |= any(status >= 500 or status == 0 for status in statuses)
    # "stale": the previous copy, served while another worker renders the page again.
    cached = report.cache.get("hit", 0) + report.cache.get("stale", 0)
    misses = report.cache.get("miss", 0)
    ratio = cached / (cached + misses) if cached + misses else 0
    print(
        f"mixed: page cache {dict(sorted(report.cache.items()))}, "
        f"answered from the cache (hit or stale) {ratio:.1%}"
    )
    after = [s for at, s in report.reads if any(0 <= at - e < 2 for e in report.edits)]
    for label, sample in (("all reads", [s for _at, s in report.reads]), ("reads within 2 s "
                          "after an admin edit", after)):  # fmt: skip
        if sample:
            spread = Result(label=label, path="", latencies=sample)
            print(
                f"mixed: {label}: {len(sample)}, p50 {spread.percentile(50):.1f} ms, "
                f"p95 {spread.percentile(95):.1f} ms, p99 {spread.percentile(99):.1f} ms, "
                f"max {max(sample) * 1000:.1f} ms"
            )
    for kind, (submitted, in_db) in check_accepted(report.accepted).items():
        print(f"mixed: {kind}: {submitted} accepted, {in_db} in the database")
        failed |= in_db != submitted
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL (127.0.0.1)")
    parser.add_argument("--generate", action="store_true", help="migrate and generate data first")
    parser.add_argument("--scale", type=float, default=1.0, help="generate_scale_data --scale")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per page")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: conf)")
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="split each page's --duration into this many turns, taken in turn with the "
        "other pages, so that a change of the machine's load falls on every page alike",
    )
    parser.add_argument("--redis", default="", help="REDIS_URL for the cache (default: none)")
    parser.add_argument("--no-page-cache", action="store_true", help="measure raw renders")
    parser.add_argument("--no-admin", action="store_true", help="skip admin changelists")
    parser.add_argument(
        "--languages",
        default="en",
        help="public pages in these languages, comma-separated (e.g. en,zh-hans)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the pages whose label contains TEXT (repeatable; the floor and /healthz "
        "always)",
    )
    parser.add_argument("--soak", type=float, default=0, help="seconds of mixed read/write load")
    parser.add_argument(
        "--mixed",
        type=float,
        default=0,
        metavar="SECONDS",
        help="instead of one page at a time: readers over all public pages while check-ins, "
        "registrations and admin edits arrive (at most 600 s)",
    )
    parser.add_argument(
        "--server-log", default=os.path.join(tempfile.gettempdir(), "anso-bench-gunicorn.log")
    )
    parser.add_argument(
        "--accept-encoding",
        default=ACCEPT_ENCODING["value"],
        help="the Accept-Encoding header of every request (default: as a browser sends)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL")
    if "127.0.0.1" not in args.database_url and "localhost" not in args.database_url:
        parser.error("the benchmark only talks to 127.0.0.1")
    args.soak = min(args.soak, 600)
    ACCEPT_ENCODING["value"] = args.accept_encoding
    args.mixed = min(args.mixed, 600)

    env = production_env(args)
    setup_django(env)
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    if args.generate:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("generate_scale_data", scale=args.scale)
    call_command("collectstatic", verbosity=0, interactive=False)

    print("Finding pages...")
    public, changelists = discover_targets()
    public = in_languages(public, args.languages.split(","))
    if args.no_admin:
        changelists = []
    if args.only:
        wanted = [text.lower() for text in args.only]

        def chosen(label):
            return any(text in label.lower() for text in wanted)

        public = public[:2] + [(label, path) for label, path in public[2:] if chosen(label)]
        changelists = [(label, path) for label, path in changelists if chosen(label)]
    session_key, _user = bench_user_session()
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    print("Counting queries (uncached renders)...")
    queries = count_queries(public, changelists, session_key)

    print(f"Starting gunicorn on 127.0.0.1:{args.port}...")
    server = start_gunicorn(env, args.port, args.workers, args.server_log)
    print(f"  server log: {args.server_log}")
    peak = {"kb": 0}
    watching = threading.Event()

    def watch_memory():
        while not watching.is_set():
            peak["kb"] = max(peak["kb"], peak_memory_kb(worker_pids(server.pid)))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch_memory, daemon=True)
    watcher.start()
    results = []
    mixed_report = None
    sizes = []
    try:
        sizes = measure_sizes(args.port, public[2:])
        if args.mixed:
            check_in, registration, edit = mixed_writers(args.port, session_key)
            print(
                f"Mixed run for {args.mixed:.0f} s: {args.concurrency} readers, check-ins "
                f"{'2/s' if check_in else 'none'}, a registration every 5 s "
                f"{'' if registration else '(none on this build)'}, an admin edit every 10 s",
                flush=True,
            )
            mixed_report = mixed(
                args.port,
                public,
                duration=args.mixed,
                readers=args.concurrency,
                check_in=check_in,
                registration=registration,
                edit=edit,
            )
        measured: dict[str, Result] = {}
        for round_number in range(1, args.rounds + 1):
            for label, path in [] if args.mixed else public + changelists:
                is_admin = path.startswith("/admin/")
                print(f"  {label}: {path} (round {round_number})", flush=True)
                part = drive(
                    args.port,
                    label,
                    path,
                    duration=args.duration / args.rounds,
                    concurrency=args.concurrency,
                    max_requests=args.max_requests // args.rounds,
                    cookie=cookie if is_admin else "",
                )
                result = measured.setdefault(path, Result(label=label, path=path))
                result.latencies += part.latencies
                result.errors += part.errors
                for status, count in part.statuses.items():
                    result.statuses[status] = result.statuses.get(status, 0) + count
                result.elapsed += part.elapsed
                result.queries = queries.get(path)
                result.admin = is_admin
        results = list(measured.values())
        soak_report = None
        if args.soak:
            writers = writer_targets()
            print(
                f"Soak for {args.soak:.0f} s: readers {max(1, args.concurrency - 2)}, "
                f"writers {[kind for kind, _ in writers] or 'none on this build'}",
                flush=True,
            )
            statuses, accepted = soak(
                args.port,
                [path for _label, path in public],
                writers,
                duration=args.soak,
                readers=max(1, args.concurrency - 2),
                writers=1,
            )
            soak_report = (statuses, accepted, check_accepted(accepted))
    finally:
        watching.set()
        watcher.join()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    if mixed_report:
        return print_mixed(mixed_report, queries, peak["kb"], args.markdown)
    print()
    print_table(results, results[0] if results else None, peak["kb"], args.markdown)
    if sizes:
        print_sizes(sizes, args.markdown)
    failed = any(r.errors for r in results)
    if soak_report:
        statuses, accepted, found = soak_report
        five_xx = sum(count for status, count in statuses.items() if status >= 500)
        total = sum(statuses.values())
        print(f"\nsoak: {total:,} requests, statuses {dict(sorted(statuses.items()))}")
        print(f"soak: 5xx responses: {five_xx}")
        for kind, (submitted, in_db) in found.items():
            print(f"soak: {kind}: {submitted} accepted, {in_db} in the database")
            failed |= in_db != submitted
        failed |= five_xx > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
