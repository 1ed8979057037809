"""The favicon and robots.txt as production serves them: debug off, static files collected
under hashed names (WhiteNoise's manifest storage) and served by WhiteNoise, pages cached."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    # A new client loads the middleware again: WhiteNoise reads the collected folder.
    return Client()


def test_favicon_and_robots_with_debug_off_and_hashed_static_files(collected_static, page_cache):
    client = collected_static
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.ico", location), location
    icon = client.get(location)
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert "immutable" in icon["Cache-Control"]

    html = client.get("/en/").content.decode()
    [svg] = re.findall(r'<link rel="icon" href="(/static/img/favicon\.[0-9a-f]{12}\.svg)"', html)
    assert client.get(svg).status_code == 200

    for expected in ("miss", "hit"):
        robots = client.get("/robots.txt")
        assert robots.status_code == 200
        assert robots["X-Page-Cache"] == expected
        assert b"Disallow: /admin/" in robots.content
