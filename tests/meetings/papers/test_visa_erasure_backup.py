"""Erased passport details are gone for good: not in the database's columns, and not in a backup
made afterwards with the site's own script (scripts/backup), neither in clear nor as the
ciphertext they were kept as; the letter's verification page still says it was issued."""

import datetime
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from anso.background.upkeep import upkeep_run
from anso.models import OutgoingMail, OutgoingMailStatus
from anso.security.encryption import data_keys
from meetings.papers import visa
from meetings.papers.models import Paper, VisaRequest, VisaRequestStatus
from tests.anso.smtp import free_port, smtp_mailers, smtp_server

from .test_visa_letters import (
    CONSULATE,
    DATABASE_QUEUE,
    PASSPORT_NAME,
    PASSPORT_NUMBER,
    new_meeting,
    raw_row,
    requested,
    run_worker,
)

BASE_DIR = Path(settings.BASE_DIR)
#: A Fernet token as it sits in a column (url-safe base64 of a token starting 0x80).
TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")


def backup_script(dump: Path, database_url: str) -> None:
    subprocess.run(  # noqa: S603 (our own script)
        [str(BASE_DIR / "scripts" / "backup"), str(dump)],
        env={
            "DATABASE_URL": database_url,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_DEBUG": os.environ["DJANGO_DEBUG"],
            "DJANGO_MEDIA_ROOT": str(dump.parent / "media"),
        },
        capture_output=True,
        check=True,
    )


@pytest.mark.django_db
def test_sqlite_overwrites_what_a_row_no_longer_holds():
    """Secure delete (anso/settings.py): an erased value leaves no bytes in the file's free
    space, whatever SQLite's build defaults to."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def backup_bytes(tmp_path: Path) -> bytes:
    """A backup of the test database made with scripts/backup, as the bytes a reader of the
    file would see (a PostgreSQL dump as the SQL it restores)."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        url = f"postgres://{params['USER']}"
        if params.get("PASSWORD"):
            url += f":{params['PASSWORD']}"
        url += f"@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
        dump = tmp_path / "backups" / "backup.dump"
        backup_script(dump, url)
        # The custom format compresses the data: read it as the SQL it holds.
        return subprocess.run(  # noqa: S603
            ["pg_restore", "--file=-", str(dump)],  # noqa: S607 (beside pg_dump)
            capture_output=True,
            check=True,
        ).stdout
    # The test database lives in memory: copy it to a file as a running site's database.
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "site.sqlite3"
    target = sqlite3.connect(source)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    dump = tmp_path / "backups" / "backup.sqlite3"
    backup_script(dump, f"sqlite:///{source}")
    return dump.read_bytes()


def site_tokens(content: bytes) -> list[bytes]:
    """The Fernet tokens in `content` that the site's keys open."""
    fernets = [Fernet(key) for key in data_keys()]
    opened = []
    for token in TOKEN.findall(content):
        for fernet in fernets:
            try:
                fernet.decrypt(token)
            except InvalidToken:
                continue
            opened.append(token)
            break
    return opened


# Real commits: the backup reads the database from another process.
@pytest.mark.django_db(transaction=True)
def test_erased_details_are_in_no_backup_made_afterwards(client, settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.VISA_DATA_RETENTION_DAYS = 30
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    settings.MAIL_RATE_PER_MINUTE = 1000
    ended = timezone.localdate() - datetime.timedelta(days=45)
    meeting = new_meeting(start_date=ended - datetime.timedelta(days=1), end_date=ended)
    visa_request = requested(meeting)
    visa.visa_requests_approve(requests=[visa_request], by=None)
    with smtp_server(port) as inbox:
        run_worker()  # the letter made and mailed; its attachment leaves the mail's row
    assert len(inbox.messages) == 1
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT
    tokens = [value.encode() for value in raw_row(visa_request)]
    assert all(token.startswith(b"gAAAA") for token in tokens)
    before = backup_bytes(tmp_path / "before")  # the search finds them while they are kept
    assert all(token in before for token in tokens)
    assert PASSPORT_NUMBER.encode() not in before  # never in clear, even then

    assert upkeep_run()["meetings.visa_data_erase"] == 1  # the chore, as the worker runs it
    assert raw_row(visa_request) == ("", "", "", "", "")

    content = backup_bytes(tmp_path)
    assert b"meetings_visarequest" in content  # the table is in the backup, rows and all
    for plain in (PASSPORT_NAME, PASSPORT_NUMBER, CONSULATE, "1984-03-09"):
        assert plain.encode() not in content
        assert plain.encode("utf-16-le") not in content
    for token in tokens:
        assert token not in content, "an erased detail's ciphertext is still in the backup"
    assert site_tokens(content) == []  # nor the letter that was mailed, encrypted

    erased = VisaRequest.objects.get(pk=visa_request.pk)
    assert erased.status == VisaRequestStatus.APPROVED and erased.erased_at
    paper = Paper.objects.get(pk=erased.paper_id)
    page = client.get(reverse("papers:verify", kwargs={"reference": paper.reference}))
    assert page.status_code == 200
    assert 'data-state="issued"' in page.content.decode()
    assert PASSPORT_NAME not in page.content.decode()
