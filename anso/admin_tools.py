"""Admin pieces shared by every model of the site: the CSV export action and a country
filter that lists only the countries in use."""

import csv
import datetime

from django.contrib import admin
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() returns the line, for streaming with csv.writer."""

    def write(self, value):
        return value


def _export_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name != "password"]


def _cell(obj: models.Model, field: models.Field) -> str:
    if field.is_relation:
        value = getattr(obj, field.name)
    elif field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    else:
        value = getattr(obj, field.attname)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text


def csv_rows(queryset: models.QuerySet):
    """Yield the header and one row per object: every concrete field, related objects by
    their name, choices by their label."""
    fields = _export_fields(queryset.model)
    relations = [field.name for field in fields if field.is_relation]
    yield [str(field.verbose_name) for field in fields]
    for obj in queryset.select_related(*relations).iterator(chunk_size=500):
        yield [_cell(obj, field) for field in fields]


@admin.action(description=_("Export selected rows to CSV"), permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    """Stream the selected rows as a CSV file named after the model and today's date.

    Needs the view permission on the model (the admin hides the action otherwise and refuses
    it if posted anyway).
    """
    opts = queryset.model._meta
    writer = csv.writer(_Echo())
    filename = f"{slugify(opts.verbose_name_plural)}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(queryset)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CountryOrRegionFilter(CountryFilter):
    """Lists only the countries and regions that occur, not all ~250 ISO 3166 codes."""

    title = _("country or region")
