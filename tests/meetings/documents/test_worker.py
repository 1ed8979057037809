"""Previews made by the real database worker (`db_worker`), after the upload commits, on the
local file system and on an S3-compatible server."""

import pytest
from django.core.management import call_command

from meetings.documents.models import DocumentVersion, PreviewState
from meetings.documents.services import document_create
from tests import sample_files as files
from tests.factories import MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_the_preview(any_storage, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document = document_create(title="Slides", meeting=MeetingFactory(), files=[files.pdf_upload()])
    version = DocumentVersion.objects.get(document=document)
    assert version.preview_state == PreviewState.PENDING
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    version.refresh_from_db()
    assert version.preview_state == PreviewState.READY
    assert any_storage.exists(version.preview.name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
