import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Body

from . import selectors
from .models import Meeting

#: Longest search text accepted; longer input gets a message on the field.
SEARCH_MAX_LENGTH = 100


class MeetingFilter(django_filters.FilterSet):
    """Filter the meeting list by body, year and country or region; search the title and the
    city. Choices come from the published meetings, so a value no meeting has (`?year=abc`,
    `?country=XX`) is a field error on the form."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Title or city"),
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Body"),
        queryset=Body.objects.filter(meetings__is_published=True).distinct().order_by("name"),
        to_field_name="slug",
        empty_label=_("All bodies"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="start_date__year",
        choices=lambda: [(str(y), str(y)) for y in selectors.meeting_years()],
        empty_label=_("All years"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country or region"),
        choices=lambda: [(c.code, c.name) for c in selectors.meeting_countries()],
        empty_label=_("All countries and regions"),
    )

    class Meta:
        model = Meeting
        fields = ["q", "body", "year", "country"]

    def search(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(city__icontains=value))

    @property
    def form(self) -> forms.Form:
        form = super().form
        form.fields["q"].widget.attrs.setdefault("type", "search")
        return form
