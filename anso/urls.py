"""The root URLconf. It names the apps' URLconfs only by their module paths, so that anso
imports no domain app."""

from django.contrib import admin
from django.urls import include, path

from . import two_factor, views

urlpatterns = [
    path("", include("meetings.site.urls")),
    path("", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
]
