"""The documents' admin: one file or several at once, a new version on the change page, a
refused file told on the field (never a 500), the drop zone, and the versions read-only."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.documents.models import Document, DocumentVersion, Visibility
from meetings.documents.services import document_create
from tests import sample_files as files
from tests.admin_helpers import admin_post, form_errors
from tests.factories import AgendaItemFactory, DocumentVersionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:meetings_document_add")


def _form(**values) -> dict:
    data = {
        "title_en": "ANSO future actions",
        "title_zh_hans": "",
        "kind": "presentation",
        "language": "en",
        "date": "",
        "meeting": "",
        "session": "",
        "agenda_item": "",
        "action": "",
        "presented_by": "",
        "order": "1",
        "visibility": "public",
    }
    data.update(values)
    return data


def test_the_secretariat_uploads_a_presentation_to_an_agenda_item(
    secretariat_client, secretariat_user
):
    speaker = SpeakerFactory()
    item = speaker.item
    response = admin_post(
        secretariat_client,
        ADD,
        _form(agenda_item=item.pk, files=[files.pdf_upload("Future actions.pdf")]),
    )
    assert response.status_code == 302, form_errors(response)
    document = Document.objects.get()
    assert (document.agenda_item, document.session, document.meeting) == (
        item,
        item.session,
        item.session.meeting,
    )
    assert document.presented_by == speaker.person
    assert document.latest_version.filename == "Future actions.pdf"
    assert document.latest_version.uploaded_by == secretariat_user
    assert document.history.count() >= 1


def test_several_files_at_once_make_several_documents(secretariat_client):
    item = AgendaItemFactory()
    response = admin_post(
        secretariat_client,
        ADD,
        _form(
            title_en="Photos of the opening session",
            kind="photo",
            session=item.session.pk,
            files=[
                files.upload("IMG_0001.jpg", files.image_bytes("JPEG")),
                files.upload("IMG_0002.png", files.image_bytes("PNG")),
                files.upload("IMG_0003.webp", files.image_bytes("WEBP")),
            ],
        ),
    )
    assert response.status_code == 302, form_errors(response)
    titles = sorted(Document.objects.values_list("title_en", flat=True))
    assert titles == [
        "Photos of the opening session: IMG_0001",
        "Photos of the opening session: IMG_0002",
        "Photos of the opening session: IMG_0003",
    ]
    assert set(Document.objects.values_list("meeting", flat=True)) == {item.session.meeting_id}


def test_the_change_page_adds_a_version_and_keeps_the_old_ones(
    secretariat_client, secretariat_user
):
    item = AgendaItemFactory()
    document = document_create(
        title="Minutes", agenda_item=item, files=[files.pdf_upload("draft.pdf")]
    )
    url = reverse("admin:meetings_document_change", args=[document.pk])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    assert b"draft.pdf" in page.content  # the versions, listed
    response = admin_post(
        secretariat_client,
        url,
        _form(
            title_en="Minutes",
            kind="minutes",
            agenda_item=item.pk,
            visibility="members",
            files=[files.pdf_upload("final.pdf")],
        ),
    )
    assert response.status_code == 302, form_errors(response)
    document.refresh_from_db()
    assert document.visibility == Visibility.MEMBERS
    assert [v.filename for v in document.versions.all()] == ["final.pdf", "draft.pdf"]
    assert document.latest_version.uploaded_by == secretariat_user


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", files.EXE),
        ("logo.svg", files.SVG),
        ("page.html", files.HTML),
        ("empty.pdf", b""),
        ("../../" + "a" * 300 + ".sh", files.SHELL),
    ],
)
def test_a_refused_file_is_told_on_the_field(secretariat_client, name, data):
    item = AgendaItemFactory()
    response = admin_post(
        secretariat_client, ADD, _form(agenda_item=item.pk, files=[files.upload(name, data)])
    )
    errors = form_errors(response)
    assert list(errors) == ["files"]
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_an_oversized_file_is_told_on_the_field(secretariat_client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = admin_post(
        secretariat_client,
        ADD,
        _form(agenda_item=AgendaItemFactory().pk, files=[files.pdf_upload()]),
    )
    assert "files" in form_errors(response)


def test_a_new_document_needs_a_file_and_a_place(secretariat_client):
    errors = form_errors(admin_post(secretariat_client, ADD, _form()))
    assert "files" in errors
    errors = form_errors(admin_post(secretariat_client, ADD, _form(files=[files.pdf_upload()])))
    assert "meeting" in errors


def test_an_agenda_item_of_another_session_is_told_on_the_field(secretariat_client):
    item, other = AgendaItemFactory(), AgendaItemFactory()
    response = admin_post(
        secretariat_client,
        ADD,
        _form(agenda_item=item.pk, session=other.session.pk, files=[files.pdf_upload()]),
    )
    assert "agenda_item" in form_errors(response)


def test_the_files_field_takes_several_files_and_is_a_drop_zone(secretariat_client):
    page = secretariat_client.get(ADD).content.decode()
    assert 'type="file" name="files"' in page
    assert "multiple" in page
    assert "data-file-drop=" in page
    assert "js/file-drop.js" in page
    assert 'enctype="multipart/form-data"' in page


def test_the_versions_admin_is_read_only(secretariat_client, superuser, client):
    document = document_create(title="x", meeting=AgendaItemFactory().session.meeting,
                               files=[files.pdf_upload()])  # fmt: skip
    version = document.latest_version
    client.force_login(superuser)
    assert client.get(reverse("admin:meetings_documentversion_add")).status_code == 403
    change = client.get(reverse("admin:meetings_documentversion_change", args=[version.pk]))
    assert change.status_code == 200
    assert b'name="filename"' not in change.content


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ["document", "documentversion"])
def test_the_lists_queries_do_not_grow_with_rows(secretariat_client, model):
    url = reverse(f"admin:meetings_{model}_changelist")
    DocumentVersionFactory()
    small = _queries(secretariat_client, url)
    DocumentVersionFactory.create_batch(29)
    assert _queries(secretariat_client, url) == small


def test_a_documents_page_queries_do_not_grow_with_versions(secretariat_client):
    document = DocumentVersionFactory().document
    url = reverse("admin:meetings_document_change", args=[document.pk])
    small = _queries(secretariat_client, url)
    DocumentVersionFactory.create_batch(20, document=document)
    assert _queries(secretariat_client, url) == small


def test_a_document_with_files_is_deleted_with_its_versions_and_files(
    secretariat_client, django_capture_on_commit_callbacks
):
    """The versions' admin refuses to delete a version on its own; deleting the document
    deletes its versions and, once the delete commits, their files (docs/documents.md)."""
    document = document_create(
        title="Minutes", meeting=AgendaItemFactory().session.meeting, files=[files.pdf_upload()]
    )
    name = document.latest_version.file.name
    assert default_storage.exists(name)
    url = reverse("admin:meetings_document_delete", args=[document.pk])
    confirmation = secretariat_client.get(url)
    assert confirmation.status_code == 200
    assert not confirmation.context["perms_lacking"]
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert not default_storage.exists(name)
