"""Where uploaded files are kept: the storage of `STORAGES["default"]`, read from the
environment by `anso/settings.py` (docs/deployment.md, "Uploaded files").

- By default, the local file system under `MEDIA_ROOT` (`DJANGO_MEDIA_ROOT`, else `var/media`).
  No URL serves that folder: a file is reached only through a view that checks who may have it
  and then calls `anso.files.downloads.file_download_response`.
- With `S3_BUCKET` set, an S3-compatible bucket (django-storages), so that several application
  servers share the files. The objects are private (no public ACL is ever sent), a download is
  a redirect to a signed address that expires after `S3_URL_EXPIRE_SECONDS` (60 by default),
  and an upload never overwrites another file of the same name.

This module is imported by the settings: it must not read Django's settings itself.
"""

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
#: Seconds a signed download address stays valid: long enough to follow a redirect.
DEFAULT_URL_EXPIRE_SECONDS = 60

#: Environment variable -> S3Storage option, when set and not empty.
_S3_OPTIONS = {
    "S3_ENDPOINT_URL": "endpoint_url",
    "S3_REGION": "region_name",
    "S3_ADDRESSING_STYLE": "addressing_style",
    "S3_LOCATION": "location",
}
#: The only canned ACLs S3_DEFAULT_ACL may name: none makes an object readable by anyone.
PRIVATE_ACLS = {"private", "bucket-owner-full-control"}


def media_root_from_environment(env: Mapping[str, str], base_dir: Path) -> Path:
    """The folder of the local storage: DJANGO_MEDIA_ROOT, else `var/media` in the checkout."""
    return Path(env.get("DJANGO_MEDIA_ROOT", "").strip() or base_dir / "var" / "media")


def bucket_from_environment(env: Mapping[str, str]) -> str:
    """The bucket that holds the files, or "" when they are on the local file system."""
    return env.get("S3_BUCKET", "").strip()


def storages_from_environment(env: Mapping[str, str]) -> dict:
    """The `STORAGES["default"]` entry that the variables of `env` describe."""
    bucket = bucket_from_environment(env)
    if not bucket:
        # The folder is MEDIA_ROOT's, read when the storage is first used (so a test can
        # point it elsewhere).
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    options = {
        "bucket_name": bucket,
        # Objects are private: a download goes through a signed, short-lived address.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": int(env.get("S3_URL_EXPIRE_SECONDS") or DEFAULT_URL_EXPIRE_SECONDS),
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    for variable, option in _S3_OPTIONS.items():
        value = env.get(variable, "").strip()
        if value:
            options[option] = value
    acl = env.get("S3_DEFAULT_ACL", "").strip()
    if acl:
        if acl not in PRIVATE_ACLS:
            raise ImproperlyConfigured(
                f"S3_DEFAULT_ACL={acl!r}: the files must stay private ("
                + " or ".join(sorted(PRIVATE_ACLS))
                + ", or unset for the bucket's own rule)."
            )
        options["default_acl"] = acl
    if not options.get("region_name") and env.get("AWS_DEFAULT_REGION"):
        options["region_name"] = env["AWS_DEFAULT_REGION"]
    # The S3_* keys, else django-storages and boto3 read the AWS_* variables, the shared
    # credentials file or the machine's role.
    access_key = env.get("S3_ACCESS_KEY_ID", "").strip()
    secret_key = env.get("S3_SECRET_ACCESS_KEY", "").strip()
    if access_key and secret_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def bucket_origins_from_environment(env: Mapping[str, str]) -> list[str]:
    """The origins the bucket's signed addresses are on, for the Content-Security-Policy's
    `img-src` (a preview is a redirect to the bucket, and a browser checks the image's final
    address). Both addressing styles (`https://host/bucket/...` and
    `https://bucket.host/...`) unless S3_ADDRESSING_STYLE names one; none without a bucket."""
    bucket = bucket_from_environment(env)
    if not bucket:
        return []
    endpoint = env.get("S3_ENDPOINT_URL", "").strip()
    if endpoint:
        parts = urlsplit(endpoint)
        scheme, host = parts.scheme or "https", parts.netloc
    else:
        region = (env.get("S3_REGION", "") or env.get("AWS_DEFAULT_REGION", "")).strip()
        scheme, host = "https", f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    style = env.get("S3_ADDRESSING_STYLE", "").strip()
    origins = []
    if style != "virtual":
        origins.append(f"{scheme}://{host}")
    if style != "path":
        origins.append(f"{scheme}://{bucket}.{host}")
    return origins


def is_s3(storage) -> bool:
    """Whether `storage` keeps its files in an S3-compatible bucket."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover (a dependency of the site)
        return False
    return isinstance(storage, S3Storage)
