"""The attendance statistics' filter (which meetings the trends, the charts and the export
cover) and the export's choices."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Body

from ..models import Meeting


def _meeting_years() -> list[tuple[str, str]]:
    years = Meeting.objects.order_by().dates("start_date", "year", "DESC")
    return [(str(day.year), str(day.year)) for day in years]


class StatisticsFilter(django_filters.FilterSet):
    """Meetings by body and year, published or not (the page is the Secretariat's). Choices
    come from the meetings, so a value no meeting has (`?year=abc`, `?body=x`) is a field
    error on the form."""

    body = django_filters.ModelChoiceFilter(
        label=_("Body"),
        queryset=Body.objects.filter(meetings__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        empty_label=_("All bodies"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="start_date__year",
        choices=_meeting_years,
        empty_label=_("All years"),
    )

    class Meta:
        model = Meeting
        fields = ["body", "year"]

    @property
    def query(self) -> dict[str, str]:
        """The chosen values, for links that keep the filter (a valid filter only)."""
        return {name: self.data[name] for name in self.Meta.fields if self.data.get(name)}


class StatisticsExportForm(forms.Form):
    """Which table of the figures, in which file format; both have defaults, so the page's
    plain link works and a value the page does not offer is a field error."""

    table = forms.ChoiceField(
        label=_("Table"),
        required=False,
        choices=[
            ("meetings", _("Figures by meeting")),
            ("countries", _("Participants by country or region")),
            ("organizations", _("Participants by organization")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("csv", "CSV"), ("xlsx", "XLSX")]
    )

    def clean_table(self) -> str:
        return self.cleaned_data["table"] or "meetings"

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or "csv"
