"""Building blocks of an import resource (django-import-export): widgets that read what people
type into a spreadsheet (a country by code or name, a choice by value or label, yes/no, a date
in a few formats) and fail the row with a message naming the value; the column checks; and
the all-or-nothing rule every import follows."""

from django.utils.translation import gettext as _
from django_countries import countries
from import_export import widgets

from anso.spreadsheets.formats import OneLineCellsMixin

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]


def required_columns(dataset, columns: tuple[str, ...]) -> None:
    """Refuse an empty file or one without the columns an import needs."""
    if not dataset.headers or len(dataset) == 0:
        raise ValueError(_("The file has no rows to import."))
    headers = {(header or "").strip().lower() for header in dataset.headers}
    missing = [column for column in columns if column not in headers]
    if missing:
        raise ValueError(
            _("The file lacks the column(s) %(missing)s. Expected columns: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(columns)}
        )


def normalise_headers(dataset) -> None:
    """Column names are matched without regard to case or surrounding spaces."""
    if dataset.headers:
        dataset.headers = [(header or "").strip().lower() for header in dataset.headers]


class LookupWidget(widgets.Widget):
    """A widget that finds values in the lookups its resource loaded once per file
    (`before_import`), instead of a query per row."""

    def __init__(self, resource, **kwargs):
        super().__init__(**kwargs)
        self.resource = resource


class CountryWidget(widgets.Widget):
    """A country or region as an ISO 3166 code ("KE") or its English name ("Kenya")."""

    _codes: frozenset[str] | None = None

    @classmethod
    def codes(cls) -> frozenset[str]:
        if cls._codes is None:
            cls._codes = frozenset(code for code, _name in countries)
        return cls._codes

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip()
        if not value:
            return ""
        if value.upper() in self.codes():
            return value.upper()
        code = countries.by_name(value)
        if code:
            return code
        raise ValueError(_("Unknown country or region: “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(value.code if hasattr(value, "code") else value or "")


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, by value ("delegate") or label ("member-organization delegate")."""

    def __init__(self, choices, *, default=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.default = default
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value

    def clean(self, value, row=None, **kwargs):
        value = ("" if value is None else str(value)).strip().lower()
        if not value:
            if self.default is not None:
                return self.default
            raise ValueError(_("A value is required."))
        if value in self.lookup:
            return self.lookup[value]
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(self.choices.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES", "y", "x"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "n"]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in self.NULL_VALUES:
            return False
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": value})


class StrictDateWidget(widgets.DateWidget):
    """A date in one of DATE_FORMATS; exported as YYYY-MM-DD."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.formats = tuple(DATE_FORMATS)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value}
            ) from error


class AllOrNothingMixin(OneLineCellsMixin):
    """An import with any failing row, of any kind, saves nothing. Every import resource has
    it, so its cells are checked for control characters and line breaks too."""

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)
