"""The site's paths without a language prefix (anso/urls.py): the sitemap lists every page in
both languages, each with its alternates, so it belongs to neither."""

from django.urls import path

from members.sitemaps import OrganizationSitemap

from ..sitemaps import ActionSitemap, MeetingSitemap, StaticViewSitemap
from . import views

SITEMAPS = {
    "pages": StaticViewSitemap,
    "meetings": MeetingSitemap,
    "organizations": OrganizationSitemap,
    "actions": ActionSitemap,
}

urlpatterns = [
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
