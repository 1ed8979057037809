"""The signed-in member's data: a page and a JSON download (docs/personal-data.md). Personal:
never cached, never shown to anyone but the member; a visitor not signed in is sent to the
members' sign-in, and back here after it."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from anso.security.ratelimit import rate_limit_hit

from ..access import member_person, sign_in_url
from .selectors import personal_data, personal_data_shown

#: Views of one's data per client address an hour (the sign-in link's window).
VIEWS_PER_CLIENT_PER_HOUR = 30
RATE_PERIOD = 60 * 60


def _private(response):
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused(request):
    """Not signed in as a member: the sign-in page, back here after; or 429 past the limit."""
    person = member_person(request.user)
    if person is None:
        return None, _private(redirect(sign_in_url(request.get_full_path())))
    hit = rate_limit_hit(
        request, scope="personal-data", limit=VIEWS_PER_CLIENT_PER_HOUR, period=RATE_PERIOD
    )
    if not hit.allowed:
        response = render(request, "members/personal_data_rate_limited.html", {}, status=429)
        response["Retry-After"] = str(hit.retry_after)
        return None, _private(response)
    return person, None


@require_safe
@never_cache
def personal_data_page(request):
    person, refused = _refused(request)
    if refused:
        return refused
    context = {"sections": personal_data_shown(personal_data(person=person)), "person": person}
    return _private(render(request, "members/personal_data.html", context))


@require_safe
@never_cache
def personal_data_json(request):
    person, refused = _refused(request)
    if refused:
        return refused
    response = JsonResponse(
        {
            "generated_at": timezone.now().isoformat(),
            "language": request.LANGUAGE_CODE,
            **personal_data(person=person),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return _private(response)
