"""The production setup: health check, template caching, gunicorn and logging settings."""

import json
import logging
import multiprocessing
import runpy
import sys

import pytest
from django.conf import settings
from django.db import OperationalError
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.urls import reverse

pytestmark = pytest.mark.django_db

BASE_DIR = settings.BASE_DIR


def test_healthz_ok_when_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_503_when_database_fails(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("anso.views.connection", BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_template_loader_is_cached_when_debug_off():
    """No explicit `loaders` in TEMPLATES, so Django wraps them in the cached loader whenever
    debug is off (as under pytest and in production)."""
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    engine = engines["django"].engine
    assert engine.debug is False
    assert isinstance(engine.template_loaders[0], CachedLoader)


def test_gunicorn_config_workers_from_core_count(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"] == 3


def test_logs_go_to_stdout():
    handler = logging.getLogger().handlers[0]
    assert handler.stream in (sys.stdout, sys.__stdout__) or "stdout" in repr(handler.stream)
    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"
