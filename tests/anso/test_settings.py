"""The settings fail closed: with nothing set, debug is off and start-up stops without the
values production needs; the scripts say which mode they run in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_VALUES = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL")


def _environment(**values: str) -> dict[str, str]:
    """This environment without the debug switch and production's values, plus `values`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_DEBUG", *PRODUCTION_VALUES}
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "anso.settings", **values}


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'DEBUG': settings.DEBUG, 'SECRET_KEY': settings.SECRET_KEY}))"
    )
    return subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=BASE_DIR
    )


def test_settings_with_nothing_set_refuse_to_start_and_name_what_is_missing():
    result = _load_settings(_environment())
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in message
    assert "DJANGO_DEBUG is off" in message
    assert "DJANGO_SECRET_KEY" in message
    assert "DJANGO_ALLOWED_HOSTS" in message
    assert "SITE_URL" in message


def test_settings_debug_is_off_unless_turned_on():
    result = _load_settings(
        _environment(
            DJANGO_SECRET_KEY="k" * 60,
            DJANGO_ALLOWED_HOSTS="anso.example.org",
            SITE_URL="https://anso.example.org",
        )
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["DEBUG"] is False


def test_settings_public_key_only_with_debug_on():
    off = _load_settings(_environment(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="a.example"))
    assert off.returncode != 0
    message = off.stderr.strip().splitlines()[-1]
    assert "DJANGO_SECRET_KEY" in message
    assert "DJANGO_ALLOWED_HOSTS" not in message

    on = _load_settings(_environment(DJANGO_DEBUG="true"))
    assert on.returncode == 0, on.stderr
    assert json.loads(on.stdout) == {
        "DEBUG": True,
        "SECRET_KEY": "django-insecure-local-development-key-not-for-production",
    }


def _worker_environment(tmp_path: Path, **values: str) -> dict[str, str]:
    """What scripts/worker hands to the worker it starts: a stand-in for the interpreter prints
    its environment instead of running manage.py."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "print(json.dumps({'argv': sys.argv[1:], 'env': dict(os.environ)}))\n"
    )
    python.chmod(0o755)
    env = _environment(ANSO_BIN=str(bin_dir), **values)
    env.pop("REDIS_URL", None)
    env.pop("TASKS_REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 (our own script)
        [str(BASE_DIR / "scripts" / "worker"), "--batch"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    started = json.loads(result.stdout)
    assert started["argv"] == ["manage.py", "db_worker", "--batch"]
    return started["env"]


def test_worker_script_runs_in_production_mode_as_serve_does(tmp_path):
    """Started on its own (a service beside gunicorn), the worker runs with debug off and the
    values production needs, as scripts/serve sets them."""
    env = _worker_environment(tmp_path, DJANGO_SECRET_KEY="s" * 60)
    assert env["DJANGO_DEBUG"] == "false"
    assert env["DJANGO_SECRET_KEY"] == "s" * 60
    assert env["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert env["SITE_URL"] == "http://127.0.0.1:8000"
    assert env["DJANGO_CONN_MAX_AGE"] == "60"


def test_worker_script_keeps_debug_on_under_make_run(tmp_path):
    env = _worker_environment(tmp_path, DJANGO_DEBUG="true")
    assert env["DJANGO_DEBUG"] == "true"
    assert "DJANGO_SECRET_KEY" not in env


def test_console_prints_each_log_line_once_and_no_axes_banner():
    """Under `make run` (debug on) the worker's task lines came out twice (Django's own
    console handler on "django" and the root's), and every process printed the Axes banner."""
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.tasks').info('task line'); "
        "logging.getLogger('django_tasks_db').info('worker line'); "
        "logging.getLogger('anso.mail.sending').warning('site line')"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", code],
        env=_environment(DJANGO_DEBUG="true"),
        capture_output=True,
        text=True,
        check=True,
        cwd=BASE_DIR,
    )
    output = result.stdout + result.stderr
    assert output.count("task line") == 1
    assert output.count("worker line") == 1
    assert output.count("site line") == 1
    assert "AXES" not in output


@pytest.mark.django_db
def test_the_database_connection_compiles_no_plans_on_postgresql():
    """PostgreSQL's JIT is off for the site's connections (docs/performance.md, "JIT"):
    compiling a plan cost more than running it. SQLite has no JIT: its connection runs its
    own configuration (secure delete, docs/papers.md)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
