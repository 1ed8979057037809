"""Project-level views that belong to no domain app."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from anso.caching.pages import page_shows
from anso.links import absolute_url


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_floor(request):
    """The least a Django answer costs through the site's middleware, with no page cache and no
    query: the floor of bench/run.py (docs/performance.md). Off unless `DJANGO_BENCH_FLOOR`."""
    if not settings.BENCH_FLOOR:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")


@require_safe
def robots_txt(request):
    """What crawlers may index: not the admin, the account pages, nor the forms and the
    pages behind a link sent by mail; and where the sitemap is."""
    page_shows(request)  # no record: cached until a deploy changes it
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the icon itself is a static
    file, under its hashed name in production."""
    return HttpResponseRedirect(static("favicon.ico"))
