"""Sensitive personal data encrypted at rest: the passport details of visa requests
(docs/papers.md, "Visa letters") and the attachments of mail waiting to be sent (a visa letter
holds those details; anso/mail/sending.py).

`EncryptedTextField` keeps its text as a Fernet token made with the first of
`settings.VISA_DATA_KEYS` and reads it with any of them (`MultiFernet`): a new key goes first,
the old ones stay until `manage.py visa_data_rotate` has written every row again with the new
one (the visa requests, and the attachments of mail not yet sent: `rotate`). With debug on
and no key set, a key derived from SECRET_KEY serves; production without a key is refused by
`check --deploy` (`check_visa_data_keys`). An empty text stays empty (erased or never given).
The column cannot be searched or sorted: nothing asks it to be."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class VisaDataKeyMissing(ImproperlyConfigured):
    pass


def _dev_key() -> bytes:
    digest = hashlib.sha256(f"visa-data:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def data_keys() -> list[bytes]:
    """The keys, newest (the one that encrypts) first."""
    keys = [key.encode() for key in settings.VISA_DATA_KEYS]
    if not keys and settings.VISA_DATA_DEV_KEY:
        keys = [_dev_key()]
    if not keys:
        raise VisaDataKeyMissing("VISA_DATA_KEYS is not set: visa requests cannot be stored.")
    return keys


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in data_keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def encrypt_bytes(content: bytes) -> str:
    """`content` as a Fernet token (ASCII text, for a JSON column)."""
    return _fernet().encrypt(content).decode("ascii")


def decrypt_bytes(token: str) -> bytes:
    return _fernet().decrypt(token.encode("ascii"))


def rotate(token: str) -> str:
    """`token` made again with the newest key (read with any of them; its time is kept)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii") if token else ""


class EncryptedTextField(models.TextField):
    """A text kept encrypted in its column; Python sees the plain text. Never in the admin's
    CSV export (anso/admin_tools.py)."""

    never_exported = True

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def check_visa_data_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: production encrypts sensitive data with keys of its own
    (registered by anso/apps.py, tagged deploy)."""
    if settings.VISA_DATA_DEV_KEY:
        return []
    try:
        keys = data_keys()
        MultiFernet([Fernet(key) for key in keys])
    except VisaDataKeyMissing as error:
        return [
            checks.Error(
                str(error),
                hint="Set it to a Fernet key (docs/papers.md, docs/deployment.md).",
                id="anso.E002",
            )
        ]
    except (ValueError, TypeError) as error:
        return [
            checks.Error(
                f"VISA_DATA_KEYS holds a key that is not a Fernet key: {error}",
                hint="Each key is 32 url-safe base64-encoded bytes (Fernet.generate_key()).",
                id="anso.E003",
            )
        ]
    return []


__all__ = [
    "EncryptedTextField",
    "InvalidToken",
    "check_visa_data_keys",
    "decrypt",
    "decrypt_bytes",
    "encrypt",
    "encrypt_bytes",
    "rotate",
]
