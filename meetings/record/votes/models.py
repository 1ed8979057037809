"""Votes on decisions (docs/record.md, "Decisions and votes").

A decision may have one vote. It is taken at the meeting, where the Secretariat records the
counts, or by written procedure between meetings, where each member organization casts one
ballot through its current contact person's personal link. The electorate is the member
organizations on the vote's date, the day it opens (`Organization.objects.members_on`).

The database holds the invariants: a vote closes after it opens, its quorum is a fraction, an
organization casts one ballot per vote and delegates its vote at most once, and never to itself.
"""

import datetime
import decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VoteMethod(models.TextChoices):
    MEETING = "meeting", _("at the meeting")
    WRITTEN = "written", _("by written procedure")


class Majority(models.TextChoices):
    """Of those voting: the yes and no ballots. Abstentions count towards the quorum, not the
    majority."""

    SIMPLE = "simple", _("simple majority of those voting")
    TWO_THIRDS = "two_thirds", _("two-thirds majority of those voting")


class Choice(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstain")


class VoteQuerySet(models.QuerySet):
    def open_at(self, now: datetime.datetime):
        """Votes by written procedure taking ballots at `now`: opened, not closed, within
        their times."""
        return self.filter(
            method=VoteMethod.WRITTEN,
            opened_at__isnull=False,
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )

    def due_to_close(self, now: datetime.datetime):
        """Votes by written procedure opened and past their closing time, not closed yet."""
        return self.filter(
            method=VoteMethod.WRITTEN,
            opened_at__isnull=False,
            closed_at__isnull=True,
            closes_at__lte=now,
        )

    def closed(self):
        return self.filter(closed_at__isnull=False)


class Vote(models.Model):
    decision = models.OneToOneField(
        "meetings.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="vote",
    )
    method = models.CharField(_("method"), max_length=16, choices=VoteMethod)
    opens_at = models.DateTimeField(
        _("opens at"),
        help_text=_(
            "The member organizations on this day make up the electorate (the vote's date)."
        ),
    )
    closes_at = models.DateTimeField(_("closes at"))
    majority = models.CharField(
        _("majority"), max_length=16, choices=Majority, default=Majority.SIMPLE
    )
    quorum = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=decimal.Decimal("0.50"),
        help_text=_(
            "The fraction of the member organizations that must take part (yes, no or "
            "abstain), e.g. 0.50 for half."
        ),
    )
    secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("Secret: the result shows totals only. Named: it shows each organization."),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Recorded by the Secretariat for a vote taken at the meeting.
    recorded_yes = models.PositiveIntegerField(_("yes (recorded)"), null=True, blank=True)
    recorded_no = models.PositiveIntegerField(_("no (recorded)"), null=True, blank=True)
    recorded_abstain = models.PositiveIntegerField(
        _("abstentions (recorded)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="vote_closes_after_opening",
                violation_error_message=_("A vote closes after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(quorum__gte=0) & Q(quorum__lte=1),
                name="vote_quorum_is_a_fraction",
                violation_error_message=_("The quorum is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self):
        return str(self.decision)

    def get_absolute_url(self):
        meeting = self.decision.meeting
        return reverse(
            "meetings:vote_result",
            kwargs={
                "year": meeting.start_date.year,
                "slug": meeting.slug,
                "order": self.decision.order,
            },
        )

    @property
    def electorate_date(self) -> datetime.date:
        """The vote's date: the member organizations on it make up the electorate."""
        return timezone.localdate(self.opens_at)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def takes_ballots(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.method == VoteMethod.WRITTEN
            and self.opened_at is not None
            and self.closed_at is None
            and self.opens_at <= now < self.closes_at
        )


class Delegation(models.Model):
    """A member organization hands its vote on one vote to another member organization,
    whose contact person then casts both ballots. No chains: an organization that delegated
    receives no delegation, and one that received one does not delegate (the service)."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="delegations"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("delegating organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegate = models.ForeignKey(
        "members.Organization",
        verbose_name=_("delegate organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_by = models.ForeignKey(
        "members.Person", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["vote", "organization__name_en"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "organization"],
                name="delegation_once_per_vote",
                violation_error_message=_("This organization has already delegated its vote."),
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("delegate")),
                name="delegation_not_to_itself",
                violation_error_message=_("An organization cannot delegate its vote to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} → {self.delegate}"

    def get_absolute_url(self):
        return self.vote.get_absolute_url()


class Ballot(models.Model):
    """One member organization's ballot on one vote: final once cast."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="ballots"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice)
    cast_by = models.ForeignKey(
        "members.Person", verbose_name=_("cast by"), on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    via_delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("through the delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["vote", "organization__name_en"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "organization"],
                name="ballot_once_per_organization",
                violation_error_message=_("This organization has already voted."),
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.vote}"

    def get_absolute_url(self):
        return self.vote.get_absolute_url()
