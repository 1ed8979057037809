"""The meeting of a page's URL is found by one rule for every page that names a meeting, in
`meetings.views`: the published meeting for the public pages (registration, the registrant's
link, the invitation's link), any meeting for the Secretariat's pages behind the staff rule
(check-in, the report, the invitations)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from meetings import views as meeting_views

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _meeting_views(patterns=None, namespace=""):
    """(url name, view class) of every class-based view whose URL names a meeting."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _meeting_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and "<slug:slug>" in str(pattern.pattern):
                yield f"{namespace}{pattern.name}", view


def test_every_page_of_a_meeting_uses_the_shared_mixins():
    found = dict(_meeting_views())
    assert {"meetings:registration_create", "meetings:invitation_compose"} <= set(found)
    for name, view in found.items():
        assert issubclass(
            view, meeting_views.PublishedMeetingMixin | meeting_views.SecretariatMixin
        ), name
        assert view.get_meeting.__module__ == "meetings.views", name


def test_an_unpublished_meeting_is_a_404_on_its_public_pages_and_open_to_the_secretariat(
    client, secretariat_client
):
    meeting = MeetingFactory(is_published=False)
    kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    with translation.override("en"):
        public = reverse("meetings:registration_create", kwargs=kwargs)
        staff = reverse("meetings:invitation_list", kwargs=kwargs)
    assert client.get(public).status_code == 404
    assert secretariat_client.get(staff).status_code == 200
