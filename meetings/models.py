"""Numbered meetings of the alliance's bodies: sessions, agenda items, decisions and the action
plan. Attendance (participations, their status changes, registration windows) has its models in
`meetings.attendance.models`, and documents (their files and versions) in
`meetings.documents.models`, under this app's label: they are imported here, where Django looks
for the app's models, and refer to `Meeting` by its string name, so there is no import cycle."""

import datetime

from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField
from anso.text.languages import SavedInEnglish
from anso.text.slugs import unique_slug
from members.models import Body, BodyKind, Organization, Person

from .attendance.models import Participation, ParticipationEvent, RegistrationWindow
from .documents.models import Document, DocumentVersion
from .invitations.models import Mailing, MailingRecipient, RecipientList
from .papers.models import Letterhead, Paper, PaperBatch, VisaRequest
from .record.actions.models import ActionProgress
from .record.models import MattersArising, Minutes, MinutesPart, MinutesRevision
from .record.votes.models import Ballot, Delegation, Vote

__all__ = [
    "Action",
    "ActionProgress",
    "AgendaItem",
    "Ballot",
    "Decision",
    "Delegation",
    "Document",
    "DocumentVersion",
    "Letterhead",
    "Mailing",
    "MailingRecipient",
    "MattersArising",
    "Meeting",
    "Minutes",
    "MinutesPart",
    "MinutesRevision",
    "Paper",
    "PaperBatch",
    "Participation",
    "ParticipationEvent",
    "RecipientList",
    "RegistrationWindow",
    "Session",
    "Speaker",
    "VisaRequest",
    "Vote",
]


