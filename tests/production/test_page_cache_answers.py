"""How the page cache answers: compressed once and sent in the encoding the client accepts,
early in the middleware stack yet with every security header, and never to a visitor with a
session. What is cached and when it is renewed: test_page_cache.py, test_cache_tags.py."""

import gzip

import brotli
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

#: The headers the security middlewares set; each must be on a cached answer as on a rendered one.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}


@pytest.fixture
def page(page_cache):
    organization = OrganizationFactory(name="Institute of Compressed Pages")
    return organization.get_absolute_url()


def _get(client, url, accept_encoding, **extra):
    headers = {"accept-encoding": accept_encoding} if accept_encoding is not None else {}
    return client.get(url, headers=headers | extra.pop("headers", {}), **extra)


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=1.0", "gzip"),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
        (None, None),
    ],
)
def test_each_encoding_round_trips_to_the_same_page(client, page, accept_encoding, encoding):
    plain = _get(client, page, "identity")  # renders and stores
    assert plain["X-Page-Cache"] == "miss"
    assert b"Institute of Compressed Pages" in plain.content

    for how in ("hit", "hit"):
        response = _get(client, page, accept_encoding)
        assert response["X-Page-Cache"] == how
        assert response.get("Content-Encoding") == encoding
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
        assert DECODE[encoding](response.content) == plain.content


def test_the_page_that_renders_is_sent_compressed_too(client, page):
    response = _get(client, page, "br")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "br"
    assert b"Institute of Compressed Pages" in brotli.decompress(response.content)


def test_compressed_once(client, page):
    """No other layer compresses the page again (no GZipMiddleware; WhiteNoise only serves
    static files): one decompression gives the HTML."""
    assert not any("GZip" in name for name in django_settings.MIDDLEWARE)
    response = _get(client, page, "gzip")
    response = _get(client, page, "gzip")
    assert response["X-Page-Cache"] == "hit"
    assert gzip.decompress(response.content).lstrip().lower().startswith(b"<!doctype html")


def test_each_encoding_has_its_own_etag_and_answers_304(client, page):
    etags = {}
    for accept_encoding in ("br", "gzip", "identity"):
        etags[accept_encoding] = _get(client, page, accept_encoding)["ETag"]
    assert len(set(etags.values())) == 3
    for accept_encoding, etag in etags.items():
        not_modified = _get(client, page, accept_encoding, headers={"if-none-match": etag})
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
    # An ETag of another encoding is another representation: the page is sent.
    other = _get(client, page, "gzip", headers={"if-none-match": etags["br"]})
    assert other.status_code == 200
    assert other["Content-Encoding"] == "gzip"


def test_head_has_the_headers_of_get_and_no_body(client, page):
    get = _get(client, page, "br")
    head = client.head(page, headers={"accept-encoding": "br"})
    assert head.status_code == 200
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    for header in ("Content-Encoding", "Content-Length", "ETag", "Content-Type", "Vary"):
        assert head[header] == get[header]


def test_a_cached_answer_carries_every_security_header_of_a_rendered_one(client, page, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = False
    rendered = client.get(page, secure=True)
    cached = client.get(page, secure=True)
    assert (rendered["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    settings.PAGE_CACHE_ENABLED = False
    uncached = client.get(page, secure=True)
    assert "X-Page-Cache" not in uncached
    for header in SECURITY_HEADERS:
        assert uncached.has_header(header), header
        assert cached[header] == uncached[header], header
        assert rendered[header] == uncached[header], header


def test_the_language_is_the_urls_prefix(client, page_cache):
    """Decided before LocaleMiddleware runs, as it decides: the prefix, not Accept-Language or
    the language cookie."""
    english = reverse("meetings:meeting_list")
    chinese = english.replace("/en/", "/zh-hans/", 1)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    first = client.get(english, headers={"accept-language": "zh-hans"})
    assert first["Content-Language"] == "en"
    assert first["X-Page-Cache"] == "miss"
    client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME)
    assert client.get(english)["X-Page-Cache"] == "hit"
    other = client.get(chinese)
    assert other["X-Page-Cache"] == "miss"
    assert other["Content-Language"] == "zh-hans"
    assert client.get(chinese, headers={"accept-language": "en"})["Content-Language"] == "zh-hans"


def test_a_request_with_a_session_cookie_never_gets_a_cached_page(client, page):
    assert client.get(page)["X-Page-Cache"] == "miss"
    assert client.get(page)["X-Page-Cache"] == "hit"
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "any-session"
    response = client.get(page)
    assert "X-Page-Cache" not in response
    assert response.status_code == 200


def test_a_signed_in_user_never_gets_a_cached_page(client, page, secretariat_user):
    assert client.get(page)["X-Page-Cache"] == "miss"
    assert client.get(page)["X-Page-Cache"] == "hit"
    client.force_login(secretariat_user)
    response = client.get(page)
    assert "X-Page-Cache" not in response
    assert response.wsgi_request.user == secretariat_user
