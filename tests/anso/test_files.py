"""Downloads of stored files (anso/files/downloads.py), on the local file system (streamed by
Django, or handed to nginx with X-Accel-Redirect) and on a real S3-compatible server (a redirect to
a signed address, fetched from the server)."""

import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from anso.files import downloads as files
from anso.files.downloads import (
    MAX_FILENAME_LENGTH,
    SANDBOX_POLICY,
    check_file_serving,
    file_download_response,
)
from anso.files.storage import is_s3, storages_from_environment
from meetings.papers.signing import self_signed_write

from ..s3 import s3_environment

PDF = b"%PDF-1.4 minutes of the meeting"


def stored(name: str, content: bytes) -> FieldFile:
    """A file saved on the default storage, as a model's FileField holds it."""
    saved = default_storage.save(name, ContentFile(content))
    return FieldFile(None, models.FileField(), saved)


def download(file, **kwargs):
    kwargs.setdefault("filename", "minutes.pdf")
    kwargs.setdefault("content_type", "application/pdf")
    return file_download_response(RequestFactory().get("/"), file, **kwargs)


def fetch(response) -> tuple[bytes, dict[str, str]]:
    """What the browser ends up with: the body and headers of the response, or, for a
    redirect, of the address it points to."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=10) as answer:  # noqa: S310
            return answer.read(), {key.lower(): value for key, value in answer.headers.items()}
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, {key.lower(): value for key, value in response.headers.items()}


def disposition(header: str) -> tuple[str, dict[str, str]]:
    """The disposition type of a Content-Disposition header, its ASCII `filename` and the name
    a browser saves the file under (RFC 6266: `filename*` wins)."""
    kind = header.split(";", 1)[0].strip()
    quoted = re.search(r'; filename="((?:[^"\\]|\\.)*)"', header)
    fallback = re.sub(r"\\(.)", r"\1", quoted.group(1)) if quoted else ""
    extended = re.search(r"; filename\*=UTF-8''([^;\s]+)", header, flags=re.IGNORECASE)
    name = urllib.parse.unquote(extended.group(1)) if extended else fallback
    return kind, {"filename": fallback, "name": name}


# On both storages ---------------------------------------------------------------------------


def test_a_download_gives_the_exact_bytes_with_the_given_name_and_type(any_storage):
    body, headers = fetch(download(stored("docs/minutes.pdf", PDF), filename="Minutes 2026.pdf"))
    assert body == PDF
    assert headers["content-type"] == "application/pdf"
    assert disposition(headers["content-disposition"]) == (
        "attachment",
        {"filename": "Minutes 2026.pdf", "name": "Minutes 2026.pdf"},
    )


def test_a_file_may_be_shown_inline(any_storage):
    file = stored("photos/group.jpg", b"\xff\xd8jpeg")
    body, headers = fetch(
        download(file, filename="group.jpg", content_type="image/jpeg", as_attachment=False)
    )
    assert body == b"\xff\xd8jpeg"
    assert headers["content-type"] == "image/jpeg"
    assert disposition(headers["content-disposition"])[0] == "inline"


@pytest.mark.parametrize(
    "content_type",
    [
        "image/svg+xml",
        "text/html",
        "text/html; charset=utf-8",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "application/javascript",
        "text/javascript",
        "IMAGE/SVG+XML",
    ],
)
def test_a_type_a_browser_would_run_is_always_an_attachment(any_storage, content_type):
    file = stored("docs/drawing.svg", b"<svg onload='alert(1)'/>")
    _body, headers = fetch(
        download(file, filename="drawing.svg", content_type=content_type, as_attachment=False)
    )
    assert disposition(headers["content-disposition"])[0] == "attachment"


@pytest.mark.parametrize(
    ("given", "offered"),
    [
        ('minutes "final".pdf', "minutes 'final'.pdf"),
        ("minutes\r\nSet-Cookie: a=b.pdf", "minutes Set-Cookie: a=b.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\minutes.pdf", "minutes.pdf"),
        ("..", "download"),
        ("", "download"),
        ("\u202efdp.exe", "fdp.exe"),  # a right-to-left override, to disguise an .exe
        ("会议纪要.pdf", "会议纪要.pdf"),
    ],
)
def test_names_are_cleaned(any_storage, given, offered):
    _body, headers = fetch(download(stored("docs/f.pdf", PDF), filename=given))
    header = headers["content-disposition"]
    assert "\n" not in header
    assert "\r" not in header
    assert disposition(header)[1]["name"] == offered


def test_a_chinese_name_has_an_ascii_fallback(any_storage):
    _body, headers = fetch(download(stored("docs/f.pdf", PDF), filename="会议纪要.pdf"))
    header = headers["content-disposition"]
    assert header.isascii()
    assert 'filename="HuiYiJiYao.pdf"' in header
    assert "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in header
    assert disposition(header)[1] == {"filename": "HuiYiJiYao.pdf", "name": "会议纪要.pdf"}


def test_a_long_name_is_shortened_keeping_its_extension(any_storage):
    _body, headers = fetch(download(stored("docs/f.pdf", PDF), filename="x" * 300 + ".pdf"))
    name = disposition(headers["content-disposition"])[1]["name"]
    assert len(name) == MAX_FILENAME_LENGTH
    assert name.endswith("x.pdf")


def test_a_file_missing_from_the_storage_is_not_found(any_storage):
    file = stored("docs/gone.pdf", PDF)
    any_storage.delete(file.name)
    with pytest.raises(Http404):
        download(file)


def test_no_file_is_not_found(any_storage):
    with pytest.raises(Http404):
        download(FieldFile(None, models.FileField(), None))


def test_nosniff_is_always_sent(any_storage):
    response = download(stored("docs/f.txt", b"text"), content_type="text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


# On the local file system, streamed by Django (make run) --------------------------------------


def test_streamed_locally_with_private_caching_and_a_sandbox(local_storage):
    response = download(stored("docs/f.txt", b"text"), filename="f.txt", content_type="text/plain")
    assert response.streaming
    assert response["Cache-Control"] == "private"
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["Content-Length"] == "4"


def test_a_public_file_may_be_kept_by_caches_that_ask_again(local_storage):
    response = download(stored("docs/f.txt", b"text"), public=True)
    assert response["Cache-Control"] == "public, no-cache"


def test_a_pdf_shown_inline_is_not_sandboxed_but_runs_nothing(local_storage):
    response = download(stored("docs/f.pdf", PDF), as_attachment=False)
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" not in policy  # Chrome's viewer refuses to show a sandboxed PDF


def test_a_malformed_type_is_sent_as_octet_stream(local_storage):
    response = download(stored("docs/f.txt", b"text"), content_type="text/plain\r\nX-Evil: 1")
    assert response["Content-Type"] == "application/octet-stream"
    assert "X-Evil" not in response


@pytest.mark.urls("tests.anso.urls_files")
def test_through_the_middleware_the_file_keeps_its_own_policy(client, local_storage, page_cache):
    name = stored("docs/f.txt", b"text").name
    for _ in range(2):
        response = client.get(f"/files/{name}")
        assert response["Content-Security-Policy"] == SANDBOX_POLICY
        assert b"".join(response.streaming_content) == b"text"
        assert "X-Page-Cache" not in response


# On the local file system behind nginx (X-Accel-Redirect) -------------------------------------


@pytest.fixture
def behind_nginx(settings, local_storage):
    settings.FILES_X_ACCEL_REDIRECT_PREFIX = "/protected-files/"
    return local_storage


def test_behind_nginx_the_answer_is_empty_and_names_the_file(behind_nginx):
    response = download(stored("docs/minutes.pdf", PDF), filename="Minutes.pdf")
    assert response.status_code == 200
    assert not response.streaming
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-files/docs/minutes.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"


def test_behind_nginx_a_stored_name_is_url_quoted(behind_nginx):
    file = stored("docs/会议 纪要#1?.pdf", PDF)
    response = download(file)
    assert response["X-Accel-Redirect"] == (
        "/protected-files/" + urllib.parse.quote(file.name, safe="/")
    )
    assert response["X-Accel-Redirect"].isascii()
    assert " " not in response["X-Accel-Redirect"]
    assert urllib.parse.unquote(response["X-Accel-Redirect"]) == "/protected-files/" + file.name


def test_behind_nginx_a_missing_file_is_not_found(behind_nginx):
    with pytest.raises(Http404):
        download(FieldFile(None, models.FileField(), "docs/never-saved.pdf"))


# On an S3-compatible bucket -------------------------------------------------------------------


def test_on_a_bucket_the_answer_is_an_uncached_redirect_to_a_signed_address(s3_storage):
    response = download(stored("docs/minutes.pdf", PDF))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"] == ['attachment; filename="minutes.pdf"']


def test_the_signed_address_lives_as_long_as_configured(s3_storage, s3_server, settings):
    """S3_URL_EXPIRE_SECONDS goes into the signature (moto does not enforce expiry: the
    address's own parameter is what is checked)."""
    environment = s3_environment(s3_server, s3_storage.bucket_name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storages_from_environment({**environment, "S3_URL_EXPIRE_SECONDS": "2"}),
    }
    response = download(stored("docs/minutes.pdf", PDF))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["2"]


def test_the_bucket_answers_with_private_caching(s3_storage):
    _body, headers = fetch(download(stored("docs/minutes.pdf", PDF)))
    assert headers["cache-control"] == "private, no-store"


def test_without_the_signature_the_bucket_refuses(s3_storage):
    response = download(stored("docs/minutes.pdf", PDF))
    parts = urllib.parse.urlsplit(response["Location"])
    unsigned = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 (the test server)
    assert refused.value.code == 403


# The deployment check -----------------------------------------------------------------------


def test_check_deploy_tells_when_workers_stream_files(settings, local_storage):
    settings.DEBUG = False
    settings.FILES_X_ACCEL_REDIRECT_PREFIX = ""
    messages = check_file_serving()
    assert [message.id for message in messages] == ["anso.I001"]
    assert all(message.level < 30 for message in messages)  # an Info: --fail-level WARNING passes


def test_check_deploy_is_quiet_behind_nginx_or_with_a_bucket(settings, any_storage):
    settings.DEBUG = False
    settings.FILES_X_ACCEL_REDIRECT_PREFIX = "" if is_s3(any_storage) else "/protected-files/"
    assert check_file_serving() == []


@pytest.mark.parametrize("bucket", ["", "anso-files"])
def test_production_settings_pass_the_deploy_check(bucket, tmp_path):
    """As `make deploy-check` and CI run it (with a key pair for the papers' signature and a
    key for the visa requests' passport details): the Info about streamed files fails
    nothing."""
    key_path, cert_path = self_signed_write(tmp_path, subject="Deploy check")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("S3_", "DJANGO_", "FILES_", "PAPERS_", "VISA_"))
    }
    env.update(
        PAPERS_SIGNING_KEY=str(key_path),
        PAPERS_SIGNING_CERT=str(cert_path),
        VISA_DATA_KEYS=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="anso.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-test-secret-key-that-is-long-enough-for-the-deploy-checks-0123",
        DJANGO_ALLOWED_HOSTS="anso.example.org",
        SITE_URL="https://anso.example.org",
        S3_BUCKET=bucket,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ("anso.I001" in result.stdout + result.stderr) == (not bucket)


def test_streaming_with_debug_off_is_logged_once(local_storage, settings, caplog, monkeypatch):
    monkeypatch.setattr(files, "_warned", False)
    settings.DEBUG = False
    with caplog.at_level(logging.WARNING, logger="anso.files.downloads"):
        download(stored("docs/a.pdf", PDF))
        download(stored("docs/b.pdf", PDF))
    warnings = [r for r in caplog.records if "FILES_X_ACCEL_REDIRECT_PREFIX" in r.getMessage()]
    assert len(warnings) == 1
