"""The search page: the form, and the results grouped by kind, or one kind's pages.

Not stored by the page cache (`never_cache`): every query is a different address, and keeping
them would fill the cache with pages read once. Each search counts against the client's rate
limit (`SEARCH_RATE_PER_MINUTE`; over it, 429 with `Retry-After`)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anso.security.ratelimit import rate_limit_hit

from .highlight import MAX_QUERY_CHARS, MIN_QUERY_CHARS
from .kinds import KINDS, KINDS_BY_KEY
from .selectors import search_kind, search_overview

RATE_SCOPE = "search"
RATE_PERIOD = 60


def _page_number(request) -> int:
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError as error:
        raise Http404(_("There is no such page.")) from error
    if page < 1:
        raise Http404(_("There is no such page."))
    return page


@never_cache
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    kind = KINDS_BY_KEY.get(request.GET.get("kind", ""))
    context = {
        "query": query,
        "kind": kind,
        "kinds": KINDS,
        "min_chars": MIN_QUERY_CHARS,
        "too_short": bool(query) and len(query) < MIN_QUERY_CHARS,
        "groups": None,
        "group": None,
    }
    if not query or context["too_short"]:
        return render(request, "meetings/search_results.html", context)
    limit = rate_limit_hit(
        request, scope=RATE_SCOPE, limit=settings.SEARCH_RATE_PER_MINUTE, period=RATE_PERIOD
    )
    if not limit.allowed:
        context["retry_after"] = limit.retry_after
        response = render(request, "meetings/search_results.html", context, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response
    if kind is not None:
        page = _page_number(request)
        group = search_kind(query, kind, page)
        if page > 1 and not group.hits:
            raise Http404(_("There is no such page."))
        context["group"] = group
    else:
        context["groups"] = search_overview(query)
    return render(request, "meetings/search_results.html", context)
