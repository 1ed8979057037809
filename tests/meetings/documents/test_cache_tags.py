"""Which cached public pages a document renews (meetings/cache_tags.py): its meeting's, the
action plan's when it is on an action or on an item that presents one, and its presenter's."""

import pytest

from meetings.documents.models import Visibility
from meetings.documents.services import document_create, document_update, document_version_add
from meetings.models import AgendaItem
from tests import sample_files as files
from tests.production.test_cache_tags import alliance, renewed_by  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_a_presentation_renews_its_meeting_the_action_plan_and_the_presenter(alliance):  # noqa: F811
    item = AgendaItem.objects.get(session__meeting=alliance["c"])

    def upload():
        document_create(
            title="Shared observatory",
            agenda_item=item,
            presented_by=alliance["p"],
            visibility=Visibility.PUBLIC,
            files=[files.pdf_upload()],
        )

    # The action plan's tag is shown by every page that names actions: the meetings' pages
    # (their programmes link the actions) and the sitemap.
    assert renewed_by(alliance["pages"], upload) == {
        "meeting A",
        "meeting C",
        "meeting D",
        "action plan",
        "action",
        "person P",
        "sitemap",
    }


def test_a_document_on_a_meeting_renews_its_meeting_and_its_presenter(alliance):  # noqa: F811
    def upload():
        document_create(
            title="Opening address",
            meeting=alliance["a"],
            presented_by=alliance["q"],
            visibility=Visibility.PUBLIC,
            files=[files.pdf_upload()],
        )

    assert renewed_by(alliance["pages"], upload) == {"meeting A", "person Q"}


def test_a_new_version_renews_its_meeting_only(alliance):  # noqa: F811
    document = document_create(
        title="Minutes", meeting=alliance["a"], visibility=Visibility.PUBLIC, kind="minutes"
    )

    def replace():
        document_version_add(document=document, upload=files.pdf_upload(), uploaded_by=None)

    assert renewed_by(alliance["pages"], replace) == {"meeting A"}


def test_moving_a_document_renews_both_meetings(alliance):  # noqa: F811
    document = document_create(title="Minutes", meeting=alliance["a"], files=[files.pdf_upload()])

    def move():
        document_update(document=document, meeting=alliance["c"])

    assert renewed_by(alliance["pages"], move) == {"meeting A", "meeting C"}
