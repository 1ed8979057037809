""" "An agenda item belongs to its session, a session to its meeting": one rule
(`Document.place`), and every way a document is placed gets the same answer from it: the
model's validation, the create and update services, and the admin's form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from meetings.documents.models import Document
from meetings.documents.services import document_create, document_update
from tests import sample_files as files
from tests.admin_helpers import admin_post, form_errors
from tests.factories import AgendaItemFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _placed(document: Document):
    return (document.meeting_id, document.session_id, document.agenda_item_id)


def _by_the_model(**targets):
    document = Document(title_en="Slides", **targets)
    try:
        document.full_clean(exclude=["latest_version"])
    except ValidationError as error:
        return error.message_dict
    return _placed(document)


def _by_create(**targets):
    try:
        return _placed(document_create(title="Slides", **targets))
    except ValidationError as error:
        return error.message_dict


def _by_update(**targets):
    document = document_create(title="Slides", meeting=MeetingFactory())
    try:
        return _placed(document_update(document=document, **targets))
    except ValidationError as error:
        return error.message_dict


def _by_the_admin(client):
    def post(**targets):
        data = {
            "title_en": "Slides",
            "kind": "presentation",
            "language": "en",
            "order": "1",
            "visibility": "public",
            "files": [files.pdf_upload()],
            **{name: target.pk for name, target in targets.items()},
        }
        response = admin_post(client, reverse("admin:meetings_document_add"), data)
        if response.status_code == 302:
            return _placed(Document.objects.latest("pk"))
        return form_errors(response)

    return post


def _ways_in(client):
    return {
        "model": _by_the_model,
        "create": _by_create,
        "update": _by_update,
        "admin": _by_the_admin(client),
    }


def test_an_agenda_item_alone_places_the_document_in_its_session_and_meeting(
    secretariat_client,
):
    item = AgendaItemFactory()
    expected = (item.session.meeting_id, item.session_id, item.pk)
    with translation.override("en"):
        answers = {
            name: way(agenda_item=item) for name, way in _ways_in(secretariat_client).items()
        }
    assert answers == dict.fromkeys(answers, expected)


@pytest.mark.parametrize(
    ("mismatch", "field", "message"),
    (
        (
            "item_in_another_session",
            "agenda_item",
            "This agenda item is not in the chosen session.",
        ),
        (
            "session_of_another_meeting",
            "session",
            "This session is not part of the chosen meeting.",
        ),
    ),
)
def test_targets_that_do_not_belong_together_get_the_same_error_every_way(
    secretariat_client, mismatch, field, message
):
    item = AgendaItemFactory()
    if mismatch == "item_in_another_session":
        targets = {"agenda_item": item, "session": SessionFactory()}
    else:
        targets = {"session": item.session, "meeting": MeetingFactory()}
    with translation.override("en"):
        answers = {name: way(**targets) for name, way in _ways_in(secretariat_client).items()}
    assert answers == {name: {field: [message]} for name in answers}
