"""Attendance: who registered for a meeting and who came, in what capacity and for which
organization, the history of each status change, and the registration window. The models belong
to the `meetings` app (its label and migrations); they refer to the meeting by its string name."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField
from members.models import Organization, Person


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


#: Statuses of a registrant who holds or held a seat: counted as registered. An absent
#: registrant was registered and did not attend.
REGISTERED_STATUSES = (*SEAT_STATUSES, ParticipationStatus.ABSENT)


def member_organization_on_meeting_date(*, through: str = "") -> Exists:
    """The participation's organization was a member of the alliance on its meeting's start
    date: `Organization.objects.members_on`, evaluated for each row. `through` is the path
    from the queried model to the participation ("participations__" from a meeting)."""
    date = "start_date" if through else "meeting__start_date"
    members = Organization.objects.members_on(OuterRef(date))
    return Exists(members.filter(pk=OuterRef(f"{through}organization_id")))


def member_delegate(*, through: str = "") -> Q:
    """The participation is a member-organization delegate: capacity "delegate" for an
    organization that was a member on the meeting's start date. Attended participants who are
    not member-organization delegates are the meeting's "other participants"."""
    return Q(**{f"{through}capacity": Capacity.DELEGATE}) & Q(
        member_organization_on_meeting_date(through=through)
    )


class ParticipationQuerySet(models.QuerySet):
    def attended(self):
        """Who attended: the participations with status "attended"."""
        return self.filter(status=ParticipationStatus.ATTENDED)

    def registered(self):
        """Registrants who hold or held a seat (`REGISTERED_STATUSES`)."""
        return self.filter(status__in=REGISTERED_STATUSES)

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
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="participations",
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
    organization_name = OneLineCharField(
        _("organization (as typed)"),
        max_length=200,
        blank=True,
        help_text=_("The organization as the participant typed it, when it is not in the list."),
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the registration form; the participant's mails use it."),
    )
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
        app_label = "meetings"
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
        return _("%(person)s at %(meeting)s") % {"person": self.person, "meeting": self.meeting}

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
        app_label = "meetings"
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
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registration",
    )
    opens_at = models.DateTimeField(_("registration opens"))
    closes_at = models.DateTimeField(_("registration closes"))
    capacity = models.PositiveIntegerField(
        pgettext_lazy("seats", "capacity"),
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
        app_label = "meetings"
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
