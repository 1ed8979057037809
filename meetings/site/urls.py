"""Included at the site's root (anso/urls.py). The names have no namespace: they are the
site's own ("home", "sitemap"), and the pages of an organization and a person are linked from
every part of the site through `get_absolute_url`."""

from django.urls import path

from members.sitemaps import OrganizationSitemap

from .. import views as meeting_views
from ..sitemaps import ActionSitemap, MeetingSitemap, StaticViewSitemap
from . import views

SITEMAPS = {
    "pages": StaticViewSitemap,
    "meetings": MeetingSitemap,
    "organizations": OrganizationSitemap,
    "actions": ActionSitemap,
}

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("members/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
