"""The page a member's personal link opens on circulated minutes: the draft, part by part, with
a comment form under each part and the member's own earlier comments (docs/record.md,
"Comments while circulated"). Personal: never cached, never indexed, its address not sent on."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from anso.security.ratelimit import rate_limit_hit_for

from ..views import PublishedMeetingMixin
from .comments import (
    COMMENT_MAX_LENGTH,
    CommentRefused,
    commenter_from_token,
    comments_closed_reason,
    minutes_comment_add,
    parts_with_own_comments,
)
from .models import Minutes

#: Comments posted through one personal link per hour (the invitation links' rule: the link is
#: the proof of who posts, counted on its own).
COMMENT_LINK_POSTS_PER_HOUR = 20


class CommentForm(forms.Form):
    part = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=gettext_lazy("Your comment on this part"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _personal(response):
    """The page's address carries the link: what it loads or posts is told the site's origin
    only (members/sign_in/views.py says why not "no-referrer")."""
    response["Referrer-Policy"] = "strict-origin"
    return response


@method_decorator(never_cache, name="dispatch")
class MinutesCommentView(PublishedMeetingMixin, View):
    """A member's comments on the circulated minutes of a published meeting (the meeting's
    pages are found by the one rule of `PublishedMeetingMixin`), through their link."""

    template_name = "meetings/record/minutes_comments.html"

    def dispatch(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        self.minutes = get_object_or_404(Minutes, meeting=meeting)
        self.minutes.meeting = meeting
        self.person = commenter_from_token(token=kwargs["token"], minutes=self.minutes)
        if self.person is None:
            return _personal(
                render(
                    request,
                    "meetings/record/minutes_comments_invalid.html",
                    {"meeting": self.minutes.meeting},
                    status=404,
                )
            )
        if not self.person.in_working_group:  # left the working group since the mail
            return _personal(
                render(
                    request,
                    "meetings/record/minutes_comments_not_member.html",
                    {"meeting": self.minutes.meeting},
                    status=403,
                )
            )
        return _personal(super().dispatch(request, *args, **kwargs))

    def render(self, *, form=None, status=200, closed=""):
        context = {
            "minutes": self.minutes,
            "meeting": self.minutes.meeting,
            "person": self.person,
            "closed": closed or comments_closed_reason(minutes=self.minutes),
            "parts": parts_with_own_comments(minutes=self.minutes, person=self.person),
            "form": form,
            "max_length": COMMENT_MAX_LENGTH,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        closed = comments_closed_reason(minutes=self.minutes)
        if closed:
            messages.error(request, closed)
            return self.render(status=403, closed=closed)
        form = CommentForm(request.POST)
        hit = rate_limit_hit_for(
            scope="minutes-comment-link",
            subject=f"{self.minutes.pk}.{self.person.pk}",
            limit=COMMENT_LINK_POSTS_PER_HOUR,
            period=60 * 60,
        )
        if not hit.allowed:
            messages.error(
                request,
                _("Too many comments through this link in the last hour. Please try again later."),
            )
            response = self.render(form=form, status=429)
            response["Retry-After"] = str(hit.retry_after)
            return response
        if not form.is_valid():
            return self.render(form=form, status=400)
        part = self.minutes.parts.filter(pk=form.cleaned_data["part"]).first()
        if part is None:
            form.add_error(None, _("This part is not one of these minutes."))
            return self.render(form=form, status=400)
        try:
            minutes_comment_add(part=part, person=self.person, text=form.cleaned_data["text"])
        except CommentRefused as refused:
            messages.error(request, refused.message)
            return self.render(form=form, status=403)
        messages.success(request, _("Thank you: your comment is sent to the Secretariat."))
        return HttpResponseRedirect(f"{request.path}#part-{part.pk}")
