"""The members' sign-in pages: ask for a link, use it, sign out.

The link's GET only shows a "Sign in" button (mail scanners open links); its POST uses the
token. Every page here is personal or carries a token: none is cached, and the link's page
tells no other page its address.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anso.security.ratelimit import rate_limit_hit, rate_limit_hit_for

from ..access import member_person, safe_next
from . import services
from .forms import SignInForm, SignInLinkRequestForm

#: Requests for a link per client address, and per email address whoever asks, an hour.
LINKS_PER_CLIENT_PER_HOUR = 10
LINKS_PER_EMAIL_PER_HOUR = 3
RATE_PERIOD = 60 * 60

#: The statuses of a link that does not sign in.
_PROBLEM_STATUS = {services.TokenProblem.EXPIRED: 410, services.TokenProblem.INVALID: 403}


def _next_from(request, data) -> str:
    """The safe `next` of the request, or "" (the home page is the default)."""
    value = data.get("next", "")
    return value if value and safe_next(value, request) == value else ""


def _link_rate_limited(request, email: str) -> int:
    """Seconds to wait when this request for a link is one too many, else 0: counted against
    the client and against the address, so that nobody can flood a member's mailbox."""
    by_client = rate_limit_hit(
        request, scope="member-sign-in", limit=LINKS_PER_CLIENT_PER_HOUR, period=RATE_PERIOD
    )
    if not by_client.allowed:
        return by_client.retry_after
    by_email = rate_limit_hit_for(
        scope="member-sign-in-email",
        subject=email,
        limit=LINKS_PER_EMAIL_PER_HOUR,
        period=RATE_PERIOD,
    )
    return 0 if by_email.allowed else by_email.retry_after


def _request_page(request, form, *, next_url: str, status: int = 200, **extra):
    context = {"form": form, "next_url": next_url, **extra}
    return render(request, "members/sign_in/request.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def member_sign_in(request):
    """The members' sign-in page: a visitor types their email; a member is mailed a link. The
    answer is the same page and message whatever the address."""
    next_url = _next_from(request, request.POST if request.method == "POST" else request.GET)
    if request.method != "POST":
        return _request_page(request, SignInLinkRequestForm(), next_url=next_url)
    form = SignInLinkRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, form, next_url=next_url, status=400)
    email = form.cleaned_data["email"]
    retry_after = _link_rate_limited(request, email)
    if retry_after:
        minutes = max(1, (retry_after + 59) // 60)
        response = _request_page(
            request, form, next_url=next_url, status=429, rate_limited_minutes=minutes
        )
        response["Retry-After"] = str(retry_after)
        return response
    services.sign_in_link_request(
        email=email,
        language=request.LANGUAGE_CODE,
        next_url=next_url,
    )
    messages.success(
        request,
        _(
            "If this address belongs to a contact person of a member organization, a sign-in "
            "link is on its way to it. Open the mail and follow the link."
        ),
    )
    target = reverse("members:member_sign_in")
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


def _origin_only_referrer(response):
    """The link page's address holds the token: what it loads or posts is told the site's
    origin only, never the address. Not "no-referrer": with it browsers send `Origin: null`
    with the form's POST, which the CSRF check refuses."""
    response["Referrer-Policy"] = "strict-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def member_sign_in_link(request):
    """The link of the mail. GET shows a "Sign in" button and uses nothing; POST uses the
    token, signs the member in (a new session) and sends them on to the safe `next`."""
    if request.method != "POST":
        form = SignInForm(
            initial={
                "token": request.GET.get(settings.SESAME_TOKEN_NAME, "")[:200],
                "next": _next_from(request, request.GET),
            }
        )
        return _origin_only_referrer(render(request, "members/sign_in/link.html", {"form": form}))
    form = SignInForm(request.POST)
    outcome = services.sign_in_token_use(token=form.data.get("token", "")[:200])
    next_url = _next_from(request, request.POST)
    if isinstance(outcome, services.TokenProblem):
        context = {
            "problem": outcome.value,
            "form": SignInLinkRequestForm(),
            "next_url": next_url,
        }
        response = render(
            request, "members/sign_in/link_refused.html", context, status=_PROBLEM_STATUS[outcome]
        )
        return _origin_only_referrer(response)
    login(request, outcome, backend=services.BACKEND)  # a new session key: no fixation
    person = member_person(outcome)
    messages.success(request, _("Signed in as %(name)s.") % {"name": person.display_name})
    return _origin_only_referrer(HttpResponseRedirect(safe_next(next_url, request)))


@require_POST
def member_sign_out(request):
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect(safe_next(request.POST.get("next", ""), request))
