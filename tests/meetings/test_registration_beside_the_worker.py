"""`make run` on SQLite: the development server and the database worker share one file. Visitors
registering at once while the worker writes the mails they cause must all be saved, and none
may be answered 503 ("database is locked")."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.anso.smtp import free_port

BASE_DIR = Path(settings.BASE_DIR)
VISITORS = 8
REGISTRATIONS_EACH = 4

SETUP = """
from tests.factories import RegistrationWindowFactory
window = RegistrationWindowFactory()
print(window.meeting.get_absolute_url() + "register/")
"""


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this interpreter, our own manage.py)
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )


def _python(code: str, *, env: dict[str, str]) -> str:
    """The last line `code` prints, run with Django set up on the test's database."""
    return subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "anso.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]


@pytest.fixture
def make_run_on_sqlite(tmp_path):
    """A file SQLite database with a meeting open for registration, the development server
    (threaded, as `make run` starts it) and the database worker beside it."""
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PROGRESS_DIR": str(tmp_path / "progress"),
        "ANSO_BIN": str(Path(sys.executable).parent),
    }
    for name in ("REDIS_URL", "TASKS_REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    _manage("migrate", "--noinput", env=env)
    register_path = _python(SETUP, env=env)
    port = free_port()
    processes = [
        subprocess.Popen(  # noqa: S603 (our own scripts)
            [str(BASE_DIR / "scripts" / "worker")],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(  # noqa: S603 (this interpreter, our own manage.py)
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ),
    ]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=5)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        yield base + register_path, env
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def _register(url: str, visitor: int, number: int) -> int:
    """One visitor's registration, through the form as a browser sends it. Each visitor comes
    from an address of its own (behind the trusted local proxy), so the per-address limit
    does not stop the run."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = f"192.0.2.{visitor + 1}"
    page = session.get(url, timeout=60)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "given_name": f"Visitor{visitor}",
            "family_name": f"Number{number}",
            "email": f"visitor{visitor}-{number}@example.org",
            "organization_name": "Sample Institute",
            "country": "NG",
            "capacity": "delegate",
        },
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )
    return answer.status_code


def test_parallel_registrations_beside_the_database_worker_are_all_saved(make_run_on_sqlite):
    url, env = make_run_on_sqlite
    answers: list[int | str] = []

    def visitor(index: int) -> None:
        for number in range(REGISTRATIONS_EACH):
            try:
                answers.append(_register(url, index, number))
            except Exception as error:  # reported by the assertion below
                answers.append(repr(error))

    threads = [threading.Thread(target=visitor, args=(index,)) for index in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(answers) == {302}, answers
    count = (
        "from meetings.attendance.models import Participation\n"
        "from anso.models import OutgoingMail\n"
        "print(Participation.objects.count(), OutgoingMail.objects.filter(status='sent').count())"
    )
    total = VISITORS * REGISTRATIONS_EACH
    deadline = time.monotonic() + 120
    while True:
        saved, sent = map(int, _python(count, env=env).split())
        assert saved == total
        if sent == total or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert sent == total  # the worker wrote every mail while the registrations went on
