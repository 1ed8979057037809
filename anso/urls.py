from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from meetings.sitemaps import ActionSitemap, MeetingSitemap, StaticViewSitemap
from meetings.views import home
from members.sitemaps import OrganizationSitemap

from . import two_factor, views

sitemaps = {
    "pages": StaticViewSitemap,
    "meetings": MeetingSitemap,
    "organizations": OrganizationSitemap,
    "actions": ActionSitemap,
}

urlpatterns = [
    path("", home, name="home"),
    path("", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
]
