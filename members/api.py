"""The read-only JSON API (docs/api.md): what every endpoint shares, and the members' own
endpoints (organizations, bodies, the working group on a date).

What every endpoint shares lives here, in the lowest app that serves data, so that the
meetings' endpoints (meetings/api/) build on it: the language of the answer (`?lang=`, else
`Accept-Language`), cursor pagination with links on SITE_URL, an ETag with 304 answers, and
the per-client rate limit, counted by `anso.security.ratelimit` for
`anso.security.client.client_address` like every other limit of the site. Each serializer
reads the public pages' rules (their selectors, `display_name`, `listed_publicly`); a person
appears by the name, organization and country the pages show, never an email or a phone."""

import datetime
import hashlib

import django_filters
from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_date
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import BaseThrottle

from anso.links import absolute_url
from anso.security.ratelimit import rate_limit_hit

from . import selectors
from .models import Body, BodyKind, MembershipStatus, Organization, Position, Role

# --- What every endpoint shares ---------------------------------------------------------------


class ClientThrottle(BaseThrottle):
    """API_RATE_LIMIT requests per client in each API_RATE_PERIOD seconds. The client is
    `client_address` (through `rate_limit_hit`), counted in the shared "ratelimit" cache; DRF
    answers the request beyond the limit with 429 and `Retry-After` (`wait`)."""

    scope = "api"

    def allow_request(self, request, view) -> bool:
        result = rate_limit_hit(
            request,
            scope=self.scope,
            limit=settings.API_RATE_LIMIT,
            period=settings.API_RATE_PERIOD,
        )
        self.retry_after = result.retry_after
        return result.allowed

    def wait(self) -> int:
        return self.retry_after


class Pagination(CursorPagination):
    """Cursor pagination: stable under inserts, and each page costs the same whatever its
    depth. Links are made on SITE_URL (`absolute_url`), never the request's Host."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "pk"

    def get_ordering(self, request, queryset, view):
        """The view's `cursor_ordering` (unique with its last field), else the primary key."""
        return getattr(view, "cursor_ordering", None) or super().get_ordering(
            request, queryset, view
        )

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        self.base_url = absolute_url(request.get_full_path())
        return page


LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of the answer; without it, the Accept-Language header's.",
)


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint of the API: answered in the language asked for, with an ETag."""

    pagination_class = Pagination
    throttle_classes = (ClientThrottle,)

    def initial(self, request, *args, **kwargs):
        self._language_before = translation.get_language()
        lang = request.query_params.get("lang")
        if lang:
            if lang not in dict(settings.LANGUAGES):
                translation.activate(settings.LANGUAGE_CODE)
                raise ValidationError(
                    {"lang": [f"One of: {', '.join(code for code, _ in settings.LANGUAGES)}."]}
                )
            translation.activate(lang)
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language",))
        before = getattr(self, "_language_before", None)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # The ETag is the answer's digest: a client that sends it back gets 304 and no
            # body. Rendered here, in the answer's language, before it is restored.
            response.render()
            etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
            response["ETag"] = etag
            response = get_conditional_response(request, etag=etag, response=response)
        if before:
            translation.activate(before)
        return response


@extend_schema_field(
    {
        "type": "object",
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        "nullable": True,
    }
)
class CountryObjectField(CountryField):
    """A country or region: its ISO code and its name in the answer's language."""

    def __init__(self, **kwargs):
        super().__init__(country_dict=True, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        return super().to_representation(value)


class PageLinkField(serializers.ReadOnlyField):
    """The record's public page, an absolute address in the answer's language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, value):
        return absolute_url(value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(PageLinkField)


def date_query(request, name: str = "date") -> datetime.date:
    """The `?date=` of a request, today when absent or unreadable (the filter set answers
    400 to an unreadable one)."""
    try:
        return parse_date(request.query_params.get(name) or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


# --- Organizations and bodies -----------------------------------------------------------------


class OrganizationBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    country = CountryObjectField()

    class Meta:
        model = Organization
        fields = ("id", "slug", "name", "country")


class PersonSerializer(serializers.Serializer):
    """A person as their public page names them: the display name in the answer's language,
    their organization, their country or region. Never an email or a phone."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField(source="display_name")
    organization = OrganizationBriefSerializer(allow_null=True)
    country = CountryObjectField()
    page = PageLinkField()


class BodySerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=BodyKind.choices)
    organization = OrganizationBriefSerializer()

    class Meta:
        model = Body
        fields = ("id", "slug", "kind", "name", "description", "organization")


class OrganizationSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    short_name = serializers.CharField()
    country = CountryObjectField()
    parent = OrganizationBriefSerializer(allow_null=True)
    membership_status = serializers.ChoiceField(choices=MembershipStatus.choices)
    page = PageLinkField()

    class Meta:
        model = Organization
        fields = (
            "id", "slug", "name", "short_name", "kind", "country", "membership_status",
            "joined_on", "left_on", "website", "parent", "page",
        )  # fmt: skip


class ContactPersonSerializer(serializers.Serializer):
    person = PersonSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    title = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class OrganizationDetailSerializer(OrganizationSerializer):
    contact_persons = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = (*OrganizationSerializer.Meta.fields, "contact_persons")

    @extend_schema_field(ContactPersonSerializer(many=True))
    def get_contact_persons(self, organization):
        """The working group's contact persons it appoints today, as its page lists them."""
        positions = selectors.organization_contact_persons(
            organization=organization, date=timezone.localdate()
        ).select_related("person__organization")
        return ContactPersonSerializer(positions, many=True).data


class OrganizationFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    membership_status = django_filters.ChoiceFilter(choices=MembershipStatus.choices)

    class Meta:
        model = Organization
        fields = ("country", "membership_status")


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class OrganizationViewSet(PublicReadOnlyViewSet):
    """Organizations: the alliance's members, former members and others that came to its
    meetings, as their public pages show them."""

    queryset = Organization.objects.select_related("parent")
    filterset_class = OrganizationFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return OrganizationDetailSerializer if self.action == "retrieve" else OrganizationSerializer


class BodyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)

    class Meta:
        model = Body
        fields = ("kind",)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class BodyViewSet(PublicReadOnlyViewSet):
    """The alliance's bodies: General Assembly, Governing Board, Secretariat, Working Group."""

    queryset = Body.objects.select_related("organization")
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    lookup_field = "slug"


# --- The working group on a date --------------------------------------------------------------


class RosterEntrySerializer(serializers.Serializer):
    """A member of the working group on the date: who, in which role, appointed by which
    member organization (none for an expert in their own name), from when until when."""

    id = serializers.IntegerField()
    person = PersonSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    title = serializers.CharField()
    appointed_by = OrganizationBriefSerializer(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class RosterFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(
        method="on_date", help_text="The roster on this day (YYYY-MM-DD); today without it."
    )
    country = django_filters.CharFilter(
        field_name="appointed_by__country",
        lookup_expr="iexact",
        help_text="Contact persons appointed by organizations of this country or region.",
    )

    class Meta:
        model = Position
        fields = ("date", "country")

    def on_date(self, queryset, name, value):
        return queryset  # read by the view's queryset (`working_group_positions`)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class WorkingGroupViewSet(PublicReadOnlyViewSet):
    """The working group on a date (`?date=`, today without it), as its public page lists it:
    only members who agreed to be named."""

    serializer_class = RosterEntrySerializer
    filterset_class = RosterFilter

    def get_queryset(self):
        return selectors.working_group_positions(date=date_query(self.request))
