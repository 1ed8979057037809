"""Time single renders of public pages in-process, one client, no page cache: the render cost
of a page alone, without gunicorn or concurrency. See docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anso_bench \
        .venv/bin/python bench/render_once.py [--repeat 10] [--profile LABEL] [--only TEXT ...]

Finds the pages as `bench/run.py` does and prints, per page, the median and the best of
`--repeat` renders, the SQL queries of one render and the size of the page. `--admin` adds the
admin changelists, requested as a superuser with a verified second factor (as `bench/run.py`
does; their cached counts stay cached, as in a running worker). `--profile TEXT` profiles one
render of the first page whose label contains TEXT (cProfile, top functions by cumulative time).
"""

import argparse
import cProfile
import importlib.util
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def load_run():
    spec = importlib.util.spec_from_file_location("bench_run", BASE_DIR / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="renders per page (at most 200)")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT")
    parser.add_argument("--profile", default="", metavar="TEXT")
    parser.add_argument("--admin", action="store_true", help="the admin changelists too")
    args = parser.parse_args(argv)
    repeat = max(1, min(args.repeat, 200))
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_PAGE_CACHE="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_CONN_MAX_AGE="60",
        SEARCH_RATE_PER_MINUTE="100000000",  # one client renders every search, repeatedly
        API_RATE_LIMIT="100000000",  # and every request to the API
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "render-once-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anso.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    run = load_run()
    public, changelists = run.discover_targets()
    client = Client()
    pages = [(label, path, client) for label, path in public]
    if args.admin:
        staff = Client()
        staff.cookies[settings.SESSION_COOKIE_NAME] = run.bench_user_session()[0]
        pages += [(label, path, staff) for label, path in changelists]
    if args.only:
        wanted = [text.lower() for text in args.only]
        pages = [page for page in pages if any(t in page[0].lower() for t in wanted)]
    for label, path, client in pages:
        if args.profile and args.profile.lower() in label.lower():
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            print(f"--- {label}: {path}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            return 0
    print(f"{'page':40} {'median ms':>10} {'best ms':>8} {'queries':>7} {'KB':>6}")
    for label, path, client in pages:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries = len(captured)  # before the next request clears the log
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:40} {statistics.median(times):10.1f} {min(times):8.1f} "
            f"{queries:7} {len(response.content) / 1024:6.0f}"
            + ("" if response.status_code == 200 else f"  status {response.status_code}")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