def meeting_title(body: Body, number: int) -> str:
    """ "1st ANSO Working Group Meeting"; a General Assembly is a meeting by its name alone
    ("1st ANSO General Assembly"). In English whatever the active language."""
    with translation.override("en"):
        title = f"{ordinal(number)} {body.name_en or body.name}"
    if body.kind != BodyKind.GENERAL_ASSEMBLY:
        title += " Meeting"
    return title


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一, 100 -> 一百, 105 -> 一百零五 (1 to 9999)."""
    if not 0 < number < 10000:
        raise ValueError(f"{number} is outside 1-9999")
    out, pending_zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if pending_zero:
                out += "零"
            out += _DIGITS[digit] + unit
            pending_zero = False
        elif out:
            pending_zero = True
    return out[1:] if out.startswith("一十") else out  # 十一, not 一十一


def meeting_title_zh(body: Body, number: int) -> str:
    """ "ANSO工作组第一次会议"; a General Assembly: "ANSO第一届全体大会". Empty when the body has
    no Chinese name (the page then shows the English title, marked as English)."""
    name = body.name_zh_hans or ""
    if not name:
        return ""
    if body.kind == BodyKind.GENERAL_ASSEMBLY and name.endswith("全体大会"):
        return f"{name.removesuffix('全体大会')}第{chinese_numeral(number)}届全体大会"
    return f"{name}第{chinese_numeral(number)}次会议"


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, today: datetime.date):
        return self.filter(end_date__gte=today).order_by("start_date")

    def past(self, today: datetime.date):
        return self.filter(end_date__lt=today).order_by("-start_date")


class Meeting(SavedInEnglish, models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("1 for the 1st meeting of this body, and so on.")
    )
    title = OneLineCharField(
        _("title"),
        max_length=200,
        editable=False,
        help_text=_("Derived from the body and the number when saved."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = OneLineCharField(_("venue"), max_length=200, blank=True)
    city = OneLineCharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country or region"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    reported_attendance = models.TextField(
        _("attendance as reported"),
        blank=True,
        help_text=_(
            "Figures as an official report gives them, e.g. 'more than 40 participants "
            "from 14 countries and regions'. Shown as reported, beside the counts "
            "computed from the attendance records."
        ),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published meetings are public.")
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="meeting_number_positive",
                violation_error_message=_("Meetings are numbered from 1."),
            ),
            models.UniqueConstraint(
                fields=["body", "number"],
                name="meeting_number_unique_per_body",
                violation_error_message=_("This body already has a meeting with this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "start_date"]),
            # The admin lists sessions, agenda items, speakers and participations newest
            # meeting first: with this index PostgreSQL walks meetings by date and stops after
            # a page, instead of joining and sorting every row.
            models.Index(fields=["start_date"], name="meeting_start_date_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Both languages at once, whichever is active (assigning `title` would set only the
        # active language's column).
        self.title_en = meeting_title(self.body, self.number)
        self.title_zh_hans = meeting_title_zh(self.body, self.number) or None
        if not self.slug:
            self.slug = unique_slug(self, self.title_en, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "meetings:meeting_detail", kwargs={"year": self.start_date.year, "slug": self.slug}
        )

    @property
    def is_multi_day(self) -> bool:
        return self.end_date > self.start_date

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A meeting cannot end before it starts.")})


class SessionKind(models.TextChoices):
    OPENING = "opening", _("opening session")
    WORKING = "working", _("working session")
    CLOSING = "closing", _("closing session")
    OTHER = "other", _("other")


class Session(SavedInEnglish, models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = OneLineCharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind, default=SessionKind.WORKING
    )
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_chaired",
    )
    chair_capacity = OneLineCharField(
        _("chair's capacity"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Assistant Executive Director of the ANSO Secretariat"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="session_order_unique_per_meeting",
                violation_error_message=_("This meeting already has a session in this place."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#session-{self.order}"

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time < self.start_time:
            errors["end_time"] = _("A session cannot end before it starts.")
        meeting = getattr(self, "meeting", None) if self.meeting_id else None
        if self.date and meeting and not meeting.start_date <= self.date <= meeting.end_date:
            errors["date"] = _("The session's date must fall within the meeting's dates.")
        if errors:
            raise ValidationError(errors)


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ENDORSED = "endorsed", _("endorsed")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    DROPPED = "dropped", _("dropped")


class DecisionState(models.TextChoices):
    """Where a decision stands (docs/record.md, "Decisions and votes"). A decision put to a
    vote is proposed while the vote runs; closing the vote adopts or rejects it."""

    PROPOSED = "proposed", _("proposed")
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DecisionQuerySet(models.QuerySet):
    def to_follow_up(self, *, body: Body, before: datetime.date):
        """Decisions still to follow up at a meeting of `body` on `before`: the decisions of
        its earlier meetings (begun before that day) whose follow-up was not closed before
        that day (`followed_up_on` empty, or that day or later), and which still stand: a
        decision rejected or withdrawn leaves nothing to follow up. The one rule of the matters
        arising (meetings/record/arising.py; docs/record.md, "Matters arising")."""
        return (
            self.filter(meeting__body=body, meeting__start_date__lt=before)
            .filter(Q(followed_up_on__isnull=True) | Q(followed_up_on__gte=before))
            .exclude(state__in=[DecisionState.REJECTED, DecisionState.WITHDRAWN])
        )


class Decision(SavedInEnglish, models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=16, choices=DecisionState, default=DecisionState.ADOPTED
    )
    followed_up_on = models.DateField(
        _("follow-up closed on"),
        null=True,
        blank=True,
        help_text=_(
            "The day nothing more was left to do on this decision. Until then the next "
            "meetings of the body list it under matters arising."
        ),
    )

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="decision_order_unique_per_meeting",
                violation_error_message=_("This meeting already has a decision in this place."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.text[:80]}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#decision-{self.order}"


#: An action in one of these states is finished: never overdue, never reminded.
ACTION_CLOSED = (ActionStatus.COMPLETED, ActionStatus.DROPPED)


def _action_overdue(on: datetime.date) -> Q:
    """The rule of "overdue" on `on`: the due date has passed and the action is still open."""
    return Q(due_date__lt=on) & ~Q(status__in=ACTION_CLOSED)


class ActionQuerySet(models.QuerySet):
    def open(self):
        """Actions still to be done (not completed, not dropped)."""
        return self.exclude(status__in=ACTION_CLOSED)

    def overdue(self, *, on: datetime.date):
        """Actions overdue on `on`: their due date has passed and they are still open. The
        one rule of "overdue": the action plan, the meeting page, the admin's list and the
        Secretariat's home page read it (`with_overdue` marks each action by it)."""
        return self.filter(_action_overdue(on))

    def with_overdue(self, *, on: datetime.date):
        """Each action with `is_overdue` on `on`, by the rule of `overdue`, in the same query."""
        return self.annotate(
            is_overdue=ExpressionWrapper(_action_overdue(on), output_field=models.BooleanField())
        )

    def open_on(self, *, on: datetime.date):
        """Actions open as they stand on `on`: still open (`open`), and not endorsed at a
        meeting that begins on `on` or later (the matters arising of a meeting on `on`)."""
        return self.open().exclude(
            Q(endorsed_by__meeting__start_date__gte=on) | Q(endorsed_at__start_date__gte=on)
        )

    def due_within(self, *, on: datetime.date, days: int):
        """Open actions due from `on` to `days` days later (the reminders' window)."""
        return self.open().filter(
            due_date__gte=on, due_date__lte=on + datetime.timedelta(days=days)
        )


