"""Downloads (meetings/documents/views.py): who may have which file, each role of the
permission matrix, on the local file system and on an S3-compatible server; the headers; the
members' sign-in on the way to a members-only file."""

import urllib.request

import pytest
from django.urls import reverse
from sesame.utils import get_token

from anso.files import uploads
from anso.files.storage import is_s3
from meetings.documents.models import Visibility
from meetings.documents.services import document_create, document_version_add
from members.sign_in.services import TOKEN_SCOPE
from tests import sample_files as files
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

FILE, SIGN_IN, NOT_FOUND = "file", "sign in", 404

#: Visibility -> role -> what the role gets.
ROLES = ("anonymous", "member", "signed_in", "outsider", "secretariat", "password_only",
         "superuser")  # fmt: skip
MATRIX = {
    Visibility.PUBLIC: dict.fromkeys(ROLES, FILE),
    Visibility.MEMBERS: {
        "anonymous": SIGN_IN,
        "member": FILE,
        "signed_in": NOT_FOUND,
        "outsider": NOT_FOUND,
        "secretariat": FILE,
        "password_only": NOT_FOUND,  # the Secretariat, second factor not given: not yet
        "superuser": FILE,
    },
    Visibility.SECRETARIAT: {
        "anonymous": NOT_FOUND,
        "member": NOT_FOUND,
        "signed_in": NOT_FOUND,
        "outsider": NOT_FOUND,
        "secretariat": FILE,
        "password_only": NOT_FOUND,
        "superuser": FILE,
    },
}


def _document(visibility, *, data=None, name="Future actions.pdf", **target):
    target = target or {"agenda_item": AgendaItemFactory()}
    return document_create(
        title="ANSO future actions",
        visibility=visibility,
        files=[files.upload(name, data or files.pdf_bytes())],
        **target,
    )


