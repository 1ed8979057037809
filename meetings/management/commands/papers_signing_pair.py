"""`manage.py papers_signing_pair DIR`: write a new key and a self-signed certificate for the
papers' signature to DIR (signing-key.pem, signing-cert.pem), for a trial deployment or a
check; production uses a certificate its verifiers trust (docs/papers.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from meetings.papers.signing import self_signed_write


class Command(BaseCommand):
    help = "Write a key and a self-signed certificate for the papers' signature to a folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--subject", default="ANSO Working Group papers (self-signed)", help="Common name."
        )

    def handle(self, *args, directory: Path, subject: str, **options):
        key, cert = self_signed_write(directory, subject=subject)
        self.stdout.write(f"PAPERS_SIGNING_KEY={key}\nPAPERS_SIGNING_CERT={cert}")
