"""Uploaded files on a real S3-compatible server, in tests.

- `s3_server`: moto's server mode (HTTP on 127.0.0.1, a free port), started once per session.
- `s3_storage`: a new, empty bucket on it, made the default storage (`STORAGES["default"]`,
  built from environment variables by `anso.files.storage.storages_from_environment`, as in
  production). `default_storage` and every `FileField` without a storage of its own use it
  until the test ends.
- `any_storage`: the test runs twice, on the local file system (a new `MEDIA_ROOT`) and on a
  bucket; it gets the default storage (`anso.files.storage.is_s3(storage)` says which).
- `s3_client`: a boto3 client of the server, to look at the bucket directly.

The fixtures are imported by tests/conftest.py.
"""

import logging
import uuid

import pytest
from django.core.files.storage import storages

from anso.files.storage import storages_from_environment

REGION = "us-east-1"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


@pytest.fixture(scope="session")
def s3_server():
    """The address of an S3-compatible server (moto), running until the session ends."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_server):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def s3_environment(endpoint_url: str, bucket: str) -> dict[str, str]:
    """The environment variables a deployment would set for this bucket."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint_url,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_ADDRESSING_STYLE": "path",
    }


@pytest.fixture
def s3_storage(s3_server, s3_client, settings):
    """A fresh bucket as the default storage; emptied and removed after the test."""
    bucket = f"test-{uuid.uuid4().hex[:20]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storages_from_environment(s3_environment(s3_server, bucket)),
    }
    yield storages["default"]
    # `settings` restores STORAGES afterwards, and Django then forgets the storages it built.
    listed = s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])
    for item in listed:
        s3_client.delete_object(Bucket=bucket, Key=item["Key"])
    s3_client.delete_bucket(Bucket=bucket)


@pytest.fixture
def local_storage(settings, tmp_path):
    """The local file system storage, in a new, empty MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storages_from_environment({}),
    }
    return storages["default"]


@pytest.fixture(params=["local", "s3"])
def any_storage(request):
    """The default storage, once on the local file system and once on an S3 bucket."""
    return request.getfixturevalue("local_storage" if request.param == "local" else "s3_storage")