class Action(SavedInEnglish, models.Model):
    """An item of the action plan ("the ANSO future actions"), with who does it (an
    organization, a body or a person; at most one) and by when. Its progress notes are
    `meetings.record.actions.models.ActionProgress`."""

    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = OneLineCharField(_("title"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus, default=ActionStatus.PROPOSED
    )
    endorsed_by = models.ForeignKey(
        Decision,
        verbose_name=_("endorsed by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    endorsed_at = models.ForeignKey(
        Meeting,
        verbose_name=_("endorsed at meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_endorsed",
        help_text=_("Where no single decision is recorded, the meeting that endorsed it."),
    )
    owner_organization = models.ForeignKey(
        Organization,
        verbose_name=_("owner (organization)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_owned",
    )
    owner_body = models.ForeignKey(
        Body,
        verbose_name=_("owner (body)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_owned",
    )
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_owned",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    #: The due date its owner was last reminded of (`meetings.record.actions.reminders`): one
    #: reminder per due date; a new due date gets its own.
    reminded_for = models.DateField(_("reminded for due date"), null=True, editable=False)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title_en"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                # At least two of the three are empty: at most one owner.
                condition=Q(owner_body__isnull=True, owner_person__isnull=True)
                | Q(owner_organization__isnull=True, owner_person__isnull=True)
                | Q(owner_organization__isnull=True, owner_body__isnull=True),
                name="action_at_most_one_owner",
                violation_error_message=_(
                    "An action has one owner: an organization, a body or a person."
                ),
            ),
        ]
        indexes = [models.Index(fields=["due_date"], name="action_due_date_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title_en or self.title, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:action_detail", kwargs={"slug": self.slug})

    @property
    def owner(self):
        """The organization, body or person who does the action, or None."""
        return self.owner_organization or self.owner_body or self.owner_person

    def clean(self):
        owners = [self.owner_organization_id, self.owner_body_id, self.owner_person_id]
        if sum(1 for owner in owners if owner) > 1:
            raise ValidationError(
                {"owner_organization": _("Choose one owner: an organization, a body or a person.")}
            )


class AgendaItemKind(models.TextChoices):
    WELCOME = "welcome", _("welcome")
    OPENING_ADDRESS = "opening_address", _("opening address")
    PRESENTATION = "presentation", _("presentation")
    DISCUSSION = "discussion", _("discussion")
    REPORT = "report", _("report")
    MINUTES_APPROVAL = "minutes_approval", _("approval of the minutes")
    MATTERS_ARISING = "matters_arising", _("matters arising")
    OTHER = "other", _("other")


#: The items a meeting's programme gets once per meeting (meetings/record/arising.py).
ONCE_PER_MEETING = (AgendaItemKind.MINUTES_APPROVAL, AgendaItemKind.MATTERS_ARISING)


class AgendaItem(SavedInEnglish, models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind, default=AgendaItemKind.PRESENTATION
    )
    title = OneLineCharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text=_("The item of the action plan presented or discussed."),
    )
    minutes_to_approve = models.ForeignKey(
        "meetings.Minutes",
        verbose_name=_("minutes to approve"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_items",
        help_text=_("For the approval of the minutes: the minutes of the previous meeting."),
    )
    speakers = models.ManyToManyField(
        Person, through="Speaker", related_name="agenda_items", verbose_name=_("speakers")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                name="agenda_item_order_unique_per_session",
                violation_error_message=_("This session already has an item in this place."),
            ),
            # The approval and the matters arising are added once (meetings/record/arising.py
            # puts them in the meeting's first session, under the meeting's lock).
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=Q(kind__in=ONCE_PER_MEETING),
                name="agenda_item_carried_over_once_per_session",
                violation_error_message=_("This session already has this item."),
            ),
            models.UniqueConstraint(
                fields=["minutes_to_approve"],
                name="agenda_item_approves_minutes_once",
                violation_error_message=_("Another agenda item already approves these minutes."),
            ),
            models.CheckConstraint(
                condition=Q(minutes_to_approve__isnull=True) | Q(kind="minutes_approval"),
                name="agenda_item_minutes_only_for_approval",
                violation_error_message=_(
                    "Only an item approving minutes links to minutes to approve."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.session.meeting.get_absolute_url()}#item-{self.pk}"

    def clean(self):
        if self.minutes_to_approve_id and self.kind != AgendaItemKind.MINUTES_APPROVAL:
            raise ValidationError(
                {"minutes_to_approve": _("Only an item approving minutes links to minutes.")}
            )
        session = getattr(self, "session", None) if self.session_id else None
        if self.minutes_to_approve_id and session is not None:
            earlier = self.minutes_to_approve.meeting
            if earlier.body_id != session.meeting.body_id or (
                earlier.start_date >= session.meeting.start_date
            ):
                raise ValidationError(
                    {
                        "minutes_to_approve": _(
                            "The minutes must be those of an earlier meeting of the same body."
                        )
                    }
                )


class Speaker(models.Model):
    """A person speaking at an agenda item, in the capacity they spoke in."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="speaker_set",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="talks"
    )
    capacity = OneLineCharField(
        _("capacity"), max_length=200, blank=True, help_text=_("e.g. ANSO Vice-President")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                name="speaker_once_per_item",
                violation_error_message=_("This person already speaks at this item."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.capacity})" if self.capacity else str(self.person)
