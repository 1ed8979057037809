"""Why the site has its own page cache rather than Django's `cache_page` with a version key
(docs/architecture.md, "What we wrote ourselves, and why"): the same page, served both ways.

`cache_page` keyed by a version that every write renews shows a change at once, as ours does,
but it lacks two things ours has:
- a write renews only the pages that show what it changed: with `cache_page`, every write (a
  check-in, twice a second at a meeting) renders every page again;
- while one visitor renders a stale page, the others get the previous copy: with `cache_page`
  every visitor that comes meanwhile renders it too.
"""

import pytest
from django.test import Client

from tests.factories import OrganizationFactory
from tests.production import urls_page_cache_library as pages

pytestmark = [pytest.mark.django_db, pytest.mark.urls(pages.__name__)]


@pytest.fixture(autouse=True)
def fresh_counts(page_cache):
    pages.renders.update(ours=0, library=0)
    pages.during_next_render.clear()


def _both_ways(settings):
    """Ours with the site's page cache on; the library's with it off (it caches by itself)."""

    def get(way, url):
        settings.PAGE_CACHE_ENABLED = way == "ours"
        return Client().get(url)

    return get


@pytest.mark.parametrize("way", ["ours", "library"])
def test_both_show_a_change_of_the_page_at_once(settings, way):
    get = _both_ways(settings)
    organization = OrganizationFactory(name="Institute of Old Names")
    url = f"/{way}/{organization.pk}/"
    assert get(way, url).content == b"Institute of Old Names"
    assert get(way, url).content == b"Institute of Old Names"
    assert pages.renders[way] == 1
    organization.name = "Institute of New Names"
    organization.save()
    assert get(way, url).content == b"Institute of New Names"


@pytest.mark.parametrize(("way", "renders"), [("ours", 1), ("library", 2)])
def test_a_write_to_another_record_renders_the_page_again_only_with_cache_page(
    settings, way, renders
):
    get = _both_ways(settings)
    shown, other = OrganizationFactory(), OrganizationFactory()
    url = f"/{way}/{shown.pk}/"
    get(way, url)
    other.name = "Another Name"
    other.save()
    assert get(way, url).status_code == 200
    assert pages.renders[way] == renders


@pytest.mark.parametrize(("way", "renders"), [("ours", 2), ("library", 3)])
def test_a_visitor_during_a_render_gets_the_previous_copy_only_with_ours(settings, way, renders):
    get = _both_ways(settings)
    organization = OrganizationFactory(name="Institute of Old Names")
    url = f"/{way}/{organization.pk}/"
    get(way, url)
    organization.name = "Institute of New Names"
    organization.save()
    meanwhile = []
    pages.during_next_render.append(lambda: meanwhile.append(get(way, url)))
    assert get(way, url).content == b"Institute of New Names"
    assert pages.renders[way] == renders
    if way == "ours":
        assert meanwhile[0]["X-Page-Cache"] == "stale"
        assert meanwhile[0].content == b"Institute of Old Names"
