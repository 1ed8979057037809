"""The public side of nominations: the form, the thank-you page and the signed link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView

from anso.caching.pages import page_shows
from anso.security.client import client_address
from anso.security.ratelimit import rate_limit_exceeded, rate_limit_hit, rate_limit_hit_for

from . import services
from .forms import NominationForm, NominationResendForm

#: Accepted submissions per client address and hour.
SUBMISSIONS_PER_HOUR = 5
RATE_SCOPE = "nomination-submit"
RATE_PERIOD = 60 * 60


def _rate_limited(request, retry_after: int):
    minutes = max(1, (retry_after + 59) // 60)
    response = render(
        request,
        "members/nomination_rate_limited.html",
        {"retry_after": retry_after, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class NominationCreateView(FormView):
    form_class = NominationForm
    template_name = "members/nomination_form.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # An open nomination blocks a new one: the page offers the confirmation link again.
        context["already_open"] = context["form"].has_error("email", "already_open")
        return context

    def post(self, request, *args, **kwargs):
        limit = {"scope": RATE_SCOPE, "limit": SUBMISSIONS_PER_HOUR, "period": RATE_PERIOD}
        state = rate_limit_exceeded(request, **limit)
        if not state.allowed:
            return _rate_limited(request, state.retry_after)
        form = self.get_form()
        if form.is_bot:
            # Count it, store nothing, send nothing, look like success.
            rate_limit_hit(request, **limit)
            return redirect("members:nomination_thanks")
        if not form.is_valid():
            return self.form_invalid(form)
        hit = rate_limit_hit(request, **limit)
        if not hit.allowed:
            return _rate_limited(request, hit.retry_after)
        try:
            services.nomination_submit(
                details=form.details(),
                client_address=client_address(request),
                language=request.LANGUAGE_CODE,
            )
        except services.NominationAlreadyOpen as error:
            form.add_error("email", ValidationError(str(error), code="already_open"))
            return self.form_invalid(form)
        return redirect("members:nomination_thanks")


class NominationThanksView(TemplateView):
    template_name = "members/nomination_thanks.html"

    def get(self, request, *args, **kwargs):
        page_shows(request)  # no record: cached until a deploy changes it
        return super().get(request, *args, **kwargs)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def nomination_confirm(request, token: str):
    """The link from the submitter's mail shows the nomination's status every time; while the
    nomination is unconfirmed it offers a button, and the POST of that button confirms. Opening
    the link changes nothing: mail scanners and link previews follow links, and must not
    confirm a nomination the submitter never saw. A tampered link is a 400 page; an expired
    link confirms nothing (400 while unconfirmed, the status once confirmed)."""
    check = services.nomination_from_token(token=token)
    if check is None:
        return render(request, "members/nomination_link_invalid.html", status=400)
    nomination = check.nomination
    if check.expired and nomination.status == services.NominationStatus.UNCONFIRMED:
        return render(
            request,
            "members/nomination_link_expired.html",
            {"days": services.CONFIRMATION_MAX_AGE.days},
            status=400,
        )
    if request.method == "POST":
        if not check.expired and services.nomination_confirm(nomination=nomination):
            messages.success(
                request,
                _(
                    "Thank you: the nomination is confirmed and now awaits review by the "
                    "Secretariat."
                ),
            )
        return redirect(request.path)
    return render(request, "members/nomination_status.html", {"nomination": nomination})


#: Requests for a new confirmation link, per client address and per submitter address, an hour.
RESENDS_PER_HOUR = 5
RESENDS_PER_EMAIL_PER_HOUR = 3


def _resend_allowed(request, email: str) -> tuple[bool, int]:
    """One request counted against the client's address and the submitter's address: a
    visitor cannot flood a submitter's mailbox from one address or from many."""
    by_client = rate_limit_hit(
        request, scope="nomination-resend", limit=RESENDS_PER_HOUR, period=RATE_PERIOD
    )
    if not by_client.allowed:
        return False, by_client.retry_after
    by_email = rate_limit_hit_for(
        scope="nomination-resend-email",
        subject=email,
        limit=RESENDS_PER_EMAIL_PER_HOUR,
        period=RATE_PERIOD,
    )
    return by_email.allowed, 0


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def nomination_resend(request):
    """A new confirmation link for a submitter whose mail did not arrive. The answer is the
    same whatever the address: it does not tell who submitted a nomination."""
    form = NominationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        allowed, retry_after = _resend_allowed(request, email)
        if retry_after:
            return _rate_limited(request, retry_after)
        if allowed:
            services.nomination_resend_link(submitter_email=email)
        messages.success(
            request,
            _(
                "If a nomination awaiting confirmation was submitted with this address, a new "
                "confirmation link is on its way to it."
            ),
        )
        return redirect("members:nomination_resend")
    return render(request, "members/nomination_resend.html", {"form": form})
