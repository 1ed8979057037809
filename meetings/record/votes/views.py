"""The pages of votes: the ballot page a contact person opens with their personal link, and
the public result once the vote has closed."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from anso.caching.pages import page_shows
from anso.security.ratelimit import rate_limit_hit
from members.cache_tags import ORGANIZATIONS
from members.models import Organization, Person

from ...views import PublishedMeetingMixin
from . import selectors, services
from .links import ballot_ids_from_token
from .models import Choice, Delegation, Vote

#: Ballot and delegation posts accepted from one client per hour: a contact person casts two
#: or three; a script does not get to try every organization.
BALLOT_POSTS_PER_HOUR = 30


@method_decorator(never_cache, name="dispatch")  # personal, and its state changes
class BallotView(View):
    """What a contact person's personal link opens: the decision, the ballots they cast
    (their organization's, and those delegated to them), the delegation of their own, and the
    result once closed. Every write goes through the services, which refuse with a message."""

    template_name = "meetings/vote_ballot.html"

    def dispatch(self, request, *args, **kwargs):
        ids = ballot_ids_from_token(kwargs["token"])
        self.vote = self.person = None
        if ids is not None:
            self.vote = (
                Vote.objects.select_related("decision__meeting__body").filter(pk=ids[0]).first()
            )
            self.person = Person.objects.filter(pk=ids[1]).first()
        if self.vote is None or self.person is None:
            return render(request, "meetings/vote_link_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def render(self, *, status=200):
        vote = self.vote
        rows = selectors.ballots_of(vote=vote, person=self.person)
        own = [row for row in rows if row.delegation is None]
        # Delegation is offered for an own organization that has neither voted nor delegated,
        # and holds no other organization's vote (no chains).
        holds = any(row.delegation is not None for row in rows)
        delegable = (
            [row for row in own if row.ballot is None and row.delegated_to is None]
            if vote.takes_ballots() and not holds
            else []
        )
        delegates = (
            selectors.electorate(vote)
            .exclude(pk__in=[row.organization.pk for row in own])
            # No chains: an organization that delegated its own vote receives none.
            .exclude(pk__in=Delegation.objects.filter(vote=vote).values("organization"))
            if delegable
            else Organization.objects.none()
        )
        context = {
            "vote": vote,
            "decision": vote.decision,
            "meeting": vote.decision.meeting,
            "person": self.person,
            "rows": rows,
            "delegable": delegable,
            "delegates": delegates.order_by("name_en"),
            "choices": Choice.choices,
            "open": vote.takes_ballots(),
            "result": selectors.vote_result(vote) if vote.is_closed else None,
        }
        if not rows and status == 200:
            status = 403  # no longer (or never) the contact person of a member organization
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        if not rate_limit_hit(
            request, scope="vote-ballot", limit=BALLOT_POSTS_PER_HOUR, period=60 * 60
        ).allowed:
            messages.error(request, _("Too many attempts from your network. Try again later."))
            return self.render(status=429)
        organization = self._organization(request.POST.get("organization"))
        if organization is None:
            return HttpResponseBadRequest(_("Unknown organization."))
        try:
            if "delegate" in request.POST:
                delegate = self._organization(request.POST.get("delegate"))
                if delegate is None:
                    return HttpResponseBadRequest(_("Unknown organization."))
                services.delegation_give(
                    vote=self.vote, person=self.person, organization=organization, delegate=delegate
                )
                messages.success(
                    request,
                    _("%(organization)s has delegated its vote to %(delegate)s.")
                    % {"organization": organization.name, "delegate": delegate.name},
                )
            else:
                choice = request.POST.get("choice", "")
                if choice not in Choice.values:
                    return HttpResponseBadRequest(_("Choose yes, no or abstain."))
                services.ballot_cast(
                    vote=self.vote, person=self.person, organization=organization, choice=choice
                )
                messages.success(
                    request,
                    _("The ballot of %(organization)s is cast: %(choice)s.")
                    % {"organization": organization.name, "choice": Choice(choice).label},
                )
        except services.VoteRefused as refused:
            messages.error(request, refused.message)
            return self.render(status=403)
        return HttpResponseRedirect(request.path)

    @staticmethod
    def _organization(value) -> Organization | None:
        if not value or not str(value).isdigit():
            return None
        return Organization.objects.filter(pk=int(value)).first()


class VoteResultView(PublishedMeetingMixin, View):
    """The public result of a closed vote: the counts, the quorum, the majority, named per
    organization unless the ballot was secret, and the delegations."""

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        page_shows(request, ORGANIZATIONS)  # the result names organizations
        vote = (
            Vote.objects.closed()
            .select_related("decision")
            .filter(decision__meeting=meeting, decision__order=kwargs["order"])
            .first()
        )
        if vote is None:
            raise Http404(_("No such vote."))
        vote.decision.meeting = meeting
        return render(
            request,
            "meetings/vote_result.html",
            {"meeting": meeting, "vote": vote, "result": selectors.vote_result(vote)},
        )
