"""Uploads racing for a document's next version number: real connections on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from meetings.documents.models import Document, DocumentVersion
from meetings.documents.services import document_create, document_version_add
from tests import sample_files as files
from tests.factories import MeetingFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock, so it cannot show a race; "
        "run the suite with DATABASE_URL pointing at PostgreSQL",
    ),
]

RACERS = 6


def test_simultaneous_uploads_each_get_their_own_number():
    document = document_create(title="Minutes", meeting=MeetingFactory())
    barrier = threading.Barrier(RACERS)
    errors: list[Exception] = []
    uploads = [files.pdf_upload(f"v{index}.pdf") for index in range(RACERS)]

    def upload(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            document_version_add(document=document, upload=uploads[index], uploaded_by=None)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(
        DocumentVersion.objects.filter(document=document).values_list("number", flat=True)
    )
    assert numbers == list(range(1, RACERS + 1))
    assert Document.objects.get(pk=document.pk).latest_version.number == RACERS
