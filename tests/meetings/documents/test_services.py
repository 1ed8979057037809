"""Documents' writes (meetings/documents/services.py): create, upload, replace, previews; on the
local file system and on an S3-compatible server."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from anso.files.storage import is_s3
from meetings.documents.models import (
    Document,
    DocumentKind,
    DocumentVersion,
    PreviewState,
    Visibility,
)
from meetings.documents.services import (
    document_create,
    document_update,
    document_version_add,
    document_versions_add,
)
from tests import sample_files as files
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def test_upload_stores_the_file_and_its_facts(any_storage, django_capture_on_commit_callbacks):
    item = AgendaItemFactory()
    user = UserFactory()
    data = files.pdf_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_create(
            title="ANSO future actions",
            agenda_item=item,
            files=[files.upload("../Future actions.pdf", data)],
            uploaded_by=user,
        )
    version = document.latest_version
    assert version.number == 1
    assert version.filename == "Future actions.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(data)
    assert version.uploaded_by == user
    assert _read(version.file) == data
    assert any_storage.exists(version.file.name)
    # An unguessable folder per file: the address tells nothing a visitor could guess.
    folder = version.file.name.split("/")[1]
    assert version.file.name.startswith("documents/") and len(folder) >= 24
    if is_s3(any_storage):
        assert "X-Amz-Signature" in any_storage.url(version.file.name)


def test_the_meeting_and_session_follow_from_the_agenda_item():
    item = AgendaItemFactory()
    document = document_create(title="Slides", agenda_item=item, files=[files.pdf_upload()])
    assert document.session == item.session
    assert document.meeting == item.session.meeting
    assert document.date == item.session.meeting.start_date


def test_a_presentation_is_presented_by_the_items_speaker_by_default():
    speaker = SpeakerFactory()
    presentation = document_create(title="Slides", agenda_item=speaker.item)
    assert presentation.presented_by == speaker.person
    minutes = document_create(title="Notes", agenda_item=speaker.item, kind=DocumentKind.MINUTES)
    assert minutes.presented_by is None


def test_targets_that_do_not_belong_together_are_refused():
    item = AgendaItemFactory()
    with pytest.raises(ValidationError):
        document_create(title="x", session=SessionFactory(), agenda_item=item, files=[])
    with pytest.raises(ValidationError):
        document_create(title="x", meeting=MeetingFactory(), session=item.session)
    with pytest.raises(ValidationError):
        document_create(title="x", meeting=item.session.meeting, action=ActionFactory())
    with pytest.raises(ValidationError):
        document_create(title="x")
    assert not Document.objects.exists()


def test_a_refused_file_saves_nothing(any_storage):
    with pytest.raises(ValidationError):
        document_create(
            title="x",
            meeting=MeetingFactory(),
            files=[files.pdf_upload(), files.upload("x.pdf", files.EXE)],
        )
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_replace_keeps_the_earlier_versions_with_who_and_when(any_storage):
    first_user, second_user = UserFactory(), UserFactory()
    draft = files.pdf_bytes(1)
    document = document_create(
        title="Minutes",
        meeting=MeetingFactory(),
        files=[files.upload("draft.pdf", draft)],
        uploaded_by=first_user,
    )
    second = document_version_add(
        document=document,
        upload=files.upload("final.pdf", files.pdf_bytes(2)),
        uploaded_by=second_user,
    )
    document.refresh_from_db()
    assert document.latest_version == second
    versions = list(document.versions.all())
    assert [(v.number, v.filename, v.uploaded_by) for v in versions] == [
        (2, "final.pdf", second_user),
        (1, "draft.pdf", first_user),
    ]
    assert versions[0].uploaded_at >= versions[1].uploaded_at
    assert _read(versions[1].file) == draft  # the old file is kept
    assert versions[0].file.name != versions[1].file.name


def test_the_same_name_twice_keeps_both_files(any_storage):
    document = document_create(title="x", meeting=MeetingFactory(), files=[files.pdf_upload()])
    document_version_add(document=document, upload=files.pdf_upload(pages=3), uploaded_by=None)
    first, second = document.versions.order_by("number")
    assert first.filename == second.filename == "slides.pdf"
    assert _read(first.file) != _read(second.file)


def test_several_files_at_once_are_all_or_none():
    document = document_create(title="Photos", meeting=MeetingFactory(), kind=DocumentKind.PHOTO)
    with pytest.raises(ValidationError) as refused:
        document_versions_add(
            document=document,
            uploads=[files.pdf_upload(), files.upload("evil.svg", files.SVG)],
            uploaded_by=None,
        )
    assert "evil.svg" in refused.value.messages[0]
    assert not document.versions.exists()
    added = document_versions_add(
        document=document,
        uploads=[files.upload("a.png", files.image_bytes()), files.pdf_upload()],
        uploaded_by=None,
    )
    assert [v.number for v in added] == [1, 2]
    document.refresh_from_db()
    assert document.latest_version == added[-1]


def test_document_update_moves_and_renames():
    item = AgendaItemFactory()
    document = document_create(title="Slides", meeting=item.session.meeting)
    document_update(document=document, agenda_item=item, title_zh_hans="幻灯片")
    document.refresh_from_db()
    assert (document.session, document.agenda_item) == (item.session, item)
    assert document.title_zh_hans == "幻灯片"
    with pytest.raises(TypeError):
        document_update(document=document, latest_version=None)


@pytest.mark.parametrize(
    ("upload", "state"),
    [
        (lambda: files.pdf_upload(), PreviewState.READY),
        (lambda: files.upload("photo.jpg", files.image_bytes("JPEG", (3000, 2000))), "ready"),
        (lambda: files.upload("talk.pptx", files.ooxml_bytes()), PreviewState.NONE),
    ],
)
def test_previews_are_made_by_the_worker(
    any_storage, upload, state, django_capture_on_commit_callbacks
):
    """The task is queued when the upload commits (and runs at once in tests: the immediate
    backend)."""
    from PIL import Image

    with django_capture_on_commit_callbacks(execute=True):
        document = document_create(title="x", meeting=MeetingFactory(), files=[upload()])
        assert document.latest_version.preview_state in (PreviewState.PENDING, PreviewState.NONE)
        assert DocumentVersion.objects.get(document=document).preview_state != "ready"
    version = DocumentVersion.objects.get(document=document)
    assert version.preview_state == state
    if state == PreviewState.READY:
        with version.preview.open("rb") as preview:
            image = Image.open(preview)
            assert image.format == "PNG"
            assert max(image.size) == 480
    else:
        assert not version.preview


def test_a_preview_that_cannot_be_made_is_recorded(django_capture_on_commit_callbacks):
    """A PDF that only starts like one passes the upload check but has no first page to show:
    the failure is kept on the version and the document stays downloadable."""
    with django_capture_on_commit_callbacks(execute=True):
        document = document_create(
            title="x", meeting=MeetingFactory(), files=[files.upload("bad.pdf", b"%PDF-1.4 junk")]
        )
    version = DocumentVersion.objects.get(document=document)
    assert version.preview_state == PreviewState.FAILED
    assert version.preview_error
    assert not version.preview


def test_deleting_a_document_deletes_its_files_once_the_delete_commits(
    any_storage, django_capture_on_commit_callbacks
):
    """Every version's file and preview leave the storage with the document (django-cleanup),
    after the commit: a delete that is rolled back keeps them."""
    from django.core.files.storage import default_storage

    with django_capture_on_commit_callbacks(execute=True):
        document = document_create(
            title="x", meeting=MeetingFactory(), files=[files.upload("a.png", files.image_bytes())]
        )
        document_version_add(document=document, upload=files.pdf_upload(), uploaded_by=None)
    names = [
        name
        for version in DocumentVersion.objects.filter(document=document)
        for name in (version.file.name, version.preview.name)
        if name
    ]
    assert len(names) == 4  # two files, two previews
    assert all(default_storage.exists(name) for name in names)

    with pytest.raises(RuntimeError), transaction.atomic():
        Document.objects.get(pk=document.pk).delete()
        raise RuntimeError("rolled back")
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.get(pk=document.pk).delete()
    assert not any(default_storage.exists(name) for name in names)


def test_constraints_hold_without_the_services():
    meeting, action = MeetingFactory(), ActionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="x", meeting=meeting, action=action)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="x", action=action, session=SessionFactory())
    document = Document.objects.create(title="x", action=action, visibility=Visibility.PUBLIC)
    version = document_version_add(document=document, upload=files.pdf_upload(), uploaded_by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(document=document, number=version.number, size=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(document=document, number=9, size=0)


def test_a_meeting_with_documents_is_not_deleted_by_accident():
    document = document_create(title="x", meeting=MeetingFactory(), date=datetime.date(2019, 5, 13))
    with pytest.raises(ProtectedError):
        document.meeting.delete()
