"""The admin of votes: the Secretariat sets a vote up, opens it, records the counts of a vote
taken at the meeting and closes it, each through the services; ballots and delegations are
read-only (the contact persons cast them through their personal links)."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import Ballot, Choice, Delegation, Vote

#: Settled when the vote opens: they decide who votes and how it is counted.
SETTLED_WHEN_OPEN = ["decision", "method", "opens_at", "majority", "quorum", "secret"]
COUNTS = ["recorded_yes", "recorded_no", "recorded_abstain"]


def result_text(vote: Vote) -> str:
    result = selectors.vote_result(vote)
    outcome = (
        gettext("passed")
        if result.passed
        else gettext("quorum not reached")
        if not result.quorum_reached
        else gettext("majority not reached")
    )
    return gettext(
        "yes %(yes)s, no %(no)s, abstain %(abstain)s; %(taking_part)s of %(electorate)s took "
        "part (quorum %(needed)s): %(outcome)s"
    ) % {
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
        "taking_part": result.taking_part,
        "electorate": result.electorate,
        "needed": result.quorum_needed,
        "outcome": outcome,
    }


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BallotInline(ReadOnlyMixin, admin.TabularInline):
    model = Ballot
    fields = ["organization", "choice_shown", "cast_by", "cast_at", "via_delegation"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "vote",
                "organization",
                "cast_by",
                "via_delegation__organization",
                "via_delegation__delegate",
            )
        )

    @admin.display(description=_("choice"))
    def choice_shown(self, obj):
        return choice_shown(obj)


def choice_shown(ballot: Ballot) -> str:
    """A secret ballot's choice is not shown, in the admin either: only the totals."""
    return gettext("secret") if ballot.vote.secret else Choice(ballot.choice).label


class DelegationInline(ReadOnlyMixin, admin.TabularInline):
    model = Delegation
    fields = ["organization", "delegate", "given_by", "given_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "delegate", "given_by")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["decision", "method", "opens_at", "closes_at", "opened_at", "closed_at"]
    list_filter = ["method", "secret"]
    list_select_related = ["decision__meeting"]
    autocomplete_fields = ["decision"]
    search_fields = ["decision__text_en", "decision__text_zh_hans"]
    ordering = ["-opens_at"]
    fields = [
        "decision",
        "method",
        ("opens_at", "closes_at"),
        ("majority", "quorum"),
        "secret",
        tuple(COUNTS),
        "electorate_date",
        ("opened_at", "reminded_at", "closed_at"),
        "result",
    ]
    readonly_fields = ["electorate_date", "opened_at", "reminded_at", "closed_at", "result"]
    inlines = [DelegationInline, BallotInline]
    actions = ["open_selected", "close_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.opened_at is not None:
            fields += SETTLED_WHEN_OPEN
        if obj is not None and (obj.closed_at is not None or obj.method != "meeting"):
            fields += [*COUNTS, "closes_at"] if obj.closed_at is not None else COUNTS
        return fields

    @admin.display(description=_("vote's date (electorate)"))
    def electorate_date(self, obj):
        return obj.electorate_date if obj.opens_at else "—"

    @admin.display(description=_("result"))
    def result(self, obj):
        return result_text(obj) if obj.pk and obj.opened_at else "—"

    def save_model(self, request, obj, form, change):
        """The counts of a vote at the meeting are recorded through the service (checked
        against the electorate); the rest of the set-up is saved as typed."""
        counts = {name: form.cleaned_data.get(name) for name in COUNTS if name in form.changed_data}
        for name in counts:
            setattr(obj, name, form.initial.get(name))
        super().save_model(request, obj, form, change)
        if counts:
            values = {
                name.removeprefix("recorded_"): form.cleaned_data.get(name) or 0 for name in COUNTS
            }
            try:
                services.vote_record_counts(vote=obj, **values)
            except services.VoteRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                obj.refresh_from_db()

    @admin.action(description=_("Open the selected votes (mails the ballot links)"))
    def open_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            services.vote_open,
            lambda n: ngettext("%(count)d vote opened.", "%(count)d votes opened.", n),
        )

    @admin.action(description=_("Close the selected votes (counts them, mails the result)"))
    def close_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            services.vote_close,
            lambda n: ngettext("%(count)d vote closed.", "%(count)d votes closed.", n),
        )

    def _each(self, request, queryset, service, done) -> None:
        """Run `service` on each vote; `done(count)` is the message of how many succeeded."""
        count = 0
        for vote in queryset:
            try:
                service(vote=vote)
            except services.VoteRefused as refused:
                self.message_user(request, f"{vote}: {refused.message}", messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)


@admin.register(Ballot)
class BallotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["vote", "organization", "choice_shown", "cast_at", "via_delegation"]
    list_select_related = [
        "vote__decision__meeting",
        "organization",
        "via_delegation__organization",
        "via_delegation__delegate",
    ]
    list_filter = ["vote__method"]
    ordering = ["-cast_at"]

    @admin.display(description=_("choice"))
    def choice_shown(self, obj):
        return choice_shown(obj)


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["vote", "organization", "delegate", "given_at"]
    list_select_related = ["vote__decision__meeting", "organization", "delegate"]
    ordering = ["-given_at"]
