"""The papers' digital signature: PAdES (pyHanko), with the key and certificate of the
environment (`PAPERS_SIGNING_KEY`, `PAPERS_SIGNING_CERT`: a path to a PEM file or the PEM text
itself; `PAPERS_SIGNING_KEY_PASSWORD` when the key is encrypted), docs/papers.md.

With debug on (`PAPERS_DEV_SELF_SIGNED`) and no key set, a self-signed certificate is made once
with `cryptography` and kept in `PAPERS_DEV_SIGNING_DIR` (by default `signing/` in MEDIA_ROOT:
var/media, ignored by git and served by no URL), so that `make run` and the tests sign
as production does. With debug off and no key, nothing is signed: `paper_sign` refuses, and
`manage.py check --deploy` says so (`check_signing_key`)."""

import datetime
import functools
import threading
import warnings
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA, which cryptography deprecates; nothing here uses it.
    warnings.simplefilter("ignore")
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

#: The name of the signature field every paper carries.
SIGNATURE_FIELD = "Signature"
#: The subject of the self-signed development certificate.
DEV_SUBJECT = "ANSO Working Group papers (development, self-signed)"
DEV_KEY_FILE, DEV_CERT_FILE = "signing-key.pem", "signing-cert.pem"

_lock = threading.Lock()


class SigningKeyMissing(ImproperlyConfigured):
    pass


def _pem(value: str) -> bytes:
    """The PEM text of a setting: the text itself, or the file it names."""
    value = value.strip()
    if value.startswith("-----BEGIN"):
        return value.encode()
    return Path(value).read_bytes()


def self_signed_write(directory: Path, *, subject: str = DEV_SUBJECT) -> tuple[Path, Path]:
    """Make a key (P-256) and a self-signed certificate valid ten years, written to
    `directory` as PEM files readable by their owner only; (key path, certificate path)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / DEV_KEY_FILE, directory / DEV_CERT_FILE
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path.touch(mode=0o600, exist_ok=True)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def signing_material() -> tuple[bytes, bytes, bytes | None]:
    """(key PEM, certificate PEM, key password) from the settings, or the development
    certificate with debug on; `SigningKeyMissing` otherwise."""
    key, cert = settings.PAPERS_SIGNING_KEY, settings.PAPERS_SIGNING_CERT
    password = settings.PAPERS_SIGNING_KEY_PASSWORD.encode() or None
    if key and cert:
        return _pem(key), _pem(cert), password
    if key or cert:
        raise SigningKeyMissing("Set both PAPERS_SIGNING_KEY and PAPERS_SIGNING_CERT.")
    if not settings.PAPERS_DEV_SELF_SIGNED:
        raise SigningKeyMissing(
            "PAPERS_SIGNING_KEY and PAPERS_SIGNING_CERT are not set: papers cannot be signed."
        )
    directory = Path(settings.PAPERS_DEV_SIGNING_DIR or Path(settings.MEDIA_ROOT) / "signing")
    with _lock:
        if not (directory / DEV_CERT_FILE).exists():
            self_signed_write(directory)
    return (directory / DEV_KEY_FILE).read_bytes(), (directory / DEV_CERT_FILE).read_bytes(), None


def signing_certificate() -> asn1_x509.Certificate:
    """The certificate the papers are signed with (a verifier's trust root for a
    self-signed one)."""
    return _signer().signing_cert


def _signer() -> signers.SimpleSigner:
    key, cert, password = signing_material()
    return _signer_for(key, cert, password)


@functools.cache
def _signer_for(key: bytes, cert: bytes, password: bytes | None) -> signers.SimpleSigner:
    certificate = asn1_x509.Certificate.load(_der(cert))
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(key, passphrase=password),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )


def _der(pem: bytes) -> bytes:
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def paper_sign(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """`pdf` with a PAdES signature (B-B level) by the papers' key, as an incremental update:
    any change after signing breaks it in every PDF reader."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    output = signers.sign_pdf(writer, metadata, signer=_signer())
    return output.getvalue()


def check_signing_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: production signs its papers with a key of its own (registered by
    meetings/apps.py, tagged deploy)."""
    if settings.PAPERS_DEV_SELF_SIGNED:
        return []
    try:
        _signer()
    except SigningKeyMissing as error:
        return [
            checks.Warning(
                str(error),
                hint="Set them to the PEM files of the key and certificate (docs/papers.md).",
                id="meetings.papers.W001",
            )
        ]
    except (OSError, ValueError) as error:
        return [
            checks.Error(
                f"The papers' signing key or certificate cannot be read: {error}",
                hint="PAPERS_SIGNING_KEY and PAPERS_SIGNING_CERT name PEM files (docs/papers.md).",
                id="meetings.papers.E001",
            )
        ]
    return []
