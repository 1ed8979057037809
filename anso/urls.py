"""The root URLconf. It names the apps' URLconfs only by their module paths, so that anso
imports no domain app.

Public pages live under a language prefix (`/en/`, `/zh-hans/`, `i18n_patterns`); a path without
one is redirected by LocaleMiddleware to the visitor's language (cookie, then Accept-Language).
The admin, the account pages, the health check, the sitemap and `i18n/setlang/` stay
unprefixed: they follow the language chosen instead."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from anso import views
from anso.security import two_factor

urlpatterns = [
    path("", include("meetings.site.unprefixed_urls")),
    path("admin/", admin.site.urls),
    path("documents/", include("meetings.documents.urls")),
    # The read-only JSON API (docs/api.md); the language comes from `?lang=` or Accept-Language.
    path("api/v1/", include("meetings.api_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", views.bench_floor, name="bench_floor"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
]

urlpatterns += i18n_patterns(
    path("", include("meetings.site.urls")),
    path("", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("papers/", include("meetings.papers.urls")),
    path("search/", include("meetings.search.urls")),
    prefix_default_language=True,
)
