"""The default storage: built from the environment, on the local file system or on a real
S3-compatible server (moto's server mode, tests/s3.py)."""

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.storage import storages as django_storages
from django.db import models

from anso.files.storage import (
    DEFAULT_URL_EXPIRE_SECONDS,
    FILE_SYSTEM_BACKEND,
    S3_BACKEND,
    bucket_origins_from_environment,
    is_s3,
    storages_from_environment,
)


def test_without_a_bucket_files_stay_on_this_machine():
    assert storages_from_environment({}) == {"BACKEND": FILE_SYSTEM_BACKEND}
    assert storages_from_environment({"S3_BUCKET": "  "}) == {"BACKEND": FILE_SYSTEM_BACKEND}


def test_a_bucket_gives_private_signed_short_lived_storage():
    config = storages_from_environment(
        {
            "S3_BUCKET": "anso-files",
            "S3_ENDPOINT_URL": "https://s3.example.org",
            "S3_REGION": "cn-north-1",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_ADDRESSING_STYLE": "path",
            "S3_LOCATION": "site",
        }
    )
    assert config["BACKEND"] == S3_BACKEND
    assert config["OPTIONS"] == {
        "bucket_name": "anso-files",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": DEFAULT_URL_EXPIRE_SECONDS,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "endpoint_url": "https://s3.example.org",
        "region_name": "cn-north-1",
        "addressing_style": "path",
        "location": "site",
        "access_key": "key",
        "secret_key": "secret",
    }


def test_without_s3_keys_the_standard_aws_variables_and_role_apply():
    options = storages_from_environment(
        {"S3_BUCKET": "anso-files", "AWS_DEFAULT_REGION": "eu-west-1", "S3_URL_EXPIRE_SECONDS": "5"}
    )["OPTIONS"]
    assert "access_key" not in options
    assert "secret_key" not in options
    assert options["region_name"] == "eu-west-1"
    assert options["querystring_expire"] == 5


def test_a_public_acl_is_refused():
    with pytest.raises(ImproperlyConfigured, match="S3_DEFAULT_ACL"):
        storages_from_environment({"S3_BUCKET": "b", "S3_DEFAULT_ACL": "public-read"})
    options = storages_from_environment({"S3_BUCKET": "b", "S3_DEFAULT_ACL": "private"})["OPTIONS"]
    assert options["default_acl"] == "private"


def test_local_files_go_to_the_test_media_root(local_storage, settings):
    name = default_storage.save("docs/agenda.txt", ContentFile(b"agenda"))
    assert not is_s3(local_storage)
    assert local_storage.path(name).startswith(settings.MEDIA_ROOT)
    with local_storage.open(name) as stored:
        assert stored.read() == b"agenda"


def test_the_default_storage_is_the_bucket(s3_storage, s3_client):
    assert is_s3(s3_storage)
    assert django_storages["default"] is s3_storage
    name = default_storage.save("docs/agenda.txt", ContentFile(b"agenda"))
    body = s3_client.get_object(Bucket=s3_storage.bucket_name, Key=name)["Body"].read()
    assert body == b"agenda"


def test_a_bucket_never_overwrites_a_file_of_the_same_name(s3_storage):
    first = default_storage.save("docs/agenda.txt", ContentFile(b"one"))
    second = default_storage.save("docs/agenda.txt", ContentFile(b"two"))
    assert first != second
    with default_storage.open(first) as stored:
        assert stored.read() == b"one"


def test_objects_in_the_bucket_are_private(s3_storage, s3_server):
    name = default_storage.save("docs/minutes.txt", ContentFile(b"secret minutes"))
    unsigned = f"{s3_server}/{s3_storage.bucket_name}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 (the test server)
    assert refused.value.code == 403
    with urllib.request.urlopen(default_storage.url(name), timeout=10) as signed:  # noqa: S310
        assert signed.read() == b"secret minutes"


def test_each_test_gets_an_empty_storage(any_storage):
    assert not any_storage.exists("docs/agenda.txt")
    default_storage.save("docs/agenda.txt", ContentFile(b"agenda"))
    assert any_storage.exists("docs/agenda.txt")


def test_a_file_field_without_a_storage_uses_the_bucket(s3_storage, s3_client):
    field = models.FileField(upload_to="photos")
    name = field.storage.save("photos/p.jpg", ContentFile(b"jpeg"))
    assert s3_client.head_object(Bucket=s3_storage.bucket_name, Key=name)["ContentLength"] == 4


def test_after_a_bucket_test_files_are_local_again(settings):
    """Runs after the tests above (file order): the bucket's storage is gone."""
    assert not is_s3(django_storages["default"])
    name = models.FileField().storage.save("docs/agenda.txt", ContentFile(b"agenda"))
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == b"agenda"


def test_the_page_policy_lets_images_come_from_the_bucket_only_when_there_is_one():
    assert bucket_origins_from_environment({}) == []
    assert bucket_origins_from_environment({"S3_BUCKET": "files", "S3_REGION": "eu-west-1"}) == [
        "https://s3.eu-west-1.amazonaws.com",
        "https://files.s3.eu-west-1.amazonaws.com",
    ]
    assert bucket_origins_from_environment(
        {
            "S3_BUCKET": "files",
            "S3_ENDPOINT_URL": "https://minio.example.org:9000",
            "S3_ADDRESSING_STYLE": "virtual",
        }
    ) == ["https://files.minio.example.org:9000"]


def test_signed_addresses_of_the_bucket_are_on_an_origin_the_page_policy_allows(
    s3_storage, s3_server
):
    """A preview shown from the bucket must not be blocked by the Content-Security-Policy."""
    from urllib.parse import urlsplit

    from tests.s3 import s3_environment

    name = default_storage.save("previews/p.png", ContentFile(b"png"))
    parts = urlsplit(default_storage.url(name))
    bucket = default_storage.bucket_name
    allowed = bucket_origins_from_environment(s3_environment(s3_server, bucket))
    assert f"{parts.scheme}://{parts.netloc}" in allowed
