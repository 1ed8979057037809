"""The file formats of every spreadsheet import and export, made safe in one place.

- Exports escape formulas: a text cell that starts with = + - @, a tab or a carriage return is
  written with a leading apostrophe, in CSV and XLSX alike, so that a spreadsheet program shows
  it as text instead of running it. Numbers (also negative ones) stay numbers. Imports read the
  apostrophe back off, so that an exported file imports unchanged.
- Control characters that XLSX cannot hold are replaced by the library
  (IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT); they never fail an export.
- Imported cells are one line of plain text: a row with a control character or a line break
  fails with a message naming the column.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.results import RowResult

from anso.text.hygiene import has_control_characters

#: What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def escape_formula(value):
    """A text value that a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The inverse of `escape_formula`, for a file that comes back to be imported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _map_cells(dataset, function):
    """The dataset with `function` applied to every cell, in place."""
    headers = dataset.headers
    rows = [[function(cell) for cell in row] for row in dataset]
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class FormulaSafeMixin:
    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape_formula), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), unescape_formula)


class CSV(FormulaSafeMixin, base_formats.CSV):
    pass


class XLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


#: The formats of every admin import and export.
FORMATS = [CSV, XLSX]


class OneLineCellsMixin:
    """For a resource: every imported text cell is one line without control characters."""

    def import_row(self, row, instance_loader, **kwargs):
        columns = [
            column
            for column, value in row.items()
            if isinstance(value, str) and has_control_characters(value, one_line=True)
        ]
        if not columns:
            return super().import_row(row, instance_loader, **kwargs)
        row_result = self.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        row_result.validation_error = ValidationError(
            {
                column: _(
                    "The column “%(column)s” holds a line break or an invisible control "
                    "character; each cell must be one line of plain text."
                )
                % {"column": column}
                for column in columns
            }
        )
        return row_result
