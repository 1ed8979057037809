"""Organizations, people, the alliance's bodies and the positions people hold in them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from anso.text.hygiene import OneLineCharField
from anso.text.languages import SavedInEnglish
from anso.text.slugs import unique_slug

from .names import NameOrder, PersonName
from .nominations.models import Nomination, NominationEvent
from .personal_data.models import Erasure

# The nominations' models live in members/nominations/ and belong to this app too: importing
# them here registers them with it. They refer to the models below by name
# ("members.Organization"), so that the import runs one way.
__all__ = [
    "WORKING_GROUP_ROLES",
    "Body",
    "BodyKind",
    "Erasure",
    "MembershipStatus",
    "NameOrder",
    "Nomination",
    "NominationEvent",
    "Organization",
    "OrganizationKind",
    "OrganizationQuerySet",
    "Person",
    "Position",
    "PositionQuerySet",
    "Role",
]


class OrganizationKind(models.TextChoices):
    ACADEMY = "academy", _("academy of sciences")
    UNIVERSITY = "university", _("university")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("international organization")
    GOVERNMENT_AGENCY = "government_agency", _("government agency")
    OTHER = "other", _("other")


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("member")
    PARTNER = "partner", _("partner")
    OBSERVER = "observer", _("observer")
    FORMER = "former", _("former member")
    NONE = "none", _("not a member")


class OrganizationQuerySet(models.QuerySet):
    def current_members(self):
        return self.filter(membership_status=MembershipStatus.MEMBER)

    def members_on(self, date: datetime.date):
        """Organizations that were members of the alliance on `date` (former members included
        for the years they were in)."""
        return self.filter(
            Q(membership_status=MembershipStatus.MEMBER)
            | Q(membership_status=MembershipStatus.FORMER, left_on__gte=date),
            Q(joined_on__isnull=True) | Q(joined_on__lte=date),
        )


class Organization(SavedInEnglish, models.Model):
    name = OneLineCharField(_("name"), max_length=200, unique=True)
    short_name = OneLineCharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=OrganizationKind, default=OrganizationKind.OTHER
    )
    country = CountryField(_("country or region"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The organization this one belongs to, e.g. a bureau inside an academy."),
    )
    membership_status = models.CharField(
        _("membership status"),
        max_length=16,
        choices=MembershipStatus,
        default=MembershipStatus.NONE,
        db_index=True,
    )
    joined_on = models.DateField(_("joined the alliance on"), null=True, blank=True)
    left_on = models.DateField(_("left the alliance on"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Invented for the demonstration; not a real record."),
    )

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        # By the English name in every language (a translated field's ordering would follow
        # the active language, and put organizations without a Chinese name together).
        ordering = ["name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organization_name_unique_ci",
                violation_error_message=_("An organization with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="organization_left_after_joined",
                violation_error_message=_("An organization cannot leave before it joined."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be part of itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            # From the English name, whichever language is active.
            self.slug = unique_slug(
                self, self.short_name_en or self.name_en or self.short_name or self.name
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organization_detail", kwargs={"slug": self.slug})

    @property
    def is_member(self) -> bool:
        return self.membership_status == MembershipStatus.MEMBER

    def clean(self):
        errors = {}
        # Each language's name is checked against the names in that language; the error goes
        # to the field the admin shows (`name_en`, `name_zh_hans`).
        for field in ("name_en", "name_zh_hans"):
            value = getattr(self, field, None)
            if value:
                others = Organization.objects.exclude(pk=self.pk)
                if others.filter(**{f"{field}__iexact": value}).exists():
                    errors[field] = _("An organization with this name already exists.")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("An organization cannot leave before it joined.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An organization cannot be part of itself.")
        if errors:
            raise ValidationError(errors)


class Person(PersonName):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = OneLineCharField(_("phone"), max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    country = CountryField(_("country or region"), blank=True)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Invented for the demonstration; not a real person."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="person",
        help_text=_("Created when a contact person first asks for a sign-in link."),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the mails the Secretariat sends this person. When empty, the "
            "language of their latest registration, else English."
        ),
    )
    announcements_opted_out_at = models.DateTimeField(
        _("opted out of announcements"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the person followed the unsubscribe link of an announcement. They still "
            "receive invitations and the mails about their own registrations."
        ),
    )
    #: Set when a mail server refused the address for good (members/bounces.py); cleared when
    #: the email changes. Shown to the Secretariat only.
    email_doubtful_since = models.DateTimeField(_("address doubtful since"), null=True, blank=True)
    email_doubtful_reason = models.TextField(_("why the address is doubtful"), blank=True)
    #: Set when the person was erased on request (members/personal_data/services.py): the row
    #: stays, without name or contact details, so that the meetings' figures hold.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("erase_person", _("Can erase a person on request"))]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_when_given",
                violation_error_message=_("A person with this email already exists."),
            ),
        ]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        person = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        person._email_as_loaded = person.__dict__.get("email")
        return person

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if not self.slug:
            self.slug = unique_slug(self, self.full_name or self.name_original)
        loaded = getattr(self, "_email_as_loaded", None)
        if loaded is not None and self.email != loaded and self.email_doubtful_since:
            # A new address: what a mail server said about the old one no longer holds.
            self.email_doubtful_since = None
            self.email_doubtful_reason = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "email_doubtful_since",
                    "email_doubtful_reason",
                }
        super().save(*args, **kwargs)
        self._email_as_loaded = self.email

    def get_absolute_url(self):
        return reverse("person_detail", kwargs={"slug": self.slug})

    @property
    def email_doubtful(self) -> bool:
        """Whether a mail server refused the address for good (members/bounces.py)."""
        return self.email_doubtful_since is not None

    def clean(self):
        self.email = self.email.strip().lower()
        if self.email:
            clash = Person.objects.filter(email__iexact=self.email).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"email": _("A person with this email already exists.")})


class BodyKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
    GOVERNING_BOARD = "governing_board", _("Governing Board")
    SECRETARIAT = "secretariat", _("Secretariat")
    WORKING_GROUP = "working_group", _("Working Group")


class Body(SavedInEnglish, models.Model):
    """A body of the alliance: its General Assembly, Governing Board, Secretariat or Working
    Group."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("The alliance this body belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind)
    name = OneLineCharField(_("name"), max_length=120, help_text=_("e.g. ANSO Working Group"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name_en", "kind"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"],
                name="body_one_of_each_kind_per_organization",
                violation_error_message=_("This organization already has a body of this kind."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-President")
    CHAIR = "chair", _("Chair")
    EXECUTIVE_DIRECTOR = "executive_director", _("Executive Director")
    ASSISTANT_EXECUTIVE_DIRECTOR = "assistant_executive_director", _("Assistant Executive Director")
    DIRECTOR_GENERAL = "director_general", _("Director General")
    MEMBER = "member", _("Member")
    CONTACT_PERSON = "contact_person", _("Contact person")
    EXPERT = "expert", _("Expert")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


#: Roles that make someone a member of the working group.
WORKING_GROUP_ROLES = (Role.CONTACT_PERSON, Role.EXPERT, Role.CHAIR, Role.MEMBER)


class PositionQuerySet(models.QuerySet):
    def held_on(self, date: datetime.date):
        """Positions held on `date`: started on or before it, not ended before it."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=date), start_date__lte=date)

    def working_group(self):
        return self.filter(body__kind=BodyKind.WORKING_GROUP, role__in=WORKING_GROUP_ROLES)

    def working_group_members(self, date: datetime.date):
        """Working-group positions held on `date` ("who was in the working group then")."""
        return self.working_group().held_on(date)

    def listed_publicly(self):
        """Positions whose holder may be named on public pages (a nomination without consent
        to publish opens a position that is not listed)."""
        return self.filter(listed_publicly=True)


class Position(SavedInEnglish, models.Model):
    """A role a person holds in a body of the alliance or in an organization, from a date,
    optionally until a date (the last day held)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    title = OneLineCharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            "Shown instead of the role, e.g. 'Director General of the Bureau of "
            "International Cooperation'."
        ),
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text=_("For a position in an organization rather than in a body of the alliance."),
    )
    appointed_by = models.ForeignKey(
        Organization,
        verbose_name=_("appointed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        help_text=_("The member organization that appointed this contact person."),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_(
            "Name and organization may appear on public pages. Off when the person did not "
            "consent to publication."
        ),
    )

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "person__family_name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(body__isnull=False, organization__isnull=True)
                | Q(body__isnull=True, organization__isnull=False),
                name="position_in_body_or_organization",
                violation_error_message=_(
                    "A position is held either in a body or in an organization."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CONTACT_PERSON) | Q(appointed_by__isnull=False),
                name="contact_person_has_appointing_organization",
                violation_error_message=_(
                    "A contact person is appointed by a member organization."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "role", "body", "start_date"],
                condition=Q(body__isnull=False),
                name="position_in_body_unique_start",
                violation_error_message=_(
                    "This person already holds this position from this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "role", "organization", "start_date"],
                condition=Q(organization__isnull=False),
                name="position_in_organization_unique_start",
                violation_error_message=_(
                    "This person already holds this position from this date."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "role", "start_date", "end_date"]),
            # The admin list, latest first: read a page instead of joining and sorting them all.
            models.Index(fields=["start_date"], name="position_start_date_idx"),
        ]

    def __str__(self):
        return f"{self.person}, {self.label}"

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        # Role(...).label, not get_role_display(): that rebuilds a dict of the choices on
        # every call, and an admin list of positions names fifty.
        role = Role(self.role).label if self.role in Role.values else self.role
        return f"{role}, {self.body or self.organization}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A position cannot end before it starts.")
        if bool(self.body_id) == bool(self.organization_id):
            errors["body"] = _("Choose either a body or an organization, not both.")
        if self.role == Role.CONTACT_PERSON and not self.appointed_by_id:
            errors["appointed_by"] = _("A contact person is appointed by a member organization.")
        if errors:
            raise ValidationError(errors)
