"""The site's URLs and one page served two ways, for test_page_cache_library.py: through the
site's page cache (it declares the record it shows), and through Django's `cache_page` keyed
by a version that every write renews (the library's way, as pretalx does)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_page

from anso.caching import tags as cache_tags
from anso.caching.pages import page_shows
from anso.urls import urlpatterns as site_urlpatterns
from members.models import Organization

#: Renders of each way, and a request to make while the next render runs (a second visitor).
renders = {"ours": 0, "library": 0}
during_next_render = []


def _render(way, pk):
    renders[way] += 1
    while during_next_render:
        during_next_render.pop()()
    return HttpResponse(Organization.objects.get(pk=pk).name)


def ours(request, pk):
    page_shows(request, cache_tags.record_tag(Organization, pk))
    return _render("ours", pk)


def _library_view(request, pk):
    return _render("library", pk)


def library(request, pk):
    """`cache_page`, its key renewed by every write: the clock of anso/caching/tags.py ticks on
    each."""
    versioned = cache_page(3600, key_prefix=f"v{cache_tags.clock()}")(_library_view)
    return versioned(request, pk)


urlpatterns = [
    *site_urlpatterns,
    path("ours/<int:pk>/", ours, name="ours"),
    path("library/<int:pk>/", library, name="library"),
]
