"""Numbered meetings of the alliance's bodies: sessions, agenda items, attendance, decisions and
the action plan."""

import datetime
import secrets

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from anso.slugs import unique_slug
from members.models import Body, BodyKind, Organization, Person


def meeting_title(body: Body, number: int) -> str:
    """ "1st ANSO Working Group Meeting"; a General Assembly is a meeting by its name alone
    ("1st ANSO General Assembly")."""
    title = f"{ordinal(number)} {body.name}"
    if body.kind != BodyKind.GENERAL_ASSEMBLY:
        title += " Meeting"
    return title


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, today: datetime.date):
        return self.filter(end_date__gte=today).order_by("start_date")

    def past(self, today: datetime.date):
        return self.filter(end_date__lt=today).order_by("-start_date")


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("1 for the 1st meeting of this body, and so on.")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        editable=False,
        help_text=_("Derived from the body and the number when saved."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
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
        self.title = meeting_title(self.body, self.number)
        if not self.slug:
            self.slug = unique_slug(self, self.title, max_length=120)
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


class Session(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
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
    chair_capacity = models.CharField(
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


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

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


class Action(models.Model):
    """An item of the action plan ("the ANSO future actions")."""

    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200, unique=True)
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:action_detail", kwargs={"slug": self.slug})


class AgendaItemKind(models.TextChoices):
    WELCOME = "welcome", _("welcome")
    OPENING_ADDRESS = "opening_address", _("opening address")
    PRESENTATION = "presentation", _("presentation")
    DISCUSSION = "discussion", _("discussion")
    REPORT = "report", _("report")
    OTHER = "other", _("other")


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind, default=AgendaItemKind.PRESENTATION
    )
    title = models.CharField(_("title"), max_length=300)
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
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.session.meeting.get_absolute_url()}#item-{self.pk}"


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
    capacity = models.CharField(
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


class Capacity(models.TextChoices):
    DELEGATE = "delegate", _("member-organization delegate")
    WORKING_GROUP_MEMBER = "working_group_member", _("working-group member")
    EXPERT = "expert", _("expert")
    GUEST = "guest", _("guest")
    SECRETARIAT = "secretariat", _("Secretariat")
    OTHER = "other", _("other participant")


class ParticipationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    CONFIRMED = "confirmed", _("confirmed")
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")
    CANCELLED = "cancelled", _("cancelled")
    WAITLISTED = "waitlisted", _("on the waiting list")


#: Statuses that hold a seat: they count against a registration window's capacity.
SEAT_STATUSES = (
    ParticipationStatus.REGISTERED,
    ParticipationStatus.CONFIRMED,
    ParticipationStatus.ATTENDED,
)


class ParticipationQuerySet(models.QuerySet):
    def attended(self):
        return self.filter(status=ParticipationStatus.ATTENDED)

    def listed_publicly(self):
        return self.filter(listed_publicly=True)

    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)


def new_manage_key() -> str:
    """A random key for a participant's link to their registration."""
    return secrets.token_urlsafe(24)


class Participation(models.Model):
    """A person at a meeting, with the organization and country they came for *at that
    meeting* (people move; the record keeps what was true then)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="participations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    country = CountryField(_("country or region"), blank=True)
    capacity = models.CharField(
        _("capacity"), max_length=24, choices=Capacity, default=Capacity.OTHER
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipationStatus,
        default=ParticipationStatus.REGISTERED,
        db_index=True,
    )
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("The participant agreed to appear in the public participant list."),
    )
    organization_name = models.CharField(
        _("organization (as typed)"),
        max_length=200,
        blank=True,
        help_text=_("The organization as the participant typed it, when it is not in the list."),
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    manage_key = models.CharField(
        _("link key"),
        max_length=64,
        unique=True,
        default=new_manage_key,
        editable=False,
        help_text=_(
            "Random. The participant's link to their registration carries it, signed with the "
            "site's secret key; a new key makes the earlier link stop working."
        ),
    )

    # The link key is a credential: the history keeps no copies of it.
    history = HistoricalRecords(excluded_fields=["manage_key"])
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "person__family_name", "person__given_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="participation_once_per_meeting",
                violation_error_message=_("This person is already a participant of this meeting."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self):
        return f"{self.person} at {self.meeting}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    @property
    def organization_label(self) -> str:
        """The organization's name, or what the participant typed when it is not in the list."""
        return self.organization.name if self.organization_id else self.organization_name

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    def clean(self):
        if self.meeting_id and self.person_id:
            clash = Participation.objects.filter(
                meeting_id=self.meeting_id, person_id=self.person_id
            )
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"person": _("This person is already a participant of this meeting.")}
                )


class ParticipationEvent(models.Model):
    """One change of a participation's status: who made it, when, from what to what.

    `by` is empty when the participant acted through the public registration pages."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=ParticipationStatus, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=ParticipationStatus)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("participation status change")
        verbose_name_plural = _("participation status changes")

    def __str__(self):
        return f"{self.participation}: {self.from_status or '-'} \u2192 {self.to_status}"

    def get_absolute_url(self):
        return self.participation.get_absolute_url()


class RegistrationMode(models.TextChoices):
    ANYONE = "anyone", _("anyone")
    INVITATION = "invitation", _("only those with the invitation link")


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationWindowQuerySet(models.QuerySet):
    def open_at(self, moment: datetime.datetime):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class RegistrationWindow(models.Model):
    """When and how people may register for a meeting. A meeting without one takes no
    registrations."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registration"
    )
    opens_at = models.DateTimeField(_("registration opens"))
    closes_at = models.DateTimeField(_("registration closes"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats available. Leave empty for no limit."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the meeting is full, put further registrations on a waiting list."),
    )
    mode = models.CharField(
        _("who may register"),
        max_length=16,
        choices=RegistrationMode,
        default=RegistrationMode.ANYONE,
    )
    invitation_token = models.CharField(
        _("invitation token"),
        max_length=64,
        default=new_invitation_token,
        help_text=_("Part of the invitation link. Change it to invalidate links already sent."),
    )

    history = HistoricalRecords()
    objects = RegistrationWindowQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("registration window")
        verbose_name_plural = _("registration windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="registration_capacity_positive",
                violation_error_message=_("The capacity is at least one seat."),
            ),
        ]

    def __str__(self):
        return _("Registration for %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self):
        return reverse(
            "meetings:registration_create",
            kwargs={"year": self.meeting.start_date.year, "slug": self.meeting.slug},
        )

    def is_open(self, moment: datetime.datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Registration must close after it opens.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("The capacity is at least one seat.")
        if errors:
            raise ValidationError(errors)