def outcome(response, storage):
    """(what the visitor gets, the body, the headers the browser sees)."""
    if response.status_code == 404:
        return NOT_FOUND, b"", {}
    if response.status_code == 302 and "sign-in" in response["Location"]:
        return SIGN_IN, b"", {}
    if is_s3(storage):
        assert response.status_code == 302, response.status_code
        assert response["Cache-Control"] == "private, no-store"
        with urllib.request.urlopen(response["Location"], timeout=10) as answer:  # noqa: S310
            return FILE, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    return FILE, body, {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.parametrize("visibility", list(MATRIX))
def test_permission_matrix(any_storage, role_clients, visibility):
    data = files.pdf_bytes()
    version = _document(visibility, data=data).latest_version
    url = version.get_absolute_url()
    failures = []
    for role, expected in MATRIX[visibility].items():
        got, body, _headers = outcome(role_clients[role].get(url), any_storage)
        if got != expected or (got == FILE and body != data):
            failures.append(f"{role}: {got}, expected {expected}")
    assert failures == []


def test_a_members_only_file_asks_a_visitor_to_sign_in_and_comes_back(client, member_user):
    version = _document(Visibility.MEMBERS).latest_version
    url = version.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302
    sign_in = response["Location"]
    assert sign_in.startswith(reverse("members:member_sign_in"))
    assert "next=" in sign_in
    # The mailed link: its page posts the token, signs the member in and follows `next`.
    link = reverse("members:member_sign_in_link")
    token = get_token(member_user, scope=TOKEN_SCOPE)
    signed_in = client.post(link, {"token": token, "next": url})
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("problem", ["tampered", "reused", "expired"])
def test_a_bad_sign_in_link_gives_no_members_file(client, member_user, settings, problem):
    version = _document(Visibility.MEMBERS).latest_version
    url = version.get_absolute_url()
    link = reverse("members:member_sign_in_link")
    token = get_token(member_user, scope=TOKEN_SCOPE)
    if problem == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif problem == "reused":
        type(client)().post(link, {"token": token, "next": url})  # used once, elsewhere
    else:
        settings.SESAME_MAX_AGE = -1
    response = client.post(link, {"token": token, "next": url})
    assert response.status_code == (410 if problem == "expired" else 403)
    assert client.get(url).status_code == 302  # still asked to sign in


def test_a_document_of_an_unpublished_meeting_is_the_secretariats_only(role_clients):
    meeting = MeetingFactory(is_published=False)
    url = _document(Visibility.PUBLIC, meeting=meeting).latest_version.get_absolute_url()
    assert role_clients["anonymous"].get(url).status_code == 404
    assert role_clients["member"].get(url).status_code == 404
    assert role_clients["secretariat"].get(url).status_code == 200


def test_earlier_versions_stay_downloadable_and_unknown_ones_are_not_found(client):
    document = _document(Visibility.PUBLIC)
    first = document.latest_version
    second = document_version_add(document=document, upload=files.pdf_upload(), uploaded_by=None)
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get(second.get_absolute_url()).status_code == 200
    missing = reverse(
        "documents:download", kwargs={"pk": document.pk, "number": 3, "filename": "x"}
    )
    assert client.get(missing).status_code == 404
    assert client.post(first.get_absolute_url()).status_code == 405


def test_another_file_name_redirects_to_the_files_own_address(client):
    version = _document(Visibility.PUBLIC).latest_version
    url = reverse(
        "documents:download",
        kwargs={"pk": version.document_id, "number": version.number, "filename": "x.exe"},
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == version.get_absolute_url()


@pytest.mark.parametrize(
    ("name", "data", "disposition", "content_type"),
    [
        ("ANSO 行动计划.pdf", files.pdf_bytes(), "inline", "application/pdf"),
        ("photo.png", files.image_bytes(), "inline", "image/png"),
        ("talk.pptx", files.ooxml_bytes(), "attachment", uploads.PPTX),
    ],
)
def test_headers(any_storage, client, name, data, disposition, content_type):
    version = _document(Visibility.PUBLIC, data=data, name=name).latest_version
    got, body, headers = outcome(client.get(version.get_absolute_url()), any_storage)
    assert got == FILE and body == data
    assert headers["content-type"] == content_type
    assert headers["content-disposition"].startswith(disposition)
    assert version.filename.rpartition(".")[2] in headers["content-disposition"]
    if not is_s3(any_storage):
        assert headers["x-content-type-options"] == "nosniff"


def test_a_members_only_file_is_not_cached_by_shared_caches(role_clients):
    url = _document(Visibility.MEMBERS).latest_version.get_absolute_url()
    response = role_clients["member"].get(url)
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_storage_address_is_not_a_way_in(any_storage, client, settings):
    """The file's name in the storage is not served by any URL of the site, and on a bucket
    the object is private: its address without a signature is refused."""
    version = _document(Visibility.SECRETARIAT).latest_version
    assert client.get("/" + version.file.name).status_code == 404
    assert client.get(f"/media/{version.file.name}").status_code == 404
    if is_s3(any_storage):
        unsigned = any_storage.url(version.file.name).split("?", 1)[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310
        assert refused.value.code == 403


def test_previews_follow_the_documents_visibility(
    any_storage, role_clients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document(Visibility.MEMBERS)
    version = document.versions.get()
    version.refresh_from_db()
    url = version.get_preview_url()
    assert url
    assert outcome(role_clients["anonymous"].get(url), any_storage)[0] == SIGN_IN
    assert outcome(role_clients["signed_in"].get(url), any_storage)[0] == NOT_FOUND
    got, body, headers = outcome(role_clients["member"].get(url), any_storage)
    assert got == FILE and body.startswith(b"\x89PNG")
    assert headers["content-type"] == "image/png"


def test_no_preview_yet_is_not_found(client):
    version = _document(Visibility.PUBLIC).latest_version  # the commit never came: pending
    url = reverse("documents:preview", kwargs={"pk": version.document_id, "number": 1})
    assert client.get(url).status_code == 404


def test_a_user_who_is_not_a_member_is_not_sent_to_sign_in(client):
    client.force_login(UserFactory())
    url = _document(Visibility.MEMBERS).latest_version.get_absolute_url()
    assert client.get(url).status_code == 404
