"""The Secretariat's admin for organizations, people, bodies and positions."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import (
    CountryOrRegionFilter,
    LongListAdminMixin,
    PreloadedAutocompleteInlineMixin,
    country_name,
    reason_action,
)
from anso.spreadsheets.admin import SpreadsheetAdminMixin

from .models import Body, Organization, Person, Position
from .nominations import admin as nominations_admin  # noqa: F401  (registers the nominations)
from .personal_data import services as personal_data_services
from .personal_data.admin import ErasureForm
from .resources import ContactPersonResource, OrganizationResource, PersonResource


class HeldFilter(admin.SimpleListFilter):
    """Positions held today, ended, or not yet started."""

    title = _("time held")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [
            ("current", _("currently held")),
            ("past", _("ended")),
            ("future", _("not yet started")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.held_on(today)
        if self.value() == "past":
            return queryset.filter(end_date__lt=today)
        if self.value() == "future":
            return queryset.filter(start_date__gt=today)
        return queryset


class PositionInline(PreloadedAutocompleteInlineMixin, TranslationTabularInline):
    model = Position
    fk_name = "person"
    fields = ["role", "title", "body", "organization", "appointed_by", "start_date", "end_date"]
    autocomplete_fields = ["body", "organization", "appointed_by"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "body", "organization", "appointed_by")
        )


@admin.register(Organization)
class OrganizationAdmin(
    LongListAdminMixin, SpreadsheetAdminMixin, TranslationAdmin, SimpleHistoryAdmin
):
    resource_classes = [OrganizationResource]
    list_display = [
        "name",
        "short_name",
        "kind",
        country_name,
        "membership_status",
        "joined_on",
        "parent",
        "is_sample",
    ]
    list_filter = ["membership_status", "kind", "is_sample", ("country", CountryOrRegionFilter)]
    # Either language finds it (a translated field's lookup searches only the active one).
    search_fields = ["name_en", "name_zh_hans", "short_name_en", "short_name_zh_hans"]
    autocomplete_fields = ["parent"]
    date_hierarchy = "joined_on"
    list_select_related = ["parent"]
    ordering = ["name_en"]
    # Each translated field in English and Chinese side by side, on one line.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_en", "name_zh_hans"),
                    ("short_name_en", "short_name_zh_hans"),
                    "slug",
                    "kind",
                    "country",
                    "parent",
                    "website",
                ]
            },
        ),
        (_("Membership"), {"fields": ["membership_status", "joined_on", "left_on"]}),
        (None, {"fields": ["is_sample"]}),
    ]


class EmailDoubtfulFilter(admin.SimpleListFilter):
    """People whose address a mail server refused (members/bounces.py)."""

    title = _("address doubtful")
    parameter_name = "email_doubtful"

    def lookups(self, request, model_admin):
        return [("yes", _("address doubtful")), ("no", _("no refusal recorded"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(email_doubtful_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(email_doubtful_since__isnull=True)
        return queryset


@admin.register(Person)
class PersonAdmin(LongListAdminMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource, ContactPersonResource]
    list_display = [
        "display_name",
        "organization",
        country_name,
        "email",
        "email_doubtful",
        "is_sample",
    ]
    list_filter = [
        "is_sample",
        EmailDoubtfulFilter,
        "name_order",
        ("country", CountryOrRegionFilter),
    ]
    readonly_fields = ["email_doubtful_since", "email_doubtful_reason"]
    search_fields = [
        "given_name",
        "family_name",
        "name_original",
        "email",
        "organization__name_en",
        "organization__name_zh_hans",
    ]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    ordering = ["family_name", "given_name"]
    inlines = [PositionInline]
    actions = ["erase_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "honorific",
                    ("given_name", "family_name"),
                    "name_order",
                    "name_original",
                    "slug",
                ]
            },
        ),
        (
            _("Contact (never shown publicly)"),
            {
                "fields": [
                    "email",
                    "phone",
                    "email_doubtful_since",
                    "email_doubtful_reason",
                    "language",
                    "announcements_opted_out_at",
                ]
            },
        ),
        (None, {"fields": ["organization", "country", "is_sample"]}),
    ]

    @admin.display(description=_("name"), ordering="family_name")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description=_("address doubtful"), boolean=True)
    def email_doubtful(self, obj):
        return obj.email_doubtful

    def get_import_resource_classes(self, request):
        return [PersonResource]  # the contact-person sheet is for export only

    def has_change_permission(self, request, obj=None):
        # An erased person's row is kept anonymous: nobody writes a name back into it.
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_erase_permission(self, request):
        return request.user.has_perm("members.erase_person")

    @admin.action(description=_("Erase the selected people…"), permissions=["erase"])
    def erase_selected(self, request, queryset):
        """An intermediate page asks for the reason, kept in the record of each erasure
        (docs/personal-data.md)."""
        if not self.has_erase_permission(request):
            raise PermissionDenied
        return reason_action(
            self,
            request,
            queryset,
            form_class=ErasureForm,
            apply=lambda person, reason: personal_data_services.person_erase(
                person=person, by=request.user, reason=reason
            ),
            refused=personal_data_services.ErasureRefused,
            done=ngettext_lazy("%(count)d person erased.", "%(count)d people erased.", "count"),
            title=gettext("Erase the people"),
            lead=gettext(
                "Erase these people on their request: their name, contact details and free text "
                "are removed, in their history too, and the mails sent to them lose their address "
                "and text. Their participations stay, anonymous, so that every meeting's figures "
                "are unchanged. This cannot be undone."
            ),
            submit=gettext("Erase"),
            describe=self._erase_line,
        )

    @staticmethod
    def _erase_line(person: Person) -> str:
        line = person.display_name
        if person.erased_at:
            line += " — " + gettext("erased already")
        return line


@admin.register(Body)
class BodyAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "organization"]
    list_filter = ["kind"]
    fields = [("name_en", "name_zh_hans"), "kind", "organization", "slug", "description"]
    search_fields = ["name_en", "name_zh_hans", "organization__name_en"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    ordering = ["organization__name_en", "kind"]


@admin.register(Position)
class PositionAdmin(LongListAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "person",
        "role",
        "title",
        "body",
        "organization",
        "appointed_by",
        "start_date",
        "end_date",
        "is_current",
    ]
    # meetings/admin.py adds a filter by meeting (positions held on its first day).
    list_filter = [HeldFilter, "role", "body"]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__name_original",
        "title_en",
        "title_zh_hans",
        "organization__name_en",
        "organization__name_zh_hans",
        "appointed_by__name_en",
    ]
    autocomplete_fields = ["person", "body", "organization", "appointed_by"]
    date_hierarchy = "start_date"
    list_select_related = ["person", "body", "organization", "appointed_by"]
    ordering = ["-start_date", "person__family_name"]

    @admin.display(description=_("held today"), boolean=True)
    def is_current(self, obj):
        today = timezone.localdate()
        return obj.start_date <= today and (obj.end_date is None or obj.end_date >= today)
